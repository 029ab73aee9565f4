#!/bin/sh
# tests/cli/varcomp.sh -- issue 14 part 3: the design factors template, language and variant on
# response records (table design, response.design_id) and `psyfaith metrics --metric varcomp`,
# whose values are compared with lme4 and the closed-form ANOVA of tests/oracle/varcomp.R
# (tests/oracle/varcomp/<design>.expected; the unit test tests/test_varcomp.c checks the same fits
# on the cells themselves).
. "$(dirname "$0")/../lib.sh"
FX="$PSYFAITH_TOP/tests/oracle/varcomp"
cd "$T" || exit 1

check_exit "metrics help" 0 "$PSYFAITH" metrics --help
check_grep "help: varcomp" "varcomp" "$T/out"
check_grep "help: the columns" "instrument,dimension,component,levels,variance,share,method,n,note,condition" "$T/out"
check_exit "varcomp with another metric: usage" 2 "$PSYFAITH" metrics --metric varcomp,TrC
check_grep "says to ask for it alone" "ask for it alone" "$T/err"
check_exit "varcomp --summary: usage" 2 "$PSYFAITH" metrics --metric varcomp --summary
check_exit "ingest help" 0 "$PSYFAITH" ingest --help
check_grep "ingest help: template" "template" "$T/out"

pf init --quiet
for d in balanced trunc unbalanced; do
    check_exit "ingest $d" 0 pf ingest --quiet --set condition=$d "$FX/$d.jsonl"
done
# balanced {plain, chat} x {en, de}; trunc adds list x {en, de}; unbalanced 8 with variants v1, v2
check_eq "designs: templates x languages (x variants), each stored once" "$(q "SELECT count(*) FROM design")" 14
check_eq "every response has its design" "$(q "SELECT count(*) FROM response WHERE design_id IS NULL")" 0
check_eq "a design row" "$(q "SELECT template || '|' || language || '|' || coalesce(variant, 'NULL') FROM design ORDER BY id LIMIT 1")" \
    "plain|en|NULL"

check_exit "metrics --metric varcomp" 0 pf metrics --metric varcomp --format csv
cp "$T/out" vc.csv
check_eq "header" "$(head -n 1 vc.csv)" "instrument,dimension,component,levels,variance,share,method,n,note,condition"
check_eq "3 conditions x 7 components, EXT only" "$(tail -n +2 vc.csv | wc -l | tr -d ' ')" 21

# every variance and share against R: the ANOVA closed form to 1e-12 where balanced, lme4 to 1e-6
compare() {   # compare DESIGN COLUMN(2 lmer, 3 share, 4 anova) TOL
    awk -F'\t' -v OFS=, '!/^#/ && $1 != "deviance" { print $1, $'"$2"' }' "$FX/$1.expected" >want.txt
    grep ",$1\$" vc.csv | awk -F, -v OFS=, -v col="$3" '{ print $3, (col == 3 ? $6 : $5) }' >got.txt
    awk -F, -v tol="$4" 'NR == FNR { w[$1] = $2; next }
        { g = $2; x = w[$1]; if (x == "NA") { if (g != "") bad++ } else if (g == "" || (g - x > tol || x - g > tol)) bad++; n++ }
        END { print n + 0, bad + 0 }' want.txt got.txt
}
check_eq "balanced: variances = ANOVA (R) to 1e-12" "$(compare balanced 4 5 1e-12)" "7 0"
check_eq "balanced: variances = lme4 to 1e-6" "$(compare balanced 2 5 1e-6)" "7 0"
check_eq "balanced: shares = lme4 to 1e-6" "$(compare balanced 3 3 1e-6)" "7 0"
check_eq "trunc: pooled ANOVA (R) to 1e-12" "$(compare trunc 4 5 1e-12)" "7 0"
check_eq "trunc: = lme4 to 1e-6" "$(compare trunc 2 5 1e-6)" "7 0"
check_eq "unbalanced: REML = lme4 to 1e-6" "$(compare unbalanced 2 5 1e-6)" "7 0"
check_eq "unbalanced: shares = lme4 to 1e-6" "$(compare unbalanced 3 3 1e-6)" "7 0"
check_eq "methods" "$(tail -n +2 vc.csv | cut -d, -f7,10 | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 1 ,balanced; 1 ,trunc; 6 anova,balanced; 6 anova,trunc; 7 reml,unbalanced;"
check_grep "a factor with one level is dropped" "IPIP-50,EXT,variant,1,,,,96,1 level: not in the model,balanced" vc.csv
check_grep "truncated at zero, with the ANOVA estimate" \
    "IPIP-50,EXT,template,3,0,0,anova,72,ANOVA estimate -0.00487739 < 0: set to 0 and pooled into the residual (the REML estimate),trunc" vc.csv
