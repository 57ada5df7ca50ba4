"""Token ids and character offsets by Python `tokenizers`.

Usage: token_offsets.py TOKENIZER_JSON FILE.jsonl STRIDE
For every STRIDE-th line of FILE.jsonl, prints one JSON list of [id, start, end]
(offsets in characters of "text", as the Python package gives them), no padding,
no truncation, no special tokens; the whole output is one JSON list of those.
"""
import json
import sys

from tokenizers import Tokenizer


def main(tokenizer_path, data_path, stride):
    tok = Tokenizer.from_file(tokenizer_path)
    tok.no_padding()
    tok.no_truncation()
    with open(data_path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()][:: int(stride)]
    out = []
    for text in texts:
        e = tok.encode(text, add_special_tokens=False)
        out.append([[i, s, t] for i, (s, t) in zip(e.ids, e.offsets)])
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
