#!/bin/sh
# Schema version 3 -> 4 (issue 16): the index response_by_subject is keyed (subject, rep, item)
# instead of (subject, item, rep), so that a large load keeps it up in a small cache.  A version-3
# store with responses -- made here by ingesting into a new store and putting the version-3 index and
# version back (schema-v3.sql is the schema of version 3: it differs in this index only) -- is
# upgraded on first use, read or write: the new index, every row still there, and metrics, scores
# and structure print what they print on a store made at version 4.
. "$(dirname "$0")/../lib.sh"
FX=$PSYFAITH_TOP/tests/oracle/varcomp

# the version-3 schema file is this version's but for that index (a check that the fixture is right)
check_eq "schema-v3.sql is schema.sql but for response_by_subject" \
    "$(diff "$PSYFAITH_TOP/tests/cli/data/schema-v3.sql" "$PSYFAITH_TOP/schema.sql" | grep '^[<>] CREATE')" \
    "< CREATE INDEX IF NOT EXISTS response_by_subject ON response(subject_id, item_id, rep);
> CREATE INDEX IF NOT EXISTS response_by_subject ON response(subject_id, rep, item_id);"

# the store at version 4: RealBehavior-shaped responses (interleaved subjects, repetitions) and a
# design-factor study for varcomp
pf init --quiet
check_exit "ingest the RealBehavior fixture" 0 pf ingest --quiet "$PSYFAITH_TOP/tests/oracle/faith/rb.jsonl"
design=$FX/balanced.jsonl
check_exit "ingest a design-factor study" 0 pf ingest --quiet "$design"
check_eq "new store: version 4" "$(q "PRAGMA user_version")" 4
check_eq "new store: the index" "$(q "SELECT sql FROM sqlite_schema WHERE name = 'response_by_subject'")" \
    "CREATE INDEX response_by_subject ON response(subject_id, rep, item_id)"

# outputs DB PREFIX: what the readers of the index print
outputs() {
    "$PSYFAITH" metrics --db "$1" --format csv >"$2.metrics" 2>"$T/err" || fail "$2: metrics"
    "$PSYFAITH" scores --db "$1" --format csv >"$2.scores" 2>"$T/err" || fail "$2: scores"
    "$PSYFAITH" metrics --db "$1" --metric varcomp --format csv >"$2.varcomp" 2>"$T/err" || fail "$2: varcomp"
    "$PSYFAITH" structure --db "$1" --instrument IPIP-50 --format csv >"$2.structure" 2>"$T/err" || fail "$2: structure"
}
outputs "$DB" "$T/v4"
check_eq "metrics has rows" "$(($(wc -l <"$T/v4.metrics") > 5))" 1
check_eq "varcomp has rows" "$(($(wc -l <"$T/v4.varcomp") > 5))" 1
check_eq "structure has rows" "$(($(wc -l <"$T/v4.structure") > 5))" 1

# make_v3 FILE: a copy of the store as version 3 wrote it
make_v3() {
    rm -f "$1"*
    q "VACUUM INTO '$1'" >/dev/null
    q -db "$1" "DROP INDEX response_by_subject;
        CREATE INDEX response_by_subject ON response(subject_id, item_id, rep);
        PRAGMA user_version = 3; PRAGMA journal_mode = WAL" >/dev/null
}
for mode in read write; do
    make_v3 "$T/v3$mode.db"
    check_eq "$mode: a version-3 store" "$(q -db "$T/v3$mode.db" "PRAGMA user_version")" 3
    if [ $mode = write ]; then
        check_exit "write: init upgrades it" 0 "$PSYFAITH" init --db "$T/v3$mode.db" --quiet
    fi
    outputs "$T/v3$mode.db" "$T/$mode"
    check_eq "$mode: now version 4" "$(q -db "$T/v3$mode.db" "PRAGMA user_version")" 4
    check_eq "$mode: the index (subject, rep, item)" \
        "$(q -db "$T/v3$mode.db" "SELECT sql FROM sqlite_schema WHERE name = 'response_by_subject'")" \
        "CREATE INDEX response_by_subject ON response(subject_id, rep, item_id)"
    check_eq "$mode: integrity" "$(q -db "$T/v3$mode.db" "PRAGMA integrity_check")" ok
    check_eq "$mode: every response" "$(q -db "$T/v3$mode.db" "SELECT count(*), sum(id), sum(rep) FROM response")" \
        "$(q "SELECT count(*), sum(id), sum(rep) FROM response")"
    for out in metrics scores varcomp structure; do
        if cmp -s "$T/v4.$out" "$T/$mode.$out"; then pass; else fail "$mode: $out as on a version-4 store"; fi
    done
done

# the upgrade sorts the responses in temporary files with a small cache (store.c, migrate), so its
# peak memory does not grow with the store: 40 times the responses take at most 8 MB more (in
# memory with the connection's 64 MiB cache, the sort and the new index's pages took 48 MB more)
make_v3 "$T/v3small.db"
/usr/bin/time -f %M -o "$T/rss-small" "$PSYFAITH" init --db "$T/v3small.db" --quiet
q "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 39)
   INSERT INTO response(subject_id, item_id, rep, answer, option, score, status, run, source_id, line)
   SELECT subject_id, item_id, rep + 1000 * k.i, answer, option, score, status, run, source_id, line FROM response, k" >/dev/null
make_v3 "$T/v3big.db"
/usr/bin/time -f %M -o "$T/rss-big" "$PSYFAITH" init --db "$T/v3big.db" --quiet
check_eq "a version-3 store of $(q "SELECT count(*) FROM response") responses upgraded" "$(q -db "$T/v3big.db" "PRAGMA user_version")" 4
if grep -qa -e __asan_init -e __tsan_init "$PSYFAITH"; then
    # AddressSanitizer keeps freed memory in quarantine; both sanitizers map shadow memory for what
    # is touched
    echo "store_upgrade.sh: sanitizer build, peak memory not compared" >&2
else
    check_eq "... in at most 8 MB more than one of a 40th of them ($(cat "$T/rss-small") -> $(cat "$T/rss-big") KB)" \
        "$(awk -v s="$(cat "$T/rss-small")" -v b="$(cat "$T/rss-big")" 'BEGIN { print (b <= s + 8192) }')" 1
fi
check_eq "... integrity" "$(q -db "$T/v3big.db" "PRAGMA integrity_check")" ok

# the upgrade is one transaction: a store it cannot finish is left at version 3 (a response whose
# subject is gone makes the reference check after the steps fail)
make_v3 "$T/v3bad.db"
q -db "$T/v3bad.db" "PRAGMA foreign_keys = OFF; UPDATE response SET subject_id = 999999 WHERE id = 1" >/dev/null
check_fails "broken references: the upgrade refuses" "$PSYFAITH" init --db "$T/v3bad.db" --quiet
check_grep "... and says why" "broken references" "$T/err"
check_eq "... the store left at version 3" "$(q -db "$T/v3bad.db" "PRAGMA user_version")" 3
check_eq "... with its version-3 index" \
    "$(q -db "$T/v3bad.db" "SELECT sql FROM sqlite_schema WHERE name = 'response_by_subject'")" \
    "CREATE INDEX response_by_subject ON response(subject_id, item_id, rep)"

finish
