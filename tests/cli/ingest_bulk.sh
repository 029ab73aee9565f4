# tests/cli/ingest_bulk.sh -- the bulk-load mode of a large file (issue 16, store_bulk_begin): the
# store leaves WAL for a rollback journal with an exclusive lock, foreign keys off and the loader's
# own reference check.  Checked here: the store is back in WAL mode and consistent after a load;
# a load killed with SIGKILL half-way leaves a hot journal that the next command -- a read command
# first -- rolls back, so nothing of the file is stored, and a re-run stores all of it; a load
# while another connection reads falls back to WAL and does not wait for it; --force (which needs
# the cascade of the foreign keys) replaces a bulk-loaded source; and an item removed after the
# item banks were read fails the file with a message instead of storing rows that refer to nothing.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
case $PSYFAITH in *asan*|*tsan*) N=60000 ;; *) N=200000 ;; esac
HOLD_BATCH=$((N / 4096 * 4 / 5))   # a batch (4,096 rows) four fifths into big.jsonl

# start_held BATCH NAME ARGS...: psyfaith ingest in the background, held by the test hook
# PSYFAITH_TEST_PAUSE_IN_LOAD after its BATCH-th batch of rows (inside the load's transaction)
# until the file NAME exists; sets $held to its pid and returns once it is held (or gone).  No
# polling for a journal that a fast load may have removed again before the test looks.
start_held() {
    _batch=$1 _name=$2; shift 2
    rm -f "$T/$_name" "$T/$_name.waiting"
    PSYFAITH_TEST_PAUSE_IN_LOAD="$_batch:$T/$_name" "$PSYFAITH" ingest --db "$DB" "$@" &
    held=$!
    _i=0
    while [ ! -f "$T/$_name.waiting" ] && [ "$_i" -lt 1200 ] && kill -0 "$held" 2>/dev/null; do sleep 0.05; _i=$((_i + 1)); done
}

pf init --quiet || { fail "init"; finish; }
cp "$DB" pristine.db
# 7 models x 3 temperatures = 21 subjects; every line a valid response (> 1 MiB: the bulk path)
gen() {
    awk -v n="$1" -v tag="$2" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"model\":\"m%d\",\"temperature\":%d,\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"answer\":\"(%c) %s\"}\n",
               i % 7, i % 3, int(i / 70), i % 10 + 1, 65 + i % 5, tag }'
}
gen "$N" words >big.jsonl
gen 20000 other >mid.jsonl
check_eq "the test file is over 1 MiB" "$(awk -v s="$(wc -c <mid.jsonl)" 'BEGIN { print (s > 1048576) }')" 1

# 1. a load: WAL again after it, no journal left that could be taken for a hot one, consistent
check_exit "bulk load" 0 pf ingest --quiet big.jsonl
check_eq "every row" "$(q "SELECT count(*) FROM response")" "$N"
check_eq "back in WAL mode" "$(q "PRAGMA journal_mode")" wal
check_eq "no rollback journal left" "$(ls "$DB-journal" 2>/dev/null)" ""
check_eq "foreign_key_check after a load with the checks off" "$(q "PRAGMA foreign_key_check")" ""
check_eq "integrity_check" "$(q "PRAGMA integrity_check")" ok
check_eq "statuses" "$(q "SELECT group_concat(status || '=' || n, ' ') FROM (SELECT status, count(*) n FROM response GROUP BY status ORDER BY status)")" \
    "ok=$N"

# 2. --force replaces the bulk-loaded source through ON DELETE CASCADE (the foreign keys stay on)
check_exit "--force on the same file" 0 pf ingest --quiet --force big.jsonl
check_eq "--force: the rows once, not twice" "$(q "SELECT count(*) || '/' || count(DISTINCT source_id) FROM response")" "$N/1"
check_eq "--force: one source" "$(q "SELECT count(*) FROM source")" 1

# 3. killed half-way: the journal is hot; a read command opens the store first and rolls it back
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_BULK_CACHE_PAGES=50 start_held "$HOLD_BATCH" go3 --quiet big.jsonl >/dev/null 2>&1
check_eq "held during the bulk load, a journal there" "$([ -f go3.waiting ] && [ -s "$DB-journal" ] && echo yes)" yes
check_eq "... the store file already written into (a cache of 50 pages spilled)" \
    "$([ "$(wc -c <"$DB")" -gt "$(wc -c <pristine.db)" ] && echo yes)" yes
