"""Builds assets/embeddings/eval_pairs.jsonl: text pairs on which the static model's cosines
are compared with the teacher's (Spearman, crates/core/tests/it/vectors.rs).

Usage: eval_pairs.py [--corpus assets/corpus/demo.jsonl] [--base assets/embeddings/eval_pairs.jsonl] > pairs.jsonl

The first 240 lines are the pairs the model was distilled and recorded against
(eval_results.json). They were drawn from a larger pool than the demo corpus by code that
is not available, so they cannot be regenerated: they are copied verbatim from --base (its
first 240 lines; anything after them is ignored). After them come 400 new pairs drawn from
the demo corpus with a fixed seed, 100 of each kind:

- random: two texts from two different documents; 10 pairs for each of the 10 source
  combinations (code, docs, legal, quotes, each with itself and with the others).
- adjacent: two consecutive sentences of one document (consecutive line windows for code);
  25 per source.
- perturbed: a text and a copy with 0-3 words dropped (at most one in five), 0-2 neighbouring words swapped (at
  least one edit) and, 40 % of the time, everything lower-cased; 25 per source.
- version: a text and a text from another version of it, with `char_ratio` =
  difflib.SequenceMatcher(None, a, b).ratio() as in the first 240: sentences of licence
  versions (GPL-1/2, GPL-2/3, LGPL-2/2.1, LGPL-2.1/3, MPL-1.1/2.0, GFDL-1.2/1.3; 40 pairs),
  line windows of the same file in two crate versions (heck 0.4.1/0.5.0, itoa 0.4.8/1.0.19;
  30) and the same quotation as worded in two fortune entries (30). The licence and code
  pairs are spread evenly over char_ratio bands (best matches and random sentences of the
  same pair of files). The demo corpus has one version of the Python docs, so no docs here.

A text is a whole document when its whitespace-collapsed form has 40-255 characters,
otherwise a sentence (code: a window of consecutive non-blank lines) of that length. No new
pair repeats a text used in any other pair of the file. Standard library only; the output is
the same on every run (CPython 3.8+).
"""
import argparse
import difflib
import json
import random
import re
import sys
from collections import defaultdict

KEEP = 240
SEED = 240_600
MIN_LEN, MAX_LEN = 40, 255
SOURCES = ("code", "docs", "legal", "quotes")
PER_COMBO = 10  # random pairs per source combination (10 combinations)
PER_SOURCE = 25  # adjacent and perturbed pairs per source
VERSION_COUNTS = {"legal": 40, "code": 30, "quotes": 30}
LICENCE_PAIRS = [
    ("GPL-1", "GPL-2"),
    ("GPL-2", "GPL-3"),
    ("LGPL-2", "LGPL-2.1"),
    ("LGPL-2.1", "LGPL-3"),
    ("MPL-1.1", "MPL-2.0"),
    ("GFDL-1.2", "GFDL-1.3"),
]
CRATE_PAIRS = [("heck-0.4.1", "heck-0.5.0"), ("itoa-0.4.8", "itoa-1.0.19")]
RATIO_BANDS = [0.0, 0.2, 0.4, 0.6, 0.8, 0.95]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z])")
WINDOW_TARGET = 60  # a code window closes once it reaches this many characters
ATTRIBUTION = re.compile(r"\s--\s.*$")


def collapse(text):
    return " ".join(text.split())


def fits(text):
    return MIN_LEN <= len(text) <= MAX_LEN


def code_windows(text):
    """Consecutive non-blank lines joined with spaces, closed at ~60 chars or a blank line."""
    windows, current = [], []
    for line in text.split("\n") + [""]:
        line = line.strip()
        if line:
            current.append(line)
            if len(" ".join(current)) >= WINDOW_TARGET:
                windows.append(collapse(" ".join(current)))
                current = []
        elif current:
            windows.append(collapse(" ".join(current)))
            current = []
    return windows


def units(doc):
    """The document's sentences (code: line windows) in order, all lengths."""
    if doc["source"] == "code":
        return code_windows(doc["text"])
    return [s for s in SENTENCE_END.split(collapse(doc["text"])) if s]


def ratio(a, b):
    return difflib.SequenceMatcher(None, a, b).ratio()


