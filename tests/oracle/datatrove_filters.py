"""datatrove's filters on JSONL documents: the oracle of the quality labels.

Reads {"id", "text"} lines on stdin; writes one line per document:
{"id", "filters": {name: {"kept", "reason"}}, "words": n, "sentences": n}
where `words` is len(split_into_words(text)) (datatrove's English word
splitting: spaCy's blank English tokenizer) and `sentences` is
len(split_into_sentences(text)). With --words, also the word list.
Each filter gets its own copy of the document (C4's rewrites the text).
"""

import json
import sys
import warnings

warnings.filterwarnings("ignore")

from datatrove.data import Document  # noqa: E402
from datatrove.pipeline.filters import (  # noqa: E402
    C4ParagraphFilter,
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
)
from datatrove.utils.text import split_into_sentences, split_into_words  # noqa: E402

FILTERS = {
    "gopher_quality": GopherQualityFilter(),
    "gopher_repetition": GopherRepetitionFilter(),
    "c4_quality": C4QualityFilter(),
    "c4_paragraph": C4ParagraphFilter(),
    "fineweb_quality": FineWebQualityFilter(),
}


def main():
    with_words = "--words" in sys.argv
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        out = {"id": record["id"], "filters": {}}
        for name, f in FILTERS.items():
            verdict = f.filter(Document(text=text, id=str(record["id"])))
            if verdict is True:
                out["filters"][name] = {"kept": True, "reason": None}
            else:
                kept, reason = verdict if isinstance(verdict, tuple) else (bool(verdict), None)
                out["filters"][name] = {"kept": kept, "reason": reason}
        words = split_into_words(text)
        out["words"] = len(words)
        out["sentences"] = len(split_into_sentences(text))
        if with_words:
            out["word_list"] = words
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
