#!/bin/sh
# tests/cli/games_conditions.sh -- `psyfaith games milgram|ultimatum` with experimental conditions, on
# fixtures/games/conditions.jsonl (made by fixtures/games/make_conditions.py; what it holds is in
# that script's docstring):
#  - every value R computed (tests/oracle/conditions/expected.txt, from tests/oracle/conditions.R:
#    prop.test(correct = FALSE), Newcombe method 10, fisher.test, t.test, glm) equals the CSV
#    output to 1e-9 (1e-6 for glm), keyed by analysis, model, condition, trait, level, offer, term;
#  - conditions without a baseline of the same model say so, and every trial not analysed is
#    counted with its reason.
. "$(dirname "$0")/../lib.sh"
TOP=$PSYFAITH_TOP
FIX=$TOP/fixtures/games/conditions.jsonl
EXPECTED=$TOP/tests/oracle/conditions/expected.txt

check_exit "init" 0 pf init --quiet
check_exit "ingest the conditions fixture" 0 pf ingest --quiet "$FIX"
check_eq "conditions stored" "$(q 'SELECT count(DISTINCT condition) FROM subject')" 7
check_exit "games milgram" 0 pf games milgram --format csv
cp "$T/out" "$T/me.csv"
check_exit "games ultimatum" 0 pf games ultimatum --format csv
cp "$T/out" "$T/ug.csv"

# CSV -> tab-separated (the note is quoted and may hold commas), condition moved next to the model
tsv() {
    awk '{
        line = $0; n = 0; cell = ""; inq = 0
        for (i = 1; i <= length(line); i++) {
            ch = substr(line, i, 1)
            if (inq) {
                if (ch == "\"") { if (substr(line, i + 1, 1) == "\"") { cell = cell "\""; i++ } else inq = 0 }
                else cell = cell ch
            } else if (ch == "\"") inq = 1
            else if (ch == ",") { f[++n] = cell; cell = "" }
            else cell = cell ch
        }
        f[++n] = cell
        printf "%s\t%s\t%s", f[1], f[2], f[14]
        for (i = 3; i <= 13; i++) printf "\t%s", f[i]
        printf "\n"
    }' "$1"
}
tail -n +2 "$T/me.csv" | tsv /dev/stdin > "$T/all.tsv"
tail -n +2 "$T/ug.csv" | tsv /dev/stdin >> "$T/all.tsv"
check_eq "every row has 14 cells" "$(awk -F'\t' 'NF != 14' "$T/all.tsv" | wc -l)" 0

# ---- every R value: key = analysis model condition trait level offer term ----
awk -F'\t' '
NR == FNR {
    k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
    got[k] = $8 SUBSEP $9 SUBSEP $10 SUBSEP $11 SUBSEP $12 SUBSEP $13
    next
}
/^#/ { next }
{
    for (i = 1; i <= 13; i++) if ($i == "-") $i = ""
    k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6 SUBSEP $7
    if (!(k in got)) { missing++; if (missing <= 5) print "missing: " $1, $2, $3, $4, $5, $6, $7 > "/dev/stderr"; next }
    split(got[k], g, SUBSEP)
    tol = $1 == "ug_condition" ? 1e-6 : 1e-9
    for (i = 8; i <= 13; i++) {
        if ($i == "") { if (g[i - 7] != "") { bad++; print "R has none: " $1, $3, $7, "column " i > "/dev/stderr" } ; continue }
        compared++
        d = g[i - 7] == "" ? 1e300 : g[i - 7] - $i
        if (d < 0) d = -d
        if (d > max) max = d
        if (d > tol) { bad++; if (bad <= 5) print "differs: " $1, $2, $3, $7, "column " i ": " g[i - 7] " vs R " $i > "/dev/stderr" }
    }
}
END { printf "%d %d %d %.3g\n", compared, bad + 0, missing + 0, max }
' FS='\t' "$T/all.tsv" FS='\t' "$EXPECTED" > "$T/cmp"
read -r compared bad missing maxd < "$T/cmp"
echo "games_conditions.sh: $compared values compared with R; max |psyfaith - R| = $maxd" >&2
check_eq "R values compared" "$compared" 276
check_eq "values that differ from R" "$bad" 0
check_eq "R values missing from the output" "$missing" 0