check_grep "unbalanced: said" "IPIP-50,EXT,residual,,0.163593" vc.csv
check_grep "unbalanced: noted" "unbalanced design: REML,unbalanced" vc.csv

# the blocks are read and fitted as a pipeline on two workers (varcomp_load.c): the demo's prompt
# study (unbalanced: its blocks are REML fits) gives the same bytes at any count
rm -f pipe.db*
"$PSYFAITH" init --db pipe.db --quiet && "$PSYFAITH" ingest --db pipe.db --quiet "$PSYFAITH_TOP/fixtures/demo/prompts.jsonl"
"$PSYFAITH" metrics --db pipe.db --metric varcomp --format csv --threads 1 >pipe1.csv
check_eq "pipeline: REML rows of the prompt study" "$(grep -c ',reml,' pipe1.csv)" 30
for th in 2 3; do
    "$PSYFAITH" metrics --db pipe.db --metric varcomp --format csv --threads $th >pipe$th.csv
    check_eq "pipeline: the same bytes at --threads $th" "$(cmp pipe1.csv pipe$th.csv && echo same)" same
done
check_exit "--instrument" 0 pf metrics --metric varcomp --format csv --instrument BFI-44
check_eq "no BFI-44 answers: header only" "$(wc -l <"$T/out" | tr -d ' ')" 1
check_exit "table" 0 pf metrics --metric varcomp --format table
check_grep "table: a residual row" "residual" "$T/out"

# min-answered: every cell of 'unbalanced' missing an item (9 of 10 answered) is left out at 0.95
check_exit "--min-answered 0.95" 0 pf metrics --metric varcomp --format csv --min-answered 0.95
n9=$(q "SELECT count(*) FROM (SELECT 1 FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.condition = 'unbalanced'
        GROUP BY r.subject_id, r.design_id, r.rep HAVING count(*) = 9)")
check_eq "cells with 9 items exist" "$([ "$n9" -gt 0 ] && echo yes)" yes
check_grep "dropped cells noted" "$n9 cells with under 95% of the items answered left out,unbalanced" "$T/out"
check_grep "n counts the cells kept" "IPIP-50,EXT,model,3,0.0" "$T/out"
check_eq "and is fewer" "$(grep 'EXT,model,3,.*,unbalanced' "$T/out" | cut -d, -f8)" "$((164 - n9))"

# export JSONL keeps the design; a fresh store from it gives the same components
check_exit "export responses (JSONL)" 0 pf export responses --format jsonl
cp "$T/out" ex.jsonl
check_grep "export: the design fields" '"template":"plain","language":"en","variant":null' ex.jsonl
check_exit "export responses (CSV)" 0 pf export responses --format csv
check_nogrep "CSV keeps its 15 columns" "template" "$T/out"
"$PSYFAITH" init --db rt.db --quiet
check_exit "ingest the export" 0 "$PSYFAITH" ingest --db rt.db --quiet ex.jsonl
check_exit "varcomp of the round trip" 0 "$PSYFAITH" metrics --db rt.db --metric varcomp --format csv
check_file "round trip: the same rows" "$T/out" "$(cat vc.csv)"

# the report: a table and a stacked-bar figure, with the same numbers
check_exit "report --only varcomp,fig_varcomp" 0 pf report --latex "$T/r" --csv "$T/r" --only varcomp,fig_varcomp
check_eq "report files" "$(ls "$T/r" | tr '\n' ' ')" "fig_varcomp.csv fig_varcomp.tex varcomp.csv varcomp.tex "
check_grep "table row: balanced shares (%)" "IPIP-{}50 EXT, balanced & 38.2 & 15.2 & 21.4 & 9.2 & -- & 2.0 & 13.9 & 30.7" \
    "$T/r/varcomp.tex"
