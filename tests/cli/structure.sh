# tests/cli/structure.sh -- psyfaith structure's EFA against tests/oracle/structure_efa.R's values
# (tests/oracle/structure_efa_expected.csv: psych::fa / GPArotation / polycor on the IPIP-50 human fixture and
# the synthetic good / merged / method studies of fixtures/structure/gen_structure.py), to 1e-6.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
S=$PSYFAITH_TOP/fixtures/structure
E=$PSYFAITH_TOP/tests/oracle/structure_efa_expected.csv
pf init --quiet || { fail "init"; finish; }
check_exit "human wide table" 0 pf ingest --wide --set instrument=IPIP-50 --set model=human --missing 0 "$S/ipip50_human_500.tsv"
for m in good merged method; do
    check_exit "study $m" 0 pf ingest --wide --set instrument=IPIP-50 --set model=$m --missing 0 "$S/study_$m.tsv"
done

# compare CONFIG OPTIONS...: every expected row of CONFIG has a psyfaith row within 1e-6, and psyfaith
# gives no other row of those models
compare() {
    cfg=$1; shift
    pf structure --instrument IPIP-50 --format csv "$@" >"$T/got.csv" 2>"$T/err" || { fail "$cfg: exit"; return; }
    awk -F, -v cfg="$cfg" '
        NR == FNR { if ($1 == cfg) { want[$2 "|" $3 "|" $4 "|" $5 "|" $6] = $7; models[$2] = 1; n++
                                     if ($6 == "congruence_human") human[$2] = 1 } next }
        FNR == 1 { next }
        # R fits the human reference only in some configurations: the other congruence_human rows go unchecked
        $10 == "congruence_human" && !($3 in human) { next }
        ($3 in models) { key = $3 "|" $7 "|" $8 "|" $9 "|" $10; got++
            if (!(key in want)) { extra++; if (extra < 4) print "extra row " key; next }
            d = $11 - want[key]; if (d < 0) d = -d
            if (d > 1e-6 || $11 == "") { bad++; if (bad < 6) print key ": " $11 " want " want[key] } else ok++ }
        END { if (bad || extra || ok != n) printf "%s: %d rows ok of %d expected, %d off, %d extra\n", cfg, ok, n, bad, extra
              else print "ok " n }' "$E" "$T/got.csv" >"$T/cmp"
    n=$(grep -c "^$cfg," "$E")
    check_eq "$cfg: every value within 1e-6 of R ($n rows)" "$(cat "$T/cmp")" "ok $n"
}
compare minres/oblimin/pearson
compare minres/varimax/pearson --rotate varimax
compare ml/oblimin/pearson --method ml
compare ml/varimax/pearson --method ml --rotate varimax
compare minres/none/pearson --rotate none
compare minres/oblimin/pearson/6 --factors 6
compare minres/oblimin/polychoric --cor polychoric

finish
