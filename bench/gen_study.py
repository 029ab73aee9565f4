#!/usr/bin/env python3
"""bench/gen_study.py -- a synthetic, seeded study in psyfaith's native record format.

    python3 bench/gen_study.py [--lines N] [--seed S] [--banks DIR] OUT.jsonl [OUT.csv]

Writes N JSONL lines (default 500,000) -- all six record types, answers in the messy forms models
produce -- and, when a second path is given, the same records as one CSV table whose columns are
the native field names (an empty cell is a missing value), for `sqlite3 .import --csv` and for
`psyfaith ingest` of CSV.  Python standard library only; the same seed gives the same bytes.

Mix per (subject, repetition) block: every item of IPIP-NEO-120, IPIP-50 and BFI-44 (214
responses), 10 behaviours, 3 labelled behaviours, 4 Ultimatum trials, 1 Milgram run and its 6
steps -- about 89 % responses.  Blocks cycle over 192 subjects (4 models x 3 temperatures x 16
personas) with increasing rep until N lines are written.
"""
import argparse
import csv
import json
import os
import random
import sys

COLUMNS = ["type", "model", "temperature", "persona", "rep", "run", "instrument", "item", "item_text",
           "answer", "option", "option_order", "dimension", "occasion", "label", "text", "trait", "level",
           "offer", "total", "decision", "final_level", "max_level", "disobediences", "filtered", "step",
           "disobeyed"]

INSTRUMENTS = ["IPIP-NEO-120", "IPIP-50", "BFI-44"]
BANK_FILES = {"IPIP-NEO-120": "ipip-neo-120.csv", "IPIP-50": "ipip-50.csv", "BFI-44": "bfi-44.csv"}

MODELS = ["gpt-3.5-turbo-0613", "llama-2-70b-chat", "claude-2.1", "mistral-7b-instruct"]
TEMPERATURES = [0.0, 0.7, 1.0]
TRAIT_NAMES = {"EXT": "extraversion", "AGR": "agreeableness", "CONS": "conscientiousness",
               "EMO": "emotional stability", "OPEN": "openness"}
DIMS = list(TRAIT_NAMES)

LETTERS = "ABCDE"
IPIP_LABELS = ["Very Inaccurate", "Moderately Inaccurate", "Neither Accurate Nor Inaccurate",
               "Moderately Accurate", "Very Accurate"]
AGREE_LABELS = ["Strongly disagree", "Disagree a little", "Neutral", "Agree a little", "Strongly agree"]

REFUSALS = [
    "As an AI, I cannot rate myself on this statement because I do not have personal experiences.",
    "I'm an AI language model and I don't have personal feelings, so I can't answer this.",
    "As a language model, I am unable to provide a personal rating.",
    "I do not have a personality in the human sense.",
]
UNPARSED = [
    "It depends on the situation.",
    "Sometimes yes, sometimes no; it really varies from day to day.",
    "That is an interesting question about human behaviour.",
]
OCCASIONS = ["party", "deadline", "argument", "museum", "bad news", "new colleague", "queue", "holiday",
             "exam", "charity"]
BEHAVIOR_TEMPLATES = [
    "At the {occ}, I would {verb} and {verb2}, because that is what feels natural to me in such a moment.",
    "If I found myself at a {occ}, I would probably {verb}; afterwards I would {verb2}.",
    "My first reaction to a {occ} would be to {verb}. Then I think I would {verb2} and see how it goes.",
]
VERBS = ["talk to everyone around me", "stay quietly in a corner", "help whoever needs it",
         "make a careful plan", "worry about what might go wrong", "try something completely new",
         "keep my opinions to myself", "crack a few jokes", "double-check every detail",
         "ask lots of questions", "leave early", "apologise to the others"]
ULTIMATUM_ACCEPT = ["I accept the offer.", "Accept.", "Yes, I would accept this split.",
                    "I will accept it, something is better than nothing."]
ULTIMATUM_REJECT = ["I reject the offer.", "Reject - this is unfair.", "No, I would not accept this.",
                    "I decline; the split is too unequal."]
ULTIMATUM_OTHER = ["As an AI, I cannot make this decision for you.", "Hmm, hard to say.",
                   "I would accept it, or maybe reject it."]


def load_banks(directory):
    banks = {}
    for name in INSTRUMENTS:
        with open(os.path.join(directory, BANK_FILES[name]), newline="", encoding="utf-8") as f:
            banks[name] = [(row["item"], row["text"]) for row in csv.DictReader(f)]
    return banks


def subjects():
    personas = [None] + ["%s=%d" % (TRAIT_NAMES[d] if i % 2 else d, lvl)
                         for i, d in enumerate(DIMS) for lvl in (1, 5, 9)]
    out = []
    for m, model in enumerate(MODELS):
        for temp in TEMPERATURES:
            for p in personas:
                # one model logs its baseline as null, the others as the word "baseline"
                persona = p if p is not None or m == 0 else "baseline"
                # one model's logs carry no usable temperature for T=1.0
                t = None if (m == 3 and temp == 1.0) else temp
                out.append((model, t, persona))
    return out


def persona_trait_level(persona):
    if not persona or "=" not in persona:
        return None, None
    name, level = persona.split("=", 1)
    for code, full in TRAIT_NAMES.items():
        if name in (code, full):
            return code, int(level)
    return None, None


