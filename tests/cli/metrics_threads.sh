#!/bin/sh
# psyfaith metrics --bootstrap on worker threads (issue 16): the same seed gives byte-identical
# output at 1, 2 and 3 threads, through --threads or $PSYFAITH_THREADS, and the intervals are those
# of the single-threaded run (the resamples are drawn in replicate order on one thread); bad counts
# are usage errors.
. "$(dirname "$0")/../lib.sh"
FX="$PSYFAITH_TOP/tests/oracle/faith"

pf init --quiet
check_exit "ingest RealBehavior-shaped fixture" 0 pf ingest --quiet "$FX/rb.jsonl"
check_exit "help mentions --threads" 0 pf metrics --help
check_grep "help: --threads" "--threads N" "$T/out"
for t in 1 2 3; do
    check_exit "bootstrap 300, --threads $t" 0 pf metrics --bootstrap 300 --seed 11 --threads "$t"
    cp "$T/out" "$T/t$t.csv"
done
check_eq "2 threads: the bytes of 1 thread" "$(cmp -s "$T/t1.csv" "$T/t2.csv" && echo same)" same
check_eq "3 threads: the bytes of 1 thread" "$(cmp -s "$T/t1.csv" "$T/t3.csv" && echo same)" same
check_eq "the bootstrap filled CIs (alpha, omega, TrC)" \
    "$(grep -c '^\(InC\|omega_total\|TrC\),[^,]*,,[A-Z]*,,[-0-9.e]*,[-0-9.e]\+,[-0-9.e]\+,' "$T/t1.csv")" 45
check_exit "PSYFAITH_THREADS=3" 0 env PSYFAITH_THREADS=3 "$PSYFAITH" --db "$DB" metrics --bootstrap 300 --seed 11
check_eq "PSYFAITH_THREADS=3: the bytes of 1 thread" "$(cmp -s "$T/t1.csv" "$T/out" && echo same)" same
check_exit "another seed" 0 pf metrics --bootstrap 300 --seed 12 --threads 2
check_eq "another seed: other intervals" "$(cmp -s "$T/t1.csv" "$T/out" && echo same || echo differ)" differ
# ICC's bootstrap needs subjects with every repetition: 12 models x 4 repetitions of IPIP-50
awk 'BEGIN { split("E A C N O", d, " ")
    for (m = 1; m <= 12; m++) for (r = 1; r <= 4; r++) for (i = 1; i <= 50; i++)
        printf "{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"%s%d\",\"option\":%d}\n",
               m, r, d[(i - 1) % 5 + 1], int((i - 1) / 5) + 1, (m * 7 + i * (i % 3 + 1) + r * (i % 2)) % 5 + 1 }' >"$T/icc.jsonl"
DB=$T/icc.db
pf init --quiet
check_exit "ingest 12 x 4 x 50" 0 pf ingest --quiet "$T/icc.jsonl"
for t in 1 2 3; do
    check_exit "ICC bootstrap, --threads $t" 0 pf metrics --bootstrap 200 --seed 2 --metric ICC,reliability --threads "$t"
    cp "$T/out" "$T/i$t.csv"
done
check_eq "ICC: CIs filled" "$(grep -c '^"ICC([A-Z1]*,1)",[^,]*,,[A-Z]*,,[-0-9.e]*,[-0-9.e]\+,[-0-9.e]\+,' "$T/i1.csv")" 15
check_eq "ICC: 2 threads, the bytes of 1" "$(cmp -s "$T/i1.csv" "$T/i2.csv" && echo same)" same
check_eq "ICC: 3 threads, the bytes of 1" "$(cmp -s "$T/i1.csv" "$T/i3.csv" && echo same)" same
check_exit "--threads 0" 2 pf metrics --threads 0
check_grep "--threads 0: says why" "--threads takes a number of threads (1 to 256), got '0'" "$T/err"
check_exit "--threads many" 2 pf metrics --threads many
check_exit "--threads 257" 2 pf metrics --threads 257
finish
