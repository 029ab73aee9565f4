# tests/cli/report_conditions.sh -- the report's metrics-based parts per experimental condition
# (issue 13 part 1): faithfulness (Table 2 and its Faithful row), norms and diagnostics compute each
# condition over its own subjects, exactly as `psyfaith metrics` does, with the condition as the last
# CSV column (empty = baseline); a store without conditions keeps today's LaTeX.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1

# Six subjects a condition (models s1..s6), two repetitions of IPIP-50's EXT and AGR items; each
# condition's answers differ (the data of conditions.sh).
gen() {  # gen EXTRA SHIFT
    for s in 1 2 3 4 5 6; do for rep in 0 1; do for d in E A; do for i in 1 2 3 4 5 6 7 8 9 10; do
        o=$(( (s * 7 + i * 3 + rep * (i % 3) + $2 + (s * i) % 5) % 5 + 1 ))
        printf '{"model":"s%s","rep":%s,"instrument":"IPIP-50","item":"%s%s","option":%s%s}\n' "$s" "$rep" "$d" "$i" "$o" "$1"
    done; done; done; done
}
gen '' 0 >base.jsonl
gen ',"condition":"proximity"' 2 >prox.jsonl
# init loads the shipped norms: IPIP-50's from the openpsychometrics BIG5 respondents
for db in mix.db b.db; do "$PSYFAITH" init --quiet --db $db; done
# behaviour texts (the demo study's EXT answers) for every subject, so that BC and fig_crs have CrS
grep '"behavior".*"dimension":"EXT"' "$PSYFAITH_TOP/fixtures/demo/study.jsonl" | sed 's/.*"text":"\([^"]*\)".*/\1/' | head -n 36 >texts.txt
n=0; while IFS= read -r t; do
    s=$((n % 6 + 1)); k=$((n / 6))
    if [ $((k % 2)) = 0 ]; then c=''; else c=',"condition":"proximity"'; fi
    printf '{"type":"behavior","model":"s%s","dimension":"EXT","occasion":"o%s","text":"%s"%s}\n' "$s" "$k" "$t" "$c"
    n=$((n + 1))
done <texts.txt >beh.jsonl
check_exit "mixed store" 0 "$PSYFAITH" ingest --quiet --db mix.db base.jsonl prox.jsonl beh.jsonl \
    "$PSYFAITH_TOP/fixtures/demo/labeled.jsonl"
check_exit "classify train" 0 "$PSYFAITH" classify train --db mix.db --dimension EXT --folds 2 --seed 1 --quiet
check_exit "classify apply" 0 "$PSYFAITH" classify apply --db mix.db --quiet
check_exit "baseline store" 0 "$PSYFAITH" ingest --quiet --db b.db base.jsonl
check_exit "metrics" 0 "$PSYFAITH" metrics --db mix.db --format csv
cp "$T/out" m.csv
check_exit "metrics --summary" 0 "$PSYFAITH" metrics --db mix.db --format csv --summary
cp "$T/out" sum.csv
check_exit "report with conditions" 0 "$PSYFAITH" report --db mix.db --csv rep --latex tex
F=rep/faithfulness.csv

# faithfulness.csv: the coefficients of each condition are those of metrics for that condition
check_eq "faithfulness.csv: condition last" "$(head -n 1 $F)" "row,instrument,instrument_b,dimension,value,ci_low,ci_high,unfaithful,note,condition"
# metric,instrument,instrument_b,dimension,value,ci_low,ci_high|condition (the note may hold commas)
awk -F, '($1 == "TrC" || $1 == "InC" || $1 == "ExC" || $1 == "BC") && $5 == "" { print }' m.csv |
    while IFS= read -r l; do printf '%s|%s\n' "$(printf '%s' "$l" | cut -d, -f1-4,6-8)" "${l##*,}"; done | sort >want
grep -E '^(TrC|InC|ExC|BC),' $F |
    while IFS= read -r l; do printf '%s|%s\n' "$(printf '%s' "$l" | cut -d, -f1-7)" "${l##*,}"; done | sort >got
check_eq "faithfulness.csv: TrC and InC of both conditions" "$(grep -Ec "^(TrC|InC),.*[|]proximity$" got) $(grep -Ec "^(TrC|InC),.*[|]$" got)" "10 10"
check_eq "faithfulness.csv: BC of EXT measured in both conditions" "$(grep -c '^BC,IPIP-50,,EXT,[-0-9]' got)" 2
check_eq "faithfulness.csv = metrics, per condition" "$(cat got)" "$(cat want)"
check_eq "faithfulness.csv: InC differs between the conditions" "$(grep '^InC,IPIP-50,,EXT,' got | cut -d, -f5 | sort -u | wc -l | tr -d ' ')" 2
# the Faithful row is metrics --summary's verdict of the same condition
tail -n +2 sum.csv | while IFS= read -r l; do printf '%s|%s\n' "$(printf '%s' "$l" | cut -d, -f1-3)" "${l##*,}"; done | sort >want
grep '^Faithful,' $F | while IFS= read -r l; do
    v=$(printf '%s' "$l" | cut -d, -f8); case $v in yes) v=no ;; no) v=yes ;; esac
    printf '%s,%s|%s\n' "$(printf '%s' "$l" | cut -d, -f2,4)" "$v" "${l##*,}"; done | sort >got
check_eq "Faithful rows: one per dimension and condition" "$(wc -l <got | tr -d " ")" 10
check_eq "Faithful rows = metrics --summary, per condition" "$(cat got)" "$(cat want)"
check_eq "Human InC: once per condition" "$(grep -c '^Human InC,IPIP-50,openpsychometrics BIG5 2012 respondents,EXT,0.892244,,,no,human norm,' $F)" 2

