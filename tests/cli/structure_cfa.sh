# tests/cli/structure_cfa.sh -- psyfaith structure --cfa against tests/oracle/structure_cfa_cli.R's lavaan values
# (tests/oracle/structure_cfa_expected.csv: lavaan::cfa per model and the invariance steps across models on the
# IPIP-50 human fixture and the synthetic good / merged / method studies), to 1e-6 (relative above 1).
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
S=$PSYFAITH_TOP/fixtures/structure
E=$PSYFAITH_TOP/tests/oracle/structure_cfa_expected.csv
pf init --quiet || { fail "init"; finish; }
check_exit "human wide table" 0 pf ingest --wide --set instrument=IPIP-50 --set model=human --missing 0 "$S/ipip50_human_500.tsv"
for m in good method; do
    check_exit "study $m" 0 pf ingest --wide --set instrument=IPIP-50 --set model=$m --missing 0 "$S/study_$m.tsv"
done

# compare MODEL-REGEX: every expected row of those models has its psyfaith row within 1e-6 (relative above 1);
# NAME.se rows are the se column of NAME's row; NAME~ rows (lavaan's uniroot interval) within 1e-3
compare() {
    awk -F, -v models="$1" '
        NR == FNR { if (FNR > 1 && $1 ~ models) { want[$1 "|" $2 "|" $3 "|" $4 "|" $5 "|" $6] = $7; n++ } next }
        FNR == 1 { next }
        $1 == "cfa" || $1 == "invariance" {
            k = $3 "|" $6 "|" $7 "|" $8 "|" $9 "|" $10
            if (k in want) chk(k, $11, 1e-6)
            if ((k ".se") in want) chk(k ".se", $12, 1e-6)
            if ((k "~") in want) chk(k "~", $11, 1e-3)
            if ($10 == "fit" && $3 ~ models) { if (k in want) { if ($11 != "") bad++ } else extra++ } }
        function chk(key, got, tol,   w, d) { w = want[key]; seen++
            if (w == "NA") { if (got != "") bad++; return }
            d = got - w; if (d < 0) d = -d; s = w < 0 ? -w : w; if (s < 1) s = 1
            if (got == "" || d > tol * s) { bad++; if (bad < 6) print key ": " got " want " w } }
        END { if (bad || extra || seen != n) printf "%d of %d expected values checked, %d off, %d undefined fits not expected\n", seen, n, bad, extra
              else print "ok " n }' "$E" "$T/got.csv"
}

check_exit "--cfa, three models" 0 pf structure --instrument IPIP-50 --format csv --cfa
cp "$T/out" "$T/got.csv"
n=$(grep -cE '^(human|good|method|all),' "$E")
check_eq "cfa and invariance: every value within 1e-6 of lavaan ($n values)" "$(compare '^(human|good|method|all)$')" "ok $n"
check_eq "cfa rows of each model: 13 fit measures, 50 loadings, 50 residual variances, 10 correlations" \
    "$(awk -F, '$1 == "cfa" { c[$3]++ } END { for (m in c) print m, c[m] }' "$T/out" | sort | tr '\n' ';')" \
    "good 123;human 123;method 123;"
check_eq "invariance rows: 3 x 13 fit measures + 2 x 4 step tests, model all" \
    "$(awk -F, '$1 == "invariance" { c[$3]++ } END { for (m in c) print m, c[m] }' "$T/out")" "all 47"
check_grep "a CFI drop of .01 or more is named" "delta_cfi,-0.0197443228" "$T/out"
check_grep "Chen's criterion in the note" "not invariant (Chen 2007)" "$T/out"
check_eq "EFA rows still there" "$(grep -c '^efa,IPIP-50,human,.*,loading,' "$T/out")" 250
check_exit "without --cfa: no cfa rows" 0 pf structure --instrument IPIP-50 --format csv
check_eq "no cfa or invariance rows without --cfa" "$(grep -c '^cfa\|^invariance' "$T/out")" 0