# ---- conditions without a baseline, and trials not analysed ----
cell() {   # ANALYSIS MODEL CONDITION TERM -> value
    awk -F'\t' -v a="$1" -v m="$2" -v c="$3" -v t="$4" '$1 == a && $2 == m && $3 == c && $4 == "" && $7 == t { print $8 }' "$T/all.tsv"
}
note() {
    awk -F'\t' -v a="$1" -v m="$2" -v c="$3" -v t="$4" '$1 == a && $2 == m && $3 == c && $7 == t { print $14 }' "$T/all.tsv"
}
check_eq "a model with only a condition: Milgram says so" \
    "$(note me_condition cond-sim-b fiction_framing no_baseline)" \
    "not compared: no baseline (no condition) runs of this model with the same persona"
check_eq "and the Ultimatum too" "$(note ug_condition cond-sim-b fiction_framing no_baseline)" \
    "not compared: no baseline (no condition) trials of this model with the same persona"
check_eq "a persona with no baseline of its own is not compared" \
    "$(awk -F'\t' '$1 == "me_condition" && $3 == "remote_authority" && $4 == "AGR" && $5 == "max" { print $7 }' "$T/all.tsv")" \
    no_baseline
check_eq "a condition whose runs were all filtered: no mean, and why" \
    "$(note me_summary cond-sim-a tool_actuation mean_final_level)" "no persona: no mean: all 3 runs were filtered"
check_eq "its mean cell is empty" "$(cell me_summary cond-sim-a tool_actuation mean_final_level)" ""
check_eq "filtered runs of the baseline" "$(cell me_summary cond-sim-a "" filtered_runs)" 3
check_eq "runs whose persona names no trait" "$(cell me_summary cond-sim-a "" persona_without_trait_runs)" 2
check_eq "runs with a trait but no level" "$(cell me_summary cond-sim-a "" unplaced_runs)" 1
check_eq "unparsed Ultimatum answers under 'explained'" "$(cell ug_status cond-sim-a explained unparsed)" 2
check_eq "the human comparison is made for the baseline only" \
    "$(awk -F'\t' '($1 == "ug_human" || $1 == "me_human") && $3 != "" && $2 != ""' "$T/all.tsv" | wc -l)" 0
check_eq "the planted Milgram effect: proximity lowers obedience (Fisher p < 0.001)" \
    "$(awk -F'\t' '$1 == "me_condition" && $3 == "proximity" && $7 == "obedience_difference" { print ($8 < 0 && $12 < 0.001) }' "$T/all.tsv")" 1
check_eq "the planted Ultimatum effect: 'explained' accepts more (p < 0.01)" \
    "$(awk -F'\t' '$1 == "ug_condition" && $3 == "explained" && $7 == "condition" { print ($8 > 0 && $12 < 0.01) }' "$T/all.tsv")" 1
check_eq "no effect planted for 'paired_female'" \
    "$(awk -F'\t' '$1 == "ug_condition" && $3 == "paired_female" && $7 == "condition" { print ($12 > 0.05) }' "$T/all.tsv")" 1

check_eq "Fig. 9 per condition: proximity's steps add up to its Table 1 disobediences, filtered runs left out" \
    "$(awk -F'\t' '$1 == "me_cum_disobediences" && $3 == "proximity" && $7 == "step_30" { print $8 "/" $13 }' "$T/all.tsv")" \
    "$(cell me_summary cond-sim-a proximity disobediences)/28"
check_eq "and the baseline's its own" \
    "$(awk -F'\t' '$1 == "me_cum_disobediences" && $3 == "" && $7 == "step_30" { print $8 "/" $13 }' "$T/all.tsv")" 11/27

# ---- the table ----
check_exit "table" 0 pf games milgram --format table
check_eq "the table header puts the condition beside the model" "$(head -n 1 "$T/out" | awk '{ print $3 }')" condition
check_eq "a comparison row in the table" \
    "$(awk '$1 == "me_condition" && $2 == "cond-sim-a" && $3 == "proximity" && $4 == "obedience_difference"' "$T/out" | wc -l)" 1
