# tests/cli/audit_validity.sh -- the audit claims of issue 14: `DIM robust to order` (no option-order
# effect at --alpha, Bonferroni over the paired t and Wilcoxon tests of every comparison in scope)
# and `DIM not acquiescent` (acq_share <= trait_share over the subjects in scope, the rule of the
# metrics --summary warning); each with a passing and a failing model and a not-measurable one.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
TOP=${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
verdict() {  # MODEL -> "verdict,value,n" of the claim in $T/out
    python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["model"] == sys.argv[2]:
        print("%s,%s,%s" % (r["verdict"], r["value"], r["n"]))' "$T/out" "$1"
}

# --- robust to order: tests/cli/data/order.jsonl (sym: no effect, first: a position bias, asc: one order)
check_exit "ingest order fixture" 0 pf ingest "$TOP/tests/cli/data/order.jsonl"
check_exit "audit robust to order: exit 1 (not all supported)" 1 pf audit --bootstrap 0 --format csv --claim "AGR robust to order"
check_eq "sym: supported (p values of R: t 0.8227, Wilcoxon 1)" "$(verdict sym)" "supported,1,1"
check_eq "first: contradicted, 2 x the smallest p (R: t.test p 0.00018126273512634862)" "$(verdict first)" \
    "contradicted,0.00036252547025269723,1"
check_eq "asc: not measurable" "$(verdict asc)" "not measurable,,0"
check_grep "asc: why" "too little data: no subject of asc in scope answered AGR items under two option orders" "$T/out"
check_grep "evidence names the comparison" "first descending vs ascending: diff 1.3 over 10 items, p_t 0.0001813, p_wilcoxon 0.007412" "$T/out"
# a stricter alpha turns the permutation subject's borderline effect around: shuffle's smallest p
# (t 0.03825) x 2 = 0.0765: supported at 0.05, contradicted at 0.1
check_exit "audit --alpha 0.1" 1 pf audit --bootstrap 0 --format csv --alpha 0.1 --claim "AGR robust to order"
check_eq "shuffle at alpha 0.1" "$(verdict shuffle | cut -d, -f1)" "contradicted"
check_exit "audit --alpha 0.05" 1 pf audit --bootstrap 0 --format csv --claim "AGR robust to order"
check_eq "shuffle at alpha 0.05" "$(verdict shuffle | cut -d, -f1)" "supported"
check_exit "sym alone: every claim supported, exit 0" 0 pf audit --bootstrap 0 --format csv --model sym --claim "AGR robust to order"
q "DELETE FROM response; DELETE FROM subject; DELETE FROM source"

# --- not acquiescent: 'yes' agrees more or less with everything (A varies, T almost constant);
# 'honest' answers by its trait (T varies, A almost constant); 'solo' is one subject
{
    for i in 1 2 3 4 5; do
        for k in 1 2 3 4 5 6 7 8 9 10; do
            yes=$i; [ "$k" = 1 ] && [ "$i" -lt 5 ] && yes=$((i + 1))
            t=$((i - 3)); case "A2 A4 A6 A8 A9 A10" in *"A$k "*|*"A$k") h=$((3 + t));; *) h=$((3 - t));; esac
            [ "$k" = 3 ] && [ "$i" = 2 ] && h=$((h + 1))
            printf '{"model":"yes","persona":"p%d","instrument":"IPIP-50","item":"A%d","option":%d}\n' "$i" "$k" "$yes"
            printf '{"model":"honest","persona":"p%d","instrument":"IPIP-50","item":"A%d","option":%d}\n' "$i" "$k" "$h"
        done
    done
    for k in 1 2 3 4 5 6 7 8 9 10; do
        printf '{"model":"solo","instrument":"IPIP-50","item":"A%d","option":4}\n' "$k"
    done
} >acq.jsonl
check_exit "ingest acq" 0 pf ingest acq.jsonl
check_exit "audit not acquiescent" 1 pf audit --bootstrap 0 --format csv --claim "AGR not acquiescent"
check_eq "yes: contradicted" "$(verdict yes | cut -d, -f1,3)" "contradicted,5"
check_eq "honest: supported" "$(verdict honest | cut -d, -f1,3)" "supported,5"
check_eq "solo: not measurable" "$(verdict solo | cut -d, -f1)" "not measurable"
check_grep "yes: why" "acquiescence explains more of the score than the trait (acq_share" "$T/out"
yes_value=$(verdict yes | cut -d, -f2)
# the value is metrics' acq_share over the same subjects (a store with model yes only)
q "DELETE FROM response WHERE subject_id IN (SELECT id FROM subject WHERE model <> 'yes')"
check_exit "metrics acq_share" 0 pf metrics --metric acq_share --format csv
check_eq "audit value = metrics acq_share" "$(grep '^acq_share,IPIP-50,,AGR,' "$T/out" | cut -d, -f6)" "$yes_value"
check_exit "metrics --summary warns for yes" 0 pf metrics --summary --format csv
check_grep "summary warning" "warning: acquiescence explains more of the score than the trait" "$T/out"
finish
