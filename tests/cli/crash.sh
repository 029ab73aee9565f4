# tests/cli/crash.sh -- `psyfaith ingest` killed with SIGKILL at random moments of a large file
# (300,000 generated lines, 27 MB).  After each kill: PRAGMA integrity_check is ok, the store holds
# all of the file or none of it (rows, subjects and its source row agree), and a re-run on the
# same store then ingests the whole file.  The moments are spread over 1.1 x the time of one full
# ingest, so some fall after the commit.  CRASH_SEED=N repeats a run; CRASH_LINES, CRASH_KILLS
# change its size (the ASan build uses 50,000 lines to stay near a minute).
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
case $PSYFAITH in *asan*|*tsan*) N=${CRASH_LINES:-50000} ;; *) N=${CRASH_LINES:-300000} ;; esac
KILLS=${CRASH_KILLS:-20}
SEED=${CRASH_SEED:-$(date +%s)}
echo "crash.sh: $N lines, $KILLS kills, CRASH_SEED=$SEED" >&2

pf init --quiet || { fail "init"; finish; }
cp "$DB" pristine.db
# 7 models x 3 temperatures = 21 subjects; every line is a valid response.
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"model\":\"m%d\",\"temperature\":%d,\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"answer\":\"(%c) some words\"}\n",
           i % 7, i % 3, int(i / 70), i % 10 + 1, 65 + i % 5 }' >big.jsonl

now_ms() { date +%s%3N; }
t0=$(now_ms)
check_exit "one full ingest" 0 pf ingest --quiet big.jsonl
ms=$(( $(now_ms) - t0 ))
check_eq "the full file" "$(q "SELECT count(*) FROM response")" "$N"
echo "crash.sh: one full ingest takes $ms ms" >&2

# state: "none" or "all" when the store is consistent, else a description of what it holds
state() {
    _s=$(q "SELECT (SELECT count(*) FROM response) || ' ' || (SELECT count(*) FROM subject) || ' ' ||
                   (SELECT count(*) FROM source) || ' ' || (SELECT count(*) FROM source WHERE sha256 = 'pending')")
    case $_s in
    "0 0 0 0") echo none ;;
    "$N 21 1 0") echo all ;;
    *) echo "partial ($_s: responses subjects sources pending)" ;;
    esac
}

awk -v seed="$SEED" -v k="$KILLS" -v ms="$ms" 'BEGIN { srand(seed);
    for (i = 0; i < k; i++) printf "%.3f\n", (0.02 + rand() * 1.08) * ms / 1000 }' >moments
none=0 all=0 i=0
while read -r at; do
    i=$((i + 1))
    cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm"
    "$PSYFAITH" ingest --db "$DB" --quiet big.jsonl >/dev/null 2>&1 &
    pid=$!
    sleep "$at"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    check_eq "kill $i at ${at}s: integrity_check" "$(q "PRAGMA integrity_check")" ok
    st=$(state)
    case $st in
    none) none=$((none + 1)); pass ;;
    all) all=$((all + 1)); pass ;;
    *) fail "kill $i at ${at}s: the store holds $st" ;;
    esac
    check_exit "kill $i: the re-run succeeds" 0 pf ingest --quiet big.jsonl
    check_eq "kill $i: after the re-run, the whole file" "$(state)" all
done <moments
check_eq "kills done" "$i" "$KILLS"
echo "crash.sh: $KILLS kills: $none left nothing, $all left the whole file, $((KILLS - none - all)) anything else" >&2
check_eq "integrity after the last re-run" "$(q "PRAGMA integrity_check")" ok
finish
