"""bench/gen_structure_study.py -- a wide table of IPIP-NEO-120 answers for `make bench`'s structure section.

    python3 bench/gen_structure_study.py BANK_CSV N OUT_TSV

N respondents (seeded, standard library only) answer the bank's 120 items from five correlated traits:
each item loads on its dimension with its key's sign (loadings 0.45..0.75), answers rounded to 1..5.
The header is the bank's item ids, as `psyfaith ingest --wide` expects."""
import csv
import math
import random
import sys

DIMS = ["EXT", "AGR", "CONS", "EMO", "OPEN"]


def main():
    bank, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    items = [r for r in csv.DictReader(open(bank, encoding="utf-8")) if r["instrument"] == "IPIP-NEO-120"]
    rng = random.Random(15)
    load = [0.45 + 0.3 * rng.random() for _ in items]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\t".join(r["item"] for r in items) + "\n")
        for _ in range(n):
            common = rng.gauss(0, 1)
            traits = {d: 0.3 * common + math.sqrt(0.91) * rng.gauss(0, 1) for d in DIMS}
            row = []
            for r, l in zip(items, load):
                s = 1 if r["key"] == "+" else -1
                v = s * l * traits[r["dimension"]] + math.sqrt(1 - l * l) * rng.gauss(0, 1)
                row.append(str(min(5, max(1, round(3 + 1.1 * v)))))
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