kill -KILL "$held" 2>/dev/null
wait "$held" 2>/dev/null
check_eq "killed with SIGKILL" "$?" 137
check_eq "a hot journal is left" "$([ -s "$DB-journal" ] && echo yes)" yes
check_exit "a read command first: it rolls the journal back" 0 pf scores --format csv
check_grep "... and sees nothing of the file" "no responses in the store" "$T/err"
check_eq "nothing of the file" "$(q "SELECT (SELECT count(*) FROM response) || ' ' || (SELECT count(*) FROM subject) || ' ' || (SELECT count(*) FROM source)")" "0 0 0"
check_eq "integrity after the kill" "$(q "PRAGMA integrity_check")" ok
check_exit "the re-run" 0 pf ingest --quiet big.jsonl
check_eq "the re-run stores the whole file" "$(q "SELECT count(*) FROM response")" "$N"
check_eq "WAL after the re-run" "$(q "PRAGMA journal_mode")" wal

# 4. another connection holds a read snapshot until this test says so: the load neither waits for
# it (it would then fail after --busy-timeout 3000, the reader holding on for up to a minute) nor
# breaks its snapshot
( sqlite3 "$DB" <<'EOF'
BEGIN;
SELECT count(*) FROM response;
SELECT 'reading';
.shell i=0; while [ ! -f loaded ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
SELECT count(*) FROM response;
COMMIT;
EOF
) >reader.out 2>&1 &
preader=$!
i=0
while ! grep -q reading reader.out 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
check_exit "a load while another connection reads (no waiting for it)" 0 pf ingest --quiet --busy-timeout 3000 mid.jsonl
check_eq "... the reader was still reading" "$(kill -0 "$preader" 2>/dev/null && echo yes)" yes
: >loaded
wait "$preader"
check_eq "the reader kept its snapshot" "$(sed -n '1p;3p' reader.out | tr '\n' ' ')" "$N $N "
check_eq "both files stored" "$(q "SELECT count(*) FROM response")" $((N + 20000))
check_eq "WAL after the load beside a reader" "$(q "PRAGMA journal_mode")" wal

# 5. an item removed after psyfaith read the item banks and before the load began (the test hook
# PSYFAITH_TEST_PAUSE_AFTER_BANKS holds psyfaith in between): the bulk load's own reference check
# finds it, the file is not stored, and the message names it
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal" go go.waiting
PSYFAITH_TEST_PAUSE_AFTER_BANKS="$T/go" "$PSYFAITH" ingest --db "$DB" mid.jsonl >out5 2>err5 &
p5=$!
i=0
while [ ! -f go.waiting ] && [ "$i" -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
check_eq "psyfaith paused after reading the banks" "$([ -f go.waiting ] && echo yes)" yes
q "DELETE FROM item WHERE code = 'E3' AND instrument_id = (SELECT id FROM instrument WHERE name = 'IPIP-50')"
: >go
wait "$p5"
check_eq "the file that refers to the removed item fails" "$?" 1
check_grep "the message names the item" "which rows of the file refer to, is no longer in the store" err5
check_eq "nothing of that file" "$(q "SELECT count(*) FROM response")" 0
check_eq "no dangling references" "$(q "PRAGMA foreign_key_check")" ""
# 6. a second writer that opens the store during a bulk load waits for it (before the fix, its
# switch to WAL failed at once with "database is locked")
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
printf '{"model":"late","instrument":"IPIP-50","item":"E1","answer":"(A)"}\n' >late.jsonl
start_held 1 go6 --quiet big.jsonl >out6 2>err6
p6=$held
check_eq "the bulk load is under way (held after its first batch, a journal there)" \
    "$([ -f go6.waiting ] && [ -s "$DB-journal" ] && echo yes)" yes
"$PSYFAITH" ingest --db "$DB" --quiet late.jsonl >out6b 2>err6b &
p6b=$!
sleep 0.5
check_eq "a second ingest during the bulk load waits for it" "$(kill -0 "$p6b" 2>/dev/null && echo yes)" yes
: >go6
wait "$p6b"
check_eq "... and succeeds once the load is done" "$?" 0
check_eq "... without a message" "$(cat err6b)" ""
wait "$p6"
check_eq "the bulk load succeeds too" "$?" 0
check_eq "both stored" "$(q "SELECT count(*) FROM response")" $((N + 1))
check_eq "WAL after both" "$(q "PRAGMA journal_mode")" wal

# 7. a large file into an empty response table: the index response_by_subject is dropped during
# the load and made again before COMMIT (ingest_defer_indexes and ingest_watch_indexes; the test
# hooks lower the size from 256 MiB to any file, and the limit of the page cache's misses so that
# the first batch passes it).  The rows are those of a load with the index kept, the index is back
# as schema.sql has it, and a kill -9 or a failing file leaves the index (and nothing of the file).
rows_sum="SELECT count(*) || ' ' || total(subject_id * 7 + item_id * 3 + rep + line) || ' ' || group_concat(DISTINCT status) FROM response"
index_sql="SELECT sql FROM sqlite_schema WHERE name = 'response_by_subject'"
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
pf ingest --quiet big.jsonl
kept_sum=$(q "$rows_sum")
want_index=$(q "$index_sql")
check_eq "the index as schema.sql makes it" "$want_index" "CREATE INDEX response_by_subject ON response(subject_id, rep, item_id)"
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
export PSYFAITH_TEST_DEFER_INDEX_BYTES=1 PSYFAITH_TEST_MISS_PER_MILLE=-1
check_exit "a load with the index made after the rows" 0 pf ingest --quiet big.jsonl
check_eq "... the same rows as with the index kept" "$(q "$rows_sum")" "$kept_sum"
check_eq "... the index is back" "$(q "$index_sql")" "$want_index"
check_eq "... and consistent with the table" "$(q "PRAGMA integrity_check")" ok
q "EXPLAIN QUERY PLAN SELECT * FROM response WHERE subject_id = 1" >plan7
check_grep "... and used" "response_by_subject" plan7
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_BULK_CACHE_PAGES=50 start_held "$HOLD_BATCH" go7 --quiet big.jsonl >/dev/null 2>&1
check_eq "held while the index was dropped, a journal there" "$([ -f go7.waiting ] && [ -s "$DB-journal" ] && echo yes)" yes
kill -KILL "$held" 2>/dev/null
wait "$held" 2>/dev/null
check_eq "killed with SIGKILL" "$?" 137
check_exit "a read command rolls the load back" 0 pf scores --format csv
check_eq "... the index is there again" "$(q "$index_sql")" "$want_index"
check_eq "... nothing of the file" "$(q "SELECT count(*) FROM response")" 0
check_eq "... integrity after the kill" "$(q "PRAGMA integrity_check")" ok
{ cat big.jsonl; echo '{"model":"m1","instrument":"IPIP-50","item":"E1","rep":-1,"answer":"(A)"}'; } >bad7.jsonl
check_exit "a file with a bad line fails" 1 pf ingest --quiet bad7.jsonl
check_eq "... and leaves the index" "$(q "$index_sql")" "$want_index"
check_eq "... and no rows" "$(q "SELECT count(*) FROM response")" 0
check_exit "a second file into the loaded table (its index is kept)" 0 pf ingest --quiet big.jsonl
check_exit "... and a third" 0 pf ingest --quiet mid.jsonl
check_eq "... every row once" "$(q "SELECT count(*) FROM response")" $((N + 20000))
check_eq "... integrity" "$(q "PRAGMA integrity_check")" ok
unset PSYFAITH_TEST_DEFER_INDEX_BYTES

# 7b. the same for every table that holds a source's rows: a file of responses, behaviours, labelled
# behaviours, ultimatum decisions, Milgram runs and steps into empty tables has all their (not
# UNIQUE) indexes dropped and made again (ingest_defer_indexes; with the test hook set, a load names
# each index it defers).  The rows are those of a load with the indexes kept, the indexes are
# schema.sql's again (every name and statement), and a kill -9 in the load or a failing file leaves
# them all.  A second file keeps the indexes of the tables that have rows now.
awk -v n="$((N / 4))" 'BEGIN { for (i = 0; i < n; i++) {
    m = sprintf("\"model\":\"m%d\",\"temperature\":%d,\"rep\":%d", i % 7, i % 3, int(i / 70))
    k = i % 6
    if (k == 0) printf "{%s,\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"answer\":\"(%c)\"}\n", m, i % 10 + 1, 65 + i % 5
    else if (k == 1) printf "{\"type\":\"behavior\",%s,\"dimension\":\"%s\",\"occasion\":\"party\",\"text\":\"I talk %d\"}\n", m, (i % 4 ? "EXT" : "AGR"), i
    else if (k == 2) printf "{\"type\":\"labeled_behavior\",\"dimension\":\"OPEN\",\"occasion\":\"party\",\"label\":\"%s\",\"text\":\"I try %d\"}\n", (i % 4 ? "y" : "n"), i
    else if (k == 3) printf "{\"type\":\"ultimatum\",%s,\"trait\":null,\"level\":null,\"offer\":%d,\"total\":10,\"answer\":\"%s\"}\n", m, i % 10, (i % 3 ? "Yes, I accept." : "No, I reject.")
    else if (k == 4) printf "{\"type\":\"milgram\",%s,\"run\":\"r%d\",\"trait\":null,\"level\":null,\"final_level\":%d,\"max_level\":30,\"disobediences\":1,\"filtered\":false}\n", m, i, i % 30
    else printf "{\"type\":\"milgram_step\",%s,\"run\":\"r%d\",\"trait\":null,\"level\":null,\"step\":%d,\"disobeyed\":%s}\n", m, i % 97, i % 50, (i % 2 ? "true" : "false")
} }' >mixed.jsonl
all_indexes="SELECT group_concat(name || ': ' || sql, char(10)) FROM (SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)"
mixed_sum="SELECT (SELECT count(*) || ' ' || total(subject_id + item_id + rep + line) FROM response) || ' ' ||
           (SELECT count(*) || ' ' || total(subject_id + line) || ' ' || group_concat(DISTINCT dimension) FROM behavior) || ' ' ||
           (SELECT count(*) || ' ' || total(line) FROM labeled_behavior) || ' ' ||
           (SELECT count(*) || ' ' || total(subject_id + offer + line) FROM ultimatum) || ' ' ||
           (SELECT count(*) || ' ' || total(subject_id + line) FROM milgram) || ' ' ||
           (SELECT count(*) || ' ' || total(subject_id + step + line) FROM milgram_step)"
