#!/bin/sh
# --reps-columns: a fault of the row (an unknown item, no instrument) is one bad line with one message,
# not one per repetition cell ("10 bad lines" for one line, and "too many errors" after two rows).
# PsychoBench's results CSV layout (fixtures/psychobench/gpt-4-BFI.csv: 44 rows x 10 test columns).
. "$(dirname "$0")/../lib.sh"

PB=$PSYFAITH_TOP/fixtures/psychobench/gpt-4-BFI.csv
pf init --quiet
# line 4 (question 3) names item 99, which BFI-44 does not have
awk -F, 'BEGIN { OFS = "," } NR == 4 { $2 = "99" } { print }' "$PB" > "$T/baditem.csv"
check_exit "unknown item on one line: the file fails" 1 pf ingest --profile psychobench --set model=gpt-4 \
    --set instrument=BFI-44 "$T/baditem.csv"
check_eq "one message for the line" "$(grep -c "baditem.csv:4: unknown item '99' in instrument 'BFI-44' (field item)" "$T/err")" 1
check_grep "one bad line" "(1 bad line; --skip-bad keeps the good ones)" "$T/err"
check_eq "nothing stored" "$(q 'SELECT count(*) FROM response')" 0

# the same through --jq (each repetition cell is its own object for jq)
echo . > "$T/id.jq"
check_exit "--jq: the file fails" 1 pf ingest --profile psychobench --set model=gpt-4 --set instrument=BFI-44 \
    --jq "$T/id.jq" "$T/baditem.csv"
check_eq "--jq: one message for the line" "$(grep -c "baditem.csv:4: unknown item '99' in instrument 'BFI-44' (field item)" "$T/err")" 1
check_grep "--jq: one bad line" "(1 bad line; --skip-bad keeps the good ones)" "$T/err"

# no instrument at all: every row is bad, one message each, up to the limit of 20
check_exit "no instrument: the file fails" 1 pf ingest --profile psychobench --set model=gpt-4 "$T/baditem.csv"
check_eq "line 2 reported once" "$(grep -c "baditem.csv:2: missing required field (field instrument)" "$T/err")" 1
check_eq "line 21 reported once" "$(grep -c "baditem.csv:21: missing required field (field instrument)" "$T/err")" 1
check_grep "gives up after 20 lines" "baditem.csv:22: too many errors, giving up on this file" "$T/err"

# --skip-bad keeps the other 43 rows (430 cells); the bad line's 10 cells are rejects
check_exit "--skip-bad" 0 pf ingest --skip-bad --profile psychobench --set model=gpt-4 --set instrument=BFI-44 \
    "$T/baditem.csv"
check_eq "43 rows kept" "$(q 'SELECT count(*) FROM response')" 430
check_eq "the bad line's cells are rejects" "$(q 'SELECT count(*) FROM reject WHERE line = 4')" 10
finish
