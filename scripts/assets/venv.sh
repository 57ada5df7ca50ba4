#!/usr/bin/env bash
# Source this file (". scripts/assets/venv.sh") to get $PY: a Python 3.11 venv under
# .cache/assets-venv with scripts/assets/requirements.txt installed. The venv is reused
# while requirements.txt is unchanged (its sha256 is stored beside it).

ASSETS_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$ASSETS_SCRIPTS/../.." && pwd)"
VENV="${ASSETS_VENV:-$REPO_ROOT/.cache/assets-venv}"
REQ="$ASSETS_SCRIPTS/requirements.txt"
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
  echo "[venv] creating $VENV" >&2
  python3 -m venv --clear "$VENV" || {
    echo "[venv] python3 -m venv failed: on Debian run 'apt-get install -y python3-venv'" >&2; exit 1; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
  echo "$want" > "$VENV/.requirements.sha256"
fi
PY="$VENV/bin/python"
export PY
