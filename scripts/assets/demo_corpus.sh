#!/usr/bin/env bash
# Rebuild assets/corpus/demo.jsonl + demo.manifest.jsonl from Debian and crates.io packages,
# then print documents per source and a diff summary against the committed files.
#
#   scripts/assets/demo_corpus.sh [OUT_DIR] [--order sorted|committed] [--write] [--strict] [--keep]
#
#   OUT_DIR    where demo.jsonl + demo.manifest.jsonl go (default: a new temp dir)
#   --order    line order: `sorted` by id (default) or `committed`, the order of the committed
#              manifest (a seeded shuffle); with `committed` the output can be byte-identical
#   --write    copy the result over assets/corpus/ (use with --order committed for a small diff)
#   --strict   exit 1 if any document differs from the committed corpus
#   --keep     keep the work dir (downloads, unpacked packages, vendored crates)
#
# Sources (details and licences: assets/README.md; splitting rules: demo_corpus.py):
#   docs    Debian python3.11-doc 3.11.2-6+deb12u9: html/_sources tutorial/, faq/, glossary and
#           the 110 library/ files listed in demo_corpus/python_library_docs.txt
#   quotes  Debian fortunes + fortunes-min 1:1.99.1-7.3: 14 fortune files
#   legal   /usr/share/common-licenses (base-files, 14 files) + /usr/share/doc/PKG/copyright of
#           the 260 packages in demo_corpus/debian_copyright_packages.txt; a package that is not
#           installed is fetched with `apt-get download` and unpacked, not installed
#   code    *.rs of 19 crates.io crates, fetched with `cargo vendor` from a throwaway project
# Needs: Debian with apt (package lists present, or root to run apt-get update), dpkg-deb,
# cargo, python3 (standard library only). Network: the Debian archive and crates.io.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
COMMITTED="$ROOT/assets/corpus"

OUT="" ORDER=sorted WRITE=0 STRICT=0 KEEP=0
while (($#)); do
  case "$1" in
    --order) ORDER="$2"; shift ;;
    --write) WRITE=1 ;;
    --strict) STRICT=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OUT="$1" ;;
  esac
  shift
done
[[ "$ORDER" == sorted || "$ORDER" == committed ]] || { echo "--order: sorted or committed" >&2; exit 2; }
for tool in apt-get apt-cache dpkg-deb cargo python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

PYDOC_PKG="python3.11-doc" PYDOC_VER="3.11.2-6+deb12u9"
FORTUNES_VER="1:1.99.1-7.3"

WORK="$(mktemp -d -t corpuscope-corpus.XXXXXX)"
if ((KEEP)); then echo "work dir kept: $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
[[ -n "$OUT" ]] || OUT="$(mktemp -d -t corpuscope-demo-corpus.XXXXXX)"
mkdir -p "$OUT" "$WORK/debs" "$WORK/root" "$WORK/copyright"
OUT="$(cd "$OUT" && pwd)"
[[ "$OUT" != "$COMMITTED" ]] || { echo "OUT_DIR is assets/corpus itself: use --write" >&2; exit 2; }

APT_OPTS=(-q)
[[ $EUID -eq 0 ]] && APT_OPTS+=(-o APT::Sandbox::User=root)  # root: download without the _apt user

