#!/bin/sh
# tests/run.sh BUILD -- runs every unit-test binary and every CLI test script, sums their
# "N passed, N failed" lines, and ends with the total in the same form.
# The tests are independent (each has its own temporary store), so they run TEST_JOBS at a time
# (default 4: many of them wait on sleeps, pdflatex or child processes rather than the CPU).  Each
# one's output is collected in its own file and printed in a fixed order once all have finished.
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export PSYFAITH="$TOP/$BUILD/psyfaith" PSYFAITH_TOP="$TOP" PSYFAITH_SHARED="${PSYFAITH_SHARED:-$TOP/../shared}"
JOBS=${TEST_JOBS:-4}
TMPDIR_RUN=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPDIR_RUN"' EXIT

# run_one INDEX NAME command...: leaves INDEX.out, INDEX.err, INDEX.rc and INDEX.name behind.
run_one() {
    i=$1 name=$2; shift 2
    echo "$name" >"$TMPDIR_RUN/$i.name"
    (cd "$TOP" && "$@") >"$TMPDIR_RUN/$i.out" 2>"$TMPDIR_RUN/$i.err"
    echo $? >"$TMPDIR_RUN/$i.rc"
}

n=0
# POSIX sh has no `wait -n`: poll the .rc files, so that at most JOBS tests run at once.
start() {   # NAME command...
    while [ $((n - $(ls "$TMPDIR_RUN" | grep -c '\.rc$'))) -ge "$JOBS" ]; do sleep 0.2; done
    n=$((n + 1))
    run_one "$n" "$@" &
}

for t in "$TOP/$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    start "$(basename "$t")" "$t"
done
for t in "$TOP"/tests/cli/*.sh; do
    [ -f "$t" ] || continue
    start "cli/$(basename "$t")" sh "$t"
done
wait

pass=0 fail=0 i=1
while [ "$i" -le "$n" ]; do
    name=$(cat "$TMPDIR_RUN/$i.name") rc=$(cat "$TMPDIR_RUN/$i.rc")
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMPDIR_RUN/$i.out" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: no result line (exit $rc)"; sed 's/^/    /' "$TMPDIR_RUN/$i.err" | tail -n 30
        fail=$((fail + 1))
    else
        p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
        pass=$((pass + p)); fail=$((fail + f))
        if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
            echo "FAIL $name: $line (exit $rc)"; sed 's/^/    /' "$TMPDIR_RUN/$i.err" | tail -n 40
            [ "$f" -eq 0 ] && fail=$((fail + 1))
        else
            echo "ok   $name: $p checks"
        fi
    fi
    i=$((i + 1))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
