# tests/cli/ingest_jq.sh -- a --jq prefilter never outlives psyfaith (issue 11 item 8): a jq program
# that never ends is killed when psyfaith gets SIGTERM or SIGHUP (its handler kills jq's process
# group) or SIGKILL (Linux: jq's parent-death signal); --jq-timeout SECONDS stops it, the file fails
# with exit 1 and a message naming it, and nothing of it is stored -- not even the records jq
# printed before.  Each jq is found by a marker unique to this run in its program's file name.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
if ! command -v jq >/dev/null 2>&1 || ! command -v pgrep >/dev/null 2>&1; then
    echo "ingest_jq.sh: jq or pgrep not installed; skipped" >&2
    echo "0 passed, 0 failed"
    exit 0
fi

MARK=psyfaith-jqtest-$$
printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)"}' >in.jsonl
# never ends, prints nothing (repeat without output: constant memory)
printf 'repeat(1) | empty\n' >"never-$MARK.jq"
# prints 5,000 records (more than a batch and jq's output buffer), then never ends
printf 'range(5000) as $i | {model: "m", instrument: "IPIP-50", item: "E\\(1 + $i %% 10)", answer: "(D)"}, (repeat(1) | empty)\n' \
    >"some-then-never-$MARK.jq"
printf '{model: .model, instrument: .instrument, item: .item, answer: .answer}\n' >"quick-$MARK.jq"
check_exit "init" 0 pf init

jq_pids() { pgrep -f "^jq .*$MARK" 2>/dev/null; }
# wait_for CONDITION : polls a shell condition for up to 5 s
wait_for() {
    _i=0
    while [ "$_i" -lt 50 ]; do
        if eval "$1"; then return 0; fi
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}

# kill_test SIGNAL WANT_STATUS : start an ingest with the never-ending program, wait for its jq,
# send SIGNAL to psyfaith; psyfaith dies of it and no jq is left
kill_test() {
    "$PSYFAITH" ingest --db "$DB" --quiet --jq "never-$MARK.jq" in.jsonl 2>"$T/err.$1" &
    _pid=$!
    if wait_for '[ -n "$(jq_pids)" ]'; then pass; else fail "$1: jq did not start"; fi
    kill -s "$1" "$_pid"
    wait "$_pid"
    check_eq "$1: psyfaith dies of the signal" "$?" "$2"
    if wait_for '[ -z "$(jq_pids)" ]'; then pass; else
        fail "$1: jq left running after psyfaith ($(jq_pids))"
        for _p in $(jq_pids); do kill -9 "$_p"; done
    fi
}
kill_test TERM 143
kill_test HUP 129
kill_test KILL 137
check_eq "killed ingests stored nothing" "$(q "SELECT count(*) FROM source")" 0

# --jq-timeout: the file fails cleanly, nothing stored, no jq left
check_exit "--jq-timeout 1 on a program that never ends" 1 \
    pf ingest --jq-timeout 1 --jq "some-then-never-$MARK.jq" in.jsonl
check_grep "the message names the file and the limit" "on 'in.jsonl' ran longer than --jq-timeout 1 s" "$T/err"
check_eq "nothing of it stored (jq had printed 5,000 records)" \
    "$(q "SELECT (SELECT count(*) FROM source) || '/' || (SELECT count(*) FROM response) || '/' || (SELECT count(*) FROM subject)")" "0/0/0"
check_eq "no jq left after the timeout" "$(jq_pids)" ""
check_exit "a quick program within --jq-timeout" 0 pf ingest --quiet --jq-timeout 30 --jq "quick-$MARK.jq" in.jsonl
check_eq "its record stored" "$(q "SELECT count(*) FROM response")" 1
check_exit "--jq-timeout 0 is refused" 2 pf ingest --jq-timeout 0 --jq "quick-$MARK.jq" in.jsonl
check_grep "the message says the range" "--jq-timeout takes seconds from 1 to 86400, got '0'" "$T/err"
check_exit "--jq-timeout x is refused" 2 pf ingest --jq-timeout x --jq "quick-$MARK.jq" in.jsonl
check_grep "--help lists --jq-timeout" "--jq-timeout SECONDS" "$(pf ingest --help >"$T/help"; echo "$T/help")"

finish
