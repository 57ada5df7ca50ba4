#!/usr/bin/env python3
"""Build assets/corpus/demo.jsonl (+ demo.manifest.jsonl) from unpacked sources, and compare.

Used by scripts/assets/demo_corpus.sh, which downloads and unpacks the sources. Standard
library only.

  demo_corpus.py build --python-doc DIR --fortunes DIR --crates DIR --common-licenses DIR
                       --copyright DIR --out DIR [--order-like MANIFEST]
  demo_corpus.py diff REBUILT_DIR COMMITTED_DIR

build: DIR arguments are
  --python-doc       html/_sources of Debian python3.11-doc
  --fortunes         usr/share/games/fortunes of Debian fortunes + fortunes-min
  --crates           a `cargo vendor --versioned-dirs` directory holding the crates below
  --common-licenses  /usr/share/common-licenses (base-files)
  --copyright        one file per package, named after it: /usr/share/doc/PKG/copyright
Output lines are {"id","source","text"}, sorted by id (numeric suffixes in numeric order), or in
the order of an existing manifest with --order-like (ids it lacks come last, sorted).

Splitting rules (they reproduce the committed file):
  quotes  a fortune file split at lines "%"; each entry stripped of "\\n" and "%" at both ends,
          plus one "\\n"; kept if >= 60 chars after strip(); id = file#index-in-file
  docs    a reST file split before each section title (title underlined with = or -, at least
          4 chars; or an over- and underlined title, cut at the overline); a section under 600
          chars is appended to the piece before it; pieces over 24,000 chars are split at blank
          lines; kept if >= 200 chars; id = path#n (n counts kept pieces)
  code    every *.rs file of each crate; files over 24,000 chars split at blank lines; kept if
          >= 200 chars; id = crate-version/path, plus #n when split
  legal   whole files, never split
"""
import argparse
import collections
import json
import os
import re
import sys

MAX_CHARS = 24_000
MIN_DOC = 200
MIN_QUOTE = 60
MIN_SECTION = 600

PY_DOC_DIRS = ("tutorial", "faq")
PY_DOC_FILES = ("glossary.rst",)
FORTUNE_FILES = ("computers", "cookie", "debian", "fortunes", "goedel", "humorists", "linux",
                 "linuxcookie", "literature", "people", "platitudes", "science", "wisdom", "work")
FORTUNES_MIN_FILES = ("fortunes", "literature", "riddles")  # shipped by fortunes-min, not fortunes
CRATES = ("base64-0.22.1", "bitflags-2.13.2", "byteorder-1.5.0", "cfg-if-1.0.5", "crc32fast-1.5.5",
          "either-1.19.0", "heck-0.4.1", "heck-0.5.0", "hex-0.4.3", "itoa-0.4.8", "itoa-1.0.19",
          "lazy_static-1.5.1", "memchr-2.8.3", "once_cell-1.21.4", "ryu-1.0.23", "scopeguard-1.2.0",
          "semver-1.0.28", "smallvec-1.16.6", "strsim-0.11.1")  # keep in step with demo_corpus.sh
COMMON_LICENSES = ("Apache-2.0", "Artistic", "BSD", "CC0-1.0", "GFDL-1.2", "GFDL-1.3", "GPL-1",
                   "GPL-2", "GPL-3", "LGPL-2", "LGPL-2.1", "LGPL-3", "MPL-1.1", "MPL-2.0")

LIC_QUOTES = "fortune-mod data (BSD-3-Clause per Debian copyright; quotations of mixed provenance)"
LIC_DOCS = "PSF-2.0 (Python documentation)"
LIC_TEXT = "license text (verbatim copying permitted; see text)"
LIC_COPYRIGHT = "Debian copyright notice of package {} (notices + verbatim license texts)"

HERE = os.path.dirname(os.path.abspath(__file__))


