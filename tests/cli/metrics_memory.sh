#!/bin/sh
# Memory of scores and metrics grows with the data present, not with subjects x repetitions x items
# (issue 11 item 10): 20,000 responses, each of a different (model, rep) -- 1,000 models, rep = the
# line number -- took 7.8 GB when every repetition number was a dense matrix of all subjects.  Run
# under a 1 GB address-space limit (ulimit -v), which the old layout could not allocate; skipped
# under AddressSanitizer, which reserves terabytes of address space up front (the run and its
# checks stay).  Not timed: bench/run.sh section metrics_memory measures the peak RSS.
. "$(dirname "$0")/../lib.sh"
awk 'BEGIN {
    split("E N A C O", d, " ")
    for (i = 1; i <= 20000; i++)
        printf "{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"%s%d\",\"option\":%d}\n",
               i % 1000, i, d[i % 5 + 1], int(i / 5) % 10 + 1, (i * 7) % 5 + 1
}' >"$T/sparse.jsonl"
pf init --quiet
check_exit "ingest the sparse case" 0 pf ingest --quiet "$T/sparse.jsonl"
limit=
if grep -qa -e __asan_init -e __tsan_init "$PSYFAITH"; then
    echo "metrics_memory.sh: sanitizer build (its shadow memory), no ulimit -v" >&2
else
    limit=1048576       # KiB
fi
limited() { ( [ -n "$limit" ] && ulimit -v "$limit"; "$@" ); }
check_exit "scores within 1 GB" 0 limited pf scores --format csv
check_eq "a row per subject" "$(grep -c '^m[0-9]' "$T/out")" 1000
# each model answered one dimension, 20 times, each time in a repetition of its own
check_eq "20 repetitions each" "$(awk -F, 'NR > 1 { print $10 }' "$T/out" | sort -u)" 20
check_exit "metrics within 1 GB" 0 limited pf metrics --format csv
check_grep "TrC over the 19 pairs of each of 1,000 subjects" "(38000 pairs skipped)" "$T/out"
check_grep "ICC: nobody took all 20,000 repetitions" "fewer than 2 subjects with every repetition; 200 subjects" "$T/out"
check_exit "metrics --summary within 1 GB" 0 limited pf metrics --summary --format csv
finish