have_candidate() { [[ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v '(none)')" ]]; }
if ! have_candidate "$PYDOC_PKG"; then
  if [[ $EUID -eq 0 ]]; then apt-get update -qq; else
    echo "apt has no package lists: run 'apt-get update' as root first" >&2; exit 1; fi
fi

# download PKG[=VERSION]...: into $WORK/debs; a pinned version the archive no longer has falls
# back to the current one, loudly.
download() {
  local spec
  for spec in "$@"; do
    if ! (cd "$WORK/debs" && apt-get download "${APT_OPTS[@]}" "$spec" >/dev/null 2>"$WORK/apt.err"); then
      if [[ "$spec" == *=* ]]; then
        echo "  WARNING: $spec is not in the archive any more; using the current ${spec%%=*}" >&2
        (cd "$WORK/debs" && apt-get download "${APT_OPTS[@]}" "${spec%%=*}" >/dev/null)
      else
        cat "$WORK/apt.err" >&2; exit 1
      fi
    fi
  done
}
deb_version() { dpkg-deb -f "$1" Version; }

T0=$SECONDS
echo "== Debian packages (python3.11-doc, fortunes, fortunes-min)"
download "$PYDOC_PKG=$PYDOC_VER" "fortunes=$FORTUNES_VER" "fortunes-min=$FORTUNES_VER"
for deb in "$WORK"/debs/*.deb; do
  echo "  $(dpkg-deb -f "$deb" Package) $(deb_version "$deb")"
  dpkg-deb -x "$deb" "$WORK/root"
done

echo "== Debian copyright files"
mapfile -t PKGS < <(grep -v '^#' "$HERE/demo_corpus/debian_copyright_packages.txt" | sed '/^$/d')
missing=()
for pkg in "${PKGS[@]}"; do
  if [[ -r "/usr/share/doc/$pkg/copyright" ]]; then
    cp -L "/usr/share/doc/$pkg/copyright" "$WORK/copyright/$pkg"
  else
    missing+=("$pkg")
  fi
done
echo "  $(( ${#PKGS[@]} - ${#missing[@]} )) of ${#PKGS[@]} from installed packages"
if ((${#missing[@]})); then
  mkdir -p "$WORK/extra/debs"
  for pkg in "${missing[@]}"; do
    (cd "$WORK/extra/debs" && apt-get download "${APT_OPTS[@]}" "$pkg" >/dev/null)
    deb="$(ls "$WORK/extra/debs/${pkg}_"*.deb)"
    dpkg-deb -x "$deb" "$WORK/extra/$pkg"
    cp -L "$WORK/extra/$pkg/usr/share/doc/$pkg/copyright" "$WORK/copyright/$pkg"
    echo "  downloaded (not installed): $pkg $(deb_version "$deb")"
  done
fi
COMMON=/usr/share/common-licenses
echo "  common-licenses from base-files $(dpkg-query -W -f='${Version}' base-files 2>/dev/null || echo '?')"

echo "== crates.io crates (cargo vendor)"
# Keep in step with CRATES in demo_corpus.py. Two versions each of heck and itoa on purpose.
mkdir -p "$WORK/crates/src"
echo 'fn main() {}' > "$WORK/crates/src/main.rs"
cat > "$WORK/crates/Cargo.toml" <<'EOF'
[package]
name = "corpuscope-demo-corpus-crates"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
base64 = "=0.22.1"
bitflags = "=2.13.2"
byteorder = "=1.5.0"
cfg-if = "=1.0.5"
crc32fast = "=1.5.5"
either = "=1.19.0"
heck_0_4 = { package = "heck", version = "=0.4.1" }
heck = "=0.5.0"
hex = "=0.4.3"
itoa_0_4 = { package = "itoa", version = "=0.4.8" }
itoa = "=1.0.19"
lazy_static = "=1.5.1"
memchr = "=2.8.3"
once_cell = "=1.21.4"
ryu = "=1.0.23"
scopeguard = "=1.2.0"
semver = "=1.0.28"
smallvec = "=1.16.6"
strsim = "=0.11.1"
EOF
(cd "$WORK/crates" && cargo vendor --quiet --versioned-dirs vendor >/dev/null)
echo "  $(ls "$WORK/crates/vendor" | wc -l) crate dirs vendored"

echo "== building into $OUT"
ORDER_ARGS=()
[[ "$ORDER" == committed ]] && ORDER_ARGS=(--order-like "$COMMITTED/demo.manifest.jsonl")
python3 "$HERE/demo_corpus.py" build \
  --python-doc "$WORK/root/usr/share/doc/python3.11/html/_sources" \
  --fortunes "$WORK/root/usr/share/games/fortunes" \
  --crates "$WORK/crates/vendor" --common-licenses "$COMMON" --copyright "$WORK/copyright" \
  --out "$OUT" "${ORDER_ARGS[@]}"

if [[ -f "$COMMITTED/demo.jsonl" ]]; then
  echo "== diff against the committed assets/corpus/demo.jsonl"
  STRICT_ARGS=()
  ((STRICT)) && STRICT_ARGS=(--strict)
  python3 "$HERE/demo_corpus.py" diff "$OUT" "$COMMITTED" "${STRICT_ARGS[@]}"
fi
(cd "$OUT" && sha256sum demo.jsonl demo.manifest.jsonl)
if ((WRITE)); then
  cp "$OUT/demo.jsonl" "$OUT/demo.manifest.jsonl" "$COMMITTED/"
  echo "== written to $COMMITTED"
fi
echo "DONE: demo corpus rebuilt in $OUT ($((SECONDS - T0)) s)"
