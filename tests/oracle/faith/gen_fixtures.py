#!/usr/bin/env python3
"""tests/oracle/faith/gen_fixtures.py -- the synthetic fixtures of the metrics tests (seeded).

Run from the repository root:  python3 tests/oracle/faith/gen_fixtures.py
Writes, next to this script:
  rb.jsonl      RealBehavior-Table-2-shaped native JSONL: 3 models x 5 temperatures (0 answered
                once, the others 4 repetitions) on IPIP-50, IPIP-NEO-120 and BFI-44.  IPIP-NEO-120
                EXT is answered "mis-keyed" (half the items follow the trait, half oppose it, with a
                lot of repetition noise): negative alpha and TrC near 0.3, like Table 2's NEO EXT.
                IPIP-NEO-120 EMO is weak (alpha about 0.5); IPIP-50 A2 is answered 5 by everyone
                (a zero-variance item that alpha drops); one repetition answers every NEO CONS item
                3 (a constant vector TrC must skip); about 1 % refusals and 0.5 % unparsed answers.
  rb_crs.csv    criterion scores (model, temperature, dimension, value, n) for BC
  steer.jsonl   persona steering: model persona-llm with agreeableness=1..9 and extraversion=1..9
                at temperatures 0.5 and 1, plus a baseline persona, on IPIP-50.
  acq_yes.jsonl    an acquiescent model on BFI-44 (unbalanced keys): 8 subjects (temperatures 0 to
                   0.7), 2 repetitions, that agree with every item, + and - keyed alike: option 5 on
                   a share s/7 of each key's items (the first ones by position), 4 on the rest.
                   Their keyed scores differ by acquiescence (acq_share > trait_share: flagged).
  acq_trait.jsonl  a trait-driven model on BFI-44: 8 subjects with trait levels -1.5..1.5, + items
                   3 + level + noise, - items reversed (trait_share near 1, not flagged).
The data are invented; only their shape follows the paper.  Python's random with fixed seeds.
"""
import csv
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
BANKS = os.path.join(HERE, "..", "..", "..", "fixtures", "banks")
DIMS = ["EXT", "AGR", "CONS", "EMO", "OPEN"]


def bank(name):
    with open(os.path.join(BANKS, name), newline="") as f:
        return [(r["instrument"], r["item"], r["dimension"], r["key"]) for r in csv.DictReader(f)]


def clamp(x):
    return max(1, min(5, int(round(x))))


REFUSAL = "As an AI language model, I cannot rate myself."
UNPARSED = "Banana bread is my favourite."


def record(out, rng, model, temp, rep, inst, item, option, persona=None):
    rec = {"model": model, "temperature": temp, "rep": rep, "instrument": inst, "item": item}
    if persona is not None:
        rec["persona"] = persona
    u = rng.random()
    if u < 0.01:
        rec["answer"] = REFUSAL
    elif u < 0.015:
        rec["answer"] = UNPARSED
    else:
        rec["option"] = option
    out.write(json.dumps(rec) + "\n")


