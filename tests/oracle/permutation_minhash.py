"""MinHash signatures of the K-permutation family, written from its definition.

Reads JSON {"seed": s, "num_perm": K, "sets": [[int, ...], ...]} on stdin (each
document's u64 shingle hashes). The coefficients are SplitMix64 outputs of the
seed shifted right by 3, redrawn until a_i is in [1, p) and b_i in [0, p),
drawn a_1, b_1, a_2, b_2, ...; a shingle x is reduced mod p = 2^61 - 1 and
h_i(x) = ((a_i x + b_i) mod p) mod 2^32. Python integers are exact, so this is
the arithmetic with no tricks. Prints JSON: each document's K minima
(2^32 - 1 for an empty document).
"""
import json
import sys

P = (1 << 61) - 1
M64 = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def coefficients(seed, k):
    state, out = seed, []

    def draw(low):
        nonlocal state
        while True:
            state, v = splitmix64(state)
            v >>= 3
            if low <= v < P:
                return v

    for _ in range(k):
        a = draw(1)
        b = draw(0)
        out.append((a, b))
    return out


def main():
    data = json.load(sys.stdin)
    coeffs = coefficients(data["seed"], data["num_perm"])
    signatures = []
    for shingles in data["sets"]:
        xs = [x % P for x in shingles]
        signatures.append(
            [min((((a * x + b) % P) & 0xFFFFFFFF for x in xs), default=0xFFFFFFFF) for a, b in coeffs]
        )
    print(json.dumps(signatures))


if __name__ == "__main__":
    main()