# ---- the report: a table per experiment by condition, and everything left out ----
check_exit "report" 0 pf report --latex "$T/tex" --csv "$T/csv"
check_eq "games_conditions written" "$(test -s "$T/tex/games_conditions.tex" && test -s "$T/csv/games_conditions.csv" && echo yes)" yes
check_eq "games_not_analysed written" "$(test -s "$T/tex/games_not_analysed.tex" && echo yes)" yes
check_grep "Milgram: proximity against the baseline, Newcombe interval and Fisher p" \
    'proximity & no persona & 28 & 0.11 [0.04, 0.27] & $-$0.49 [$-$0.66, $-$0.24] $p<0.001$ & 19.36 & $-$9.35 ($p<0.001$)' \
    "$T/tex/games_conditions.tex"
check_grep "Ultimatum: explained against the baseline" 'explained & no persona & 129 & 1.40 [0.46, 2.34] & $p=0.004$' \
    "$T/tex/games_conditions.tex"
check_grep "a condition without a baseline says so" "not compared: no baseline runs of this model and persona" \
    "$T/tex/games_conditions.tex"
# the report's CSV rows are psyfaith games rows, the condition column included
check_eq "games_conditions.csv: the obedience difference of proximity is R's -0.48544973544973541" \
    "$(awk -F, '$1 == "me_condition" && $6 == "obedience_difference" && $NF == "proximity" {
        d = $7 + 0.48544973544973541; print (d < 1e-12 && d > -1e-12) }' "$T/csv/games_conditions.csv")" 1
awk -F, 'NR > 1 { print $1, $2, $6, $7, $NF }' "$T/csv/games_not_analysed.csv" | sort > "$T/left"
cat > "$T/want" <<'WANT'
me_condition cond-sim-a no_baseline  remote_authority
me_condition cond-sim-b no_baseline  fiction_framing
me_summary cond-sim-a filtered_runs 1 remote_authority
me_summary cond-sim-a filtered_runs 2 proximity
me_summary cond-sim-a filtered_runs 3 
me_summary cond-sim-a filtered_runs 3 tool_actuation
me_summary cond-sim-a persona_without_trait_runs 2 
me_summary cond-sim-a unplaced_runs 1 
me_summary cond-sim-b filtered_runs 1 fiction_framing
ug_condition cond-sim-b no_baseline  fiction_framing
ug_status cond-sim-a unparsed 1 
ug_status cond-sim-a unparsed 2 explained
ug_status cond-sim-b unparsed 1 fiction_framing
WANT
check_eq "games_not_analysed: every run and trial left out, and every comparison not made" "$(diff "$T/want" "$T/left")" ""
check_grep "the reasons in words" "persona names no trait (not a condition) & 2" "$T/tex/games_not_analysed.tex"
check_grep "the count of a condition not compared is its runs" "kept, but not compared with a baseline & 11" \
    "$T/tex/games_not_analysed.tex"
check_grep "the paper's figures say they show the baseline condition only" \
    "Only the trials without an experimental condition" "$T/tex/fig_ug_baseline.tex"
check_grep "a Milgram figure of no-persona runs does not claim personas" "at each level, without a persona," \
    "$T/tex/fig_me_remaining.tex"
# a condition is free text: a spreadsheet formula in it is defused in the CSV, as the model is
printf '%s\n' '{"type":"milgram","model":"cond-sim-a","condition":"=HYPERLINK(1)","run":"x","final_level":30,"max_level":30,"disobediences":0,"filtered":false}' \
    > "$T/formula.jsonl"
check_exit "ingest a condition that looks like a formula" 0 pf ingest --quiet "$T/formula.jsonl"
check_exit "games milgram" 0 pf games milgram --format csv
check_grep "the condition cell is defused" ",'=HYPERLINK(1)" "$T/out"
if command -v pdflatex >/dev/null 2>&1; then
    check_exit "the report compiles" 0 pf report --latex "$T/pdf" --pdf
else
    echo "games_conditions.sh: pdflatex missing, PDF not checked" >&2
fi
finish
