# tests/cli/report_validity.sh -- the report's "Validity diagnostics" section (issue 14 part 6): its
# subsections (option order, acquiescence, reliability beyond alpha), their CSV equal to psyfaith
# metrics' rows and to R (tests/oracle/order/cli.txt), the heading once, --only.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
TOP=${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
check_exit "ingest order fixture" 0 pf ingest "$TOP/tests/cli/data/order.jsonl"
check_exit "report --only validity" 0 pf report --latex rep --csv rep --only validity
check_eq "files" "$(cd rep && ls | grep -v MANIFEST | tr '\n' ' ')" \
    "validity_acq.csv validity_acq.tex validity_order.csv validity_order.tex validity_reliability.csv validity_reliability.tex "
check_eq "heading once, in the first subsection" "$(grep -l 'section\*{Validity diagnostics}' rep/*.tex | tr '\n' ' ')" "rep/validity_order.tex "
check_eq "order rows: 3 subjects x 6 groups" "$(tail -n +2 rep/validity_order.csv | wc -l | tr -d ' ')" 18
check_eq "order csv header" "$(head -n 1 rep/validity_order.csv)" \
    "subject,instrument,dimension,orders,items,mean_other,mean_ref,diff,ci_low,ci_high,t,df,p_t,V,p_wilcoxon,wilcoxon_exact,position_bias,cb_score,condition"
cmp=$(python3 - "$TOP/tests/oracle/order/cli.txt" rep/validity_order.csv <<'PY'
import csv, sys
want = {}
for r in csv.DictReader(open(sys.argv[1])):
    want[(r["metric"], r["instrument_b"], r["dimension"], r["item"])] = r
bad, n = [], 0
for r in csv.DictReader(open(sys.argv[2])):
    k = lambda m: (m, r["orders"], r["dimension"], r["subject"])
    checks = [("order_diff", "value", r["diff"]), ("order_diff", "ci_low", r["ci_low"]), ("order_diff", "ci_high", r["ci_high"]),
              ("order_p_t", "value", r["p_t"]), ("order_p_wilcoxon", "value", r["p_wilcoxon"]),
              ("position_bias", "value", r["position_bias"])]
    for m, col, got in checks:
        w = want[k(m)][col]
        n += 1
        if abs(float(got) - float(w)) > 1e-9:
            bad.append("%s %s %s: %s vs %s" % (m, col, k(m), got, w))
    if r["dimension"]:
        w = want[("cb_score", "", r["dimension"], r["subject"])]["value"] if r["orders"] == "descending vs ascending" or r["subject"] == "shuffle" else None
        if w is not None:
            n += 1
            if abs(float(r["cb_score"]) - float(w)) > 1e-9:
                bad.append("cb %s: %s vs %s" % (k("cb"), r["cb_score"], w))
print("; ".join(bad) if bad else "ok %d" % n)
PY
)
check_eq "order csv equals R (1e-9)" "$cmp" "ok 123"
check_grep "order table: the biased subject, all items" "first & descending vs ascending & 50 &" rep/validity_order.tex
check_eq "acq csv header" "$(head -n 1 rep/validity_acq.csv)" \
    "instrument,dimension,model,acq_share,trait_share,acq_mean,contradiction_rate,flagged,condition"
# the all-subjects row is metrics' rows
check_exit "metrics acq" 0 pf metrics --metric acq_mean,contradiction_rate --format csv
check_eq "acq_mean of AGR as metrics" "$(grep '^IPIP-50,AGR,,' rep/validity_acq.csv | cut -d, -f6)" \
    "$(grep '^acq_mean,IPIP-50,,AGR,' "$T/out" | cut -d, -f6)"
check_eq "contradiction of EMO as metrics" "$(grep '^IPIP-50,EMO,,' rep/validity_acq.csv | cut -d, -f7)" \
    "$(grep '^contradiction_rate,IPIP-50,,EMO,' "$T/out" | cut -d, -f6)"
check_exit "metrics beyond alpha" 0 pf metrics --metric InC,omega_total,lambda6 --format csv
for d in EXT AGR CONS EMO OPEN; do
    check_eq "reliability $d as metrics" "$(grep "^IPIP-50,$d," rep/validity_reliability.csv | cut -d, -f3-5)" \
        "$(for m in InC omega_total lambda6; do grep "^$m,IPIP-50,,$d," "$T/out" | cut -d, -f6; done | paste -sd, -)"
done
check_grep "flagged items listed" "A8 (-0.88), A9 (-0.47)" rep/validity_reliability.csv
# --only one subsection: only its files, with the heading
check_exit "report --only validity_acq" 0 pf report --latex rep2 --csv rep2 --only validity_acq
check_eq "one subsection" "$(cd rep2 && ls | grep -v MANIFEST | tr '\n' ' ')" "validity_acq.csv validity_acq.tex "
check_grep "heading in it" 'section*{Validity diagnostics}' rep2/validity_acq.tex
check_exit "unknown part" 2 pf report --latex rep3 --only validity_nope
# the LaTeX table stops at 40 subject rows (a float cannot break across pages); the CSV has all: 45
# subjects with both orders, each under 'sub-N'
for i in $(seq 1 45); do
    for k in 1 2 3 4 5 6 7 8 9 10; do
        printf '{"model":"many","persona":"sub-%d","instrument":"IPIP-50","item":"A%d","option":%d,"option_order":"ascending"}\n' "$i" "$k" $((1 + (i + k) % 5))
        printf '{"model":"many","persona":"sub-%d","instrument":"IPIP-50","item":"A%d","option":%d,"option_order":"descending"}\n' "$i" "$k" $((1 + (i + 2 * k) % 5))
    done
done >many.jsonl
"$PSYFAITH" init --db many.db --quiet
check_exit "ingest 45 subjects" 0 "$PSYFAITH" ingest --db many.db many.jsonl
check_exit "report, 45 subjects" 0 "$PSYFAITH" report --db many.db --latex rep5 --csv rep5 --only validity_order
check_eq "40 table rows" "$(grep -c 'descending vs ascending' rep5/validity_order.tex)" 40
check_grep "the rest named" "5 more rows in validity\_order.csv." rep5/validity_order.tex
check_eq "90 CSV rows (AGR and all items, per subject)" "$(tail -n +2 rep5/validity_order.csv | wc -l | tr -d ' ')" 90
# one order only: the order subsection says so
q "DELETE FROM response WHERE option_order = 'descending' OR presented IS NOT NULL"
check_exit "report, one order" 0 pf report --latex rep4 --csv rep4 --only validity_order
check_grep "no order effect sentence" "No subject answered an item under two or more option orders" rep4/validity_order.tex
check_eq "no order rows" "$(tail -n +2 rep4/validity_order.csv | wc -l | tr -d ' ')" 0
finish