def rb():
    rng = random.Random(20240531)
    banks = bank("ipip-50.csv") + bank("ipip-neo-120.csv") + bank("bfi-44.csv")
    models = {  # model effect per dimension (on the keyed 1..5 scale, 0 = neutral)
        "text-davinci-001": {"EXT": -0.1, "AGR": 0.2, "CONS": 0.2, "EMO": -0.2, "OPEN": 0.1},
        "text-davinci-002": {"EXT": 0.1, "AGR": 0.6, "CONS": 0.6, "EMO": 0.1, "OPEN": 0.4},
        "text-davinci-003": {"EXT": 0.4, "AGR": 1.5, "CONS": 1.5, "EMO": 0.5, "OPEN": 1.1},
    }
    temps = [0.0, 0.2, 0.5, 0.8, 1.0]
    difficulty = {(i, it): rng.gauss(0, 0.9) for (i, it, d, k) in banks}
    # NEO EXT: which items follow the subject's (random) tendency and which oppose it
    neo_ext = [it for (i, it, d, k) in banks if i == "IPIP-NEO-120" and d == "EXT"]
    sign = {it: (1 if n % 2 == 0 else -1) for n, it in enumerate(neo_ext)}
    crs = []
    with open(os.path.join(HERE, "rb.jsonl"), "w") as out:
        for model, eff in models.items():
            for t in temps:
                theta = {d: eff[d] + rng.gauss(0, 0.35) for d in DIMS}
                tendency = rng.uniform(-1.8, 1.8)
                delta = {(i, it): rng.gauss(0, 0.3) for (i, it, d, k) in banks}
                reps = 1 if t == 0 else 4
                for rep in range(reps):
                    for (inst, item, dim, key) in banks:
                        if inst == "IPIP-NEO-120" and dim == "EXT":
                            x = 3 + sign[item] * tendency + delta[(inst, item)] + rng.gauss(0, 1.6)
                        elif inst == "IPIP-NEO-120" and dim == "EMO":
                            x = 3 + 0.4 * theta[dim] + difficulty[(inst, item)] + 2 * delta[(inst, item)] \
                                + rng.gauss(0, 0.35 + 0.5 * t)
                        else:
                            x = 3 + theta[dim] + difficulty[(inst, item)] + delta[(inst, item)] \
                                + rng.gauss(0, 0.05 + 0.2 * t)
                        keyed = clamp(x)
                        if inst == "IPIP-50" and item == "A2":
                            keyed = 5
                        if inst == "IPIP-NEO-120" and dim == "CONS" and model == "text-davinci-001" \
                                and t == 0.2 and rep == 1:
                            keyed = 3
                        option = keyed if key == "+" else 6 - keyed
                        record(out, rng, model, t, rep, inst, item, option)
                for d in DIMS:
                    p = rng.random() if d == "EXT" else min(1, max(0, 0.5 + 0.3 * theta[d] + rng.gauss(0, 0.1)))
                    crs.append((model, t, d, round(p * 35) / 35, 35))
    with open(os.path.join(HERE, "rb_crs.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["model", "temperature", "dimension", "value", "n"])
        for row in crs:
            w.writerow([row[0], repr(row[1]), row[2], repr(row[3]), row[4]])


def steer():
    rng = random.Random(7)
    items = bank("ipip-50.csv")
    with open(os.path.join(HERE, "steer.jsonl"), "w") as out:
        conditions = [("baseline", None, None)]
        conditions += [("agreeableness=%d" % lv, "AGR", lv) for lv in range(1, 10)]
        conditions += [("extraversion=%d" % lv, "EXT", lv) for lv in range(1, 10)]
        for persona, trait, level in conditions:
            for t in (0.5, 1.0):
                theta = {d: rng.gauss(0, 0.3) for d in DIMS}
                if trait == "AGR":
                    theta["AGR"] += 0.3 * (level - 5)
                elif trait == "EXT":           # weakly steered: some non-monotone steps
                    theta["EXT"] += 0.08 * (level - 5) + rng.gauss(0, 0.4)
                for rep in range(2):
                    for (inst, item, dim, key) in items:
                        keyed = clamp(3 + theta[dim] + rng.gauss(0, 0.7))
                        option = keyed if key == "+" else 6 - keyed
                        record(out, rng, "persona-llm", t, rep, inst, item, option, persona)


def acq():
    items = bank("bfi-44.csv")
    with open(os.path.join(HERE, "acq_yes.jsonl"), "w") as out:
        for s in range(8):
            t = s / 10
            for rep in range(2):
                for dim in DIMS:
                    for key in "+-":
                        group = [it for it in items if it[2] == dim and it[3] == key]
                        strong = int(s / 7 * len(group) + 0.5)     # how many get 5, the rest 4
                        for i, (inst, item, _, _) in enumerate(group):
                            rec = {"model": "yes-man", "temperature": t, "rep": rep, "instrument": inst,
                                   "item": item, "option": 5 if i < strong else 4}
                            out.write(json.dumps(rec) + "\n")
    rng = random.Random(14)
    with open(os.path.join(HERE, "acq_trait.jsonl"), "w") as out:
        for s in range(8):
            level = -1.5 + 3 * s / 7
            for rep in range(2):
                for (inst, item, dim, key) in items:
                    keyed = clamp(3 + level + rng.gauss(0, 0.5))
                    rec = {"model": "trait-llm", "temperature": s / 10, "rep": rep, "instrument": inst,
                           "item": item, "option": keyed if key == "+" else 6 - keyed}
                    out.write(json.dumps(rec) + "\n")


if __name__ == "__main__":
    rb()
    steer()
    acq()