check_file "report CSV = metrics rows" "$T/r/varcomp.csv" "$(cat vc.csv)"
check_grep "stacked bars" "xbar stacked" "$T/r/fig_varcomp.tex"
check_eq "7 series" "$(grep -c 'addplot' "$T/r/fig_varcomp.tex")" 7
check_grep "caption" "How much of each score is the model and how much the prompt" "$T/r/fig_varcomp.tex"
check_eq "figure CSV: 21 shares" "$(tail -n +2 "$T/r/fig_varcomp.csv" | wc -l | tr -d ' ')" 21

# a store whose prompt never varies gets no varcomp parts in a report
DB0=$DB
DB=$T/plain.db
pf init --quiet
check_exit "ingest without design" 0 pf ingest --quiet "$PSYFAITH_TOP/tests/oracle/varcomp/balanced.jsonl" \
    --set template=one --set language=one
check_exit "report of it" 0 pf report --latex "$T/r0" --only varcomp,fig_varcomp
check_eq "no varcomp parts" "$(ls "$T/r0" | wc -l | tr -d ' ')" 0
check_exit "metrics still has the rows" 0 pf metrics --metric varcomp --format csv
# one design: the four prompts of a subject x repetition are one cell now (each item averaged first)
check_grep "template: one level" "IPIP-50,EXT,template,1,,,,24,1 level: not in the model," "$T/out"
# two temperatures of the same models and personas: the temperature is in the residual, and said
check_exit "trunc at temperature 0.5" 0 pf ingest --quiet --set temperature=0.5 "$FX/trunc.jsonl"
check_exit "trunc at temperature 1" 0 pf ingest --quiet --set temperature=1 "$FX/trunc.jsonl"
check_exit "varcomp" 0 pf metrics --metric varcomp --format csv
check_grep "temperature noted" "subjects differ in temperature too: that variance is in the residual" "$T/out"
check_eq "one row notes it" "$(grep -c 'differ in temperature' "$T/out")" 1
DB=$DB0

# ingest: the factors through --map, a CSV column, blank = not given; a number is its text
cat >m.jsonl <<'JL'
{"model":"m1","instrument":"IPIP-50","item":"E1","option":3,"p":{"tpl":"T1","lang":"fr"}}
{"model":"m1","instrument":"IPIP-50","item":"E2","option":3,"p":{"tpl":"T1","lang":""}}
{"model":"m1","instrument":"IPIP-50","item":"E3","option":3,"p":{"tpl":2}}
JL
DB=$T/m.db
pf init --quiet
check_exit "ingest --map template=/p/tpl" 0 pf ingest --quiet --map template=/p/tpl --map language=/p/lang m.jsonl
check_eq "designs via --map (blank language = none; 2 as text)" \
    "$(q "SELECT coalesce(template, 'NULL') || '|' || coalesce(language, 'NULL') FROM design ORDER BY id" | tr '\n' ' ')" \
    "T1|fr T1|NULL 2|NULL "
# three designs of one EXT item each: three cells of 1 of 10 items, none kept
check_exit "varcomp: 1 of 10 EXT items is no cell" 0 pf metrics --metric varcomp --format csv
check_grep "no cells, and why" "IPIP-50,EXT,residual,,,,,0,no cells; 3 cells with under 80% of the items answered left out," "$T/out"
check_eq "said on every row" "$(grep -c ',0,no cells' "$T/out")" 7
printf 'model,instrument,item,option,template,variant\nm2,IPIP-50,E1,4,,\nm2,IPIP-50,E2,4,chat,v9\n' >c.csv
check_exit "ingest a CSV with template and variant columns" 0 pf ingest --quiet c.csv
check_eq "CSV: an empty cell is no design" "$(q "SELECT count(*) FROM response r JOIN subject s ON s.id = r.subject_id
    WHERE s.model = 'm2' AND r.design_id IS NULL")" 1
check_eq "CSV: chat|v9" "$(q "SELECT d.template || '|' || d.variant FROM response r JOIN design d ON d.id = r.design_id
    JOIN subject s ON s.id = r.subject_id WHERE s.model = 'm2'")" "chat|v9"
