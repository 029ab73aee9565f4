#!/usr/bin/env python3
"""Regenerate psyfaith's bundled item banks and human norms from the shared data.

Usage (from the repository root):

    python3 tests/oracle/make_fixtures.py [DATA_DIR]

DATA_DIR defaults to ../shared/data relative to the repository root.  Standard
library only.  Writes:

    fixtures/banks/ipip-neo-120.csv     IPIP-NEO-120   (Johnson 2014)
    fixtures/banks/ipip-neo-300.csv     IPIP-NEO-300   (Goldberg / Johnson)
    fixtures/banks/mpi-120.csv          MPI-120        (IPIP-NEO-120 in MPI's 2nd-person wording)
    fixtures/banks/ipip-50.csv          IPIP-50        (Goldberg's 50 Big-Five markers, openpsychometrics codes)
    fixtures/banks/bfi-44.csv           BFI-44         (John & Srivastava 1999)
    fixtures/banks/personallm-bfi.csv   PersonaLLM-BFI (PersonaLLM's simplified BFI wording)
    fixtures/norms/norms.csv            human norms, per item on the 1..5 scale

Conventions (see fixtures/SOURCES.md):
  * bank header: instrument,item,dimension,key,text; file order = item position.
  * dimensions EXT AGR CONS EMO OPEN; neuroticism items are stored as EMO
    (emotional stability) with their key flipped.
  * norms header: instrument,dimension,population,n,mean,sd,alpha,source;
    mean and sd per item (domain raw sum / items in domain); neuroticism
    norms converted to EMO as mean_EMO = 6 - mean_N, sd unchanged.

Every cross-check between sources is printed; the script exits non-zero if a
structural check (item counts, dimension counts, key agreement where sources
are expected to agree) fails.
"""

import csv
import hashlib
import json
import math
import os
import re
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIMS = ["EXT", "AGR", "CONS", "EMO", "OPEN"]
BANK_HEADER = ["instrument", "item", "dimension", "key", "text"]
NORM_HEADER = ["instrument", "dimension", "population", "n", "mean", "sd", "alpha", "source"]

# Domain letter / name -> (psyfaith dimension, flip key?)
DOMAIN = {
    "E": ("EXT", False), "A": ("AGR", False), "C": ("CONS", False),
    "N": ("EMO", True), "O": ("OPEN", False),
    "EXTRAVERSION": ("EXT", False), "AGREEABLENESS": ("AGR", False),
    "CONSCIENTIOUSNESS": ("CONS", False), "NEUROTICISM": ("EMO", True),
    "OPENNESS": ("OPEN", False),
}

# Texts deliberately changed from the designated source (reported at run time).
IPIP120_TEXT_OVERRIDES = {
    # Alheimsins has "right and wrong"; five-factor-e (120 and 300), MPI-120 and
    # personality_in_llms IPIP300 (ipip58) all have Johnson's "right or wrong".
    58: ("Believe that there is no absolute right and wrong",
         "Believe that there is no absolute right or wrong"),
}

disagreements = []   # (topic, message) collected for the final report
failures = []


def note(topic, msg):
    disagreements.append((topic, msg))
    print("NOTE [%s] %s" % (topic, msg))


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL " + msg)


def flip(key):
    return "-" if key == "+" else "+"


def norm_text(t):
    """Normalise an item text for cross-source matching: case, punctuation,
    spaces, a leading I/You, and 1st/2nd-person pronouns and be-forms."""
    t = t.replace("\u2019", "'").lower().strip()
    t = re.sub(r"[^a-z0-9' ]", " ", t)
    t = re.sub(r"^(i|you)\s+", "", " ".join(t.split()))
    subs = {"yourself": "SELF", "myself": "SELF", "your": "POSS", "my": "POSS",
            "you": "PRON", "me": "PRON", "i": "PRON", "are": "BE", "am": "BE"}
    return " ".join(subs.get(w, w) for w in t.split())


def fmt(x, nd=6):
    if x is None:
        return ""
    s = "%.*f" % (nd, x)
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")   # QUOTE_MINIMAL = RFC 4180 quoting
        w.writerow(header)
        w.writerows(rows)
    print("wrote %s (%d rows)" % (os.path.relpath(path, REPO), len(rows)))


