#!/usr/bin/env python3
"""Helper for scripts/assets/distill.sh: distil the static embedding model and compare it.

Subcommands
  build MODEL_DIR OUT_DIR REFERENCE_JSONL
      distil MODEL_DIR (the teacher, unzipped) with model2vec's recipe for
      assets/embeddings/minilm-l6-m2v-128-int8: distill(pca_dims=128, sif_coefficient=1e-4,
      quantize_to="float32") on CPU, save to OUT_DIR/float32, reload that with
      StaticModel.from_pretrained(quantize_to="int8") and save to OUT_DIR/int8; then encode the
      texts of REFERENCE_JSONL with the int8 model into OUT_DIR/int8/reference_vectors.jsonl.
      MODEL_DIR is passed to distill() as given, relative to the working directory: model2vec
      writes it into config.json as tokenizer_name. distill.sh lays the teacher out at
      sentence-transformers/all-MiniLM-L6-v2 so that this is the model id, as in the committed
      config.json. That file also has a "base_model" key, which model2vec 0.10.0 does not write:
      build adds it (= MODEL_DIR) to the int8 model's config before saving. Nothing else is edited.
  compare BUILT_DIR REF_DIR
      compare a rebuilt model directory with the committed one and print a summary; exit 0 when
      the rebuild matches (see PASS below), 1 when it does not.

Needs the venv of distill.sh (model2vec 0.10.0 with torch, transformers, skeletoken).
"""
import json
import os
import sys
import time

import numpy as np

# What `compare` accepts as "the same model" when the int8 values are not all identical:
# a rebuilt row of the embedding matrix must have cosine >= ROW_COS_MIN with the committed row,
# and each of the 40 reference texts must encode to cosine >= REF_COS_MIN with its stored vector.
ROW_COS_MIN = 0.999
REF_COS_MIN = 0.9999
# Files written by model2vec that are compared (README.md is ours, not model2vec's model card).
JSON_FILES = ("tokenizer.json", "config.json", "modules.json")
REFERENCE = "reference_vectors.jsonl"


def log(msg):
    print(msg, flush=True)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def reference_line(text, vector):
    # The layout of the committed file: json.dumps defaults, values rounded to 6 decimals.
    return json.dumps({"text": text, "embedding": [round(float(v), 6) for v in vector]})


