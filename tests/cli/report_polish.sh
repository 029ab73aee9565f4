#!/bin/sh
# psyfaith report, issue 13 part 7: provenance names that tell the sources apart, footnotes printed
# whole (never cut mid-word), and figure captions that say what the figures show (how many models,
# which human norm, which kind of CrS, where an error bar is missing).
. "$(dirname "$0")/../lib.sh"
pf init --quiet

# --- provenance: four sources under one long directory, told apart by their file names --------------
long="$T/chatgpt-behavioral/records/a-directory-name-long-enough-that-the-path-passes-eighty-characters"
mkdir -p "$long/run1/results/a-second-long-directory-shared-by-both-runs" \
         "$long/run2/results/a-second-long-directory-shared-by-both-runs"
for h in 02 03 04 05; do
    printf '{"model":"m%s","instrument":"IPIP-50","item":"E1","option":4}\n' "$h" \
        > "$long/bigfive_turbo_2023_06_26-${h}_06_26_AM.jsonl"
done
# two sources whose file names are the same: the directory that differs is what tells them apart
for r in 1 2; do
    printf '{"model":"r%s","instrument":"IPIP-50","item":"E2","option":2}\n' "$r" \
        > "$long/run$r/results/a-second-long-directory-shared-by-both-runs/answers.jsonl"
done
check_exit "ingest the sources" 0 pf ingest --quiet "$long"/*.jsonl "$long"/run1/results/*/answers.jsonl \
    "$long"/run2/results/*/answers.jsonl
check_exit "report provenance" 0 pf report --latex "$T/p" --csv "$T/p" --only provenance
sed -n 's/^\\item \\texttt{\(.*\)}: [0-9]* records.*/\1/p' "$T/p/provenance.tex" > "$T/names"
check_eq "six sources listed" "$(wc -l < "$T/names" | tr -d ' ')" 6
check_eq "six distinct names" "$(sort -u "$T/names" | wc -l | tr -d ' ')" 6
for h in 02 03 04 05; do
    check_grep "name $h keeps its distinguishing file name" "bigfive\\_turbo\\_2023\\_06\\_26-{}${h}\\_06\\_26\\_AM.jsonl}" "$T/p/provenance.tex"
done
check_grep "run1 keeps its directory" 'run1/' "$T/names"
check_grep "run2 keeps its directory" 'run2/' "$T/names"
check_grep "shortened from the left" '\ldots{}/' "$T/names"
check_nogrep "never cut at the end" '\ldots{}}' "$T/p/provenance.tex"
check_eq "the CSV keeps every full path" "$(grep -c "^source,$long/" "$T/p/provenance.csv")" 6

# --- footnotes: a long reason is printed whole --------------------------------------------------------
DB=$T/demo.db
pf init --quiet
check_exit "ingest the demo study" 0 pf ingest --quiet "$PSYFAITH_TOP/fixtures/demo/study.jsonl"
check_exit "report" 0 pf report --latex "$T/d" --csv "$T/d" --only faithfulness,scores,norms,diagnostics
check_eq "no footnote ends in an ellipsis" "$(cat "$T/d"/*.tex | grep -c '^\\par\\textsuperscript{[a-z0-9]*}.*\\ldots{}$')" 0
pf metrics --summary --format csv > "$T/summary.csv"
reason=$(grep '^IPIP-NEO-120,EXT,no,' "$T/summary.csv" | sed 's/^[^,]*,[^,]*,[^,]*,"\(.*\)",[^,]*$/\1/')   # the last column is the condition
check_eq "the reason is long" "$([ ${#reason} -gt 100 ] && echo long)" long
esc=$(printf '%s' "$reason" | sed 's/-/-{}/g; s/</\\textless{}/g')
check_grep "the whole reason is the footnote" "$esc" "$T/d/faithfulness.tex"

# --- figure captions ------------------------------------------------------------------------------------
DB=$T/fig.db
pf init --quiet
# 13 models on IPIP-50, each with two subjects (temperatures), except m01 with one
{
    for m in 1 2 3 4 5 6 7 8 9 10 11 12 13; do
        for t in 0 1; do
            [ "$m" = 1 ] && [ "$t" = 1 ] && continue
            for d in E A C N O; do for i in 1 2 3 4 5 6 7 8 9 10; do
                printf '{"model":"m%02d","temperature":%s,"instrument":"IPIP-50","item":"%s%s","option":%s}\n' \
                    "$m" "$t" "$d" "$i" $(( (m + i + t) % 5 + 1 ))
            done; done
        done
    done
} > "$T/fig.jsonl"
check_exit "ingest 13 models" 0 pf ingest --quiet "$T/fig.jsonl"
# human norms for IPIP-50 from two populations: EXT from a bigger sample than the rest
printf 'instrument,dimension,population,n,mean,sd,alpha,source\nIPIP-50,EXT,big sample,100000,3.1,0.8,,test\n' > "$T/norms.csv"
check_exit "load a second norm population" 0 pf norms load "$T/norms.csv"
# CrS by probability for every subject
q "INSERT INTO crs(subject_id, dimension, method, value, n) SELECT id, 'AGR', 'prob', 0.25 + (id % 3) / 10.0, 4 FROM subject"
check_exit "report figures" 0 pf report --latex "$T/f" --csv "$T/f" --only fig_scores_norms,fig_items,fig_crs
check_grep "scores figure: 12 of 13 models, says so" 'the first 12 of 13 models (all are in the CSV)' "$T/f/fig_scores_norms.tex"
check_eq "scores figure: 12 model series" "$(grep -c '^\\addlegendentry{m' "$T/f/fig_scores_norms.tex")" 12
check_grep "scores figure: both norm populations named" 'EXT: big sample' "$T/f/fig_scores_norms.tex"
check_grep "scores figure: the other dimensions' population" 'AGR, CONS, EMO, OPEN: openpsychometrics BIG5 2012 respondents' "$T/f/fig_scores_norms.tex"
check_eq "scores CSV: the EXT norm is the big sample" "$(grep -c '^IPIP-50,big sample,EXT,3.1,0.8,' "$T/f/fig_scores_norms.csv")" 1
check_eq "scores CSV: every model" "$(cut -d, -f2 "$T/f/fig_scores_norms.csv" | grep -c '^m[0-9]*$' )" 65
check_grep "scores figure: a missing error bar is explained" 'no error bar for m01: one subject' "$T/f/fig_scores_norms.tex"
check_grep "items figure: 12 of 13 models, says so" 'the first 12 of 13 models (all are in the CSV)' "$T/f/fig_items.tex"
check_eq "items CSV: every model" "$(cut -d, -f1 "$T/f/fig_items.csv" | grep '^m[0-9]' | sort -u | wc -l | tr -d ' ')" 13
check_grep "CrS figure: the CrS is a probability" 'mean predicted probability' "$T/f/fig_crs.tex"
check_nogrep "CrS figure: not called a share of labels" 'share of occasions' "$T/f/fig_crs.tex"
check_grep "CrS figure: a missing error bar is explained" 'no error bar for m01: one subject' "$T/f/fig_crs.tex"
check_grep "CrS figure: 12 of 13 models" 'the first 12 of 13 models (all are in the CSV)' "$T/f/fig_crs.tex"
check_eq "CrS CSV: every model" "$(grep -c '^m[0-9]*,AGR,' "$T/f/fig_crs.csv")" 13
finish