# A Heywood case: the merged study (EXT and AGR one dimension) is one 'fit' row, no numbers, and the
# invariance across models including it is one row too
check_exit "merged study" 0 pf ingest --wide --set instrument=IPIP-50 --set model=merged --missing 0 "$S/study_merged.tsv"
check_exit "--cfa with the merged study" 0 pf structure --instrument IPIP-50 --format csv --cfa
cp "$T/out" "$T/got.csv"
check_grep "merged: Heywood row with the dimensions" \
    "cfa,IPIP-50,merged,,subjects,ml,,,,fit,,,191,Heywood case: EXT and AGR correlate -1.011 (|r| > 1)" "$T/out"
check_eq "merged: no numbers" "$(grep -c '^cfa,IPIP-50,merged,' "$T/out")" 1
check_grep "invariance with merged: one undefined row" \
    "invariance,IPIP-50,all,,subjects,configural,,,,fit,,,1049,Heywood case: EXT and AGR correlate -1.011 (|r| > 1) in a group" "$T/out"
check_eq "the other models unchanged" "$(compare '^(human|good|method|merged)$')" \
    "ok $(grep -cE '^(human|good|method|merged),' "$E")"
check_exit "--by all --cfa: one pooled CFA, no invariance" 0 pf structure --instrument IPIP-50 --format csv --cfa --by all
check_eq "pooled: cfa rows of model all, no invariance rows" \
    "$(awk -F, '$1 == "cfa" || $1 == "invariance" { print $1, $3 }' "$T/out" | sort -u | tr '\n' ';')" "cfa all;"
# The report part: a fit table per model, misfit in bold, the Heywood case as its reason, invariance below
check_exit "report structure_fit" 0 pf report --only structure_fit --latex "$T/tex" --csv "$T/csv"
check_eq "report CSV: one row per model and the undefined invariance" \
    "$(cut -d, -f3,4 "$T/csv/structure_fit.csv" | tr '\n' ';')" "model,n;good,183;human,500;merged,191;method,175;configural,1049;"
check_grep "report: the human CFI below .90 in bold" "human & 500 & 3963.4 & 1165 & \\textbf{0.733}" "$T/tex/structure_fit.tex"
check_grep "report: good fit not bold" "good & 183 & 1250.6 & 1165 & 0.975 & 0.974 & 0.020 [0.005, 0.029]" "$T/tex/structure_fit.tex"
check_grep "report: Heywood as its reason" "Heywood case: EXT and AGR correlate" "$T/tex/structure_fit.tex"
check_exit "--help names --cfa" 0 pf structure --help
check_grep "--help" "--cfa" "$T/out"
# Invariance across too many models is not fitted (the dense information matrix grows as the cube of the
# free parameters: 12 models of IPIP-NEO-120 took many minutes in a report): one row saying why.
# Seven IPIP-50 models of 160 free parameters each (1,120 > 1,000), in a store of their own.
check_exit "a store for seven models" 0 "$PSYFAITH" init --db "$T/many.db" --quiet
check_exit "seven models" 0 sh -c 'for m in 1 2 3 4 5 6 7; do "$0" ingest --db "$2" --quiet --wide --set instrument=IPIP-50 \
    --set model=copy$m --missing 0 "$1" || exit 1; done' "$PSYFAITH" "$S/study_good.tsv" "$T/many.db"
check_exit "--cfa over seven models" 0 "$PSYFAITH" structure --db "$T/many.db" --instrument IPIP-50 --format csv --cfa
check_eq "seven models: the per-model fits are there" "$(grep -c '^cfa,IPIP-50,copy[0-9],,subjects,ml,,,,cfi,' "$T/out")" 7
check_grep "seven models: invariance not fitted, with the reason" \
    "invariance,IPIP-50,all,,subjects,configural,,,,fit,,,1281,\"not fitted: 7 models x 50 items is 1120 free parameters (the limit is 1000)" "$T/out"
check_eq "seven models: no invariance numbers" "$(grep -c '^invariance,' "$T/out")" 1

finish