def build(model_dir, out_dir, reference_jsonl):
    import torch
    from model2vec import StaticModel
    from model2vec.distill import distill

    log(f"[build] torch {torch.__version__}, {torch.get_num_threads()} threads, CUDA available: "
        f"{torch.cuda.is_available()} (not used: device='cpu')")
    t0 = time.monotonic()
    model = distill(model_name=model_dir, device="cpu", pca_dims=128, sif_coefficient=1e-4,
                    quantize_to="float32")
    f32_dir = os.path.join(out_dir, "float32")
    model.save_pretrained(f32_dir)
    log(f"[build] distilled {model.embedding.shape[0]} x {model.dim} {model.embedding.dtype} "
        f"in {time.monotonic() - t0:.1f} s -> {f32_dir}")

    int8 = StaticModel.from_pretrained(f32_dir, quantize_to="int8")
    int8.config["base_model"] = model_dir
    int8_dir = os.path.join(out_dir, "int8")
    int8.save_pretrained(int8_dir)
    log(f"[build] int8 model -> {int8_dir} (config.json: base_model = {model_dir!r} added)")

    rows = read_jsonl(reference_jsonl)
    texts = [r["text"] for r in rows]
    vectors = int8.encode(texts)
    with open(os.path.join(int8_dir, REFERENCE), "w", encoding="utf-8") as f:
        for text, vector in zip(texts, vectors):
            f.write(reference_line(text, vector) + "\n")
    log(f"[build] {len(texts)} reference texts encoded -> {int8_dir}/{REFERENCE}")
    log(f"[build] done in {time.monotonic() - t0:.1f} s")


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def json_diff(a, b, where=""):
    """Paths at which two JSON values differ (at most a few per level)."""
    if type(a) is not type(b):
        return [f"{where or '/'}: {type(b).__name__} -> {type(a).__name__}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                out.append(f"{where}/{k}: only in the committed file ({json.dumps(b[k])[:80]})")
            elif k not in b:
                out.append(f"{where}/{k}: only in the rebuilt file ({json.dumps(a[k])[:80]})")
            else:
                out += json_diff(a[k], b[k], f"{where}/{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(b)} items -> {len(a)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += json_diff(x, y, f"{where}/{i}")
            if len(out) > 5:
                return out[:5] + [f"{where}: ..."]
        return out
    if a != b:
        return [f"{where}: {json.dumps(b)[:80]} -> {json.dumps(a)[:80]}"]
    return []


def compare_json(name, built, ref):
    a, b = file_bytes(built), file_bytes(ref)
    if a == b:
        log(f"  {name:24} byte-identical ({len(a):,} B)")
        return "byte-identical", True
    ja, jb = json.loads(a), json.loads(b)
    if ja == jb:
        log(f"  {name:24} JSON-equal, bytes differ ({len(a):,} B rebuilt, {len(b):,} B committed)")
        return "JSON-equal", True
    diffs = json_diff(ja, jb)
    log(f"  {name:24} DIFFERS ({len(diffs)} place(s), committed -> rebuilt):")
    for d in diffs[:12]:
        log(f"      {d}")
    return "differs", False


def safetensors_header(path):
    raw = file_bytes(path)
    n = int.from_bytes(raw[:8], "little")
    return json.loads(raw[8:8 + n])


def compare_tensors(built, ref):
    from safetensors.numpy import load_file

    ha, hb = safetensors_header(built), safetensors_header(ref)
    layout = lambda h: {k: (v["dtype"], v["shape"]) for k, v in h.items() if k != "__metadata__"}  # noqa: E731
    la, lb = layout(ha), layout(hb)
    if file_bytes(built) == file_bytes(ref):
        desc = ", ".join(f"{k} {d} {s}" for k, (d, s) in sorted(lb.items()))
        log(f"  {'model.safetensors':24} byte-identical ({desc})")
        return {"verdict": "byte-identical", "ok": True}
    if la != lb:
        log(f"  {'model.safetensors':24} DIFFERENT LAYOUT: committed {lb}, rebuilt {la}")
        return {"verdict": "different layout", "ok": False}
    if ha.get("__metadata__") != hb.get("__metadata__"):
        log(f"  {'model.safetensors':24} metadata differs: committed {hb.get('__metadata__')}, "
            f"rebuilt {ha.get('__metadata__')}")
    ta, tb = load_file(built), load_file(ref)
    result = {"verdict": "same layout", "ok": True}
    for name in sorted(lb):
        a, b = ta[name], tb[name]
        if np.array_equal(a, b):
            log(f"  {'model.safetensors':24} {name} {a.dtype} {list(a.shape)}: values identical "
                f"(file bytes differ)")
            result["verdict"] = "values identical"
            continue
        diff = np.abs(a.astype(np.int64) - b.astype(np.int64)) if a.dtype.kind in "iu" \
            else np.abs(a.astype(np.float64) - b.astype(np.float64))
        af, bf = a.astype(np.float64), b.astype(np.float64)
        if a.ndim == 2:
            na, nb = np.linalg.norm(af, axis=1), np.linalg.norm(bf, axis=1)
            cos = (af * bf).sum(axis=1) / np.maximum(na * nb, 1e-300)
            cos[(na == 0) & (nb == 0)] = 1.0
        else:
            cos = np.array([float((af * bf).sum() / max(np.linalg.norm(af) * np.linalg.norm(bf), 1e-300))])
        unit = "int8 steps" if a.dtype == np.int8 else "(abs)"
        differing = int((diff != 0).sum())
        rows_differing = int((diff != 0).any(axis=-1).sum()) if a.ndim == 2 else int(differing > 0)
        log(f"  {'model.safetensors':24} {name} {a.dtype} {list(a.shape)}: values differ")
        log(f"      max |difference| {diff.max()} {unit}; {differing:,} of {a.size:,} values differ "
            f"({100.0 * differing / a.size:.3f}%), in {rows_differing:,} of {a.shape[0]:,} rows")
        if a.dtype.kind in "iu":
            counts = np.bincount(diff.ravel())
            log("      |difference| histogram: " + ", ".join(f"{k}: {c:,}" for k, c in enumerate(counts) if c))
        log(f"      cosine per row, committed vs rebuilt: min {cos.min():.6f}, mean {cos.mean():.6f}; "
            f"rows below {ROW_COS_MIN}: {int((cos < ROW_COS_MIN).sum())}")
        result.update(max_diff=int(diff.max()) if a.dtype.kind in "iu" else float(diff.max()),
                      differing=differing, row_cos_min=float(cos.min()), row_cos_mean=float(cos.mean()))
        result["verdict"] = "values differ"
        if cos.min() < ROW_COS_MIN:
            result["ok"] = False
    return result


def cosines(a, b):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def compare_reference(built_dir, ref_dir):
    from model2vec import StaticModel

    ref_rows = read_jsonl(os.path.join(ref_dir, REFERENCE))
    texts = [r["text"] for r in ref_rows]
    stored = np.array([r["embedding"] for r in ref_rows])
    rebuilt = StaticModel.from_pretrained(built_dir).encode(texts)
    committed = StaticModel.from_pretrained(ref_dir).encode(texts)
    c_rebuilt = cosines(rebuilt, stored)
    c_committed = cosines(committed, stored)
    log(f"  {REFERENCE:24} {len(texts)} texts, model2vec StaticModel.encode:")
    log(f"      committed model vs stored vectors: min cosine {c_committed.min():.9f} (sanity check of the file)")
    log(f"      rebuilt model vs stored vectors:   min cosine {c_rebuilt.min():.9f}, mean {c_rebuilt.mean():.9f}")
    same_file = file_bytes(os.path.join(built_dir, REFERENCE)) == file_bytes(os.path.join(ref_dir, REFERENCE))
    log(f"      rewritten {REFERENCE}: {'byte-identical' if same_file else 'differs'} to the committed file")
    ok = c_rebuilt.min() >= REF_COS_MIN
    return {"min": float(c_rebuilt.min()), "byte_identical": same_file, "ok": ok}


def compare(built_dir, ref_dir):
    log(f"== comparing {built_dir}\n   with      {ref_dir}")
    results = {}
    all_ok = True
    for name in JSON_FILES:
        verdict, ok = compare_json(name, os.path.join(built_dir, name), os.path.join(ref_dir, name))
        results[name] = verdict
        all_ok &= ok
    tensors = compare_tensors(os.path.join(built_dir, "model.safetensors"), os.path.join(ref_dir, "model.safetensors"))
    all_ok &= tensors["ok"]
    ref = compare_reference(built_dir, ref_dir)
    all_ok &= ref["ok"]

    log("== summary")
    for name in JSON_FILES:
        log(f"  {name:24} {results[name]}")
    line = tensors["verdict"]
    if "max_diff" in tensors:
        line += (f": max |difference| {tensors['max_diff']} int8 step(s), {tensors['differing']:,} values differ; "
                 f"row cosine min {tensors['row_cos_min']:.6f}, mean {tensors['row_cos_mean']:.6f}")
    log(f"  {'model.safetensors':24} {line}")
    log(f"  {REFERENCE:24} min cosine {ref['min']:.9f} (rebuilt model vs stored vectors); file "
        f"{'byte-identical' if ref['byte_identical'] else 'differs'}")
    log(f"  thresholds: row cosine >= {ROW_COS_MIN}, reference cosine >= {REF_COS_MIN}; "
        f"tokenizer.json, config.json and modules.json JSON-equal")
    log("PASS: the rebuild matches the committed model" if all_ok else "FAIL: the rebuild does not match")
    return 0 if all_ok else 1


def main(argv):
    if len(argv) == 4 and argv[0] == "build":
        build(*argv[1:])
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(*argv[1:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
