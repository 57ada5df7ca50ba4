"""BM25 (k1=1.2, b=0.75) in plain Python: the oracle for vectors::bm25.

Reads JSON on stdin: {"docs": [text, ...], "queries": [text, ...]}.
Words: maximal runs of characters with str.isalnum(), lowercased.
idf = ln(1 + (N - df + 0.5) / (df + 0.5)); each distinct query word counts once.
Prints JSON: one list of scores per query, one score per document.
"""
import json
import math
import sys

K1, B = 1.2, 0.75


def words(text):
    out, cur = [], []
    for ch in text:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur).lower())
            cur = []
    if cur:
        out.append("".join(cur).lower())
    return out


def main():
    data = json.load(sys.stdin)
    docs = [words(t) for t in data["docs"]]
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
    for q in data["queries"]:
        terms = set(words(q))
        scores = []
        for d, tf in zip(docs, tfs):
            s = 0.0
            for w in terms:
                f = tf.get(w, 0)
                if f == 0:
                    continue
                idf = math.log(1 + (n - df[w] + 0.5) / (df[w] + 0.5))
                s += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * len(d) / avg))
            scores.append(s)
        result.append(scores)
    json.dump(result, sys.stdout)


main()