def load_json(data, rel):
    with open(os.path.join(data, rel), encoding="utf-8") as f:
        return json.load(f)


def verify_manifest(data, rels):
    """Warn if an input differs from the snapshot documented in MANIFEST.tsv."""
    man = {}
    try:
        with open(os.path.join(data, "MANIFEST.tsv"), encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 6:
                    man[parts[0]] = parts[5]
    except OSError:
        print("WARN no MANIFEST.tsv; cannot verify input checksums")
        return
    for rel in rels:
        with open(os.path.join(data, rel), "rb") as f:
            h = hashlib.sha256(f.read()).hexdigest()
        if rel not in man:
            print("WARN %s not listed in MANIFEST.tsv" % rel)
        elif man[rel] != h:
            note("inputs", "%s sha256 differs from MANIFEST.tsv" % rel)


def bank_summary(name, rows, expect_total, expect_dims):
    check(len(rows) == expect_total, "%s: %d items, expected %d" % (name, len(rows), expect_total))
    ids = [r[1] for r in rows]
    check(len(set(ids)) == len(ids), "%s: duplicate item ids" % name)
    summary = {}
    for d in DIMS:
        plus = sum(1 for r in rows if r[2] == d and r[3] == "+")
        minus = sum(1 for r in rows if r[2] == d and r[3] == "-")
        summary[d] = (plus, minus)
        check(plus + minus == expect_dims[d],
              "%s: %s has %d items, expected %d" % (name, d, plus + minus, expect_dims[d]))
    for r in rows:
        check(r[2] in DIMS and r[3] in "+-" and len(r[3]) == 1 and r[4].strip(),
              "%s: bad row %r" % (name, r))
    return summary


# ---------------------------------------------------------------- IPIP-NEO-120
def make_ipip120(data):
    src = load_json(data, "b5-johnson-120/data/en/questions.json")
    ff = load_json(data, "five-factor-e/data/IPIP-NEO/120/questions.json")["questions"]
    mpi_path = os.path.join(data, "mpi/inventories/mpi_120.csv")
    with open(mpi_path, newline="", encoding="utf-8") as f:
        mpi = list(csv.DictReader(f))
    check(len(src) == 120 and len(ff) == 120 and len(mpi) == 120, "IPIP-NEO-120 sources do not all have 120 items")
    check("num" not in src[0], "b5-johnson-120 has a num field: use it")

    rows = []
    for pos, q in enumerate(src, 1):
        # Johnson's standard interleaved order: domains N E O A C cycle, facets 1..6 cycle every 5 items.
        check(q["domain"] == "NEOAC"[(pos - 1) % 5] and q["facet"] == ((pos - 1) // 5) % 6 + 1,
              "IPIP-NEO-120 item %d breaks Johnson's interleaved order" % pos)
        text = q["text"]
        if pos in IPIP120_TEXT_OVERRIDES:
            old, new = IPIP120_TEXT_OVERRIDES[pos]
            check(text == old, "IPIP-NEO-120 override for item %d no longer applies" % pos)
            note("IPIP-NEO-120", "item %d text %r (b5-johnson-120) replaced by %r "
                 "(five-factor-e, MPI, personality_in_llms ipip58)" % (pos, old, new))
            text = new
        if norm_text(ff[pos - 1]["text"]) != norm_text(text):
            note("IPIP-NEO-120", "item %d text vs five-factor-e: %r / %r" % (pos, text, ff[pos - 1]["text"]))
        key = "+" if q["keyed"] == "plus" else "-"
        dim, fl = DOMAIN[q["domain"]]
        # MPI-120 cross-check (2nd person; key +1/-1)
        m = mpi[pos - 1]
        mkey = "+" if int(m["key"]) > 0 else "-"
        if m["label_ocean"] != q["domain"] or mkey != key:
            note("IPIP-NEO-120", "item %d domain/key disagree with MPI-120: %s%s vs %s%s"
                 % (pos, q["domain"], key, m["label_ocean"], mkey))
        elif norm_text(m["text"]) != norm_text(text):
            note("IPIP-NEO-120", "item %d wording differs in MPI-120 (key/domain agree): %r vs %r"
                 % (pos, m["text"], text))
        rows.append(["IPIP-NEO-120", str(pos), dim, flip(key) if fl else key, text])
    return rows


def make_mpi120(data, rows120):
    """MPI-120 (Jiang et al., jianggy/MPI inventories/mpi_120.csv): the IPIP-NEO-120 items in the same
    order, in MPI's second-person wording ("Use others for your own ends"), which is what MPI's
    prompts show ("Given a statement of you: \"You worry about things.\"").  Ids 1..120 = MPI row."""
    with open(os.path.join(data, "mpi/inventories/mpi_120.csv"), newline="", encoding="utf-8") as f:
        mpi = list(csv.DictReader(f))
    rows = []
    for pos, m in enumerate(mpi, 1):
        key = "+" if int(m["key"]) > 0 else "-"
        dim, fl = DOMAIN[m["label_ocean"]]
        row = ["MPI-120", str(pos), dim, flip(key) if fl else key, m["text"]]
        check(row[2:4] == rows120[pos - 1][2:4], "MPI-120 item %d: dimension/key differ from IPIP-NEO-120" % pos)
        rows.append(row)
    return rows


# ---------------------------------------------------------------- IPIP-NEO-300
def make_ipip300(data, rows120):
    meas = load_json(data, "personality_in_llms/admin_sessions/prod_run_01_external_rating.json")["measures"]["IPIP300"]
    ff = load_json(data, "five-factor-e/data/IPIP-NEO/300/questions.json")["questions"]
    ffmap = {q["id"]: q["text"] for q in ff}
    items = meas["items"]
    scale_dom = {"IPIP300-NEU": "N", "IPIP300-EXT": "E", "IPIP300-OPE": "O",
                 "IPIP300-AGR": "A", "IPIP300-CON": "C"}
    dom, rev = {}, set()
    for s, v in meas["scales"].items():
        for i in v["item_ids"]:
            check(i not in dom, "IPIP300 item %s in two scales" % i)
            dom[i] = scale_dom[s]
        check(set(v["reverse_keyed_item_ids"]) <= set(v["item_ids"]), "IPIP300 %s reverse ids outside scale" % s)
        rev |= set(v["reverse_keyed_item_ids"])
    check(len(items) == 300 and set(dom) == set(items), "IPIP300 items and scale membership differ")

    num = {}
    for k in items:
        mm = re.fullmatch(r"ipip(\d+)", k)
        check(mm is not None, "IPIP300 id %r not of form ipipN" % k)
        num[k] = int(mm.group(1))
    check(sorted(num.values()) == list(range(1, 301)), "IPIP300 ids are not ipip1..ipip300")
    if [num[k] for k in items] != list(range(1, 301)):
        note("IPIP-NEO-300", "personality_in_llms lists items in a different order (the 120 IPIP-NEO-120 "
             "items first, then the rest); bank uses the numeric id order ipip1..ipip300, which equals "
             "Johnson's IPIP-NEO-300 order (checked against five-factor-e 300/questions.json)")

    rows = []
    for k in sorted(items, key=lambda k: num[k]):
        n = num[k]
        text = items[k]
        check(norm_text(text) == norm_text(ffmap[n]),
              "IPIP-NEO-300 item %d text %r vs five-factor-e %r" % (n, text, ffmap[n]))
        check("NEOAC"[(n - 1) % 5] == dom[k], "IPIP-NEO-300 item %d domain %s breaks N E O A C cycle" % (n, dom[k]))
        if re.match(r"^I (interested|willing)\b", text):
            note("IPIP-NEO-300", "item %d kept verbatim although ungrammatical: %r (five-factor-e: %r)"
                 % (n, text, ffmap[n]))
        key = "-" if k in rev else "+"
        dim, fl = DOMAIN[dom[k]]
        rows.append(["IPIP-NEO-300", str(n), dim, flip(key) if fl else key, text])

    # Shared items with the IPIP-NEO-120 bank must have the same dimension and key.
    by_text = {norm_text(r[4]): r for r in rows}
    shared = 0
    for r in rows120:
        o = by_text.get(norm_text(r[4]))
        if o is None:
            note("IPIP-NEO-300", "IPIP-NEO-120 item %s %r not found verbatim in IPIP-NEO-300" % (r[1], r[4]))
            continue
        shared += 1
        check((o[2], o[3]) == (r[2], r[3]), "IPIP-NEO-120 item %s and IPIP-NEO-300 item %s disagree on dim/key"
              % (r[1], o[1]))
    print("IPIP-NEO-120 items found in IPIP-NEO-300 with identical dimension/key: %d/120" % shared)
    return rows


# ---------------------------------------------------------------- IPIP-50
def make_ipip50(data):
    with open(os.path.join(data, "chatgpt-behavioral/data/bigfive.tsv"), encoding="utf-8") as f:
        codes = [l.rstrip("\r\n").split("\t") for l in f if l.strip()]
    with open(os.path.join(data, "chatgpt-behavioral/data/bigfive_IPIP.tsv"), encoding="utf-8") as f:
        gold = [l.rstrip("\r\n").split("\t") for l in f if l.strip()]
    check(len(codes) == 50 and len(gold) == 50, "IPIP-50 sources do not have 50 items")
    gkey = {}
    for g in gold:
        mm = re.fullmatch(r"\((\d)([+-])\)", g[-1].strip())
        check(mm is not None, "bigfive_IPIP.tsv bad key %r" % g[-1])
        gkey[norm_text(g[1])] = (int(mm.group(1)), mm.group(2), int(g[0]))
    factor_dim = {1: "EXT", 2: "AGR", 3: "CONS", 4: "EMO", 5: "OPEN"}   # 4 = Emotional Stability
    code_dim = {"E": "EXT", "A": "AGR", "C": "CONS", "N": "EMO", "O": "OPEN"}
    rows = []
    for code, text in codes:
        g = gkey.get(norm_text(text))
        check(g is not None, "IPIP-50 %s %r not found in bigfive_IPIP.tsv" % (code, text))
        f, key, gnum = g
        dim = factor_dim[f]
        check(code_dim[code[0]] == dim, "IPIP-50 %s is Goldberg factor %d" % (code, f))
        # Goldberg's factor-4 keys are already Emotional-Stability direction: no flip.
        rows.append(["IPIP-50", code, dim, key, text])
    check(rows[10][1] == "N1" and rows[10][3] == "-", "IPIP-50 N1 'I get stressed out easily' must be EMO -")
    return rows


# ---------------------------------------------------------------- BFI-44
def load_personallm(data):
    with open(os.path.join(data, "personallm/prompts/bfi_scores.txt"), encoding="utf-8") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    check(lines[0].split("\t") == ["trait", "reverse", "question"], "bfi_scores.txt header changed")
    rows = [l.split("\t") for l in lines[1:]]
    check(len(rows) == 44 and all(len(r) == 3 and r[1] in ("N", "R") for r in rows), "bfi_scores.txt not 44 rows")
    return rows


def make_bfi(data):
    pb = [x for x in load_json(data, "psychobench/questionnaires.json") if x["name"] == "BFI"]
    check(len(pb) == 1, "PsychoBench BFI entry not unique")
    pb = pb[0]
    qs = pb["questions"]
    check(sorted(int(k) for k in qs) == list(range(1, 45)), "PsychoBench BFI ids not 1..44")
    rev = set(pb["reverse"])
    dom = {}
    for c in pb["categories"]:
        for i in c["cat_questions"]:
            check(i not in dom, "BFI item %d in two categories" % i)
            dom[i] = c["cat_name"].upper()
    rows = []
    for i in range(1, 45):
        key = "-" if i in rev else "+"
        dim, fl = DOMAIN[dom[i]]
        rows.append(["BFI-44", str(i), dim, flip(key) if fl else key, qs[str(i)]])

    # Cross-check 1: personality_in_llms BFI scale keys (texts redacted).
    dm = load_json(data, "personality_in_llms/admin_sessions/prod_run_01_external_rating.json")["measures"]["BFI"]
    dmap = {"BFI-EXT": "EXTRAVERSION", "BFI-AGR": "AGREEABLENESS", "BFI-CON": "CONSCIENTIOUSNESS",
            "BFI-NEU": "NEUROTICISM", "BFI-OPE": "OPENNESS"}
    dm_dom, dm_rev = {}, set()
    for s, v in dm["scales"].items():
        for i in v["item_ids"]:
            dm_dom[int(i[2:])] = dmap[s]
        dm_rev |= {int(i[2:]) for i in v["reverse_keyed_item_ids"]}
    for i in range(1, 45):
        if dm_dom.get(i) != dom[i]:
            note("BFI-44", "item %d domain: PsychoBench %s vs personality_in_llms %s" % (i, dom[i], dm_dom.get(i)))
    if dm_rev != rev:
        note("BFI-44", "reverse set differs from personality_in_llms: only PsychoBench %s, only DeepMind %s"
             % (sorted(rev - dm_rev), sorted(dm_rev - rev)))
    # Cross-check 2: PersonaLLM's key (same item order as the BFI).
    pl = load_personallm(data)
    for i, (trait, r, _) in enumerate(pl, 1):
        if trait.upper() != dom[i]:
            note("BFI-44", "item %d domain: PsychoBench %s vs PersonaLLM %s" % (i, dom[i], trait))
        if (r == "R") != (i in rev):
            note("BFI-44", "item %d reverse flag: PsychoBench %s vs PersonaLLM %s" % (i, i in rev, r))
    return rows


def make_personallm(data):
    pl = load_personallm(data)
    # Cross-check against the prompt the model saw: (a)..(ar) in the same order.
    with open(os.path.join(data, "personallm/prompts/bfi_prompt.txt"), encoding="utf-8") as f:
        prompt = re.findall(r"^\(([a-z]{1,2})\) (.*)$", f.read(), re.M)
    check(len(prompt) == 44, "bfi_prompt.txt does not list 44 items")
    rows = []
    for i, (trait, r, q) in enumerate(pl, 1):
        label = chr(ord("a") + i - 1) if i <= 26 else "a" + chr(ord("a") + i - 27)
        check(prompt[i - 1] == (label, q), "PersonaLLM item %d (%s) differs between bfi_scores and bfi_prompt" % (i, label))
        dim, fl = DOMAIN[trait.upper()]
        key = "-" if r == "R" else "+"
        rows.append(["PersonaLLM-BFI", str(i), dim, flip(key) if fl else key, q])
    return rows


# ---------------------------------------------------------------- norms
JOHNSON_120_SRC = ("Johnson, J. A. (2014), IPIP-NEO-120 norms by sex and age (raw domain sums, "
                   "Johnson's IPIP-NEO-120 report), as transcribed in NeuroQuestAi/five-factor-e "
                   "ipipneo/norm.py @618c85f; divided by 24 items")
JOHNSON_300_SRC = ("Johnson, J. A., IPIP-NEO-300 norms by sex and age (raw domain sums, "
                   "Johnson's IPIP-NEO report), as transcribed in NeuroQuestAi/five-factor-e "
                   "ipipneo/norm.py @618c85f; divided by 60 items")


def johnson_norms(data):
    rows = []
    with open(os.path.join(data, "norms/johnson_ipipneo_norms_DERIVED.csv"), newline="", encoding="utf-8") as f:
        recs = [r for r in csv.DictReader(f) if r["level"] == "domain"]
    nitems = {"IPIP-NEO-120": 24, "IPIP-NEO-300": 60}
    for r in recs:
        k = nitems[r["instrument"]]
        check(int(r["n_items"]) == k, "Johnson norms n_items %s for %s" % (r["n_items"], r["instrument"]))
        dim, fl = DOMAIN[r["trait_code"]]
        m, sd = float(r["mean"]) / k, float(r["sd"]) / k
        if fl:
            m = 6.0 - m
        pop = "Johnson IPIP-NEO norms, %s" % r["norm_group"]
        src = JOHNSON_120_SRC if r["instrument"] == "IPIP-NEO-120" else JOHNSON_300_SRC
        rows.append([r["instrument"], dim, pop, "", fmt(m), fmt(sd), "", src])
    # stable sort: keep the file's group order, dimensions in EXT AGR CONS EMO OPEN order
    gi = {}
    for r in rows:
        gi.setdefault((r[0], r[2]), len(gi))
    rows.sort(key=lambda r: (gi[(r[0], r[2])], DIMS.index(r[1])))
    return rows


def bfi_crowd_norms(data):
    pb = [x for x in load_json(data, "psychobench/questionnaires.json") if x["name"] == "BFI"][0]
    check(pb.get("compute_mode") == "AVG", "PsychoBench BFI compute_mode is not AVG")
    nitems = {"EXT": 8, "AGR": 9, "CONS": 9, "EMO": 8, "OPEN": 10}
    rows = []
    for c in pb["categories"]:
        dim, fl = DOMAIN[c["cat_name"].upper()]
        check(len(c["cat_questions"]) == nitems[dim], "BFI %s has %d items" % (dim, len(c["cat_questions"])))
        for cr in c["crowd"]:
            m, sd, n = float(cr["mean"]), float(cr["std"]), int(cr["n"])
            # compute_mode AVG and 1 <= mean <= 5: already per item on 1..5 (a sum would be >= 8).
            check(1.0 <= m <= 5.0 and sd < 2.0, "BFI crowd norm for %s is not per item" % dim)
            if fl:
                m = 6.0 - m
            rows.append(["BFI-44", dim, "PsychoBench BFI-44 '%s' sample" % cr["crowd_name"], str(n), fmt(m), fmt(sd), "",
                         "Huang et al. (2024), PsychoBench questionnaires.json BFI '%s' norm "
                         "(per-item mean/SD, original human study not named there); "
                         "CUHK-ARISE/PsychoBench @d514fb0" % cr["crowd_name"]])
    rows.sort(key=lambda r: DIMS.index(r[1]))
    return rows


def realbehavior_norms():
    src = ("Zhou et al. (2023), RealBehavior, Table 2 'Human InC %s' (Cronbach's alpha of human samples)")
    bfm = [0.91, 0.88, 0.88, 0.91, 0.90]
    neo = [0.89, 0.85, 0.90, 0.90, 0.82]
    rows = []
    for d, a in zip(DIMS, bfm):
        rows.append(["BF-marker-100", d, "human sample reported in RealBehavior Table 2", "", "", "", fmt(a, 2),
                     src % "BFM"])
    for d, a in zip(DIMS, neo):
        rows.append(["IPIP-NEO-120", d, "human sample reported in RealBehavior Table 2", "", "", "", fmt(a, 2),
                     src % "NEO"])
    return rows


def summary_norms(data):
    """Further genuine per-domain human norms from human_norms_summary_DERIVED.csv.

    Kept: published alphas from ipip.ori.org (IPIP-50 E/A; IPIP-NEO-300 N/E/O).
    Skipped (reported): BFI-44 crowd (taken from PsychoBench directly), the
    'IPIP-NEO Crowd' raw item means without reverse keying (MPI, wenkai-li,
    DSI-Capstone), facet-level alphas, the helper's own IPIP-50 computation
    (recomputed here), the unverified third-party IPIP-100 page, Milgram.
    """
    with open(os.path.join(data, "norms/human_norms_summary_DERIVED.csv"), newline="", encoding="utf-8") as f:
        recs = list(csv.DictReader(f))
    name_dim = {"Extraversion": "EXT", "Agreeableness": "AGR", "Conscientiousness": "CONS",
                "Neuroticism": "EMO", "Openness": "OPEN"}
    rows, kept = [], 0
    for r in recs:
        inst, dom_, src = r["instrument"], r["domain"], r["source"]
        if inst == "IPIP-50 (Goldberg BFM)" and r["source_type"].startswith("published") and r["alpha"]:
            rows.append(["IPIP-50", name_dim[dom_], "Goldberg's IPIP reference sample (as reported on ipip.ori.org)",
                         "", "", "", r["alpha"],
                         "Goldberg, IPIP web site, 'Big-Five Factor Markers' key page "
                         "(https://ipip.ori.org/newBigFive5broadKey.htm), alpha of the 10-item scale"])
            kept += 1
        elif inst == "IPIP-NEO-300" and dom_ == "domain alphas":
            # note: "N .95 (NEO-PI-R .93), E .92 (.89), O .92 (.91); A and C not captured"
            for letter, a in re.findall(r"\b([NEOAC]) (\.\d+)", r["note"]):
                dim, _ = DOMAIN[letter]   # alpha is unchanged by reversing every item (N -> EMO)
                rows.append(["IPIP-NEO-300", dim, "IPIP-NEO-300 validation sample (as reported on ipip.ori.org)",
                             "", "", "", fmt(float(a), 2),
                             "Goldberg / Johnson, IPIP web site, IPIP-NEO vs NEO-PI-R comparison table "
                             "(https://ipip.ori.org/newNEO_FacetsTable.htm), alpha of the 60-item domain"])
                kept += 1
        else:
            print("norms: skipped summary row %s / %s (%s)" % (inst, dom_, r["source_type"]))
    print("norms: kept %d rows from human_norms_summary_DERIVED.csv" % kept)
    order = {}
    for r in rows:
        order.setdefault(r[0], len(order))
    rows.sort(key=lambda r: (order[r[0]], DIMS.index(r[1])))
    return rows


def openpsychometrics_norms(data, ipip50_rows):
    key = {r[1]: (r[2], r[3]) for r in ipip50_rows}
    path = os.path.join(data, "chatgpt-behavioral/data/bigfive_data.csv")
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f, delimiter="\t")
        header = [h.strip() for h in next(rd)]
        recs = [[c.strip() for c in rec] for rec in rd if rec]
    check(len(recs) == 19719, "bigfive_data.csv has %d respondents, expected 19719" % len(recs))
    col = {h: i for i, h in enumerate(header)}
    per_dim_items = {d: [c for c in key if key[c][0] == d] for d in DIMS}
    rows = []
    for d in DIMS:
        codes = per_dim_items[d]
        check(len(codes) == 10, "IPIP-50 %s has %d items" % (d, len(codes)))
        scores, itemcols = [], []
        for rec in recs:
            vals = [int(rec[col[c]]) for c in codes]
            if any(v == 0 for v in vals):
                continue
            check(all(1 <= v <= 5 for v in vals), "bigfive_data.csv value out of range")
            keyed = [v if key[c][1] == "+" else 6 - v for c, v in zip(codes, vals)]
            scores.append(sum(keyed) / 10.0)
            itemcols.append(keyed)
        n = len(scores)
        m, sd = statistics.fmean(scores), statistics.stdev(scores)
        # Cronbach's raw alpha of the keyed items over the same complete cases: psych::alpha's
        # raw_alpha (its pairwise covariances are these, the one respondent without answers aside);
        # tests/oracle/norms.R checks it against psych.
        item_var = sum(statistics.variance([row[j] for row in itemcols]) for j in range(len(codes)))
        total_var = statistics.variance([sum(row) for row in itemcols])
        alpha = len(codes) / (len(codes) - 1) * (1 - item_var / total_var)
        # Sanity check of the keys: every keyed item must correlate positively with the rest of its scale.
        for j, c in enumerate(codes):
            x = [row[j] for row in itemcols]
            rest = [sum(row) - row[j] for row in itemcols]
            r = pearson(x, rest)
            check(r > 0.1, "IPIP-50 %s corrected item-total r = %.3f (key wrong?)" % (c, r))
        rows.append(["IPIP-50", d, "openpsychometrics BIG5 2012 respondents", str(n), fmt(m), fmt(sd), fmt(alpha),
                     "computed by tests/oracle/make_fixtures.py from openpsychometrics.org BIG5 (2012) item data "
                     "as redistributed by Mei et al. (2024), ChatGPT-Behavioral (chatgpt-behavioral/data/bigfive_data.csv "
                     "@69ec557); complete cases per dimension (19,718 of the file's 19,719 respondents: one answered "
                     "no item), sample SD of person per-item means; Cronbach's raw alpha (psych::alpha raw_alpha, "
                     "tests/oracle/norms.R)"])
    return rows


def pearson(x, y):
    mx, my = statistics.fmean(x), statistics.fmean(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def compare_helper_ipip50(data, rows):
    """Compare with the data helper's own IPIP-50 numbers (N direction) and report."""
    with open(os.path.join(data, "norms/human_norms_summary_DERIVED.csv"), newline="", encoding="utf-8") as f:
        recs = [r for r in csv.DictReader(f)
                if r["instrument"] == "IPIP-50 (Goldberg BFM)" and r["source_type"] == "computed here"]
    name_dim = {"Extraversion": "EXT", "Agreeableness": "AGR", "Conscientiousness": "CONS",
                "Neuroticism": "EMO", "Openness": "OPEN"}
    mine = {r[1]: r for r in rows}
    for r in recs:
        d = name_dim[r["domain"]]
        hm = float(r["mean"])
        if d == "EMO":
            hm = 6.0 - hm
        o = mine[d]
        diff = abs(float(o[4]) - hm)
        msg = "IPIP-50 %s: here mean %s sd %s n %s; helper summary mean %.3f sd %s n %s (listwise over all 50 items, population SD)" % (
            d, o[4], o[5], o[3], hm, r["sd"], r["n"])
        print(msg)
        if diff > 0.002 or abs(float(o[5]) - float(r["sd"])) > 0.002:
            note("norms", "IPIP-50 %s differs from helper summary by more than rounding: %s" % (d, msg))


# ---------------------------------------------------------------- main
def main(argv):
    data = argv[1] if len(argv) > 1 else os.path.join(REPO, "..", "shared", "data")
    data = os.path.abspath(data)
    print("data: %s\nrepo: %s" % (data, REPO))
    verify_manifest(data, [
        "b5-johnson-120/data/en/questions.json", "five-factor-e/data/IPIP-NEO/120/questions.json",
        "five-factor-e/data/IPIP-NEO/300/questions.json", "mpi/inventories/mpi_120.csv",
        "personality_in_llms/admin_sessions/prod_run_01_external_rating.json",
        "chatgpt-behavioral/data/bigfive.tsv", "chatgpt-behavioral/data/bigfive_IPIP.tsv",
        "chatgpt-behavioral/data/bigfive_data.csv", "psychobench/questionnaires.json",
        "personallm/prompts/bfi_scores.txt", "personallm/prompts/bfi_prompt.txt",
    ])

    banks = os.path.join(REPO, "fixtures", "banks")
    r120 = make_ipip120(data)
    r300 = make_ipip300(data, r120)
    rmpi = make_mpi120(data, r120)
    r50 = make_ipip50(data)
    rbfi = make_bfi(data)
    rpl = make_personallm(data)

    spec = [
        ("ipip-neo-120.csv", r120, 120, dict.fromkeys(DIMS, 24)),
        ("ipip-neo-300.csv", r300, 300, dict.fromkeys(DIMS, 60)),
        ("mpi-120.csv", rmpi, 120, dict.fromkeys(DIMS, 24)),
        ("ipip-50.csv", r50, 50, dict.fromkeys(DIMS, 10)),
        ("bfi-44.csv", rbfi, 44, {"EXT": 8, "AGR": 9, "CONS": 9, "EMO": 8, "OPEN": 10}),
        ("personallm-bfi.csv", rpl, 44, {"EXT": 8, "AGR": 9, "CONS": 9, "EMO": 8, "OPEN": 10}),
    ]
    table = []
    for fname, rows, total, dims in spec:
        s = bank_summary(fname, rows, total, dims)
        table.append((fname, len(rows), s))
        write_csv(os.path.join(banks, fname), BANK_HEADER, rows)
    # BFI-44 and PersonaLLM-BFI share item positions: dimension and key must agree item by item.
    for a, b in zip(rbfi, rpl):
        check((a[2], a[3]) == (b[2], b[3]), "BFI-44 item %s and PersonaLLM-BFI item %s disagree" % (a[1], b[1]))

    op = openpsychometrics_norms(data, r50)
    compare_helper_ipip50(data, op)
    # op before the ipip.ori.org alphas: the report's "Human InC IPIP-50" row takes the first alpha of each
    # dimension, and only op has all five, from one sample
    norms = johnson_norms(data) + bfi_crowd_norms(data) + realbehavior_norms() + op + summary_norms(data)
    for r in norms:
        check(r[1] in DIMS and r[7], "bad norms row %r" % r)
        if r[4]:
            check(1.0 <= float(r[4]) <= 5.0 and 0.0 < float(r[5]) < 2.0, "norm not per item: %r" % r)
    write_csv(os.path.join(REPO, "fixtures", "norms", "norms.csv"), NORM_HEADER, norms)

    print("\nbank summary (dimension: +/-)")
    print("%-20s %5s  %s" % ("file", "items", "  ".join("%-6s" % d for d in DIMS)))
    for fname, n, s in table:
        print("%-20s %5d  %s" % (fname, n, "  ".join("%2d/%-3d" % s[d] for d in DIMS)))
    print("norms.csv: %d rows" % len(norms))
    print("\n%d notes, %d failures" % (len(disagreements), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