check_eq "mixed.jsonl is over 1 MiB (the bulk path)" "$(awk -v s="$(wc -c <mixed.jsonl)" 'BEGIN { print (s > 1048576) }')" 1
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
want_indexes=$(q "$all_indexes")
printf '%s\n' "$want_indexes" >idx7b
check_grep "the row tables' indexes are in the store" "milgram_step_by_run: CREATE INDEX" idx7b
check_exit "a mixed file, indexes kept" 0 pf ingest --quiet mixed.jsonl
kept_mixed=$(q "$mixed_sum")
check_eq "... every record type stored" "$(q "SELECT (SELECT count(*) > 0 FROM behavior) + (SELECT count(*) > 0 FROM labeled_behavior) + (SELECT count(*) > 0 FROM ultimatum) + (SELECT count(*) > 0 FROM milgram) + (SELECT count(*) > 0 FROM milgram_step)")" 5
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
export PSYFAITH_TEST_DEFER_INDEX_BYTES=1
check_exit "the mixed file with the indexes made after the rows" 0 pf ingest mixed.jsonl
for i in response_by_subject behavior_by_subject behavior_by_source labeled_by_dimension ultimatum_by_subject \
         milgram_by_subject milgram_step_by_run milgram_step_by_source; do
    check_grep "... $i deferred" "index $i made after the load" "$T/err"
