"""datasketch's choice of LSH banding for a threshold: the oracle for optimal_params.

Reads a JSON list of [threshold, num_perm, fp_weight, fn_weight] on stdin;
prints a JSON list of [b, r].
"""
import json
import sys

from datasketch.lsh import _optimal_param

print(json.dumps([list(_optimal_param(t, k, fp, fn)) for t, k, fp, fn in json.load(sys.stdin)]))
