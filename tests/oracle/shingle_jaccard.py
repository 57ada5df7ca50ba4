"""Exact Jaccard of word n-gram shingle sets: the oracle for planted pairs.

Reads JSON {"n": N, "pairs": [[text_a, text_b], ...]} on stdin; prints a JSON
list of Jaccard similarities. Words are maximal runs of str.isalnum characters,
lowercased by str.lower(); a text with fewer than N words is one shingle.
"""
import json
import re
import sys

WORD = re.compile(r"[^\W_]+")


def shingles(text, n):
    words = WORD.findall(text.lower())
    n = max(1, min(n, len(words)))
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)} if words else set()


def main():
    data = json.load(sys.stdin)
    out = []
    for a, b in data["pairs"]:
        sa, sb = shingles(a, data["n"]), shingles(b, data["n"])
        union = len(sa | sb)
        out.append(len(sa & sb) / union if union else 1.0)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