done
check_nogrep "... no UNIQUE index deferred" "subject_key" "$T/err"
check_eq "... the same rows" "$(q "$mixed_sum")" "$kept_mixed"
check_eq "... every index back as schema.sql has it" "$(q "$all_indexes")" "$want_indexes"
check_eq "... consistent" "$(q "PRAGMA integrity_check")" ok
q "EXPLAIN QUERY PLAN SELECT * FROM milgram_step WHERE subject_id = 1 AND run = 'r1'" >plan7b
check_grep "... and used" "milgram_step_by_run" plan7b
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_BULK_CACHE_PAGES=50 start_held 2 go7b --quiet mixed.jsonl >/dev/null 2>&1
check_eq "held while the indexes were dropped" "$([ -f go7b.waiting ] && [ -s "$DB-journal" ] && echo yes)" yes
kill -KILL "$held" 2>/dev/null
wait "$held" 2>/dev/null
check_eq "killed with SIGKILL" "$?" 137
check_exit "a read command rolls the load back" 0 pf scores --format csv
check_eq "... every index there again" "$(q "$all_indexes")" "$want_indexes"
check_eq "... nothing of the file" "$(q "SELECT (SELECT count(*) FROM behavior) + (SELECT count(*) FROM milgram_step) + (SELECT count(*) FROM response)")" 0
check_eq "... integrity after the kill" "$(q "PRAGMA integrity_check")" ok
{ cat mixed.jsonl; echo '{"type":"milgram_step","model":"m1","step":"x"}'; } >bad7b.jsonl
check_exit "a mixed file with a bad line fails" 1 pf ingest --quiet bad7b.jsonl
check_eq "... and leaves every index" "$(q "$all_indexes")" "$want_indexes"
check_eq "... and no rows" "$(q "SELECT (SELECT count(*) FROM behavior) + (SELECT count(*) FROM milgram_step) + (SELECT count(*) FROM response)")" 0
check_exit "the mixed file, then a second into the loaded tables" 0 pf ingest --quiet mixed.jsonl
sed 's/"I talk /"I chat /; s/"I try /"I test /; s/"r\([0-9]\)/"s\1/' mixed.jsonl >mixed2.jsonl
check_exit "... the second" 0 pf ingest mixed2.jsonl
check_nogrep "... keeps the indexes of the tables with rows" "behavior_by_subject" "$T/err"
check_grep "... and defers those of the empty ones" "index game_offer_by_subject made after the load" "$T/err"
check_eq "... every index as schema.sql has it" "$(q "$all_indexes")" "$want_indexes"
check_eq "... integrity" "$(q "PRAGMA integrity_check")" ok
unset PSYFAITH_TEST_DEFER_INDEX_BYTES PSYFAITH_TEST_MISS_PER_MILLE