def messy_answer(rng, option, descending):
    """A raw answer text for `option` (1..5, ascending scale) in one of the forms models write."""
    pos = 6 - option if descending else option      # presented position: letters/digits
    letter = LETTERS[pos - 1]
    label = IPIP_LABELS[option - 1]
    r = rng.random()
    if r < 0.20:
        return "%s) %s." % (letter, label)
    if r < 0.32:
        return "(%s)" % letter
    if r < 0.44:
        return "%s - %s" % (letter, label)
    if r < 0.56:
        return "%d" % pos
    if r < 0.66:
        return rng.choice([label.lower(), label, label.upper()])
    if r < 0.74:
        return "[%d] %s." % (pos, "Neutral" if option == 3 else label)
    if r < 0.82:
        return "I would choose %s) %s, since this describes me %s." % (
            letter, label, "well" if option >= 4 else "only partly")
    if r < 0.89:
        return "%d - %s" % (pos, AGREE_LABELS[option - 1])
    if r < 0.94:
        return rng.choice(REFUSALS)
    if r < 0.97:
        a, b = rng.sample(LETTERS, 2)
        return "(%s) or (%s)" % (a, b)
    return rng.choice(UNPARSED)


def item_text_variant(rng, text):
    base = text.rstrip(".")
    lead = rng.choice(["", "I ", "You "])
    if lead and base.split(" ", 1)[0] in ("I", "Am", "Is"):
        lead = ""
    body = base if not lead else base[0].lower() + base[1:]
    return lead + body + rng.choice(["", ".", " ."])


def block(rng, banks, subject, rep, lines_done):
    model, temp, persona = subject
    run = "%s/%s/%s/%d" % (model, temp, persona or "baseline", rep)
    common = {"model": model, "temperature": temp, "persona": persona, "rep": rep}
    trait, level = persona_trait_level(persona)
    for inst in INSTRUMENTS:
        descending = rng.random() < 0.05
        for code, text in banks[inst]:
            option = rng.randint(1, 5)
            rec = {"type": "response"}
            rec.update(common)
            rec["run"] = run
            rec["instrument"] = inst
            if rng.random() < 0.10:
                rec["item_text"] = item_text_variant(rng, text)
            else:
                rec["item"] = code
            if rng.random() < 0.04:
                rec["option"] = option
            else:
                rec["answer"] = messy_answer(rng, option, descending)
                if descending:
                    rec["option_order"] = "descending"
            yield rec
    for i in range(10):
        occ = OCCASIONS[(rep + i) % len(OCCASIONS)]
        rec = {"type": "behavior"}
        rec.update(common)
        rec.update(run=run, dimension=DIMS[i % 5], occasion=occ,
                   text=rng.choice(BEHAVIOR_TEMPLATES).format(occ=occ, verb=rng.choice(VERBS),
                                                              verb2=rng.choice(VERBS)))
        yield rec
    for i in range(3):
        dim = rng.choice(DIMS + ["neuroticism"])
        occ = rng.choice(OCCASIONS)
        yield {"type": "labeled_behavior", "dimension": dim, "occasion": occ,
               "label": rng.choice(["y", "n", "yes", "no", "1", "0", "true", "false"]),
               "text": rng.choice(BEHAVIOR_TEMPLATES).format(occ=occ, verb=rng.choice(VERBS),
                                                            verb2=rng.choice(VERBS))}
    for i in range(4):
        offer = rng.randint(0, 10)
        rec = {"type": "ultimatum"}
        rec.update(common)
        rec.update(run=run, trait=trait, level=level, offer=offer, total=10)
        r = rng.random()
        if r < 0.3:
            rec["decision"] = "accept" if offer >= 3 else "reject"
        elif r < 0.9:
            rec["answer"] = rng.choice(ULTIMATUM_ACCEPT if offer >= 3 else ULTIMATUM_REJECT)
        else:
            rec["answer"] = rng.choice(ULTIMATUM_OTHER)
        yield rec
    mlevel = {1: "min", 9: "max"}.get(level, None if level is None else str(level))
    final = rng.randint(0, 30)
    mrun = "milgram-%d" % (lines_done)
    rec = {"type": "milgram"}
    rec.update(common)
    rec.update(run=mrun, trait=trait, level=mlevel, final_level=final, max_level=30,
               disobediences=rng.randint(0, 5), filtered=rng.random() < 0.1)
    yield rec
    for step in range(6):
        rec = {"type": "milgram_step"}
        rec.update(common)
        rec.update(run=mrun, trait=trait, level=mlevel, step=step, disobeyed=rng.random() < 0.2)
        yield rec


def records(n, seed, banks):
    rng = random.Random(seed)
    subs = subjects()
    done = 0
    rep = 0
    while True:
        for s in subs:
            for rec in block(rng, banks, s, rep, done):
                yield rec
                done += 1
                if done >= n:
                    return
        rep += 1


def csv_cell(v):
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=500000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--banks", default=os.path.join(here, "..", "fixtures", "banks"))
    ap.add_argument("jsonl")
    ap.add_argument("csv", nargs="?")
    a = ap.parse_args()
    banks = load_banks(a.banks)
    cf = cw = None
    with open(a.jsonl, "w", encoding="utf-8", newline="\n") as jf:
        if a.csv:
            cf = open(a.csv, "w", encoding="utf-8", newline="")
            cw = csv.writer(cf, lineterminator="\n")
            cw.writerow(COLUMNS)
        dumps = json.JSONEncoder(ensure_ascii=False).encode
        for rec in records(a.lines, a.seed, banks):
            jf.write(dumps(rec))
            jf.write("\n")
            if cw:
                cw.writerow([csv_cell(rec.get(c)) for c in COLUMNS])
    if cf:
        cf.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
