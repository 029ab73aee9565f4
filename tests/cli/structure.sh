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
    case $cfg in personallm/*) ins=PersonaLLM-BFI ;; *) ins=IPIP-50 ;; esac
    pf structure --instrument $ins --format csv "$@" >"$T/got.csv" 2>"$T/err" || { fail "$cfg: exit"; return; }
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
compare minres/oblimin/pearson/1 --factors 1
compare ml/oblimin/pearson/2 --factors 2 --method ml
compare minres/oblimin/polychoric --cor polychoric
# (c) PersonaLLM's gpt-4-0613 on the BFI: 32 personas x 10 runs
check_exit "PersonaLLM ingest" 0 pf ingest --quiet --profile personallm-bfi --set model=gpt-4-0613 \
    "$PSYFAITH_TOP"/fixtures/transcripts/personallm-gpt-4-0613/*.json
compare personallm/runs/minres/oblimin/pearson --units runs
compare personallm/subjects/minres/oblimin/pearson --units subjects
compare personallm/runs/ml/varimax/pearson --units runs --method ml --rotate varimax

# Groups, units and undefined fits
pf structure --instrument IPIP-50 --format csv --by all >"$T/all.csv" 2>"$T/err"
check_eq "--by all: one pooled group of 500 + 3 x 300 respondents" \
    "$(awk -F, 'NR > 1 && $10 == "loading" { print $3 " " $13 }' "$T/all.csv" | sort -u)" "all 1400"
pf structure --instrument IPIP-50 --format csv --units runs >"$T/runs.csv" 2>"$T/err"
check_eq "--units runs on one-repetition wide tables: the same respondents" \
    "$(awk -F, 'NR > 1 && $10 == "loading" { print $3 " " $5 " " $13 }' "$T/runs.csv" | sort -u | tr '\n' ';')" \
    "good runs 300;human runs 500;merged runs 300;method runs 300;"
check_exit "--factors 50 of 50 items" 0 pf structure --instrument IPIP-50 --format csv --factors 50
check_grep "undefined with why, no numbers" ",good,,subjects,minres/oblimin/pearson,,,,efa,,,300,undefined: 50 factors need more usable items than 50" "$T/out"
check_eq "--factors 50: no loading rows" "$(grep -c ',loading,' "$T/out")" 0
check_exit "--condition without respondents" 0 pf structure --condition nope
check_grep "--condition note" "psyfaith: no respondents in condition nope" "$T/err"
check_eq "--condition nope: the header only" "$(wc -l <"$T/out")" 1
check_exit "--condition baseline" 0 pf structure --condition baseline --instrument IPIP-50 --format csv
check_eq "--condition baseline = every group here" "$(grep -c ',loading,' "$T/out")" 1000
check_exit "--human nobody" 0 pf structure --instrument IPIP-50 --format csv --human nobody
check_eq "--human nobody: no congruence_human rows" "$(grep -c ',congruence_human,' "$T/out")" 0
check_eq "--human nobody: the human respondents are a model like any other" "$(grep -c '^efa,IPIP-50,human,.*,loading,' "$T/out")" 250
check_exit "table format" 0 pf structure --instrument IPIP-50 --format table --by all
check_grep "table header" "analysis  instrument  model" "$T/out"

# Usage errors: exit 2, nothing on stdout; an unknown instrument: exit 1 before any output
for bad in "--units votes" "--by persona" "--factors 0" "--factors x" "--method pa" "--rotate promax" \
           "--cor spearman" "--format xml" "extra"; do
    # shellcheck disable=SC2086
    check_exit "usage: $bad" 2 pf structure $bad
    check_eq "usage: $bad: no output" "$(wc -c <"$T/out")" 0
done
check_exit "unknown instrument" 1 pf structure --instrument NOPE --format csv
check_eq "unknown instrument: nothing written" "$(wc -c <"$T/out")" 0
check_grep "unknown instrument message" "psyfaith: error: no instrument 'NOPE' in the store" "$T/err"
check_exit "--help" 0 pf structure --help
check_grep "--help names the columns" "analysis,instrument,model,condition,units,method,factor,factor_b,item,statistic,value,se,n,note" "$T/out"

# Repetitions: the demo study's subjects answer in several runs; --units runs has a respondent per
# (subject, repetition) with an ok answer to the instrument, --units subjects one per subject
check_exit "demo study" 0 pf ingest "$PSYFAITH_TOP/fixtures/demo/study.jsonl"
want_runs=$(q "SELECT count(*) FROM (SELECT DISTINCT r.subject_id, r.rep FROM response r JOIN item i ON i.id = r.item_id
               JOIN instrument n ON n.id = i.instrument_id JOIN subject s ON s.id = r.subject_id
               WHERE n.name = 'BFI-44' AND r.status = 'ok' AND s.condition IS NULL AND s.model <> 'human'
               AND s.model NOT IN ('good', 'merged', 'method'))")
want_subj=$(q "SELECT count(DISTINCT r.subject_id) FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n
               ON n.id = i.instrument_id JOIN subject s ON s.id = r.subject_id WHERE n.name = 'BFI-44' AND r.status = 'ok'
               AND s.condition IS NULL")
pf structure --instrument BFI-44 --format csv --units runs --by all >"$T/demo.csv" 2>"$T/err"
check_eq "runs: respondents = (subject, rep) pairs" "$(awk -F, 'NR == 2 { print $13 }' "$T/demo.csv")" "$want_runs"
pf structure --instrument BFI-44 --format csv --by all >"$T/demo.csv" 2>"$T/err"
check_eq "subjects: respondents = subjects" "$(awk -F, 'NR == 2 { print $13 }' "$T/demo.csv")" "$want_subj"

finish