# 7c. the watch itself, at its own limit: a load keeps the indexes up while its rows extend each
# subject's entries -- 3,000 subjects one after another, each repetition's items in order -- and
# drops them once the rows scatter over the index -- the same lines shuffled -- and the index
# outgrows the page cache (20 pages here, by the test hook; the large load's is 4 MiB).  Either way
# the same rows and the same index as a load of the file at its own size, which keeps the indexes.
awk 'BEGIN { for (m = 0; m < 3000; m++) for (r = 0; r < 2; r++) for (i = 1; i <= 10; i++)
    printf "{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"answer\":\"(%c) words\"}\n", m, r, i, 65 + (m + i) % 5 }' >grouped.jsonl
awk 'BEGIN { srand(7) } { printf "%09d\t%s\n", rand() * 1e9, $0 }' grouped.jsonl | sort | cut -f2 >shuffled.jsonl
check_eq "shuffled.jsonl holds grouped.jsonl's lines" "$(sort shuffled.jsonl | cksum)" "$(sort grouped.jsonl | cksum)"
watch_sum="SELECT count(*) || ' ' || group_concat(k, ',') FROM (SELECT s.model || ':' || r.rep || ':' || r.item_id || ':' || r.option AS k FROM response r JOIN subject s ON s.id = r.subject_id ORDER BY k)"
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
check_exit "grouped.jsonl at its own size (under 256 MiB: indexes kept, no watch)" 0 pf ingest --quiet grouped.jsonl
small_sum=$(q "$watch_sum" | cksum)
export PSYFAITH_TEST_DEFER_INDEX_BYTES=1 PSYFAITH_TEST_BULK_CACHE_PAGES=20
for f in grouped shuffled; do
    cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
    check_exit "$f.jsonl, a large load" 0 pf ingest "$f.jsonl"
    cp "$T/err" "err7c-$f"
    check_eq "... $f: the same rows as that load" "$(q "$watch_sum" | cksum)" "$small_sum"
    check_eq "... $f: the index as schema.sql has it" "$(q "$index_sql")" "$want_index"
    check_eq "... $f: consistent" "$(q "PRAGMA integrity_check")" ok
