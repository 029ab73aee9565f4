#!/usr/bin/env python3
"""PsychoBench results CSVs and PsychoBench's own mean and STD per category, for tests/cli/psychobench.sh.

Usage (from the repository root):  python3 tests/oracle/psychobench/psychobench.py [DATA_DIR]

CUHK-ARISE/PsychoBench (GPL-3.0; research use only) @ d514fb0810f4, utils.py:
  * generation() writes results/MODEL-QUESTIONNAIRE.csv with one row per question and, per order
    (shuffle-count 0 = the original order only), a column "Prompt: <prompt>" holding "N. text", a
    column "order-K" holding the question ids and one column "shuffle{K-1}-test{T}" per test run,
    which the model's generator fills with its answers (csv.writer, so RFC 4180 quoting);
  * convert_data() reads every test column as one test, an answer x to a question in the
    questionnaire's "reverse" list becoming scale - x;
  * analysis_results() gives each category, per test, the mean of its questions (compute_mode AVG)
    or their sum (SUM), and reports mean1 = mean(tests) and std1 = stdev(tests) + 1e-8 (sample sd,
    Python's statistics module), printed to 4 significant digits in the results .md table.
This script restates those rules (PsychoBench's code is not copied) and writes:
  fixtures/psychobench/gpt-4-BFI.csv            BFI from data/psychobench/questionnaires.json, 10 tests
  fixtures/psychobench/gpt-4-IPIP-NEO-120.csv   IPIP-NEO-120 (psyfaith's bundled bank) in the same
                                                layout, 5 tests: PsychoBench @ d514fb0 has no IPIP-NEO
                                                questionnaire, so its definition (categories = domains,
                                                reverse = items keyed against their domain, scale 6) is
                                                made here from fixtures/banks/ipip-neo-120.csv
  tests/oracle/psychobench/expected.tsv         questionnaire, category, n, mean, std (with PsychoBench's
                                                1e-8), sd (without), and the 4-significant-digit table values
The answers are made up (a seeded generator), every cell an integer 1..5, as PsychoBench requires.
"""
import csv, json, os, random, statistics, sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def write_results(path, q, tests, rng):
    ids = list(q["questions"].keys())
    cols = [["Prompt: " + q["prompt"]] + ["%d. %s" % (i, q["questions"][k]) for i, k in enumerate(ids, 1)],
            ["order-1"] + ids]
    for t in range(tests):
        lean = rng.choice([2, 3, 4])
        cols.append(["shuffle0-test%d" % t] + [str(min(5, max(1, lean + rng.choice([-2, -1, 0, 0, 1, 1, 2]))))
                                               for _ in ids])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(zip(*cols))


def analyse(path, q):
    """PsychoBench's convert_data + analysis_results on one results file."""
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    orders = [i for i, c in enumerate(header) if c.startswith("order")]
    tests = []
    for n, o in enumerate(orders):
        end = orders[n + 1] - 1 if n + 1 < len(orders) else len(header)
        for c in range(o + 1, end):
            tests.append({r[o]: (q["scale"] - int(r[c]) if int(r[o]) in q["reverse"] else int(r[c])) for r in body})
    out = []
    for cat in q["categories"]:
        per_test = []
        for t in tests:
            vals = [v for k, v in t.items() if int(k) in cat["cat_questions"]]
            per_test.append(sum(vals) if cat.get("compute_mode") == "SUM" else statistics.mean(vals))
        m, sd = statistics.mean(per_test), statistics.stdev(per_test)
        std1 = sd + 1e-8
        out.append([q["name"], cat["cat_name"], str(len(per_test)), repr(m), repr(std1), repr(sd),
                    repr(float("%.4g" % m)), repr(float("%.4g" % std1))])
    return out


def ipip_neo_questionnaire():
    with open(os.path.join(REPO, "fixtures", "banks", "ipip-neo-120.csv"), newline="", encoding="utf-8") as f:
        bank = list(csv.DictReader(f))
    names = {"EXT": "Extraversion", "AGR": "Agreeableness", "CONS": "Conscientiousness", "EMO": "Neuroticism",
             "OPEN": "Openness"}
    # psyfaith stores neuroticism as EMO with the key flipped: a neuroticism item keyed against N is EMO '+'
    reverse = [int(r["item"]) for r in bank if (r["key"] == "+") == (r["dimension"] == "EMO")]
    cats = [{"cat_name": names[d], "cat_questions": [int(r["item"]) for r in bank if r["dimension"] == d]}
            for d in ("EXT", "AGR", "CONS", "EMO", "OPEN")]
    return {"name": "IPIP-NEO-120", "scale": 6, "reverse": reverse, "categories": cats,
            "questions": {r["item"]: r["text"] for r in bank},
            "prompt": "You can only reply numbers from 1 to 5 in the following statements. 1 denotes "
                      "'very inaccurate' and 5 denotes 'very accurate'. Here are the statements, score them one by one:"}


def main(argv):
    data = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    with open(os.path.join(data, "psychobench", "questionnaires.json"), encoding="utf-8") as f:
        bfi = [q for q in json.load(f) if q["name"] == "BFI"][0]
    rng = random.Random(13)
    rows = []
    for q, tests in ((bfi, 10), (ipip_neo_questionnaire(), 5)):
        path = os.path.join(REPO, "fixtures", "psychobench", "gpt-4-%s.csv" % q["name"])
        write_results(path, q, tests, rng)
        rows += analyse(path, q)
    with open(os.path.join(REPO, "tests", "oracle", "psychobench", "expected.tsv"), "w") as f:
        f.write("questionnaire\tcategory\tn\tmean\tstd\tsd\tmean_4sf\tstd_4sf\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print("wrote fixtures/psychobench/*.csv and tests/oracle/psychobench/expected.tsv")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
