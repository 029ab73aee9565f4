# tests/lib.sh -- sourced by tests/cli/*.sh (POSIX sh).  Gives a temporary directory $T removed on
# exit, `pf` (psyfaith on the test store $DB), `q` (sqlite3 on it), the check_* helpers and
# `finish`, which prints "N passed, N failed" for tests/run.sh to add up.
: "${PSYFAITH:?PSYFAITH must name the psyfaith binary (tests/run.sh sets it)}"
PSYFAITH_TOP=${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
PSYFAITH_SHARED=${PSYFAITH_SHARED:-$PSYFAITH_TOP/../shared}
T=$(mktemp -d "${TMPDIR:-/tmp}/psyfaith-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
DB=$T/test.db                # never a store from the environment: tests wipe and rewrite theirs
export LC_ALL=C
unset PSYFAITH_DB            # every test names its store; `pf` passes --db
_pass=0 _fail=0

# psyfaith with --db $DB after the subcommand (and its "load"/"list" word).
pf() {
    _cmd=$1; shift
    case $_cmd in
    instruments|norms) _sub=$1; shift; "$PSYFAITH" "$_cmd" "$_sub" --db "$DB" "$@" ;;
    *) "$PSYFAITH" "$_cmd" --db "$DB" "$@" ;;
    esac
}

# sqlite3 on the test store (or another: q -db FILE SQL).
q() {
    if [ "$1" = -db ]; then _db=$2; shift 2; else _db=$DB; fi
    sqlite3 -batch "$_db" "$@"
}

pass() { _pass=$((_pass + 1)); }
fail() { _fail=$((_fail + 1)); printf '%s: FAIL %s\n' "$(basename "$0")" "$1" >&2; }

# check_eq DESC GOT WANT
check_eq() {
    if [ "$2" = "$3" ]; then pass; else
        fail "$1"; printf '    got:  %s\n    want: %s\n' "$2" "$3" >&2
    fi
}

# check_exit DESC WANT_RC cmd...   (the command's stdout and stderr go to $T/out and $T/err)
check_exit() {
    _d=$1 _want=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    _rc=$?
    if [ "$_rc" = "$_want" ]; then pass; else
        fail "$_d"; printf '    exit %s, want %s; stderr:\n' "$_rc" "$_want" >&2; sed 's/^/    /' "$T/err" | head -n 20 >&2
    fi
}

# check_fails DESC cmd...   (any non-zero exit)
check_fails() {
    _d=$1; shift
    "$@" >"$T/out" 2>"$T/err"
    _rc=$?
    if [ "$_rc" -ne 0 ]; then pass; else fail "$_d (exit 0, want non-zero)"; fi
}

# check_grep DESC PATTERN FILE   (a fixed string)
check_grep() {
    if grep -qF -- "$2" "$3"; then pass; else
        fail "$1"; printf '    no line with: %s\n    in %s:\n' "$2" "$3" >&2; sed 's/^/    /' "$3" | head -n 20 >&2
    fi
}

# check_nogrep DESC PATTERN FILE
check_nogrep() {
    if grep -qF -- "$2" "$3"; then
        fail "$1"; printf '    unexpected: %s\n' "$2" >&2
    else pass; fi
}

# check_file DESC FILE WANT_TEXT   (the whole file)
check_file() {
    _got=$(cat "$2")
    if [ "$_got" = "$3" ]; then pass; else
        fail "$1"; printf '%s\n' "$3" >"$T/want.txt"; printf '%s\n' "$_got" >"$T/got.txt"
        diff "$T/want.txt" "$T/got.txt" | head -n 30 | sed 's/^/    /' >&2
    fi
}

finish() {
    echo "$_pass passed, $_fail failed"
    exit 0
}
