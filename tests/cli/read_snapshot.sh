#!/bin/sh
# Every read command reads one snapshot of the store (issue 11 item 11): an ingest that commits
# while scores, metrics, report or audit runs is either wholly in its output or wholly out of it
# (before, the later queries saw the new source and the earlier ones did not).  The test hook
# PSYFAITH_TEST_PAUSE_AT_PREPARE=N:PATH holds the command before its N-th statement until PATH
# exists; N=4 is the response query of the score loader (after subjects and items were read), so
# the ingest commits between the command's first queries and the rest.
. "$(dirname "$0")/../lib.sh"

# A: subject m1, IPIP-50 EXT, 3 repetitions.  B: 2 more repetitions of m1 and a new subject m2.
gen() {   # gen MODEL FIRST_REP LAST_REP
    r=$2
    while [ "$r" -le "$3" ]; do
        for i in 1 2 3 4 5 6 7 8 9 10; do
            o=$(( (i * 3 + r * 2 + ${#1}) % 5 + 1 ))
            echo "{\"model\":\"$1\",\"rep\":$r,\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"option\":$o}"
        done
        r=$((r + 1))
    done
}
gen m1 0 2 >"$T/a.jsonl"
{ gen m1 3 4; gen m2 0 2; gen m3x 0 2; } >"$T/b.jsonl"
printf 'EXT >= 2.5\nEXT stable\n' >"$T/claims.txt"

# snap NAME CMD...: CMD's output (stdout, or the CSV directory of report) before B, while B is
# ingested at the pause, and after; the paused run must equal the one before (its snapshot).
snap() {
    _name=$1; shift
    rm -f "$DB" "$DB-wal" "$DB-shm" "$T/go" "$T/go.waiting"
    pf init --quiet
    pf ingest --quiet "$T/a.jsonl"
    "$@" >"$T/$_name.before" 2>&1
    PSYFAITH_TEST_PAUSE_AT_PREPARE="4:$T/go" "$@" >"$T/$_name.during" 2>&1 &
    _pid=$!
    _i=0
    while [ ! -f "$T/go.waiting" ] && [ "$_i" -lt 600 ]; do sleep 0.05; _i=$((_i + 1)); done
    check_exit "$_name: ingest while it reads" 0 pf ingest --quiet "$T/b.jsonl"
    : >"$T/go"
    wait "$_pid"
    "$@" >"$T/$_name.after" 2>&1
    if cmp -s "$T/$_name.before" "$T/$_name.after"; then
        fail "$_name: the ingest changed nothing, so the test proves nothing"
    else pass; fi
    check_file "$_name: one snapshot (the one before the ingest)" "$T/$_name.during" "$(cat "$T/$_name.before")"
}

report_csv() {   # the report's CSV files, concatenated (provenance last)
    rm -rf "$T/rep"
    mkdir -p "$T/rep"
    pf report --csv "$T/rep" --latex "$T/rep/tex" --only scores,faithfulness,provenance --bootstrap 0 >/dev/null 2>&1 || echo "report failed"
    for f in scores faithfulness provenance; do
        echo "== $f"
        # the ingest time is not what this test is about
        sed 's/[0-9-]*T[0-9:]*Z//g' "$T/rep/$f.csv"
    done
}

snap scores pf scores --format csv
snap metrics pf metrics --format csv
snap audit pf audit --format csv --claims "$T/claims.txt" --bootstrap 20
snap report report_csv
finish