# norms.csv: per model and condition; z is metrics' norm_z of that model and condition
check_eq "norms.csv: condition last" "$(head -n 1 rep/norms.csv)" "model,instrument,population,dimension,model_mean,human_mean,human_sd,z,percentile,n,condition"
awk -F, '$1 == "norm_z" { print $5 "," $2 "," $3 "," $4 "," $6 "|" $NF }' m.csv | sort >want
tail -n +2 rep/norms.csv | awk -F, '{ print $1 "," $2 "," $3 "," $4 "," $8 "|" $NF }' | sort >got
check_eq "norms.csv: 6 models x 2 dimensions x 2 conditions" "$(wc -l <got | tr -d ' ')" 24
check_eq "norms.csv z = metrics norm_z, per condition" "$(cat got)" "$(cat want)"

# diagnostics.csv: a row per model and condition, its answers only (2 reps x 20 items)
check_eq "diagnostics.csv: condition last" "$(head -n 1 rep/diagnostics.csv)" "model,responses,ok_rate,ambiguous_rate,refusal_rate,unparsed_rate,neutral_rate,acquiescence,condition"
check_eq "diagnostics.csv: s1 per condition" "$(grep '^s1,' rep/diagnostics.csv | cut -d, -f1,2,9 | tr '\n' '|')" "s1,40,|s1,40,proximity|"

# figures: a series per model and condition
check_eq "fig_scores_norms.csv: condition last" "$(head -n 1 rep/fig_scores_norms.csv)" "instrument,series,dimension,mean,sd,n,condition"
check_eq "fig_scores_norms.csv: s1 EXT per condition" "$(grep '^IPIP-50,s1,EXT,' rep/fig_scores_norms.csv | awk -F, '{ print $6 "," $NF }' | tr '\n' '|')" "1,|1,proximity|"
check_eq "fig_items.csv: condition last" "$(head -n 1 rep/fig_items.csv)" "model,dimension,score,share,n,condition"
check_eq "fig_items.csv: s1 EXT per condition" "$(grep '^s1,EXT,1,' rep/fig_items.csv | awk -F, '{ print $5 "," $NF }' | tr '\n' '|')" "20,|20,proximity|"
check_eq "fig_crs.csv: condition last" "$(head -n 1 rep/fig_crs.csv)" "model,dimension,crs_mean,crs_sd,n,condition"
check_eq "fig_crs.csv: s1 EXT per condition, 3 occasions each" "$(grep '^s1,EXT,' rep/fig_crs.csv | awk -F, '{ print $5 "," $NF }' | tr '\n' '|')" "1,|1,proximity|"

# bootstrap CIs: each condition resampled as metrics resamples it (same seed, same subjects)
check_exit "report --bootstrap" 0 "$PSYFAITH" report --db mix.db --csv bs --only faithfulness --bootstrap 50 --seed 3
"$PSYFAITH" metrics --db mix.db --format csv --bootstrap 50 --seed 3 | awk -F, '$1 == "InC" && $5 == "" { print $2 "," $4 "," $6 "," $7 "," $8 "|" $NF }' | sort >want
grep '^InC,' bs/faithfulness.csv | awk -F, '{ print $2 "," $4 "," $5 "," $6 "," $7 "|" $NF }' | sort >got
check_eq "bootstrap: InC and its CI = metrics, per condition" "$(cat got)" "$(cat want)"
check_eq "bootstrap: EXT's CI in both conditions" "$(grep -c '^IPIP-50,EXT,[-0-9.e]*,[-0-9]' got)" 2

# LaTeX: a row group per condition, baseline first
check_eq "faithfulness.tex: condition groups" "$(grep -o 'textbf{[a-z]*}' tex/faithfulness.tex | tr '\n' '|')" "textbf{baseline}|textbf{proximity}|"
check_grep "norms.tex: model and condition" 's1, proximity' tex/norms.tex
check_grep "diagnostics.tex: model and condition" 's1, proximity' tex/diagnostics.tex
check_grep "scores.tex: model and condition" 's1, proximity' tex/scores.tex
check_grep "fig_scores_norms.tex: series per model and condition" 'addlegendentry{s1, proximity}' tex/fig_scores_norms.tex
check_grep "fig_scores_norms.tex: the caption says so" 'per-item scores by model and condition' tex/fig_scores_norms.tex
check_grep "fig_scores_norms.tex: 12 of 12 series drawn" 'addlegendentry{s6, proximity}' tex/fig_scores_norms.tex

# a store without conditions: no condition in the LaTeX, an empty last CSV column
check_exit "report without conditions" 0 "$PSYFAITH" report --db b.db --csv brep --latex btex
check_nogrep "no condition group" 'baseline' btex/faithfulness.tex
check_nogrep "no condition label in norms" 'baseline' btex/norms.tex
# (TrC and InC: the baseline store has no behaviour texts, so no BC)
check_eq "baseline store: the baseline rows of the mixed store" "$(grep -E '^(TrC|InC|Human InC),' brep/faithfulness.csv)" "$(grep -E '^(TrC|InC|Human InC),' $F | grep -v ',proximity$')"
check_eq "baseline store: a condition column, empty" "$(grep -c ',$' brep/faithfulness.csv) $(($(wc -l <brep/faithfulness.csv) - 1))" "$(grep -c ',$' brep/faithfulness.csv) $(grep -c ',$' brep/faithfulness.csv)"
finish
