#!/bin/sh
# The shipped psychobench profile on PsychoBench-format results CSVs (fixtures/psychobench, written by
# tests/oracle/psychobench/psychobench.py in the layout of PsychoBench's utils.py), and `scores --by-rep`
# against PsychoBench's own analysis (mean and STD per category, tests/oracle/psychobench/expected.tsv):
# the same to 1e-12, and the same 4-significant-digit numbers as PsychoBench's results table.
# PsychoBench reports neuroticism; psyfaith stores emotional stability (EMO = 6 - N per item): the
# mean is 6 - PsychoBench's, the sd the same.  PsychoBench adds 1e-8 to every STD; psyfaith does not.
. "$(dirname "$0")/../lib.sh"
F="$PSYFAITH_TOP/fixtures/psychobench"
E="$PSYFAITH_TOP/tests/oracle/psychobench/expected.tsv"
pf init --quiet
check_exit "ingest BFI results" 0 pf ingest --profile psychobench --set model=gpt-4 --set instrument=BFI-44 "$F/gpt-4-BFI.csv"
check_grep "44 questions x 10 tests" "ingested 1 file: 440 responses" "$T/err"
check_grep "every cell a parsed answer" "responses: 440 ok, 0 ambiguous, 0 refusal, 0 unparsed" "$T/err"
check_exit "ingest IPIP-NEO-120 results" 0 pf ingest --profile psychobench --set model=gpt-4 --set instrument=IPIP-NEO-120 \
    "$F/gpt-4-IPIP-NEO-120.csv"
check_grep "120 questions x 5 tests" "ingested 1 file: 600 responses" "$T/err"
check_eq "runs are the column names" "$(q "SELECT group_concat(DISTINCT run) FROM (SELECT run FROM response ORDER BY rep)")" \
    "shuffle0-test0,shuffle0-test1,shuffle0-test2,shuffle0-test3,shuffle0-test4,shuffle0-test5,shuffle0-test6,shuffle0-test7,shuffle0-test8,shuffle0-test9"
# every cell of the file is a response with its question id and test run (first file: rows x columns)
tr -d '\r' < "$F/gpt-4-BFI.csv" | awk -F, 'NR > 1 { for (i = NF - 9; i <= NF; i++) print $(NF - 10) "|shuffle0-test" i - NF + 9 "|" $i }' |
    sort > "$T/cells"
q "SELECT i.code || '|' || r.run || '|' || r.option FROM response r JOIN item i ON i.id = r.item_id
   JOIN instrument n ON n.id = i.instrument_id WHERE n.name = 'BFI-44'" | sort > "$T/stored"
check_eq "every BFI cell stored as its question's option" "$(cmp -s "$T/cells" "$T/stored" && echo same)" same
check_eq "cells" "$(wc -l < "$T/cells")" 440

check_exit "scores --by-rep" 0 pf scores --by-rep --format csv
cp "$T/out" "$T/byrep"
for inst in BFI:BFI-44 IPIP-NEO-120:IPIP-NEO-120; do
    pbname=${inst%%:*} ours=${inst#*:}
    for pair in Extraversion:EXT Agreeableness:AGR Conscientiousness:CONS Neuroticism:EMO Openness:OPEN; do
        cat=${pair%%:*} dim=${pair#*:}
        line=$(awk -F'\t' -v q="$pbname" -v c="$cat" '$1 == q && $2 == c' "$E")
        [ -n "$line" ] || { fail "no PsychoBench reference for $pbname $cat"; continue; }
        got=$(awk -F, -v i="$ours" -v d="$dim" '$4 == i && $5 == d { print $6 "\t" $7 "\t" $8 }' "$T/byrep")
        # |ours - PsychoBench| < 1e-12, with EMO = 6 - N and PsychoBench's sd = ours + 1e-8
        verdict=$(printf '%s\t%s\n' "$line" "$got" | awk -F'\t' -v neu="$([ "$dim" = EMO ] && echo 1 || echo 0)" '{
            m = neu ? 6 - $4 : $4; d1 = $9 - m; d2 = ($10 + 1e-8) - $5; if (d1 < 0) d1 = -d1; if (d2 < 0) d2 = -d2
            m4 = neu ? 6 - $7 : $7
            print (d1 < 1e-12 && d2 < 1e-12 && $11 == $3 ? "equal" : "differ: " $0) " " sprintf("%.4g %.4g", $9, $10 + 1e-8) }')
        want4=$(printf '%s\n' "$line" | awk -F'\t' -v neu="$([ "$dim" = EMO ] && echo 1 || echo 0)" '{
            printf "equal %.4g %.4g", neu ? 6 - $4 : $7, $8 }')
        check_eq "$pbname $cat: mean, STD and n equal PsychoBench's (4 s.f. as its table)" "$verdict" "$want4"
    done
done
# One repetition has a mean and no sd (an empty cell, never 0); --by-rep and --by-model exclude each other.
printf 'q,order-1,shuffle0-test0\n1. x,1,4\n6. y,6,2\n' > "$T/one.csv"
check_exit "one test run" 0 pf ingest --profile psychobench --set model=one --set instrument=BFI-44 "$T/one.csv"
check_exit "scores --by-rep" 0 pf scores --by-rep --format csv --instrument BFI-44
check_eq "one rep: mean (4 and R- of 2 = 4), empty sd" "$(grep '^one,' "$T/out")" "one,,,BFI-44,EXT,4,,1,8,"
check_exit "--by-rep with --by-model" 2 pf scores --by-rep --by-model

# A file with no shuffle0-test column (another layout) is an error naming the file, not an empty store.
printf 'q,order-1,run-a\n1. x,1,3\n' > "$T/other.csv"
check_exit "no test-run column" 1 pf ingest --profile psychobench --set model=m --set instrument=BFI-44 "$T/other.csv"
check_grep "names the file and the pattern" "other.csv:1: --reps-columns: no column matches '^shuffle0-test'" "$T/err"
finish
