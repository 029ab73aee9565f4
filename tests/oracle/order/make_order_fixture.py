#!/usr/bin/env python3
"""Writes tests/cli/data/order.jsonl, the fixture of tests/cli/order.sh and tests/oracle/order.R:
IPIP-50 answered by four subjects (deterministic, seed 14).
  sym      both orders, answers independent of the order (noise only), 2 repetitions
  first    both orders, a real pull to the option shown first (descending -> higher options)
  shuffle  ascending and a permutation 3,1,2,5,4 given as 'options' labels, some items only once
  asc      ascending only: no order rows
Options are explicit ('option', ascending scale) so that R reads them without an answer parser.
Run: python3 tests/oracle/order/make_order_fixture.py"""
import csv, json, random, os
top = os.path.join(os.path.dirname(__file__), "..", "..", "..")
items = [r for r in csv.DictReader(open(os.path.join(top, "fixtures/banks/ipip-50.csv")))]
rng = random.Random(14)
out = []
def rec(model, it, option, rep, order=None, options=None):
    r = {"model": model, "instrument": "IPIP-50", "item": it["item"], "option": option, "rep": rep}
    if order:
        r["option_order"] = order
    if options:
        r["options"] = options
    out.append(r)
def clamp(v):
    return max(1, min(5, v))
for it in items:
    base = 4 if it["key"] == "+" else 2
    for rep in (1, 2):
        rec("sym", it, clamp(base + rng.choice([-1, 0, 0, 1])), rep, "ascending")
        rec("sym", it, clamp(base + rng.choice([-1, 0, 0, 1])), rep, "descending")
    rec("first", it, clamp(base - 1 + rng.choice([0, 0, 1])), 1, "ascending")
    rec("first", it, clamp(base + 1 + rng.choice([-1, 0, 0])), 1, "descending")
    if rng.random() < 0.8:
        rec("shuffle", it, clamp(base + rng.choice([-1, 0, 1])), 1)
    if rng.random() < 0.8:
        rec("shuffle", it, clamp(base + rng.choice([-2, -1, 0, 1])), 2, None, ["C", "A", "B", "E", "D"])
    rec("asc", it, clamp(base + rng.choice([-1, 0, 1])), 1, "ascending")
with open(os.path.join(top, "tests/cli/data/order.jsonl"), "w") as f:
    for r in out:
        f.write(json.dumps(r) + "\n")
