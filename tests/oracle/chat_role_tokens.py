"""Tokens per role of chat records, by Python `tokenizers`, parsing the records
itself (independently of the engine).

Usage: chat_role_tokens.py TOKENIZER_JSON FILE.jsonl...
Prints JSON: one object per record, files in order, each
{"turns": number of turns, "roles": {role: tokens}, "text_tokens": tokens of the
whole document text, "chosen": tokens, "rejected": tokens}.

The rules (ARCHITECTURE.md, crates/core/src/chat): roles normalised to
system/user/assistant/tool/other; a turn's content is a string, or its text
parts joined by a blank line; the document text is the non-empty contents
joined by a blank line. Shapes: a `messages`/`conversations`/`conversation`
list of role/content or from/value messages (a top-level `system` first);
preference `chosen`/`rejected` (string or message list, the messages they
share being the prompt, else a prompt field); instruction/input/output
(Alpaca, Dolly's context/response); prompt/response pairs.
Each count is len(encode(text, add_special_tokens=False).ids) with padding and
truncation off.
"""
import json
import sys

from tokenizers import Tokenizer

ROLES = {
    "system": "system", "developer": "system",
    "user": "user", "human": "user", "prompter": "user",
    "assistant": "assistant", "gpt": "assistant", "bot": "assistant", "model": "assistant",
    "chatgpt": "assistant", "function_call": "assistant",
    "tool": "tool", "function": "tool", "ipython": "tool", "observation": "tool",
    "tool_response": "tool",
}


def role(name):
    return ROLES.get(name.strip().lower(), "other")


def content(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    texts = []
    for part in value:
        if isinstance(part, str):
            texts.append(part)
        elif part.get("type", "text") == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
    return "\n\n".join(texts)


def keys(messages):
    return ("from", "value") if "from" in messages[0] and "role" not in messages[0] else ("role", "content")


def messages(items, branch=None):
    if not items:
        return []
    r, c = keys(items)
    return [(role(m[r]), content(m.get(c)), branch) for m in items]


def turns_of(rec):
    """(role, content, branch) of each turn."""
    system = rec.get("system") if isinstance(rec.get("system"), str) else None
    if "chosen" in rec and "rejected" in rec:
        ch, rj = rec["chosen"], rec["rejected"]
        shared = 0
        if isinstance(ch, list) and isinstance(rj, list):
            while shared < min(len(ch), len(rj)) and ch[shared] == rj[shared]:
                shared += 1
        out = []
        if shared:
            prompt = messages(ch[:shared])
        else:
            p = next((rec[k] for k in ("prompt", "question", "instruction", "input") if k in rec), None)
            prompt = [("user", p, None)] if isinstance(p, str) else messages(p or [])
        if system is not None and not (prompt and prompt[0][0] == "system"):
            out.append(("system", system, None))
        out += prompt
        for side, name in ((ch, "chosen"), (rj, "rejected")):
            if isinstance(side, str):
                out.append(("assistant", side, name))
            else:
                out += messages(side[shared:], name)
        return out
    for field in ("messages", "conversations", "conversation"):
        if isinstance(rec.get(field), list):
            ms = messages(rec[field])
            if system is not None and not (ms and ms[0][0] == "system"):
                ms = [("system", system, None)] + ms
            return ms
    out = [("system", system, None)] if system is not None else []
    if "instruction" in rec:
        user = rec["instruction"]
        extra = rec.get("input", rec.get("context", ""))
        if extra:
            user = user + "\n\n" + extra if user else extra
        answer = next(rec[k] for k in ("output", "response", "completion", "answer") if k in rec)
        return out + [("user", user, None), ("assistant", answer, None)]
    for p, a in (("prompt", "completion"), ("prompt", "response"), ("prompt", "answer"),
                 ("question", "answer"), ("query", "response")):
        if p in rec and a in rec:
            return out + [("user", rec[p], None), ("assistant", rec[a], None)]
    raise ValueError(f"not a conversation: {rec}")


def main(tokenizer_path, *files):
    tok = Tokenizer.from_file(tokenizer_path)
    tok.no_padding()
    tok.no_truncation()
    count = lambda text: len(tok.encode(text, add_special_tokens=False).ids)
    out = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                turns = turns_of(json.loads(line))
                roles = {}
                chosen = rejected = 0
                for r, c, branch in turns:
                    n = count(c)
                    roles[r] = roles.get(r, 0) + n
                    chosen += n if branch == "chosen" else 0
                    rejected += n if branch == "rejected" else 0
                text = "\n\n".join(c for _, c, _ in turns if c)
                out.append({"turns": len(turns), "roles": roles, "text_tokens": count(text),
                            "chosen": chosen, "rejected": rejected})
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