done
check_nogrep "grouped: the indexes kept up" "made after the load" err7c-grouped
check_grep "shuffled: response_by_subject dropped, and why" "index response_by_subject made after the load (" err7c-shuffled
check_grep "... the page cache's misses" "page cache misses in 16384 rows)" err7c-shuffled
misses=$(sed -n 's/.*response_by_subject made after the load (\([0-9]*\) page cache misses.*/\1/p' err7c-shuffled)
check_eq "... over 32 a thousand rows" "$([ "${misses:-0}" -gt 524 ] && echo yes)" yes
unset PSYFAITH_TEST_DEFER_INDEX_BYTES PSYFAITH_TEST_BULK_CACHE_PAGES

# 7d. a large input is read once, and its cached pages are dropped behind the reader
# (ingest_drop_behind; the test hook lowers the size from 256 MiB and drops after every chunk): the
# file, in the page cache before, is nearly all out of it after, with the same rows and hash as a
# load that keeps it; a smaller file keeps its pages, and standard input is no file to drop.
res() { fincore --bytes --noheadings --output RES "$1"; }
size=$(wc -c <big.jsonl)
cat big.jsonl >/dev/null
check_eq "big.jsonl in the page cache" "$(awk -v r="$(res big.jsonl)" -v s="$size" 'BEGIN { print (r >= 0.9 * s) }')" 1
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
check_exit "a load under the size" 0 pf ingest --quiet big.jsonl
check_eq "... keeps the file's pages" "$(awk -v r="$(res big.jsonl)" -v s="$size" 'BEGIN { print (r >= 0.9 * s) }')" 1
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_DEFER_INDEX_BYTES=1 pf ingest --quiet big.jsonl
check_eq "a large load drops them behind the reader ($(res big.jsonl) of $size bytes left)" \
    "$(awk -v r="$(res big.jsonl)" -v s="$size" 'BEGIN { print (r <= 2 * 1048576 + s / 50) }')" 1
check_eq "... the same rows" "$(q "$rows_sum")" "$kept_sum"
check_eq "... the file's own hash" "$(q "SELECT sha256 FROM source")" "$(sha256sum big.jsonl | cut -d' ' -f1)"
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
cat big.jsonl | PSYFAITH_TEST_DEFER_INDEX_BYTES=1 pf ingest --quiet - >/dev/null 2>&1
check_eq "standard input: the same rows" "$(q "$rows_sum")" "$kept_sum"

# 8. the source's SHA-256 is computed on a thread of its own for an input of more than one read
# (ingest/source_hash.c): it must be the hash of the file's bytes, whatever their size against the
# 1 MiB chunks (big.jsonl ends mid-chunk, exact.jsonl on a chunk boundary, stdin is a pipe), and a
# small file (hashed inline) too.  A new store has 16 KiB pages; an old one keeps its own size.
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
check_eq "a new store's page size" "$(q "PRAGMA page_size")" 16384
head -c 2000000 big.jsonl | sed '$d' >exact.jsonl   # whole lines, then one padded to 2 MiB to the byte
awk -v rem="$((2097152 - $(wc -c <exact.jsonl)))" 'BEGIN {
    pre = "{\"model\":\"m0\",\"temperature\":0,\"rep\":999,\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"answer\":\"(A) "
    post = "\"}"; printf "%s", pre; for (i = length(pre) + length(post) + 1; i < rem; i++) printf "x"; printf "%s\n", post }' >>exact.jsonl
check_eq "exact.jsonl is two chunks to the byte, ending with a line" "$(wc -c <exact.jsonl | tr -d ' ') $(tail -c 1 exact.jsonl | od -An -c | tr -d ' ')" "2097152 \\n"
head -c 300 big.jsonl | sed -n 1,2p >small.jsonl
check_exit "ingest of four sizes" 0 pf ingest --quiet big.jsonl exact.jsonl small.jsonl
check_exit "... and of a pipe" 0 sh -c "sed 's/words/piped/' big.jsonl | \"$PSYFAITH\" ingest --db \"$DB\" --quiet --source-name piped -"
for f in big exact small; do
    check_eq "sha256 of $f.jsonl" "$(q "SELECT sha256 FROM source WHERE path = '$f.jsonl'")" "$(sha256sum <$f.jsonl | cut -d' ' -f1)"
