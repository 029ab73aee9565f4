#!/usr/bin/env python3
"""Writes fixtures/probs/openai-batch-logprobs.jsonl and openai-chat.json: OpenAI Batch API output
lines and one chat-completion body, in the exact shape the API returns with `logprobs: true,
top_logprobs: 5` (choices[0].logprobs.content[i] = {token, logprob, bytes, top_logprobs: [{token,
logprob, bytes}]}).  Deterministic (fixed seed); run from the repository root.  The values the
tests compare with come from tests/oracle/probs.R over these files, not from this script."""
import json, math, random

rng = random.Random(14)
LETTERS = "ABCDE"

def tok(t, lp):
    return {"token": t, "logprob": lp, "bytes": list(t.encode("utf-8"))}

def top_entries(peak, spread, extra):
    """Five (token, logprob) pairs: a softmax over A..E around `peak`, with `extra` tokens that
    name no option ("The", "I", "\\n") and a second spelling (" D") taking part of an option."""
    w = [math.exp(-abs(i + 1 - peak) / spread) for i in range(5)]
    z = sum(w) * (1 + extra)
    ps = {LETTERS[i]: w[i] / z for i in range(5)}
    entries = sorted(ps.items(), key=lambda kv: -kv[1])
    out = [(t, math.log(p)) for t, p in entries]
    if extra:
        out = out[:3] + [("The", math.log(extra / (1 + extra))), ("\n", math.log(0.004))]
    else:
        # a leading-space spelling of the top letter takes a tenth of its mass
        t, lp = out[0]
        p = math.exp(lp)
        out[0] = (t, math.log(0.9 * p))
        out = out[:4] + [(" " + t, math.log(0.1 * p))]
    out.sort(key=lambda e: -e[1])
    return [(t, round(lp, 6)) for t, lp in out]

def body(model, content, first_top, rest_tokens):
    """A chat.completion body; content[0] is the sampled first token with its top_logprobs."""
    sampled = content.split(" ")[0] if " " in content else content
    lp0 = dict(first_top).get(sampled, -7.25)
    toks = [dict(tok(sampled, lp0), top_logprobs=[tok(t, lp) for t, lp in first_top])]
    for t in rest_tokens:
        toks.append(dict(tok(t, -0.000123), top_logprobs=[tok(t, -0.000123), tok(".", -9.5)]))
    return {
        "id": "chatcmpl-AB%06d" % rng.randrange(10**6),
        "object": "chat.completion",
        "created": 1733140000 + rng.randrange(10000),
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": None},
            "logprobs": {"content": toks, "refusal": None},
            "finish_reason": "stop",
        }],
        "usage": {"prompt_tokens": 112, "completion_tokens": len(toks), "total_tokens": 112 + len(toks)},
        "system_fingerprint": "fp_0ba0d124f1",
    }

lines = []
models = [("gpt-4o-mini-2024-07-18", 1.0), ("gpt-4o-2024-08-06", 0.6)]
for mi, (model, spread) in enumerate(models):
    for i in range(1, 11):
        plus = i % 2 == 1          # IPIP-50 E1, E3, ... are + keyed
        peak = (4 if plus else 2) + (0.4 if mi == 0 else -0.3) * (1 if i % 3 else -1)
        extra = 0.05 if i == 7 else 0.0
        top = top_entries(peak, spread, extra)
        # the text: the top letter, but two answers were sampled from a lower one (temperature 1)
        letters = [t for t, _ in top if t in LETTERS]
        content = letters[0]
        if (mi, i) in ((0, 4), (1, 9)):
            content = letters[1]
        rest = []
        if i == 7:                 # "The answer is D": the first token names no option
            content = "The answer is " + letters[0]
            rest = [" answer", " is", " " + letters[0]]
        cid = "model=%s;temperature=1;persona=baseline;rep=0;item=E%d" % (model.split("-2024")[0], i)
        lines.append({
            "id": "batch_req_%024x" % rng.getrandbits(96),
            "custom_id": cid,
            "response": {"status_code": 200, "request_id": "%032x" % rng.getrandbits(128),
                         "body": body(model, content, top, rest)},
            "error": None,
        })
with open("fixtures/probs/openai-batch-logprobs.jsonl", "w") as f:
    for l in lines:
        f.write(json.dumps(l, ensure_ascii=False) + "\n")

# one chat-completion body as the API returns it, with the study fields the caller adds beside it
top = top_entries(3.2, 0.8, 0.0)
chat = {"model_name": "gpt-4o-mini", "instrument": "IPIP-50", "item": "A1",
        "completion": body("gpt-4o-mini-2024-07-18", [t for t, _ in top if t in LETTERS][0], top, [])}
with open("fixtures/probs/openai-chat.jsonl", "w") as f:
    f.write(json.dumps(chat, ensure_ascii=False) + "\n")
