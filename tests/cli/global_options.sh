# tests/cli/global_options.sh -- issue 13 item 4: options before the command work for every command
# (--db FILE, -q/--quiet, --help, --version); an unknown one is a usage error that says which are
# allowed there.  A command's own --db after the command still wins.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
check_exit "psyfaith --db X init" 0 "$PSYFAITH" --db g.db init
check_eq "the store is X" "$(sqlite3 g.db "SELECT count(*) FROM instrument")" 6
check_exit "--db=X --quiet init (again)" 0 "$PSYFAITH" --db=g2.db --quiet init
check_eq "quiet: no notes" "$(cat "$T/err")" ""
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' >a.jsonl
check_exit "--db X --quiet ingest" 0 "$PSYFAITH" --db g.db --quiet ingest a.jsonl
check_eq "quiet ingest: no summary" "$(cat "$T/err")" ""
check_eq "ingested into X" "$(sqlite3 g.db "SELECT count(*) FROM response")" 1
check_exit "--db X -q metrics" 0 "$PSYFAITH" --db g.db -q metrics
check_grep "metrics read X (its header)" "metric,instrument" "$T/out"
check_exit "--db X export responses" 0 "$PSYFAITH" --db g.db export responses
check_grep "exported from X" "m,,,0,IPIP-50,E1" "$T/out"
check_exit "--db X instruments list" 0 "$PSYFAITH" --db g.db instruments list
check_grep "listed" "IPIP-50" "$T/out"
check_exit "the command's own --db wins" 1 "$PSYFAITH" --db g.db metrics --db nosuch.db
check_grep "named" "no store at 'nosuch.db'" "$T/err"
check_exit "PSYFAITH_DB is overridden by --db before the command" 0 env PSYFAITH_DB=nosuch.db "$PSYFAITH" --db g.db export responses
check_exit "--help after a global option" 0 "$PSYFAITH" --db g.db --help
check_grep "usage names the global options" "usage: psyfaith [--db FILE] [-q|--quiet] COMMAND" "$T/out"
check_exit "--version after a global option" 0 "$PSYFAITH" -q --version
check_grep "version" "psyfaith " "$T/out"
check_exit "--db X help ingest" 0 "$PSYFAITH" --db g.db help ingest
check_grep "help of ingest" "usage: psyfaith ingest" "$T/out"
check_exit "unknown option before the command" 2 "$PSYFAITH" --format csv metrics
check_eq "its message" "$(cat "$T/err")" \
    "psyfaith: unknown option '--format' before the command (before it: --db FILE, -q/--quiet, --help, --version; a command's own options go after it)"
check_exit "--db without FILE" 2 "$PSYFAITH" --db
check_eq "its message" "$(cat "$T/err")" "psyfaith: --db needs a FILE"
check_exit "global options and no command" 2 "$PSYFAITH" --db g.db
check_grep "usage" "usage: psyfaith" "$T/err"
check_exit "unknown command after global options" 2 "$PSYFAITH" --db g.db frobnicate
check_grep "its message" "psyfaith: unknown command 'frobnicate' (see 'psyfaith help')" "$T/err"
finish
