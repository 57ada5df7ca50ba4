"""Candidate pairs and their connected components by datasketch's MinHashLSH.

Reads JSON {"num_perm": K, "bands": b, "rows": r, "sets": [[int, ...], ...]} on
stdin: each document's shingle hashes. Each hash is fed to MinHash as the ASCII
bytes of its decimal form. Prints JSON {"pairs": [[i, j], ...], "components":
[[...], ...]} with i < j, pairs and components sorted, components of size >= 2.
"""
import json
import sys

from datasketch import MinHash, MinHashLSH


def components(n, pairs):
    neighbours = [[] for _ in range(n)]
    for i, j in pairs:
        neighbours[i].append(j)
        neighbours[j].append(i)
    seen, out = [False] * n, []
    for start in range(n):
        if seen[start]:
            continue
        seen[start], stack, group = True, [start], []
        while stack:
            node = stack.pop()
            group.append(node)
            for other in neighbours[node]:
                if not seen[other]:
                    seen[other] = True
                    stack.append(other)
        if len(group) > 1:
            out.append(sorted(group))
    return sorted(out)


def main():
    data = json.load(sys.stdin)
    k = data["num_perm"]
    lsh = MinHashLSH(num_perm=k, params=(data["bands"], data["rows"]))
    hashes = []
    for i, shingles in enumerate(data["sets"]):
        m = MinHash(num_perm=k)
        m.update_batch([str(x).encode() for x in shingles])
        lsh.insert(i, m)
        hashes.append(m)
    pairs = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    pairs = sorted(pairs)
    print(json.dumps({"pairs": pairs, "components": components(len(hashes), pairs)}))


if __name__ == "__main__":
    main()
