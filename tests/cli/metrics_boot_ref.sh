#!/bin/sh
# metrics --bootstrap (issue 16): the replicates of complete blocks no longer copy rows (weighted
# sums over the distinct subjects, smc through the Gram matrix, minres from the sample's loadings,
# no F bounds inside replicates).  Their intervals must stay those of the row-copy code: the rows
# of tests/oracle/boot/metrics_boot200_seed5.csv (written by that code, see its README), to 1e-9,
# with no interval lost or gained; and byte-identical at 1, 2 and 3 threads.
. "$(dirname "$0")/../lib.sh"
REF="$PSYFAITH_TOP/tests/oracle/boot/metrics_boot200_seed5.csv"
PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null 2>&1; then
    echo "skipped: no python3 for the study generator"
    finish
fi
"$PY" "$PSYFAITH_TOP/bench/gen_metrics_study.py" --subjects 20 --reps 3 --seed 7 "$T/study.jsonl"
check_eq "generated 20 x 558 x 3 responses" "$(wc -l <"$T/study.jsonl" | tr -d ' ')" 33480
pf init --quiet
check_exit "ingest" 0 pf ingest --quiet "$T/study.jsonl"
for t in 1 2 3; do
    check_exit "bootstrap 200, --threads $t" 0 pf metrics --format csv --bootstrap 200 --seed 5 --threads "$t"
    cp "$T/out" "$T/t$t.csv"
done
check_eq "2 threads: the bytes of 1 thread" "$(cmp -s "$T/t1.csv" "$T/t2.csv" && echo same)" same
check_eq "3 threads: the bytes of 1 thread" "$(cmp -s "$T/t1.csv" "$T/t3.csv" && echo same)" same
"$PY" - "$REF" "$T/t1.csv" >"$T/cmp" 2>&1 <<'EOF_PY'
import csv, sys
ref = list(csv.reader(open(sys.argv[1])))
got = list(csv.reader(open(sys.argv[2])))
h, g = ref[0], got[0]
key = lambda r, hh: tuple(r[hh.index(c)] for c in ('metric', 'instrument', 'instrument_b', 'dimension', 'item', 'condition'))
have = {key(r, g): r for r in got[1:]}
checked = missing = bad = 0
worst = 0.0
for r in ref[1:]:
    k = key(r, h)
    if k not in have:
        missing += 1
        continue
    for c in ('value', 'ci_low', 'ci_high'):
        a, b = r[h.index(c)], have[k][g.index(c)]
        checked += 1
        if a == b:
            continue
        if a == '' or b == '':
            bad += 1
            print('defined in one only:', k, c, repr(a), repr(b))
            continue
        d = abs(float(a) - float(b))
        worst = max(worst, d)
        if d > 1e-9:
            bad += 1
            print('differs:', k, c, a, b)
names = set(r[0] for r in ref[1:])
extra = sum(1 for r in got[1:] if r[0] in names and key(r, g) not in {key(x, h) for x in ref[1:]} and r[g.index('ci_low')] != '')
print('checked %d missing %d bad %d extra %d' % (checked, missing, bad, extra))
EOF_PY
check_grep "every stored value and interval within 1e-9, none lost or gained" "checked 4053 missing 0 bad 0 extra 0" "$T/cmp"
finish
