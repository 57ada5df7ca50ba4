"""Writes crates/core/tests/fixtures/quality/adversarial.jsonl: documents made
to sit on, or cross, each rule of datatrove's Gopher, C4 and FineWeb filters,
and to stress English word splitting. Deterministic (seeded), standard library
only. Run from the workspace root:

    python3 tests/oracle/datatrove_adversarial.py
"""

import json
import random
from pathlib import Path

OUT = Path("crates/core/tests/fixtures/quality/adversarial.jsonl")

rng = random.Random(16)

WORDS = (
    "the be to of and that have with a in is it for on was as at by this from or an "
    "are not but they which you one all were we when there can more if out so what "
    "about into than them then some could time only new would these two may first way "
    "river mountain history language people village market winter system music garden "
    "science library window morning evening kitchen student teacher journey harbour"
).split()
LONG_WORDS = "internationalisation incomprehensibility electroencephalograph counterrevolutionaries".split()


def sentence(n=None, end="."):
    n = n or rng.randint(6, 16)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + end


def paragraph(sentences=4):
    return " ".join(sentence() for _ in range(sentences))


def prose(paragraphs=4, sentences=4):
    return "\n\n".join(paragraph(sentences) for _ in range(paragraphs))


docs = []


def add(kind, text):
    docs.append({"id": f"{kind}-{len(docs)}", "kind": kind, "text": text})


# Clean prose of several sizes (kept by most filters).
for n in (1, 2, 3, 5, 8):
    add("prose", prose(n))
add("prose_long_lines", "\n".join(paragraph(5) for _ in range(4)))

# Word counts around Gopher's 50 and mean word length around 3 and 10.
for n in (45, 49, 50, 51, 60):
    add("word_count", " ".join(rng.choice(WORDS) for _ in range(n)) + ".")
add("short_words", " ".join(rng.choice(["a", "of", "to", "it", "is", "an", "the"]) for _ in range(80)))
add("long_words", " ".join(rng.choice(LONG_WORDS) for _ in range(70)) + " the and.")
add("empty", "")
add("whitespace_only", " \n\t \n\n  ")
add("one_word", "word")

# Hashes and ellipses per word around 0.1.
for k in (5, 9, 10, 11, 20):
    words = [rng.choice(WORDS) for _ in range(100)]
    for i in range(k):
        words[i * 4] = "#" + words[i * 4]
    add("hashes", " ".join(words) + ".")
for k in (8, 10, 12):
    parts = [sentence() for _ in range(12)]
    add("ellipses", " ".join(p[:-1] + ("..." if i < k else ".") for i, p in enumerate(parts)))
add("unicode_ellipsis", " ".join(sentence(end="…") for _ in range(15)))

# Bullet lines around 90 %, ellipsis-ended lines around 30 %.
for bullets in (8, 9, 10):
    lines = [("• " if i < bullets else "") + sentence() for i in range(10)]
    add("bullets", "\n".join(lines))
lines = ["- " + sentence() for _ in range(20)]
add("dash_bullets", "\n".join(lines))
add("indented_bullets", "\n".join("   \t- " + sentence() for _ in range(12)))
for ends in (2, 3, 4):
    lines = [sentence()[:-1] + ("..." if i < ends else ".") for i in range(10)]
    add("end_ellipsis", "\n".join(lines))

# Alphabetic words and stop words.
add("numbers", " ".join(str(rng.randint(0, 99999)) for _ in range(60)) + " the and of with.")
add("mostly_numbers", " ".join(rng.choice(WORDS) if i % 4 == 0 else str(i) for i in range(100)))
add("no_stop_words", " ".join(rng.choice(WORDS[40:]) for _ in range(80)) + ".")
add("one_stop_word", " ".join(rng.choice(WORDS[40:]) for _ in range(80)) + " the.")
add("uppercase_stop_words", " ".join(rng.choice(["THE", "AND", "OF"] + WORDS[40:]) for _ in range(80)) + ".")