def read_list(name):
    with open(os.path.join(HERE, "demo_corpus", name), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def read_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def split_long(text, limit=MAX_CHARS):
    """Pieces of at most `limit` chars, cut after blank lines. A single paragraph longer than
    `limit` is cut once at `limit` chars and its remainder kept whole (as the committed file has
    it: crc32fast's table.rs)."""
    if len(text) <= limit:
        return [text]
    out, cur = [], ""
    for para in re.split(r"(?<=\n\n)", text):
        if cur and len(cur) + len(para) > limit:
            out.append(cur)
            cur = para
        else:
            cur += para
        if len(cur) > limit:
            out.append(cur[:limit])
            cur = cur[limit:]
    if cur:
        out.append(cur)
    return out


def doc(id_, source, text, origin, license_):
    return {"id": id_, "source": source, "text": text, "origin": origin, "license": license_}


# --- quotes -------------------------------------------------------------------------------
def build_quotes(fortune_dir):
    docs = []
    for name in FORTUNE_FILES:
        pkg = "fortunes-min" if name in FORTUNES_MIN_FILES else "fortunes"
        raw = read_text(os.path.join(fortune_dir, name))
        for n, entry in enumerate(raw.split("\n%\n")):
            text = entry.strip("\n%") + "\n"
            if len(text.strip()) >= MIN_QUOTE:
                docs.append(doc(f"quotes/fortunes/{name}#{n}", "quotes", text,
                                f"debian:{pkg}:{name}", LIC_QUOTES))
    return docs


# --- docs ---------------------------------------------------------------------------------
UNDERLINE = re.compile(r"([=\-])\1{3,}\s*")
OVERLINE = re.compile(r"([=*\-])\1{2,}\s*")


def rst_sections(raw):
    lines = raw.split("\n")
    cuts = [0]
    for i in range(1, len(lines) - 1):
        if (OVERLINE.fullmatch(lines[i]) and i + 2 < len(lines) and lines[i + 1].strip()
                and lines[i + 2].rstrip() == lines[i].rstrip()):
            cuts.append(i)  # over- and underlined title: cut at the overline
        elif (UNDERLINE.fullmatch(lines[i + 1]) and lines[i].strip()
              and not UNDERLINE.fullmatch(lines[i - 1])
              and len(lines[i + 1].rstrip()) >= len(lines[i].rstrip())):
            cuts.append(i)
    cuts.append(len(lines))
    return ["\n".join(lines[a:b]) + "\n" for a, b in zip(cuts, cuts[1:]) if b > a]


def rst_pieces(raw):
    merged = []
    for sec in rst_sections(raw):
        if merged and len(sec.strip()) < MIN_SECTION:
            merged[-1] += sec
        else:
            merged.append(sec)
    out = []
    for piece in merged:
        for part in split_long(piece):
            part = part.lstrip("\n").rstrip()
            if len(part) >= MIN_DOC:
                out.append(part + "\n")
    return out


def build_docs(src):
    files = [f"{d}/{f}" for d in PY_DOC_DIRS for f in os.listdir(os.path.join(src, d))
             if f.endswith(".rst.txt")]
    files += [f + ".txt" for f in PY_DOC_FILES]
    files += [f + ".txt" for f in read_list("python_library_docs.txt")]
    docs = []
    for rel in sorted(files):
        rst = rel[:-len(".txt")]
        stem = rst[:-len(".rst")]
        for n, text in enumerate(rst_pieces(read_text(os.path.join(src, rel)))):
            docs.append(doc(f"docs/python-3.11/{stem}#{n}", "docs", text,
                            f"debian:python3.11-doc:{rst}", LIC_DOCS))
    return docs


# --- code ---------------------------------------------------------------------------------
def crate_license(crate_dir):
    with open(os.path.join(crate_dir, "Cargo.toml"), encoding="utf-8") as f:
        m = re.search(r'^license\s*=\s*"([^"]+)"', f.read(), re.M)
    return m.group(1) if m else "see crate"


def build_code(vendor):
    docs = []
    for crate in sorted(CRATES):
        root = os.path.join(vendor, crate)
        if not os.path.isdir(root):
            sys.exit(f"missing crate {crate} in {vendor}")
        lic = crate_license(root)
        files = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            files += [os.path.relpath(os.path.join(dirpath, f), root)
                      for f in filenames if f.endswith(".rs")]
        for rel in sorted(files):
            parts = [p for p in split_long(read_text(os.path.join(root, rel)))
                     if len(p.strip()) >= MIN_DOC]
            origin = f"crates.io:{crate}:{rel}"
            if len(parts) == 1:
                docs.append(doc(f"code/{crate}/{rel}", "code", parts[0], origin, lic))
            else:
                docs += [doc(f"code/{crate}/{rel}#{n}", "code", p, origin, lic)
                         for n, p in enumerate(parts)]
    return docs


# --- legal --------------------------------------------------------------------------------
def build_legal(common, copyright_dir):
    docs = []
    for name in COMMON_LICENSES:
        docs.append(doc(f"legal/common-licenses/{name}", "legal",
                        read_text(os.path.join(common, name)),
                        f"debian:base-files:/usr/share/common-licenses/{name}", LIC_TEXT))
    for pkg in read_list("debian_copyright_packages.txt"):
        path = os.path.join(copyright_dir, pkg)
        if not os.path.exists(path):
            sys.exit(f"missing copyright file for {pkg} in {copyright_dir}")
        docs.append(doc(f"legal/debian-copyright/{pkg}", "legal", read_text(path),
                        f"debian:{pkg}:/usr/share/doc/{pkg}/copyright", LIC_COPYRIGHT.format(pkg)))
    return docs


# --- output -------------------------------------------------------------------------------
def id_key(id_):
    base, _, n = id_.partition("#")
    return (base, int(n) if n else -1)


def write(docs, out_dir, order_like):
    ids = [d["id"] for d in docs]
    dup = [i for i, c in collections.Counter(ids).items() if c > 1]
    if dup:
        sys.exit(f"duplicate ids: {dup[:5]}")
    docs.sort(key=lambda d: id_key(d["id"]))
    if order_like:
        with open(order_like, encoding="utf-8") as f:
            rank = {json.loads(line)["id"]: n for n, line in enumerate(f)}
        docs.sort(key=lambda d: (0, rank[d["id"]]) if d["id"] in rank else (1, 0))
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "demo.jsonl"), "w", encoding="utf-8") as fd, \
            open(os.path.join(out_dir, "demo.manifest.jsonl"), "w", encoding="utf-8") as fm:
        for d in docs:
            if not d["text"].strip() or "\0" in d["text"]:
                sys.exit(f"{d['id']}: empty text or NUL byte")
            fd.write(json.dumps({"id": d["id"], "source": d["source"], "text": d["text"]},
                                ensure_ascii=False) + "\n")
            fm.write(json.dumps({"id": d["id"], "source": d["source"], "origin": d["origin"],
                                 "license": d["license"], "bytes": len(d["text"].encode("utf-8"))},
                                ensure_ascii=False) + "\n")
    counts = collections.Counter(d["source"] for d in docs)
    size = collections.Counter()
    for d in docs:
        size[d["source"]] += len(d["text"].encode("utf-8"))
    print(f"{'source':8} {'docs':>6} {'text bytes':>11}")
    for s in sorted(counts):
        print(f"{s:8} {counts[s]:>6} {size[s]:>11,}")
    print(f"{'total':8} {len(docs):>6} {sum(size.values()):>11,}")


