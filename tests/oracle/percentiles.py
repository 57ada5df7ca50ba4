"""Summaries of integer samples by numpy: the oracle for the engine's SourceStats.

Reads JSON from stdin: a list of samples, each a list of non-negative integers.
Prints JSON: one object per sample with "p50", "p90", "p99" from
numpy.percentile(sample, [50, 90, 99], method="linear") (linear interpolation,
numpy's default), and "mean", "min", "max", "total"; all 0 for an empty sample.
"""
import json
import sys

import numpy as np


def summary(sample):
    if not sample:
        return {"p50": 0.0, "p90": 0.0, "p99": 0.0, "mean": 0.0, "min": 0, "max": 0, "total": 0}
    x = np.array(sample, dtype=np.int64)
    p50, p90, p99 = np.percentile(x, [50, 90, 99], method="linear")
    return {
        "p50": float(p50), "p90": float(p90), "p99": float(p99),
        "mean": float(x.mean()), "min": int(x.min()), "max": int(x.max()), "total": int(x.sum()),
    }


def main():
    print(json.dumps([summary(s) for s in json.load(sys.stdin)]))


if __name__ == "__main__":
    main()