# Repeated lines, paragraphs and n-grams.
base = [sentence() for _ in range(10)]
add("dup_lines", "\n".join(base + base[:4]))
add("dup_lines_few", "\n".join(base + base[:2]))
add("dup_paragraphs", "\n\n".join([paragraph() for _ in range(6)] + [paragraph()] * 3))
add("dup_paragraph_chars", "\n\n".join([paragraph(8)] * 2 + [paragraph(2)]))
add("blank_line_runs", "\n\n\n\n".join(paragraph() for _ in range(4)) + "\n\n\n")
add("repeated_sentence", " ".join([sentence()] * 30))
add("top_bigram", " ".join(["new york"] * 12 + [sentence() for _ in range(8)]))
add("top_trigram", " ".join(["one two three"] * 12 + [sentence() for _ in range(8)]))
add("top_4gram", " ".join(["in the long run"] * 10 + [sentence() for _ in range(10)]))
add("ngram_5", prose(2) + " " + " ".join(["alpha beta gamma delta epsilon"] * 6))
add("ngram_10", prose(3) + " " + " ".join([" ".join(WORDS[20:30])] * 4))
add("joined_ngram", "ab c d e f " * 10 + "a bc d e f " * 10 + sentence())
add("lorem", "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20)

# C4: terminal punctuation, short lines, javascript, curly brackets, policies,
# citations, long words, lorem ipsum.
add("c4_few_sentences", "\n".join(sentence() for _ in range(4)))
add("c4_five_sentences", "\n".join(sentence() for _ in range(5)))
add("c4_in_one_line", " ".join(sentence() for _ in range(6)))
add("c4_no_terminal", "\n".join(sentence()[:-1] for _ in range(10)))
add("c4_quotes", "\n".join(sentence()[:-1] + rng.choice(['"', "'", '."', "?'", "!"]) for _ in range(8)))
add("c4_short_lines", "\n".join(" ".join(rng.choice(WORDS) for _ in range(2)) + "." for _ in range(20)))
add("c4_javascript", "\n".join([sentence()] * 0 + [sentence() for _ in range(4)] + ["Please enable JavaScript to view this page."] * 3))
add("c4_curly", prose(2) + "\nThe function returns {x: 1} as a value here.\n" + prose(1))
add("c4_curly_late", "\n".join(sentence() for _ in range(8)) + "\nA line with { in it.")
add("c4_curly_unterminated", "\n".join(sentence() for _ in range(8)) + "\nA line with { but no end")
add("c4_policy", "\n".join([sentence() for _ in range(4)] + ["Read our privacy policy before you go.", "This site uses cookies to work well.", "See the Terms of Use for more."]))
add("c4_citations", "\n".join(sentence()[:-1] + ".[1]" for _ in range(6)))
add("c4_citation_edit", "\n".join(sentence()[:-1] + " [edit]" for _ in range(6)))
add("c4_citation_needed", "\n".join(sentence() + "[citation needed]" for _ in range(6)))
add("c4_long_word", "\n".join([sentence() for _ in range(6)] + ["x" * 1001 + " is a long word."]))
add("c4_lorem_late", "\n".join([sentence() for _ in range(6)] + ["We write lorem ipsum here."]))
add("c4_lorem_unterminated", "\n".join([sentence() for _ in range(6)] + ["We write lorem ipsum here"]))
add("c4_ellipsis_lines", "\n".join(sentence()[:-1] + "..." for _ in range(8)))
add("c4_abbreviations", "\n".join(f"Mr. Smith met Dr. Jones at {h} p.m. on Jan. {h} in the U.S. and they talked." for h in range(1, 8)))

# C4 paragraphs: three lines of 200 characters.
for length in (199, 200, 201):
    line = ("a" * 9 + " ") * 30
    add("c4_paragraph", "\n".join([line[:length]] * 3))
add("c4_paragraph_two", "\n".join([("word " * 60)] * 2))

# FineWeb: terminal punctuation share around 0.12, short lines around 0.67,
# duplicate-line characters around 0.01, newlines per word around 0.3.
for punct in (1, 2, 3):
    lines = [sentence()[:-1] + ("." if i < punct else "") for i in range(16)]
    add("fineweb_punct", "\n".join(lines))
for short in (6, 7, 8):
    lines = [("ok line." if i < short else sentence(12)) for i in range(10)]
    add("fineweb_short", "\n".join(lines))
add("fineweb_one_dup", "\n".join([sentence(12) for _ in range(30)] + ["A short line."] * 2))
add("fineweb_list", "\n".join(rng.choice(WORDS) + " " + rng.choice(WORDS) + "." for _ in range(40)))
add("fineweb_trailing_space", "\n".join(sentence() + " " for _ in range(10)))
add("fineweb_crlf", "\r\n".join(sentence() for _ in range(10)))

# Word splitting: contractions, abbreviations, URLs, emails, numbers, units,
# currencies, hyphens, emoticons, quotes, typographic apostrophes.
tricky = [
    "I'm sure they'll say we'd've gone, but don't you think it's fine? Y'all can't, won't, shouldn't.",
    "She said “it’s over” — then left; he didn’t—and they’re gone… (really?) [yes] {no}",
    "Visit https://example.com/path?q=1&r=2#frag or www.example.org/x, mail me@example.com.",
    "It costs $5.99, €10, US$20 or £3; 10km, 5kg, 3.5m², 100%, 20°C. and 9am or 10p.m. sharp.",
    "e.g. i.e. etc. vs. Mr. Mrs. Dr. Prof. St. Jan. Feb. U.S.A. N.Y. Ph.D. a.m. p.m. No. 5.",
    "well-known state-of-the-art e-mail co-operate 3-4 1+2 x*y a/b and/or w/o 2^3 a--b a---b a——b",
    "Smiles :) :-) ;) :D <3 ^_^ (: hello:) bye:( ¯\\(ツ)/¯ ok!!! what?!? hm...ok..yes",
    "'quoted' \"double\" `tick` ‘single’ «guillemets» „low“ 「corner」 (paren) [square] <angle>",
    "Cannot gonna gotta let's c'mon lovin' nothin' 'cause 'em ma'am o'clock ol' dont cant wont hes shes",
    "CamelCase.Split end.Start lower.Upper x.Y A.B AB. ABC. a.b.c. 1.2.3 3.14 1,000,000 a,b,c",
    "tab\tseparated\ttext and\u00a0non\u2009breaking\u3000spaces\u200bzero width and\x1cseparators",
    "Unicode ‼ ⁉ ⸮ ‽ ？ ！ 。 ｡ ؟ ۔ । ॥ marks… and ellipsis‥ and fullwidth１２３",
    "#hashtag ##double @mention +plus -minus =equal §section %percent ~tilde _under_ *star* &amp;",
    "Emoji 😀 👍🏽 🇫🇷 ★ ☆ ♥ → ← ✓ ✗ © ® ™ ° ± × ÷ and math ∑ ∫ √ ∞",
]
for i, t in enumerate(tricky):
    add("words", t)
add("words_all", "\n".join(tricky * 3))
add("words_paragraphs", "\n\n".join(t + " " + sentence() for t in tricky))

# JavaScript and code.
code = """function main() {
  const x = [1, 2, 3].map((v) => v * 2);
  if (x.length > 2) { console.log("done"); }
  return x;
}
// A comment about JavaScript.
"""
add("code_js", code * 4)
add("code_python", "def f(x):\n    return x + 1\n\n\nclass A:\n    pass\n" * 6)
add("html", "<html><body><p>Hello world, this is a page.</p><script>var a = 1;</script></body></html>\n" * 5)

# Non-English texts.
add("german", "Der schnelle braune Fuchs springt über den faulen Hund. Es war einmal ein König, der hatte drei Töchter. " * 8)
add("french", "Le renard brun rapide saute par-dessus le chien paresseux. Il était une fois un roi qui avait trois filles. " * 8)
add("russian", "Быстрая коричневая лиса прыгает через ленивую собаку. Жил-был король, у которого было три дочери. " * 8)
add("chinese", "敏捷的棕色狐狸跳过了懒狗。从前有一个国王，他有三个女儿。" * 20)
add("japanese", "素早い茶色の狐がのろまな犬を飛び越える。昔々、三人の娘を持つ王様がいました。" * 20)
add("arabic", "الثعلب البني السريع يقفز فوق الكلب الكسول. كان يا ما كان ملك له ثلاث بنات. " * 8)
add("hindi", "तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है। एक समय की बात है, एक राजा की तीन बेटियाँ थीं। " * 8)
add("mixed_scripts", prose(1) + "\n" + "Быстрая лиса. " * 10 + "\n" + "狐狸跳过了懒狗。" * 10)

# Whitespace oddities.
add("crlf_prose", prose(3).replace("\n", "\r\n"))
add("cr_only", prose(3).replace("\n", "\r"))
add("form_feeds", prose(2).replace("\n\n", "\f\v"))
add("unicode_lines", prose(3).replace("\n\n", "\u2028\u2029"))
add("leading_trailing", "\n\n   " + prose(2) + "   \n\n\n")
add("double_spaces", prose(2).replace(" ", "  "))
add("tabs", prose(2).replace(" ", "\t"))
add("nbsp", prose(2).replace(" ", "\u00a0"))
add("newline_words", "\n".join(rng.choice(WORDS) for _ in range(80)))

# Random mixtures of everything, to cover interactions.
pieces = [sentence, lambda: rng.choice(tricky), lambda: "• " + sentence(), lambda: sentence()[:-1] + "...",
          lambda: "#" * rng.randint(1, 3) + " " + sentence(), lambda: "", lambda: rng.choice(base),
          lambda: "x" * rng.randint(1, 40), lambda: str(rng.randint(0, 10**6))]
for _ in range(120):
    lines = [rng.choice(pieces)() for _ in range(rng.randint(1, 40))]
    sep = rng.choice(["\n", "\n\n", " ", "\r\n", "\n\n\n"])
    add("mixed", sep.join(lines))

OUT.parent.mkdir(parents=True, exist_ok=True)
with OUT.open("w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
print(f"{len(docs)} documents written to {OUT}")
