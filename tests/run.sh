#!/bin/sh
# tests/run.sh BUILD -- runs every unit-test binary and every CLI test script, sums their
# "N passed, N failed" lines, and ends with the total in the same form.
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export PSYFAITH="$TOP/$BUILD/psyfaith" PSYFAITH_TOP="$TOP" PSYFAITH_SHARED="${PSYFAITH_SHARED:-$TOP/../shared}"
pass=0 fail=0
run_one() {   # name, command...
    name=$1; shift
    out=$("$@" 2>"$TMPDIR_RUN/err")
    rc=$?
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: no result line (exit $rc)"; sed 's/^/    /' "$TMPDIR_RUN/err" | tail -n 30
        fail=$((fail + 1)); return
    fi
    p=${line%% passed*}; f=${line#*, }; f=${f%% failed*}
    pass=$((pass + p)); fail=$((fail + f))
    if [ "$f" -ne 0 ] || [ $rc -ne 0 ]; then
        echo "FAIL $name: $line (exit $rc)"; sed 's/^/    /' "$TMPDIR_RUN/err" | tail -n 40
        [ "$f" -eq 0 ] && fail=$((fail + 1))
    else
        echo "ok   $name: $p checks"
    fi
}
TMPDIR_RUN=$(mktemp -d) || exit 1
trap 'rm -rf "$TMPDIR_RUN"' EXIT
for t in "$TOP/$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    cd "$TOP" && run_one "$(basename "$t")" "$t"
done
for t in "$TOP"/tests/cli/*.sh; do
    [ -f "$t" ] || continue
    cd "$TOP" && run_one "cli/$(basename "$t")" sh "$t"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
