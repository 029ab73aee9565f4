#!/bin/sh
# bench/run.sh's target helper: ✓ exactly when MEASURED OP GOAL holds, for each operator and at
# the boundary; the summary table lists every target that ran with the count met; BENCH_STRICT=1
# turns a missed target into exit 1; a bad operator or a non-number is never a ✓.
. "$(dirname "$0")/../lib.sh"
BUILD_DIR=$(dirname "$PSYFAITH")
bench() {   # bench STRICT -- the helpers sourced in a subshell, then the calls on stdin
    (cd "$PSYFAITH_TOP" && BENCH_LIB=1 BENCH_STRICT=$1 && set -- "$BUILD_DIR" && . ./bench/run.sh && . "$T/calls")
}
cat >"$T/calls" <<'CALLS'
target "rate at goal" 650000 '>=' 650000 lines/s
target "rate below" 649999 '>=' 650000 lines/s
target "ratio above" 10.5 '>' 10 ""
target "ratio equal, strict" 10 '>' 10 ""
target "time under" 9.99 '<=' 10 s
target "time over" 10.01 '<=' 10 s
target "time strict under" 2.49 '<' 2.5 s
target "time equal, strict" 2.5 '<' 2.5 s
target "not a number" "n/a" '>=' 1 s
targets_summary
CALLS
check_exit "helpers run" 0 bench 0
grep -E '^  (✓|✗) ' "$T/out" | head -n 9 >"$T/lines"
check_eq "verdicts in order" "$(awk '{ printf "%s", $1 }' "$T/lines")" "✓✗✓✗✓✗✓✗✗"
check_grep "grouped measurement" "650,000 lines/s   (target >= 650,000 lines/s)" "$T/lines"
check_grep "ratio printed with x" "10.5x   (target > 10x)" "$T/lines"
check_grep "summary header" "== targets: 4 of 9 met" "$T/out"
check_eq "summary rows" "$(sed -n '/^== targets/,$p' "$T/out" | grep -cE '^  (✓|✗) ')" 9
check_eq "summary repeats the lines" "$(sed -n '/^== targets/,$p' "$T/out" | sed 1d | sed 's/  */ /g')" \
    "$(sed 's/  */ /g' "$T/lines")"
check_exit "a missed target fails with BENCH_STRICT=1" 1 bench 1
printf 'target "met" 1 ">=" 1 s\ntargets_summary\n' >"$T/calls"
check_exit "all met passes with BENCH_STRICT=1" 0 bench 1
check_grep "one of one" "== targets: 1 of 1 met" "$T/out"
printf 'target "bad op" 1 "=" 1 s\n' >"$T/calls"
check_exit "a bad operator is an error" 2 bench 0
check_grep "names the operator" "bad operator '='" "$T/err"
finish