printf 'map template=/p/tpl\nset variant=para-2\n' >design.profile
DB=$T/prof.db
pf init --quiet
check_exit "ingest with a profile mapping the design" 0 pf ingest --quiet --profile design.profile m.jsonl
check_eq "profile: template mapped, variant set" "$(q "SELECT DISTINCT template || '|' || variant FROM design ORDER BY 1" | tr '\n' ' ')" \
    "2|para-2 T1|para-2 "
DB=$T/m.db
check_exit "unknown field still refused" 2 pf ingest --quiet --map templat=/p/tpl m.jsonl
check_grep "the field list names template" "template language variant" "$T/err"
# a bad design value (an object) is a bad line naming the field, nothing stored
printf '{"model":"m3","instrument":"IPIP-50","item":"E1","option":3,"template":{"a":1}}\n' >bad.jsonl
check_exit "template as an object: bad line" 1 pf ingest --quiet bad.jsonl
check_grep "names the field" "(field template)" "$T/err"
check_eq "nothing of it stored" "$(q "SELECT count(*) FROM subject WHERE model = 'm3'")" 0
# many responses of one design go through the multi-row insert too
awk 'BEGIN { for (i = 1; i <= 40; i++) printf "{\"model\":\"m4\",\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"option\":2,\"rep\":%d,\"template\":\"t%d\"}\n", (i % 10) + 1, int(i / 10), i % 2 }' >many.jsonl
check_exit "40 responses, two templates" 0 pf ingest --quiet many.jsonl
check_eq "multi-row insert keeps the designs" "$(q "SELECT d.template, count(*) FROM response r JOIN design d ON d.id = r.design_id
    JOIN subject s ON s.id = r.subject_id WHERE s.model = 'm4' GROUP BY 1 ORDER BY 1" | tr '\n' ' ')" "t0|20 t1|20 "

# a repetition variance at its boundary, where the simplex stalls (metrics/varcomp.c STALL_ITERATIONS):
# still lme4's answer
DB=$T/stall.db
pf init --quiet
check_exit "ingest stall" 0 pf ingest --quiet --set condition=stall "$FX/stall.jsonl"
check_exit "varcomp of stall" 0 pf metrics --metric varcomp --format csv
cp "$T/out" vc.csv
check_eq "stall: REML = lme4 to 1e-6" "$(compare stall 2 5 1e-6)" "7 0"
check_eq "stall: shares = lme4 to 1e-6" "$(compare stall 3 3 1e-6)" "7 0"

# The cells are read by one of two plans (varcomp_load.c, choose_plan): seeks (subject, rep, item)
# when subjects have few repetitions, a walk of each subject's responses when they have many (a rep
# number of its own for each response, where the seeks would be one per response and item).  Both
# plans give the same bytes, on the balanced study and on one whose every response has its own rep.
plans() {
    for plan in seek walk; do
        PSYFAITH_TEST_VARCOMP_PLAN=$plan pf metrics --metric varcomp --format csv >"$T/vc-$plan.csv" 2>"$T/err" ||
            fail "$1: varcomp with the $plan plan"
    done
    pf metrics --metric varcomp --format csv >"$T/vc-auto.csv" 2>"$T/err" || fail "$1: varcomp"
    check_eq "$1: rows" "$(($(wc -l <"$T/vc-auto.csv") > 5))" 1
    if cmp -s "$T/vc-seek.csv" "$T/vc-walk.csv"; then pass; else fail "$1: seek and walk plans differ"; fi
    if cmp -s "$T/vc-seek.csv" "$T/vc-auto.csv"; then pass; else fail "$1: the chosen plan differs"; fi
}
DB=$T/plans.db
pf init --quiet
check_exit "ingest balanced" 0 pf ingest --quiet "$FX/balanced.jsonl"
plans balanced
DB=$T/sparse.db
pf init --quiet
awk 'BEGIN { split("E A C N O", d, " "); for (i = 0; i < 4000; i++)
    printf "{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"%s%d\",\"option\":%d,\"template\":\"t%d\"}\n",
           i % 4, i, d[i % 5 + 1], int(i / 5) % 10 + 1, (i * 7) % 5 + 1, i % 3 }' >sparse.jsonl
check_exit "ingest a rep a response" 0 pf ingest --quiet sparse.jsonl
plans "a rep a response"
finish