class Builder:
    def __init__(self, docs, base_records, rng):
        self.docs = docs
        self.by_id = {d["id"]: d for d in docs}
        self.units = {d["id"]: units(d) for d in docs}
        self.rng = rng
        self.used = set()
        for record in base_records:
            self.used.update((record["a"], record["b"]))
        self.out = []

    def ids(self, source, prefix=""):
        return sorted(d["id"] for d in self.docs if d["source"] == source and d["id"].startswith(prefix))

    def free(self, *texts):
        return len(set(texts)) == len(texts) and not any(t in self.used for t in texts)

    def add(self, kind, a, b, src, **extra):
        assert fits(a) and a != b and self.free(a, b), (kind, src)
        self.used.update((a, b))
        self.out.append({"type": kind, "a": a, "b": b, "src": src, **extra})

    def pick_text(self, doc_id):
        whole = collapse(self.by_id[doc_id]["text"])
        if fits(whole) and whole not in self.used:
            return whole
        options = [u for u in self.units[doc_id] if fits(u) and u not in self.used]
        return self.rng.choice(options) if options else None

    def random_pairs(self):
        pools = {s: self.ids(s) for s in SOURCES}
        combos = [(s, t) for i, s in enumerate(SOURCES) for t in SOURCES[i:]]
        for s, t in combos:
            made = 0
            while made < PER_COMBO:
                first, second = self.rng.choice(pools[s]), self.rng.choice(pools[t])
                if self.rng.random() < 0.5:
                    first, second = second, first
                if first == second:
                    continue
                a, b = self.pick_text(first), self.pick_text(second)
                if a and b and fits(b) and self.free(a, b):
                    self.add("random", a, b, f"{first} | {second}")
                    made += 1

    def adjacent_pairs(self):
        for source in SOURCES:
            pool = self.ids(source)
            self.rng.shuffle(pool)
            made = 0
            for doc_id in pool:
                seq = self.units[doc_id]
                options = [
                    k for k in range(len(seq) - 1) if fits(seq[k]) and fits(seq[k + 1]) and self.free(seq[k], seq[k + 1])
                ]
                if options:
                    k = self.rng.choice(options)
                    self.add("adjacent", seq[k], seq[k + 1], doc_id)
                    made += 1
                    if made == PER_SOURCE:
                        break
            assert made == PER_SOURCE, ("adjacent", source, made)

    def perturb(self, text):
        words = text.split(" ")
        if len(words) < 6:
            return None
        drops = self.rng.randint(0, min(3, max(1, len(words) // 5)))
        swaps = self.rng.randint(0, 2)
        if drops + swaps == 0:
            drops = 1
        for _ in range(drops):
            del words[self.rng.randrange(len(words))]
        for _ in range(swaps):
            k = self.rng.randrange(len(words) - 1)
            words[k], words[k + 1] = words[k + 1], words[k]
        out = " ".join(words)
        if self.rng.random() < 0.4:
            out = out.lower()
        return out if out != text and len(out) >= 30 else None

    def perturbed_pairs(self):
        for source in SOURCES:
            pool = self.ids(source)
            self.rng.shuffle(pool)
            made = 0
            for doc_id in pool:
                a = self.pick_text(doc_id)
                b = a and self.perturb(a)
                if b and self.free(a, b):
                    self.add("perturbed", a, b, doc_id)
                    made += 1
                    if made == PER_SOURCE:
                        break
            assert made == PER_SOURCE, ("perturbed", source, made)

    def cross_candidates(self, old_id, new_id, sample):
        """(a, b, ratio) for sentences of two versions: each sampled `a` with its closest
        `b` and with a random `b`."""
        old = sorted({u for u in self.units[old_id] if fits(u)})
        new = sorted({u for u in self.units[new_id] if fits(u)})
        if not old or not new:
            return []
        self.rng.shuffle(old)
        found = []
        for a in old[:sample]:
            matcher = difflib.SequenceMatcher(None, "", a)  # bounds only; the ratio is ratio(a, b)
            best, best_ratio = None, -1.0
            for b in new:
                matcher.set_seq1(b)
                if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
                    r = ratio(a, b)
                    if r > best_ratio:
                        best, best_ratio = b, r
            found.append((a, best, ratio(a, best)))
            other = self.rng.choice(new)
            found.append((a, other, ratio(a, other)))
        return found

    def pick_by_band(self, candidates, count, src):
        """`count` candidates spread evenly over RATIO_BANDS, one band after another."""
        bands = defaultdict(list)
        for a, b, r, ids in sorted(candidates):
            for k in range(len(RATIO_BANDS) - 1):
                if RATIO_BANDS[k] <= r < RATIO_BANDS[k + 1]:
                    bands[k].append((a, b, r, ids))
        for band in bands.values():
            self.rng.shuffle(band)
        picked, taken, k = [], set(), 0
        while len(picked) < count and any(bands.values()):
            band = bands[k % (len(RATIO_BANDS) - 1)]
            while band:
                a, b, r, ids = band.pop()
                if fits(b) and self.free(a, b) and not taken & {a, b}:
                    picked.append((a, b, r, ids))
                    taken.update((a, b))
                    break
            k += 1
        assert len(picked) == count, (src, len(picked))
        return sorted(picked, key=lambda p: p[2])

    def version_pairs(self):
        legal = []
        for old, new in LICENCE_PAIRS:
            ids = f"legal/common-licenses/{old} | legal/common-licenses/{new}"
            for a, b, r in self.cross_candidates(f"legal/common-licenses/{old}", f"legal/common-licenses/{new}", 40):
                legal.append((a, b, r, ids))
        code = []
        for old, new in CRATE_PAIRS:
            for old_id in self.ids("code", f"code/{old}/"):
                new_id = old_id.replace(f"code/{old}/", f"code/{new}/", 1)
                if new_id in self.by_id:
                    for a, b, r in self.cross_candidates(old_id, new_id, 20):
                        code.append((a, b, r, f"{old_id} | {new_id}"))
        quotes = self.quote_variants()
        picked = self.pick_by_band(code, VERSION_COUNTS["code"], "code")
        picked += self.pick_by_band(legal, VERSION_COUNTS["legal"], "legal")
        self.rng.shuffle(quotes)
        chosen, taken = [], set()
        for a, b, r, ids in quotes:
            if len(chosen) < VERSION_COUNTS["quotes"] and self.free(a, b) and not taken & {a, b}:
                chosen.append((a, b, r, ids))
                taken.update((a, b))
        assert len(chosen) == VERSION_COUNTS["quotes"], ("quotes", len(chosen))
        picked += sorted(chosen, key=lambda p: p[2])
        for a, b, r, ids in picked:
            self.add("version", a, b, ids, char_ratio=round(r, 3))

    def quote_variants(self):
        """Pairs of whole quotes (40-255 chars) whose wording without the attribution is
        close (ratio >= 0.6) but not identical: one quotation in two fortune entries."""
        texts = {}
        for doc_id in self.ids("quotes"):
            whole = collapse(self.by_id[doc_id]["text"])
            if fits(whole):
                texts[doc_id] = whole
        shingles, index = {}, defaultdict(set)
        for doc_id, text in texts.items():
            words = re.findall(r"\w+", ATTRIBUTION.sub("", text).lower())
            shingles[doc_id] = {tuple(words[k : k + 3]) for k in range(len(words) - 2)}
            for s in shingles[doc_id]:
                index[s].add(doc_id)
        found = []
        for doc_id in sorted(texts):
            near = sorted({o for s in shingles[doc_id] for o in index[s] if o > doc_id})
            for other in near:
                a, b = texts[doc_id], texts[other]
                body = ratio(ATTRIBUTION.sub("", a).lower(), ATTRIBUTION.sub("", b).lower())
                if a != b and body >= 0.6:
                    found.append((a, b, ratio(a, b), f"{doc_id} | {other}"))
        return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="assets/corpus/demo.jsonl")
    parser.add_argument("--base", default="assets/embeddings/eval_pairs.jsonl")
    args = parser.parse_args()
    with open(args.base, encoding="utf-8") as f:
        base_lines = [line for _, line in zip(range(KEEP), f)]
    base = [json.loads(line) for line in base_lines]
    assert len(base) == KEEP and [r["i"] for r in base] == list(range(KEEP)), "base: first 240 pairs"
    with open(args.corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    builder = Builder(docs, base, random.Random(SEED))
    builder.random_pairs()
    builder.adjacent_pairs()
    builder.perturbed_pairs()
    builder.version_pairs()
    seen = {frozenset((r["a"], r["b"])) for r in base}
    out = sys.stdout
    out.write("".join(base_lines))
    for i, record in enumerate(builder.out, start=KEEP):
        key = frozenset((record["a"], record["b"]))
        assert key not in seen, record
        seen.add(key)
        record["i"] = i
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
