#!/usr/bin/env python3
"""bench/gen_metrics_study.py -- a seeded questionnaire study for the `metrics` bench section.

    python3 bench/gen_metrics_study.py [--subjects 40] [--reps 45] [--seed S] [--banks DIR] OUT.jsonl

Every item of the five bundled banks (BFI-44, IPIP-50, IPIP-NEO-120, IPIP-NEO-300, PersonaLLM-BFI:
558 items) answered by 40 subjects (8 models x 5 temperatures, no persona) in 45 repetitions:
1,004,400 `response` records in psyfaith's native JSONL format.  Unlike bench/gen_study.py (random
options, for ingest) the answers have the structure the metrics look for: each subject has a
latent level per dimension, items have a loading and a difficulty, each repetition a shift and
item-level noise growing with the temperature, reverse-keyed items are answered reversed (so
alpha, TrC, ICC and ExC are well away from zero), one model answers carelessly (low alpha), and
about 1 % of the answers are refusals or unparsable text.  Most answers are given as `option`
(the ingest bench covers answer parsing); a few are raw letters.  Python standard library only;
the same arguments give the same bytes.
"""
import argparse
import csv
import json
import os
import random
import sys

BANKS = ["bfi-44.csv", "ipip-50.csv", "ipip-neo-120.csv", "ipip-neo-300.csv", "personallm-bfi.csv"]
DIMS = ["EXT", "AGR", "CONS", "EMO", "OPEN"]
MODELS = ["gpt-4-0613", "gpt-3.5-turbo-0613", "claude-2.1", "llama-2-70b-chat", "llama-2-13b-chat",
          "mistral-7b-instruct", "falcon-40b-instruct", "vicuna-13b"]
TEMPERATURES = [0.0, 0.25, 0.5, 0.75, 1.0]
REFUSALS = ["As an AI language model, I cannot rate myself on this statement.",
            "I'm an AI and I don't have personal feelings, so I can't answer this."]
UNPARSED = ["It depends on the situation.", "Sometimes yes, sometimes no."]
LETTERS = "ABCDE"


def load_items(directory):
    items = []      # (instrument, code, dimension, key)
    for f in BANKS:
        with open(os.path.join(directory, f), newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                items.append((row["instrument"], row["item"], row["dimension"], 1 if row["key"] == "+" else -1))
    return items


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--subjects", type=int, default=40, help="a multiple of 5 (temperatures), at most 40")
    ap.add_argument("--reps", type=int, default=45)
    ap.add_argument("--seed", type=int, default=20240917)
    ap.add_argument("--banks", default=os.path.join(here, "..", "fixtures", "banks"))
    ap.add_argument("jsonl")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    items = load_items(a.banks)
    loading = [rng.uniform(0.6, 1.2) for _ in items]
    difficulty = [rng.gauss(0.0, 0.35) for _ in items]
    subjects = [(m, t) for m in MODELS for t in TEMPERATURES][:a.subjects]
    enc = json.JSONEncoder(ensure_ascii=False).encode
    with open(a.jsonl, "w", encoding="utf-8", newline="\n") as out:
        for si, (model, temp) in enumerate(subjects):
            careless = model == "vicuna-13b"
            trait = {d: rng.gauss(0.0, 1.0) for d in DIMS}
            head = '{"type":"response","model":%s,"temperature":%s,"persona":null,"rep":' % (enc(model), temp)
            noise_sd = 0.45 + 0.9 * temp
            for rep in range(a.reps):
                shift = {d: rng.gauss(0.0, 0.15 + 0.3 * temp) for d in DIMS}
                lines = []
                for i, (inst, code, dim, key) in enumerate(items):
                    u = rng.random()
                    tail = '%d,"instrument":%s,"item":%s,' % (rep, enc(inst), enc(code))
                    if u < 0.008:
                        lines.append(head + tail + '"answer":%s}\n' % enc(rng.choice(REFUSALS)))
                        continue
                    if u < 0.012:
                        lines.append(head + tail + '"answer":%s}\n' % enc(rng.choice(UNPARSED)))
                        continue
                    if careless and rng.random() < 0.6:
                        option = rng.randint(1, 5)
                    else:
                        x = 3.0 + 1.1 * loading[i] * trait[dim] + difficulty[i] + shift[dim] + rng.gauss(0.0, noise_sd)
                        level = min(5, max(1, int(round(x))))       # on the trait's direction
                        option = level if key > 0 else 6 - level    # the raw option of a - keyed item
                    if u > 0.97:
                        lines.append(head + tail + '"answer":"(%s)"}\n' % LETTERS[option - 1])
                    else:
                        lines.append(head + tail + '"option":%d}\n' % option)
                out.write("".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
