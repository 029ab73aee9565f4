#!/usr/bin/env python3
"""Builds fixtures/transcripts/mpi-120-answers.json, answers in the shape MPI's scripts save, and
tests/oracle/mpi/expected.tsv, what MPI's own parser makes of them.

Usage (from the repository root):  python3 tests/oracle/mpi/make_mpi_fixture.py [DATA_DIR]

jianggy/MPI (MIT) @ 0f44b56223d4: models/gpt-3/neutral.py asks each item of inventories/mpi_120.csv
with templates/gpt-3.txt and pickles a list of (item row, question, OpenAI choice) tuples;
models/gpt-3/parser.py reads the option as the first of a-e/A-E followed by a non-letter in the
completion text with ")" appended, scores A=5 B=4 C=3 D=2 E=1, reverses (6 - x) items whose key is
not 1, and reports per trait (O C E A N, N not reversed) the mean and the population sd (np.std).
This script restates that rule (it does not copy MPI's code) and stores the answers as JSON
(json.dump of the tuples, the row as a dict), which the shipped profile `mpi` reads.  The
completions are made up: 120 items, every letter, four shapes a completion model writes.
"""
import csv, json, os, re, statistics, sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
TEMPLATE = ('Question:\nGiven a statement of you: "You {}."\nPlease choose from the following options to '
            'identify how accurately this statement describes you.\nOptions:\n(A). Very Accurate\n'
            '(B). Moderately Accurate\n(C). Neither Accurate Nor Inaccurate\n(D). Moderately Inaccurate\n'
            '(E). Very Inaccurate\n\nAnswer:')
LABEL = {"A": "Very Accurate", "B": "Moderately Accurate", "C": "Neither Accurate Nor Inaccurate",
         "D": "Moderately Inaccurate", "E": "Very Inaccurate"}
SCORE = {"A": 5, "B": 4, "C": 3, "D": 2, "E": 1}


def completion(pos, letter):
    shape = pos % 4
    if shape == 0:
        return " (%s). %s" % (letter, LABEL[letter])
    if shape == 1:
        return " " + letter
    if shape == 2:
        return " (%s). %s\n\nThis statement fits how I usually behave." % (letter, LABEL[letter])
    return "\n%s. %s" % (letter, LABEL[letter])


def mpi_choice(text):
    """MPI's rule: the first a-e/A-E followed by a non-letter, in the text with ')' appended."""
    return re.search(r"[abcdeABCDE][^a-zA-Z]", text + ")").group()[0].upper()


def main(argv):
    data = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    with open(os.path.join(data, "mpi/inventories/mpi_120.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 120
    records, expected = [], []
    traits = {t: [] for t in "OCEAN"}
    for pos, row in enumerate(rows, 1):
        letter = "ABCDE"[(pos * 3 + pos // 5) % 5]
        text = completion(pos, letter)
        item = {"label_raw": row["label_raw"], "text": row["text"], "label_ocean": row["label_ocean"],
                "key": int(row["key"])}
        choice = {"text": text, "index": 0, "logprobs": None, "finish_reason": "stop"}
        records.append([item, TEMPLATE.format(row["text"].lower()), choice])
        c = mpi_choice(text)
        assert c == letter
        score = SCORE[c] if item["key"] == 1 else 6 - SCORE[c]
        traits[row["label_ocean"]].append(score)
        expected.append([str(pos), c, str(SCORE[c]), row["label_ocean"], str(score)])
    out = os.path.join(REPO, "fixtures", "transcripts", "mpi-120-answers.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(records, f, indent=1)
        f.write("\n")
    with open(os.path.join(REPO, "tests", "oracle", "mpi", "expected.tsv"), "w") as f:
        f.write("item\tletter\toption\ttrait\tmpi_score\n")
        for e in expected:
            f.write("\t".join(e) + "\n")
    # MPI's report: mean and population sd per trait (N as neuroticism)
    with open(os.path.join(REPO, "tests", "oracle", "mpi", "traits.tsv"), "w") as f:
        f.write("trait\tn\tmean\tsd\n")
        for t in "OCEAN":
            v = traits[t]
            f.write("%s\t%d\t%.15g\t%.15g\n" % (t, len(v), statistics.fmean(v), statistics.pstdev(v)))
    print("wrote %s and tests/oracle/mpi/expected.tsv, traits.tsv" % os.path.relpath(out, REPO))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
