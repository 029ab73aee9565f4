# tests/cli/order.sh -- `psyfaith metrics --metric order` (issue 14 part 1) against R: the order
# effects of tests/cli/data/order.jsonl (made by tests/oracle/order/make_order_fixture.py) equal the
# values tests/oracle/order.R computed from the raw records (tests/oracle/order/cli.txt) to 1e-9.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
TOP=${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
check_exit "ingest" 0 pf ingest "$TOP/tests/cli/data/order.jsonl"
check_exit "metrics --metric order" 0 pf metrics --metric order --format csv
cp "$T/out" order.csv
check_eq "header" "$(head -n 1 order.csv)" "metric,instrument,instrument_b,dimension,item,value,ci_low,ci_high,n,note,condition"
check_eq "rows: 3 subjects with 2 orders (asc has one)" "$(tail -n +2 order.csv | wc -l | tr -d ' ')" 87
check_eq "no row for the one-order subject" "$(grep -c ',asc,' order.csv)" 0
cmp=$(python3 - "$TOP/tests/oracle/order/cli.txt" order.csv <<'PY'
import csv, sys
want = {}
for r in csv.DictReader(open(sys.argv[1])):
    want[(r["metric"], r["instrument_b"], r["dimension"], r["item"])] = r
got = {}
for r in csv.DictReader(open(sys.argv[2])):
    got[(r["metric"], r["instrument_b"] if r["metric"] != "cb_score" else "", r["dimension"], r["item"])] = r
bad = []
for k, w in want.items():
    g = got.get(k)
    if g is None:
        bad.append("missing %s" % (k,)); continue
    if g["n"] != w["n"]:
        bad.append("n %s: %s vs %s" % (k, g["n"], w["n"]))
    for c in ("value", "ci_low", "ci_high"):
        if (g[c] == "") != (w[c] == ""):
            bad.append("%s %s: '%s' vs '%s'" % (c, k, g[c], w[c]))
        elif w[c] != "" and abs(float(g[c]) - float(w[c])) > 1e-9:
            bad.append("%s %s: %s vs %s" % (c, k, g[c], w[c]))
if len(got) != len(want):
    bad.append("rows %d vs R %d" % (len(got), len(want)))
print("; ".join(bad) if bad else "ok %d" % len(want))
PY
)
check_eq "every value equals R (1e-9)" "$cmp" "ok 87"
# the position-biased model shows it, the symmetric one does not
pb() { grep "^position_bias,IPIP-50,descending vs ascending,,$1," order.csv | cut -d, -f6; }
check_eq "position bias of 'first' is large" "$(pb first | awk '{print ($1 > 0.3)}')" 1
check_eq "position bias of 'sym' is small" "$(pb sym | awk '{print ($1 < 0.1 && $1 > -0.1)}')" 1
check_grep "wilcoxon note names the method" "(3 zero dropped), normal approximation with continuity correction (ties and zero differences)" order.csv
# one metric only; the table format; --level moves the t CI
check_exit "--metric position_bias" 0 pf metrics --metric position_bias --format csv
check_eq "position_bias only" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u)" "position_bias"
check_exit "table" 0 pf metrics --metric order_diff --format table
check_grep "table has the subject" "first" "$T/out"
check_exit "--level 0.9" 0 pf metrics --metric order_diff --level 0.9 --format csv
check_eq "90% CI of first (all items) from R" "$(grep '^order_diff,IPIP-50,descending vs ascending,,first,' "$T/out" | cut -d, -f7,8)" \
    "1.2950238929661524,1.5849761070338475"   # R: t.test(x, y, paired = TRUE, conf.level = 0.9)
# a store with one order: no rows, no error
q "DELETE FROM response WHERE option_order = 'descending' OR presented IS NOT NULL"
check_exit "one order only" 0 pf metrics --metric order --format csv
check_eq "no rows" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 0
finish
