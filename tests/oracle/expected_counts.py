"""Token counts of a JSONL file by the Python `tokenizers` package: the oracle.

Usage: expected_counts.py TOKENIZER_JSON FILE.jsonl
Prints JSON: {"documents": N, "tokens": T, "per_document": [...], "rejected_lines": [...]}.
A line is a document when it parses as a JSON object with a string text field
("text", then "content"); any other non-blank line is rejected.
"""
import json
import sys

from tokenizers import Tokenizer


def main(tokenizer_path, data_path):
    tok = Tokenizer.from_file(tokenizer_path)
    tok.no_padding()
    tok.no_truncation()
    counts, rejected = [], []
    with open(data_path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                rejected.append(number)
                continue
            text = record.get("text", record.get("content")) if isinstance(record, dict) else None
            if not isinstance(text, str):
                rejected.append(number)
                continue
            counts.append(len(tok.encode(text, add_special_tokens=False).ids))
    print(json.dumps({
        "documents": len(counts),
        "tokens": sum(counts),
        "per_document": counts,
        "rejected_lines": rejected,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:])
