#!/usr/bin/env python3
"""tests/oracle/varcomp_fixtures.py -- the fixture designs of `metrics --metric varcomp`.

Writes, for each design, tests/oracle/varcomp/<name>.jsonl (IPIP-50 responses to the ten EXT items
in every cell: model x persona x template x language x variant x repetition) and
tests/oracle/varcomp/<name>_cells.csv (the cells' factor levels and y, the per-item mean of the
keyed scores, computed here from the bank's keys).  tests/oracle/varcomp.R fits lme4 to the cells;
tests/test_varcomp.c reads the cells, tests/cli/varcomp.sh ingests the JSONL.  Deterministic:
  python3 tests/oracle/varcomp_fixtures.py
Designs:
  balanced        3 models x 4 personas x 2 templates x 2 languages x 2 reps (96 cells), every
                  component positive
  trunc           2 models x 3 personas x 3 templates x 2 languages x 2 reps, no template or
                  language effect: their ANOVA estimates are negative (checked here)
  unbalanced      the balanced design with a sixth of the cells dropped, two variants, and some
                  cells missing an item (a cell mean over 9 items)
  stall           6 models x 8 personas x 6 reps, a tenth of the cells dropped, no repetition
                  effect: the repetition variance is at its boundary, where the REML criterion's
                  rounding ties the simplex's vertices and the simplex stalls (metrics/varcomp.c
                  STALL_ITERATIONS)
"""
import csv, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "varcomp")
KEYS = {f"E{i}": (1 if i % 2 else -1) for i in range(1, 11)}   # IPIP-50: E1 +, E2 -, ...


def anova(cells, factors):
    n = len(cells)
    g = sum(c["y"] for c in cells) / n
    ms, dfe, fitted = {}, n - 1, [g] * n
    for f in factors:
        levels = sorted({c[f] for c in cells})
        if len(levels) < 2:
            continue
        m = {l: [c["y"] for c in cells if c[f] == l] for l in levels}
        mean = {l: sum(v) / len(v) for l, v in m.items()}
        ms[f] = sum(len(m[l]) * (mean[l] - g) ** 2 for l in levels) / (len(levels) - 1)
        dfe -= len(levels) - 1
        fitted = [fv + mean[c[f]] - g for fv, c in zip(fitted, cells)]
    mse = sum((c["y"] - fv) ** 2 for c, fv in zip(cells, fitted)) / dfe
    return {f: ms[f] - mse for f in ms}


def make(name, seed, models, personas, templates, languages, variants, reps, sd, drop=0.0, missing=0.0):
    rnd = random.Random(seed)
    eff = {}
    for f, levels in (("model", models), ("persona", personas), ("template", templates),
                      ("language", languages), ("variant", variants), ("rep", reps)):
        eff[f] = {l: rnd.gauss(0, sd[f]) for l in levels}
    cells, lines = [], []
    for m in models:
        for p in personas:
            for t in templates:
                for la in languages:
                    for v in variants:
                        for r in reps:
                            if rnd.random() < drop:
                                continue
                            mu = 3 + sum(eff[f][l] for f, l in (("model", m), ("persona", p), ("template", t),
                                                               ("language", la), ("variant", v), ("rep", r)))
                            mu += rnd.gauss(0, sd["cell"])
                            items = list(KEYS)
                            if rnd.random() < missing:
                                items.remove(rnd.choice(items))
                            scores = []
                            for it in items:
                                s = min(5, max(1, round(mu + rnd.gauss(0, 0.8))))
                                scores.append(s)
                                rec = {"model": m, "persona": p, "instrument": "IPIP-50", "item": it,
                                       "option": s if KEYS[it] > 0 else 6 - s, "rep": r}
                                if t is not None:
                                    rec["template"] = t
                                if la is not None:
                                    rec["language"] = la
                                if v is not None:
                                    rec["variant"] = v
                                lines.append(json.dumps(rec))
                            cells.append({"model": m, "persona": p, "template": t or "", "language": la or "",
                                          "variant": v or "", "rep": r, "y": sum(scores) / len(scores)})
    return cells, lines


def write(name, cells, lines):
    with open(os.path.join(OUT, name + ".jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(OUT, name + "_cells.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["model", "persona", "template", "language", "variant", "rep", "y"])
        for c in cells:
            w.writerow([c["model"], c["persona"], c["template"], c["language"], c["variant"], c["rep"],
                        repr(c["y"])])


def main():
    os.makedirs(OUT, exist_ok=True)
    F = ["model", "persona", "template", "language", "variant", "rep"]
    sd = {"model": 0.6, "persona": 0.5, "template": 0.3, "language": 0.25, "variant": 0.2, "rep": 0.15, "cell": 0.3}
    models = ["gpt-a", "gpt-b", "llama-c"]
    personas = ["AGR=1", "AGR=5", "AGR=9", "a friendly teacher"]
    cells, lines = make("balanced", 11, models, personas, ["plain", "chat"], ["en", "de"], [None], [0, 1], sd)
    est = anova(cells, F)
    assert all(v > 0 for v in est.values()), est
    write("balanced", cells, lines)
    sd0 = dict(sd, template=0.0, language=0.0)
    for seed in range(1, 200):
        cells, lines = make("trunc", seed, models[:2], personas[:3], ["plain", "chat", "list"], ["en", "de"],
                            [None], [0, 1], sd0)
        est = anova(cells, F)
        if est["template"] < 0 and est["language"] < 0 and est["model"] > 0 and est["persona"] > 0 and est["rep"] > 0:
            break
    else:
        raise SystemExit("no seed gives two negative estimates")
    write("trunc", cells, lines)
    cells, lines = make("unbalanced", 7, models, personas, ["plain", "chat"], ["en", "de"], ["v1", "v2"], [0, 1],
                        sd, drop=1 / 6, missing=0.1)
    write("unbalanced", cells, lines)
    sd_stall = dict(sd, rep=0.0)
    cells, lines = make("stall", 7, [f"model-{i}" for i in range(6)], [f"P={i}" for i in range(8)], [None], [None],
                        [None], list(range(6)), sd_stall, drop=0.1)
    write("stall", cells, lines)


if __name__ == "__main__":
    main()
