"""Writes the generated section of BENCHMARKS.md from the JSON files of one
`scripts/bench.sh` run (target/bench/). Standard library only.

    python scripts/bench/report.py target/bench BENCHMARKS.md
"""

import json
import sys
from pathlib import Path

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def load(folder, name):
    return json.loads((folder / name).read_text())


def n(x):
    return f"{x:,}"


def ms(x):
    return f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def overlap(a, b):
    """|A ∩ B| / |A ∪ B| of two collections (as sets), and |A ∩ B|."""
    a, b = {tuple(x) if isinstance(x, list) else x for x in a}, {tuple(x) if isinstance(x, list) else x for x in b}
    both = len(a & b)
    return both / max(len(a | b), 1), both


def quality(nmh, py_mh):
    """What each finds, against datasketch's (SHA-1) clusters: candidate pairs
    and the documents in clusters (rensa lists no pairs for a matrix, only the
    documents with a candidate). Signatures are the same on both targets, so
    the native run's lists stand for the wasm run's."""
    ds = py_mh["datasketch"]
    rows = [
        ("ours, one-permutation (default)", nmh["candidate_pairs"], nmh["clustered"]),
        ("ours, permutations", nmh["permutations"]["candidate_pairs"], nmh["permutations"]["clustered"]),
        ("datasketch, pre-hashed (another permutation family)", py_mh["datasketch_prehashed"]["candidate_pairs"], py_mh["datasketch_prehashed"]["clustered"]),
        ("rensa (documents with a candidate)", None, py_mh["rensa"]["flagged"]),
    ]
    out = [
        "Agreement with datasketch's (SHA-1) candidate pairs and clustered documents on the same "
        f"shingle sets ({len(ds['candidate_pairs']):,} pairs, {len(ds['clustered']):,} documents): "
        "|A ∩ B| / |A ∪ B|. Two independent hash families disagree near the threshold by chance; "
        "the pre-hashed datasketch row (the same permutations, another input hash) shows how much.",
        "",
        "| implementation | candidate pairs | agreement | clustered documents | agreement |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, pairs, docs in rows:
        doc_agree, _ = overlap(docs, ds["clustered"])
        if pairs is None:
            pair_cells = "— | —"
        else:
            pair_agree, _ = overlap(pairs, ds["candidate_pairs"])
            pair_cells = f"{len(pairs):,} | {pair_agree:.3f}"
        out.append(f"| {name} | {pair_cells} | {len(docs):,} | {doc_agree:.3f} |")
    return "\n".join(out)


def minhash_section(w, nmh, bmh, br_mh, py_mh):
    """The MinHash + LSH table, its verdicts and the agreement table."""
    # MinHash.
    w("### MinHash + LSH (issue 7.3)")
    w("")
    w(
        f"The demo corpus's shingle sets as the engine makes them (word 5-grams, "
        f"{n(bmh['shingles'])} distinct shingles over {n(bmh['documents'])} documents), written "
        f"by the native binary for the anchors; K = {bmh['num_perm']} signature values, "
        f"{bmh['bands']} bands × {bmh['rows']} rows. Ours by default: one-permutation hashing "
        "with optimal densification (one hash per shingle into K bins); the classic family of "
        "K permutations, which datasketch also uses, beside it. Timed: signatures of every set, then LSH "
        "(ours: band keys and the clusters joined from the buckets; datasketch: insert and query "
        "every document, union-find; rensa: its matrix insert that flags documents with a "
        "candidate). Ratio = the anchor's time ÷ ours (wasm, from the shingle sets)."
    )
    w("")
    ours = bmh["sets_best_ms"]
    bperm, nperm = bmh["permutations"], nmh["permutations"]
    w("| implementation | signatures + LSH | of which LSH | clusters / docs in them | wasm's speed-up |")
    w("|---|---:|---:|---|---:|")
    w(f"| **ours, wasm**, one-permutation hashing (default; simd128 {'on' if br_mh['simd128'] else 'off'}) | **{ms(ours)}** | {ms(bmh['lsh_best_ms'])} | {bmh['clusters']} / {bmh['clustered_documents']} | 1 |")
    w(f"| ours, wasm, from the texts (shingling included) | {ms(bmh['from_text_best_ms'])} | | | |")
    w(f"| ours, wasm, {bmh['num_perm']} permutations (the classic family) | {ms(bperm['sets_best_ms'])} | {ms(bperm['lsh_best_ms'])} | {bperm['clusters']} / {bperm['clustered_documents']} | {bperm['sets_best_ms'] / ours:.2f} |")
    w(f"| ours, native, one-permutation | {ms(nmh['sets_best_ms'])} | {ms(nmh['lsh_best_ms'])} | {nmh['clusters']} / {nmh['clustered_documents']} | {nmh['sets_best_ms'] / ours:.2f} |")
    w(f"| ours, native, one-permutation, from the texts | {ms(nmh['from_text_best_ms'])} | | | |")
    w(f"| ours, native, permutations | {ms(nperm['sets_best_ms'])} | {ms(nperm['lsh_best_ms'])} | {nperm['clusters']} / {nperm['clustered_documents']} | {nperm['sets_best_ms'] / ours:.2f} |")
    ds, dsp, rs = py_mh["datasketch"], py_mh["datasketch_prehashed"], py_mh["rensa"]
    pk = py_mh["packages"]
    w(f"| *anchor:* datasketch {pk['datasketch']} (8-byte shingles, SHA-1) | {ms(ds['best_ms'])} | | {ds['clusters']} / {ds['clustered_documents']} | **{ds['best_ms'] / ours:.2f}** |")
    w(f"| datasketch, pre-hashed (identity `hashfunc`) | {ms(dsp['best_ms'])} | | {dsp['clusters']} / {dsp['clustered_documents']} | {dsp['best_ms'] / ours:.2f} |")
    w(f"| *anchor:* rensa {pk['rensa']} (u64 hashes, digest matrix) | {ms(rs['best_ms'])} | {ms(min(rs['lsh_ms']))} | — / {rs['documents_with_candidates']} flagged | **{rs['best_ms'] / ours:.3f}** |")
    w("")
    w(
        f"- vs datasketch: **{ds['best_ms'] / ours:.1f}×** — target ≥ 100× {verdict(ds['best_ms'] / ours >= 100)} "
        f"(pre-hashed datasketch: {dsp['best_ms'] / ours:.1f}×)."
    )
    w(f"- vs rensa: **{rs['best_ms'] / ours:.3f}×** — target ≥ 0.5× {verdict(rs['best_ms'] / ours >= 0.5)}.")
    w(f"- `simd128` in the release build's worker: {'yes' if br_mh['simd128'] else 'no'} (`cfg!(target_feature = \"simd128\")` inside it).")
    w("")
    w(quality(nmh, py_mh))
    w("")


def section(folder):
    machine = load(folder, "machine.json")
    native = load(folder, "native.json")
    py_tok = load(folder, "py-tokenize.json")
    br_tok = load(folder, "browser-tokenize.json")
    py_mh = load(folder, "py-minhash.json")
    br_mh = load(folder, "browser-minhash.json")
    start = load(folder, "browser-startup.json")
    ntok, btok = native["tokenize"], br_tok["figures"]
    nmh, bmh = native["minhash"], br_mh["figures"]
    chromium = (machine.get("chromium") or "Chromium").split(" built on")[0]
    kib = machine["memory"].split()[0]
    memory = f"{int(kib) / 2**20:.0f} GiB" if kib.isdigit() else machine["memory"]
    out = []
    w = out.append
    w(START)
    w("## Generated by `make bench`")
    w("")
    w(
        f"Run of {machine['date']} at commit `{machine['commit']}` on {machine['nproc']} cores "
        f"({machine['cpu']}), {memory} of memory, {machine['rustc']}, {chromium} "
        f"headless, Node {machine['node']}; load average before "
        f"{machine['load_before'][0]:.2f}, after {machine['load_after'][0]:.2f} (the machine is "
        "shared: each figure is the best of "
        f"{ntok['repeats']} passes, and ours and the anchors run stage by stage in one go). "
        "Everything is on one thread: the browser figures are timed with `performance.now()` "
        "inside one web worker, the native ones with `Instant` by the same code "
        "(`corpuscope_core::benchmark`), and the Python anchors with `time.perf_counter()` "
        "under `RAYON_NUM_THREADS=1` (their CPU time is recorded beside wall time in the JSON). "
        "Raw figures: `target/bench/*.json`."
    )
    w("")
    w("Commands (all run by `scripts/bench.sh`):")
    w("")
    w("```sh")
    w("trunk build --release")
    w(f"cargo run --release -p corpuscope-core --example bench_figures -- target/bench {ntok['repeats']}")
    w(f".cache/bench-venv/bin/python scripts/bench/tokenize_anchor.py target/bench/py-tokenize.json {ntok['repeats']}")
    w("node tests/bench/corpus.mjs tokenize target/bench     # ?bench=tokenize")
    w(f".cache/bench-venv/bin/python scripts/bench/minhash_anchor.py target/bench/shingles.bin target/bench/py-minhash.json {ntok['repeats']}")
    w("node tests/bench/corpus.mjs minhash target/bench      # ?bench=minhash")
    w("node tests/bench/startup.mjs 5 target/bench")
    w("```")
    w("")

    # Tokenization.
    w("### Token counting (issue 7.2)")
    w("")
    w(
        f"The demo corpus: {n(btok['documents'])} documents, {btok['bytes'] / 1e6:.2f} MB of text. "
        "Ours: `TokenCounter::count` (the engine's counting path, with its exact word cache, "
        "empty at the start of every pass), `TokenCounter::ids` (the same cache giving ids, "
        "which the `Analyzer` of the app's workers and the CLI uses), a full encode "
        "(`TokenCounter::encode_ids`: `encode_fast`, no cache) and the split into words alone "
        "(added tokens, normaliser, pre-tokenizer: what no cache skips); `tokenizers` 0.23.2 "
        "with `fancy-regex`. Anchor: Python "
        f"`{py_tok['package']}` `Tokenizer.encode(text, add_special_tokens=False)` in a loop — "
        "**the ratio's anchor** — and `encode_batch` on one thread, same `tokenizer.json`. "
        "Ratio = our MB/s ÷ the anchor's (`encode` loop)."
    )
    w("")
    w("| tokenizer | what | MB/s | docs/s | tokens | ratio |")
    w("|---|---|---:|---:|---:|---:|")
    ratios = []
    for name in [r["tokenizer"] for r in btok["tokenizers"]]:
        b = next(r for r in btok["tokenizers"] if r["tokenizer"] == name)
        nat = next(r for r in ntok["tokenizers"] if r["tokenizer"] == name)
        py = next(r for r in py_tok["tokenizers"] if r["tokenizer"] == name)
        anchor = py["encode"]["mb_per_s"]
        rows = [
            ("**wasm, count (word cache)**", b["count"], b["tokens_count"], True),
            ("wasm, ids (word cache; the `Analyzer`'s path)", b["ids"], b["tokens_ids"], False),
            ("wasm, full encode", b["encode"], b["tokens_encode"], False),
            (f"wasm, split into {n(b['words'])} words only (no model)", b["split"], None, False),
            ("native, count (word cache)", nat["count"], nat["tokens_count"], False),
            ("native, ids (word cache)", nat["ids"], nat["tokens_ids"], False),
            ("native, full encode", nat["encode"], nat["tokens_encode"], False),
            ("*anchor:* Python `encode` loop", py["encode"], py["tokens_encode"], False),
            ("Python `encode_batch`, 1 thread", py["encode_batch"], py["tokens_encode_batch"], False),
        ]
        for label, r, tokens, main in rows:
            ratio = r["mb_per_s"] / anchor
            if main:
                ratios.append((name, ratio, tokens == py["tokens_encode"]))
            cell = f"**{ratio:.2f}**" if main else f"{ratio:.2f}"
            shown = n(tokens) if tokens is not None else "—"
            w(f"| {name} | {label} | {r['mb_per_s']:.2f} | {n(round(r['docs_per_s']))} | {shown} | {cell} |")
    w("")
    for name, ratio, same in ratios:
        w(
            f"- {name}: wasm count / Python = **{ratio:.2f}** — target ≥ 1.0 {verdict(ratio >= 1.0)}, "
            f"stretch ≥ 2.0 {verdict(ratio >= 2.0)}; token total "
            + ("equal to Python's." if same else "**differs from Python's**.")
        )
    w("")

    minhash_section(w, nmh, bmh, br_mh, py_mh)

    # Start-up.
    w("### Start-up (issue 7.6)")
    w("")
    w(
        f"`dist/` of `trunk build --release`, served from 127.0.0.1 by the e2e harness; "
        f"{start['runs']} loads, each in a fresh Chromium profile (cold cache). Gzip: level 9, "
        "as a static host would send the files."
    )
    w("")
    w("| file | loaded | raw | gzip |")
    w("|---|---|---:|---:|")
    initial = 0
    for f in sorted(start["wasm"], key=lambda f: not f["initial"]):
        if f["initial"]:
            initial += f["gzip_bytes"]
        w(
            f"| `{f['file']}` | {'at start' if f['initial'] else 'when the first worker starts'} | "
            f"{f['bytes'] / 1e6:.2f} MB | {f['gzip_bytes'] / 1e6:.2f} MB |"
        )
    w("")
    fetched = start["assets_fetched_at_start"]
    w(
        f"- Initial wasm gzipped: **{initial / 1e6:.2f} MB** — target ≤ 3 MB {verdict(initial <= 3e6)}."
    )
    w(
        f"- First paint: median **{start['median_first_paint_ms']:.0f} ms**, first contentful paint "
        f"median **{start['median_first_contentful_paint_ms']:.0f} ms** (worst "
        f"{start['max_first_contentful_paint_ms']:.0f} ms) — target < 1 s "
        f"{verdict(start['max_first_contentful_paint_ms'] < 1000)}."
    )
    w(
        "- Assets fetched by the first load: "
        + (", ".join(f"`{p}`" for p in fetched) if fetched else "none (no tokenizer, no model, no corpus)")
        + f"; every load fetched only {', '.join('`' + p + '`' for p in start['loads'][0]['fetched'])}."
    )
    w(END)
    return "\n".join(out) + "\n"


def main():
    folder, target = Path(sys.argv[1]), Path(sys.argv[2])
    text = target.read_text()
    generated = section(folder)
    if START in text and END in text:
        before = text[: text.index(START)]
        after = text[text.index(END) + len(END) :].lstrip("\n")
        text = before + generated + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + generated
    target.write_text(text)


if __name__ == "__main__":
    main()
