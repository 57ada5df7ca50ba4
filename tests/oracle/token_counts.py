"""Token counts per document for several tokenizers at once, by Python `tokenizers`.

Usage: token_counts.py FILE.jsonl TOKENIZER_JSON...
Prints JSON: {TOKENIZER_JSON: [count of document 1, ...], ...}, the documents being
the lines of FILE.jsonl (each a JSON object with a string "text").
Each count is len(Tokenizer.from_file(path).encode(text, add_special_tokens=False).ids)
after no_padding() and no_truncation(): the BERT file ships with padding and
truncation to 128, which would otherwise make every count 128.
"""
import json
import sys

from tokenizers import Tokenizer


def main(data_path, *tokenizer_paths):
    with open(data_path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    out = {}
    for path in tokenizer_paths:
        tok = Tokenizer.from_file(path)
        tok.no_padding()
        tok.no_truncation()
        encodings = tok.encode_batch(texts, add_special_tokens=False)
        out[path] = [len(e.ids) for e in encodings]
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