done
check_eq "sha256 of the pipe's bytes" "$(q "SELECT sha256 FROM source WHERE path = 'piped'")" "$(sed 's/words/piped/' big.jsonl | sha256sum | cut -d' ' -f1)"
check_exit "the same file again is skipped (same hash)" 0 pf ingest big.jsonl
check_grep "... as seen before" "skipped 'big.jsonl'" "$T/err"
cp pristine.db old4k.db && sqlite3 old4k.db "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL" >/dev/null
check_exit "a bulk load into a store with 4 KiB pages" 0 "$PSYFAITH" ingest --db old4k.db --quiet big.jsonl
check_eq "... keeps its page size, and its rows are whole" "$(sqlite3 old4k.db "PRAGMA page_size; PRAGMA integrity_check; SELECT count(*) FROM response" | tr '\n' ' ')" "4096 ok $N "

# 9. write-back (store/writeback.c): every step of growth of the store file during a bulk load, a
# helper thread makes what was written durable (fdatasync), so that the commit does not wait for the
# whole load's data and the file system's journal commit of its blocks.  Syncing pages of an open
# transaction early changes nothing of what is stored: the rows, the kill -9 rollback and the
# commit are the same with a sync at every 64 KiB as without.  A load that is not a bulk one (a
# pipe) asks for none.  The hook lowers the step, makes each request wait for its fdatasync (exact
# counts; a kill after a request finds its pages on the disk), says so at each sync, and prints the
# counts at the end of each file.
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_WRITEBACK_STEP=65536 PSYFAITH_TEST_BULK_CACHE_PAGES=50 pf ingest --quiet big.jsonl 2>"$T/err"
hints=$(sed -n 's/^psyfaith: test: \([0-9]*\) write-back hints, [0-9]* syncs$/\1/p' "$T/err")
syncs=$(sed -n 's/^psyfaith: test: [0-9]* write-back hints, \([0-9]*\) syncs$/\1/p' "$T/err")
check_eq "a bulk load with a write-back request every 64 KiB: requests made" \
    "$([ -n "$hints" ] && [ "$hints" -ge 10 ] && echo yes)" yes
check_eq "... each one an fdatasync of the helper" "$syncs" "$hints"
check_eq "... every row, the store whole" "$(q "SELECT count(*) FROM response; PRAGMA integrity_check" | tr '\n' ' ')" "$N ok "
check_eq "... the same rows as without write-back" "$(q "$rows_sum")" "$kept_sum"
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_WRITEBACK_NO_HELPER=1 PSYFAITH_TEST_WRITEBACK_STEP=65536 PSYFAITH_TEST_BULK_CACHE_PAGES=50 \
    pf ingest --quiet big.jsonl 2>"$T/err"
check_eq "without the helper thread (the fallback): the writer's own hints, no syncs" \
    "$(sed -n 's/^psyfaith: test: \([0-9]*\) write-back hints, \([0-9]*\) syncs$/\1 \2/p' "$T/err" |
       awk '{ print ($1 >= 10 && $2 == 0) ? "yes" : $0 }')" yes
check_eq "... the same rows" "$(q "$rows_sum")" "$kept_sum"
PSYFAITH_TEST_WRITEBACK_STEP=65536 pf ingest --quiet --source-name piped2 - <mid.jsonl 2>"$T/err"
check_eq "a pipe is no bulk load: no write-back" "$(grep -c 'write-back' "$T/err")" 0
cp pristine.db "$DB" && rm -f "$DB-wal" "$DB-shm" "$DB-journal"
PSYFAITH_TEST_WRITEBACK_STEP=65536 PSYFAITH_TEST_BULK_CACHE_PAGES=50 start_held "$HOLD_BATCH" go9 --quiet big.jsonl \
    >/dev/null 2>"$T/err9"
check_eq "held after syncs of the open load, the store file written into" \
    "$([ -f go9.waiting ] && [ "$(grep -c '^psyfaith: test: write-back sync$' "$T/err9")" -ge 1 ] &&
       [ "$(wc -c <"$DB")" -gt "$(wc -c <pristine.db)" ] && echo yes)" yes
kill -KILL "$held" 2>/dev/null
wait "$held" 2>/dev/null
check_eq "killed with SIGKILL" "$?" 137
check_exit "a read command rolls the load back" 0 pf scores --format csv
check_eq "... nothing of the file, the store whole" \
    "$(q "SELECT count(*) FROM response; SELECT count(*) FROM source; PRAGMA integrity_check" | tr '\n' ' ')" "0 0 ok "
finish
