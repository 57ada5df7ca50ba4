"""datatrove's filters on JSONL documents: the oracle of the quality labels.

Reads {"id", "text"} lines on stdin; writes one line per document:
{"id", "filters": {name: {"kept", "reason"}}, "words": n, "sentences": n,
 "repetition": {reason: value}}
where `words` is len(split_into_words(text)) (datatrove's English word
splitting: spaCy's blank English tokenizer) and `sentences` is
len(split_into_sentences(text)), and `repetition` every Gopher repetition
value, measured with datatrove's own helpers (find_duplicates,
find_top_duplicate, find_all_duplicate) as its filter does. With --words, also the word list.
Each filter gets its own copy of the document (C4's rewrites the text).
"""

import json
import sys
import warnings

warnings.filterwarnings("ignore")

from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.filters import (  # noqa: E402
    C4ParagraphFilter,
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.pipeline.filters.gopher_repetition_filter import (  # noqa: E402
    find_all_duplicate,
    find_duplicates,
    find_top_duplicate,
    get_n_grams,
)
from datatrove.utils.text import split_into_sentences, split_into_words  # noqa: E402

FILTERS = {
    "gopher_quality": GopherQualityFilter(),
    "gopher_repetition": GopherRepetitionFilter(),
    "c4_quality": C4QualityFilter(),
    "c4_paragraph": C4ParagraphFilter(),
    "fineweb_quality": FineWebQualityFilter(),
}


def repetition_values(text, words):
    """The values GopherRepetitionFilter compares with its thresholds."""
    if not text:
        return {}
    f = FILTERS["gopher_repetition"]
    values = {}
    paragraphs = f.paragraph_exp.split(text.strip())
    dups, chars = find_duplicates(paragraphs)
    values["dup_para_frac"] = dups / len(paragraphs)
    values["dup_para_char_frac"] = chars / len(text)
    lines = f._line_splitter.split(text)
    dups, chars = find_duplicates(lines)
    values["dup_line_frac"] = dups / len(lines)
    values["dup_line_char_frac"] = chars / len(text)
    for n, _ in f.top_n_grams:
        n_grams = get_n_grams(words, n)
        values[f"top_{n}_gram"] = find_top_duplicate(n_grams) / len(text) if n_grams else 0.0
    for n, _ in f.dup_n_grams:
        values[f"duplicated_{n}_n_grams"] = find_all_duplicate(words, n) / len(text)
    return values


def main():
    with_words = "--words" in sys.argv
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        out = {"id": record["id"], "filters": {}}
        for name, f in FILTERS.items():
            verdict = f.filter(Document(text=text, id=str(record["id"])))
            if verdict is True:
                out["filters"][name] = {"kept": True, "reason": None}
            else:
                kept, reason = verdict if isinstance(verdict, tuple) else (bool(verdict), None)
                out["filters"][name] = {"kept": kept, "reason": reason}
        words = split_into_words(text)
        out["words"] = len(words)
        out["sentences"] = len(split_into_sentences(text))
        out["repetition"] = repetition_values(text, words)
        if with_words:
            out["word_list"] = words
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
