# tests/cli/conditions.sh -- experimental conditions (issue 13 part 1): the upgrade of a version-1
# store to the subject key (model, temperature, persona, condition), the condition field on every
# record type, subjects told apart by condition, and the condition in metrics/scores/audit rows.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
D="$PSYFAITH_TOP/tests/cli/data"

# ---------------------------------------------------------------- upgrade of a version-1 store
# A store made by the version-1 schema, with two subjects, one response each and a source.
v1() {
    rm -f "$1" "$1-wal" "$1-shm"
    q -db "$1" ".read $D/schema-v1.sql" >/dev/null
    q -db "$1" "PRAGMA journal_mode = WAL; PRAGMA user_version = 1; PRAGMA application_id = 1347634772;
                INSERT INTO source(id, path, sha256, format) VALUES (1, 'old.jsonl', 'abc', 'jsonl');
                INSERT INTO instrument(id, name) VALUES (1, 'OLD');
                INSERT INTO item(id, instrument_id, code, position, dimension, key, text, norm_text)
                    VALUES (1, 1, 'o1', 1, 'EXT', 1, 'I talk.', 'talk');
                INSERT INTO subject(id, model, temperature, persona) VALUES (1, 'm', 0.5, NULL), (2, 'm', NULL, 'AGR=9');
                INSERT INTO response(subject_id, item_id, option, score, status, source_id, line)
                    VALUES (1, 1, 4, 4, 'ok', 1, 1), (2, 1, 2, 2, 'ok', 1, 2);" >/dev/null
}
v1 old.db
check_exit "v1 store: a read command upgrades it" 0 "$PSYFAITH" export --db old.db responses
check_eq "v1 store: version 2" "$(q -db old.db "PRAGMA user_version")" 2
check_eq "v1 store: rows kept, condition NULL" "$(q -db old.db "SELECT group_concat(id || ':' || model || ':' || coalesce(persona, '-') || ':' || coalesce(condition, 'NULL'), ' ') FROM subject")" \
    "1:m:-:NULL 2:m:AGR=9:NULL"
check_eq "v1 store: condition is the last column" "$(q -db old.db "SELECT name FROM pragma_table_info('subject') ORDER BY cid DESC LIMIT 1")" condition
check_grep "v1 store: the key includes condition" "coalesce(condition, x'00')" "$(q -db old.db "SELECT sql FROM sqlite_master WHERE name = 'subject_key'" >key.sql; echo key.sql)"
check_eq "v1 store: responses kept" "$(q -db old.db "SELECT count(*) FROM response")" 2
check_eq "v1 store: integrity" "$(q -db old.db "PRAGMA integrity_check; PRAGMA foreign_key_check")" ok
check_fails "v1 store: same subject twice still refused" q -db old.db "INSERT INTO subject(model, temperature) VALUES ('m', 0.5)"
check_exit "v1 store: same subject with a condition is another" 0 q -db old.db "INSERT INTO subject(model, temperature, condition) VALUES ('m', 0.5, 'x')"
check_fails "v1 store: empty condition refused" q -db old.db "INSERT INTO subject(model, condition) VALUES ('m', '')"
v1 old2.db
check_exit "v1 store: a write command upgrades it" 0 "$PSYFAITH" init --db old2.db --quiet
check_eq "v1 store (init): version 2" "$(q -db old2.db "PRAGMA user_version")" 2
check_eq "v1 store (init): column added once" "$(q -db old2.db "SELECT count(*) FROM pragma_table_info('subject') WHERE name = 'condition'")" 1
check_exit "v2 store: opened again, nothing to do" 0 "$PSYFAITH" export --db old2.db responses
v1 old3.db
q -db old3.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
chmod a-w old3.db
if [ -w old3.db ]; then pass; pass; pass; else      # root writes anyway: nothing to test then
    check_exit "v1 store not writable: refused" 1 "$PSYFAITH" export --db old3.db responses
    check_grep "v1 store not writable: message" "store 'old3.db' has schema version 1 and must be upgraded to 2, but it is not writable" "$T/err"
    check_eq "v1 store not writable: still version 1" "$(q -db old3.db "PRAGMA user_version")" 1
fi
chmod u+w old3.db
# a failing step leaves the store at version 1: a v1 store that already has a column 'condition'
v1 old4.db
q -db old4.db "ALTER TABLE subject ADD COLUMN condition TEXT" >/dev/null
check_exit "v1 store, upgrade fails: error" 1 "$PSYFAITH" export --db old4.db responses
check_grep "v1 store, upgrade fails: message" "cannot upgrade schema version 1 to 2: duplicate column name: condition" "$T/err"
check_eq "v1 store, upgrade fails: version kept" "$(q -db old4.db "PRAGMA user_version")" 1
check_eq "v1 store, upgrade fails: index kept" "$(q -db old4.db "SELECT count(*) FROM sqlite_master WHERE name = 'subject_key'")" 1

finish
