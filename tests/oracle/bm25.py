"""BM25 (k1=1.2, b=0.75) in plain Python: the oracle for vectors::bm25.

Reads JSON on stdin: {"docs": [text, ...], "queries": [text, ...]}.
Words: maximal runs of alphanumeric characters, lowercased. Alphanumeric is
Unicode's Alphabetic property or a number category (Nd, Nl, No), Rust's
char::is_alphanumeric, matched with the `regex` package; str.isalnum() would
differ on combining vowel signs (Arabic fatha, Malayalam ii, in the demo corpus).
idf = ln(1 + (N - df + 0.5) / (df + 0.5)); each distinct query word counts once.
Prints JSON: one list of scores per query, one score per document.
(hybrid.py imports `scores` from here.)
"""
import json
import math
import sys

import regex

K1, B = 1.2, 0.75


WORD = regex.compile(r"[\p{Alphabetic}\p{N}]+")


def words(text):
    return [w.lower() for w in WORD.findall(text)]


def scores(texts, queries):
    """One list of scores per query, one score per text."""
    docs = [words(t) for t in texts]
    n = len(docs)
    avg = sum(len(d) for d in docs) / n
    tfs = []
    df = {}
    for d in docs:
        tf = {}
        for w in d:
            tf[w] = tf.get(w, 0) + 1
        tfs.append(tf)
        for w in tf:
            df[w] = df.get(w, 0) + 1
    result = []
    for q in queries:
        terms = set(words(q))
        row = []
        for d, tf in zip(docs, tfs):
            s = 0.0
            for w in terms:
                f = tf.get(w, 0)
                if f == 0:
                    continue
                idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                s += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * len(d) / avg))
            row.append(s)
        result.append(row)
    return result


def main():
    data = json.load(sys.stdin)
    json.dump(scores(data["docs"], data["queries"]), sys.stdout)


if __name__ == "__main__":
    main()
