"""Trunk post-build hook: puts a Content-Security-Policy into the built
index.html. The one inline module script Trunk writes (it starts the app) is
allowed by its hash; no code is ever made from strings ('unsafe-eval' is
absent; 'wasm-unsafe-eval' only lets WebAssembly compile)."""

import base64
import hashlib
import os
import re
import sys

POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval' {hashes}; "
    # gloo-worker starts each worker from a small blob: script.
    "worker-src 'self' blob:; "
    # Data files may come from any web address the user gives.
    "connect-src 'self' https: http:; "
    # Charts saved as PNG are drawn from a blob: SVG.
    "img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)


def main() -> None:
    folder = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
    path = os.path.join(folder, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    if "Content-Security-Policy" in html:
        return
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, re.S)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{POLICY.format(hashes=hashes)}" />'
    anchor = '<meta charset="utf-8" />'
    if anchor not in html:
        sys.exit(f"csp.py: {path} has no {anchor}")
    html = html.replace(anchor, f"{anchor}\n    {meta}", 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)


if __name__ == "__main__":
    main()