def cmd_build(a):
    docs = (build_code(a.crates) + build_docs(a.python_doc) + build_legal(a.common_licenses, a.copyright)
            + build_quotes(a.fortunes))
    write(docs, a.out, a.order_like)


# --- diff ---------------------------------------------------------------------------------
def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def cmd_diff(a):
    new, old = load(os.path.join(a.rebuilt, "demo.jsonl")), load(os.path.join(a.committed, "demo.jsonl"))
    for d in new:
        if set(d) != {"id", "source", "text"}:
            sys.exit(f"bad keys in rebuilt line {d.get('id')}: {sorted(d)}")
    nm = {d["id"]: d for d in load(os.path.join(a.rebuilt, "demo.manifest.jsonl"))}
    om = {d["id"]: d for d in load(os.path.join(a.committed, "demo.manifest.jsonl"))}
    N, O = {d["id"]: d for d in new}, {d["id"]: d for d in old}
    rows = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(list)
    for i in sorted(set(N) | set(O), key=id_key):
        src = (N.get(i) or O.get(i))["source"]
        if i not in N:
            kind = "only_committed"
        elif i not in O:
            kind = "only_rebuilt"
        elif N[i]["text"] == O[i]["text"] and N[i]["source"] == O[i]["source"]:
            kind = "same"
        else:
            kind = "text_differs"
        rows[src][kind] += 1
        if kind != "same" and len(examples[kind]) < 8:
            examples[kind].append(i)
    kinds = ("same", "text_differs", "only_committed", "only_rebuilt")
    print(f"{'source':8} {'committed':>9} {'rebuilt':>7} " + " ".join(f"{k:>14}" for k in kinds))
    for s in sorted(rows):
        r = rows[s]
        print(f"{s:8} {r['same'] + r['text_differs'] + r['only_committed']:>9} "
              f"{r['same'] + r['text_differs'] + r['only_rebuilt']:>7} "
              + " ".join(f"{r[k]:>14}" for k in kinds))
    for k, ids in examples.items():
        print(f"  {k}: {', '.join(ids)}{' ...' if sum(r[k] for r in rows.values()) > len(ids) else ''}")
    man = collections.Counter()
    for i in set(nm) & set(om):
        for field in ("origin", "license", "bytes"):
            if nm[i][field] != om[i][field]:
                man[field] += 1
    print("manifest fields differing on shared ids: "
          + (", ".join(f"{k} {v}" for k, v in sorted(man.items())) or "none"))
    with open(os.path.join(a.rebuilt, "demo.jsonl"), "rb") as f:
        nb = f.read()
    with open(os.path.join(a.committed, "demo.jsonl"), "rb") as f:
        ob = f.read()
    same_set = set(N) == set(O) and all(v == sum(r.values()) for v, r in
                                        ((rows[s]["same"], rows[s]) for s in rows))
    print("demo.jsonl bytes: " + ("IDENTICAL" if nb == ob else
          ("same documents, different line order" if same_set else "differ")))
    with open(os.path.join(a.rebuilt, "demo.manifest.jsonl"), "rb") as f1, \
            open(os.path.join(a.committed, "demo.manifest.jsonl"), "rb") as f2:
        print("demo.manifest.jsonl bytes: " + ("IDENTICAL" if f1.read() == f2.read() else "differ"))
    if a.strict and not same_set:
        sys.exit("FAIL (--strict): the rebuilt corpus differs from the committed one")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    for opt in ("--python-doc", "--fortunes", "--crates", "--common-licenses", "--copyright", "--out"):
        b.add_argument(opt, required=True)
    b.add_argument("--order-like")
    d = sub.add_parser("diff")
    d.add_argument("rebuilt")
    d.add_argument("committed")
    d.add_argument("--strict", action="store_true")
    a = p.parse_args()
    cmd_build(a) if a.cmd == "build" else cmd_diff(a)


if __name__ == "__main__":
    main()
