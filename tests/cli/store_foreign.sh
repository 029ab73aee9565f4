# tests/cli/store_foreign.sh -- psyfaith creates its schema only at a new path or in an empty file,
# and refuses any other SQLite database without touching it: a foreign database, one with a
# clashing `source` table, user_version 0 with tables, user_version -1.  Each stays byte-identical
# and keeps its journal mode.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"4"}\n' >one.jsonl

# refused NAME DB SQL WANT_MESSAGE: makes DB with SQL, then ingest/init/export must all refuse it
refused() {
    _name=$1 _f=$2 _msg=$4
    q -db "$_f" "$3" >/dev/null
    cp "$_f" "$_f.orig"
    _mode=$(q -db "$_f" "PRAGMA journal_mode")
    check_exit "$_name: ingest refused" 1 "$PSYFAITH" ingest --db "$_f" one.jsonl
    check_grep "$_name: ingest message" "$_msg" "$T/err"
    check_exit "$_name: init refused" 1 "$PSYFAITH" init --db "$_f"
    check_grep "$_name: init message" "$_msg" "$T/err"
    check_exit "$_name: export refused" 1 "$PSYFAITH" export --db "$_f" responses
    check_grep "$_name: export message" "$_msg" "$T/err"
    if cmp -s "$_f" "$_f.orig"; then pass; else fail "$_name: file changed"; fi
    if [ "$_mode" != wal ]; then check_eq "$_name: no -wal made" "$(ls "$_f-wal" 2>/dev/null)" ""
    elif [ -s "$_f-wal" ]; then fail "$_name: wrote to the -wal"; else pass; fi
    check_eq "$_name: journal mode kept" "$(q -db "$_f" "PRAGMA journal_mode")" "$_mode"
    check_eq "$_name: no tables added" "$(q -db "$_f" "SELECT count(*) FROM sqlite_schema WHERE name = 'response'")" 0
}

refused "foreign" foreign.db "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('keep me')" \
    "psyfaith: error: 'foreign.db' is not a psyfaith store (a SQLite database with other tables; psyfaith makes its store only at a new path or in an empty file)"
refused "clashing source" clash.db "CREATE TABLE source(x TEXT); INSERT INTO source VALUES ('mine')" \
    "psyfaith: error: 'clash.db' is not a psyfaith store (a SQLite database with other tables;"
refused "user_version 0" v0.db "CREATE TABLE t(a); PRAGMA user_version = 0" \
    "psyfaith: error: 'v0.db' is not a psyfaith store (a SQLite database with other tables;"
refused "user_version -1" vneg.db "CREATE TABLE t(a); PRAGMA user_version = -1" \
    "psyfaith: error: 'vneg.db' is not a psyfaith store (schema version -1)"
refused "user_version -1, no tables" vneg0.db "PRAGMA user_version = -1" \
    "psyfaith: error: 'vneg0.db' is not a psyfaith store (schema version -1)"
refused "user_version 1 without psyfaith's tables" v1.db "CREATE TABLE source(x); PRAGMA user_version = 1" \
    "psyfaith: error: 'v1.db' is not a psyfaith store (schema version 1 but no psyfaith tables)"
refused "another application" app.db "PRAGMA application_id = 1234; PRAGMA user_version = 1" \
    "psyfaith: error: 'app.db' is not a psyfaith store (application id 1234)"

# a WAL foreign database stays WAL, a rollback-journal one stays so (checked above: delete)
refused "foreign WAL" fwal.db "PRAGMA journal_mode = WAL; CREATE TABLE notes(a); PRAGMA wal_checkpoint(TRUNCATE)" \
    "psyfaith: error: 'fwal.db' is not a psyfaith store"

# an empty file and a new path become stores; so does an empty SQLite database
: >empty.db
check_exit "empty file: init" 0 "$PSYFAITH" init --quiet --db empty.db
check_eq "empty file: schema" "$(q -db empty.db "PRAGMA user_version")" 4
check_exit "new path: init" 0 "$PSYFAITH" init --quiet --db new.db
check_eq "new path: application id" "$(q -db new.db "PRAGMA application_id")" "$(q -db empty.db "PRAGMA application_id")"
check_exit "store: ingest" 0 "$PSYFAITH" ingest --quiet --db new.db one.jsonl
q -db blank.db "PRAGMA page_size = 4096; VACUUM" >/dev/null
check_exit "empty SQLite database: init" 0 "$PSYFAITH" init --quiet --db blank.db
check_eq "empty SQLite database: schema" "$(q -db blank.db "PRAGMA user_version")" 4

# a store from before the application id (psyfaith's tables, id 0) still works
cp new.db old.db
q -db old.db "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA application_id = 0" >/dev/null
check_exit "old store: export" 0 "$PSYFAITH" export --db old.db responses
check_grep "old store: its rows" "IPIP-50" "$T/out"
printf '{"model":"m2","instrument":"IPIP-50","item":"E1","answer":"3"}\n' >two.jsonl
check_exit "old store: ingest" 0 "$PSYFAITH" ingest --quiet --db old.db two.jsonl

# the store given as an input file is refused before it is opened: closing a descriptor of the
# store file drops every POSIX lock the process holds on it, SQLite's included (store_refuse_own_file)
rows_before=$(q -db new.db "SELECT count(*) FROM response")
check_exit "the store as a log file: refused" 1 "$PSYFAITH" ingest --db new.db --format jsonl new.db
check_grep "... named" "psyfaith: error: 'new.db' is the store (--db '$T/new.db'), not a log file" "$T/err"
check_exit "its write-ahead log as a log file: refused" 1 "$PSYFAITH" ingest --db new.db --format csv new.db-wal
check_grep "... named" "'new.db-wal' is the store's write-ahead log (--db '$T/new.db'), not a log file" "$T/err"
ln -s new.db link.db
check_exit "a link to the store: refused" 1 "$PSYFAITH" ingest --db new.db --format jsonl link.db
check_grep "... named" "'link.db' is the store (--db '$T/new.db'), not a log file" "$T/err"
check_exit "beside a good file: the good one stored, exit 1" 1 "$PSYFAITH" ingest --quiet --db new.db --format jsonl two.jsonl new.db
check_grep "... the store named" "'new.db' is the store" "$T/err"
check_eq "... the good file's row is in" "$(q -db new.db "SELECT count(*) FROM response")" $((rows_before + 1))
check_exit "the store as an item bank: refused" 1 "$PSYFAITH" instruments load --db new.db new.db
check_grep "... named" "'new.db' is the store (--db '$T/new.db'), not an item bank" "$T/err"
check_exit "the store as a norms file: refused" 1 "$PSYFAITH" norms load --db new.db link.db
check_grep "... named" "'link.db' is the store (--db '$T/new.db'), not a norms file" "$T/err"
check_exit "the store as a report's claims file: refused" 1 "$PSYFAITH" report --db new.db --claims new.db --csv rep
check_grep "... named" "'new.db' is the store (--db '$T/new.db'), not a claims file" "$T/err"
check_eq "the store is whole after it all" "$(q -db new.db "PRAGMA integrity_check")" ok
finish
