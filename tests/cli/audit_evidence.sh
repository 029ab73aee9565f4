#!/bin/sh
# audit's evidence quotes the metrics note of InC whole: a long note (dropped items, negative alpha,
# the threshold) was cut at 200 bytes, mid-number ("unfaithful (< 0.);").  Real data: the 30
# ChatGPT-Behavioral gpt-3.5-turbo Big Five sessions, each run a respondent (--units runs).
. "$(dirname "$0")/../lib.sh"

pf init --quiet
check_exit "ingest ChatGPT-Behavioral" 0 pf ingest --quiet --profile chatgpt-behavioral-bigfive \
    "$PSYFAITH_TOP/fixtures/transcripts/chatgpt-behavioral-bigfive.json"
check_exit "metrics --units runs" 0 pf metrics --units runs --format csv
NOTE='psych raw_alpha, k = 3; over 30 runs of 1 subject (--units runs); dropped zero-variance items: E1 E2 E3 E6 E7 E8 E9; negative alpha: items disagree (mis-keyed or careless answering); unfaithful (< 0.7)'
check_grep "metrics: the InC note" "$NOTE" "$T/out"
check_exit "audit EXT stable --units runs: contradicted" 1 pf audit --units runs --claim "EXT stable" --format csv
check_grep "audit: the evidence quotes the InC note whole" "(psyfaith metrics, all subjects: $NOTE; bootstrap: 115 of 1000 replicates undefined)" "$T/out"
check_nogrep "audit: nothing cut mid-number" 'unfaithful (< 0.)' "$T/out"

finish
