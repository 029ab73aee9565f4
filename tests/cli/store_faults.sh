# tests/cli/store_faults.sh -- a store that cannot be written: the disk fills up, the store is
# read-only, another writer holds it past --busy-timeout, it comes from a newer psyfaith.  Each gives
# one clear message (checked word for word), exit status 1, and leaves the store as it was.
# Disk full and read-only use a small tmpfs when this runs as root and may mount (CI containers
# usually may); otherwise `ulimit -f` and file modes stand in, and as root without mount the
# read-only part is skipped (root ignores file modes), with a note on stderr.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
T=$(cd "$T" && pwd -P)         # SQLite names the store by its real path in some messages
DB=$T/test.db
cd "$T" || exit 1
trap 'for m in "$T/full" "$T/ro"; do umount "$m" 2>/dev/null; done; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT

one() { printf '{"model":"%s","instrument":"IPIP-50","item":"E%d","option":%d}\n' "$1" "$2" "$3"; }
gen() {   # gen N MODEL: N valid responses
    awk -v n="$1" -v m="$2" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"model\":\"%s%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"A%d\",\"answer\":\"(%c) with some text to fill pages\"}\n",
               m, i % 5, int(i / 50), i % 10 + 1, 65 + i % 5 }'
}
# what the store holds: responses, sources, integrity
summary() { q -db "$1" "SELECT (SELECT count(*) FROM response) || ' ' || (SELECT count(*) FROM source)"; q -db "$1" "PRAGMA integrity_check"; }
try_mount() { [ "$(id -u)" = 0 ] && mkdir -p "$2" && mount -t tmpfs -o "size=$1" tmpfs "$2" 2>/dev/null; }

one base 1 4 >small.jsonl
one base 2 5 >small2.jsonl
gen 100000 big >big.jsonl

# ---------------------------------------------------------------- disk full
if try_mount 3m "$T/full"; then
    S=$T/full/s.db
    check_exit "disk full: init on a 3 MB tmpfs" 0 "$PSYFAITH" init --db "$S" --quiet
    check_exit "disk full: a small file fits" 0 "$PSYFAITH" ingest --db "$S" --quiet small.jsonl
    check_exit "disk full: a 100,000-line file does not" 1 "$PSYFAITH" ingest --db "$S" big.jsonl
    # the load's cache (4 MiB) spills before the commit: the insert that found the disk full names
    # its line (which one depends on page sizes, so it is shown as N)
    check_eq "disk full: message" "$(sed 's/^big\.jsonl:[0-9][0-9]*:/big.jsonl:N:/' "$T/err")" "big.jsonl:N: store: cannot insert: database or disk is full
psyfaith: ingested 0 files: no records"
    check_eq "disk full: the store keeps what it had" "$(summary "$S")" "1 1
ok"
    check_exit "disk full: the store still takes a small file" 0 "$PSYFAITH" ingest --db "$S" --quiet small2.jsonl
    check_eq "disk full: ... and holds it" "$(summary "$S")" "2 2
ok"
    # a store that cannot even be created is not left behind half-made
    head -c 4000000 /dev/zero >"$T/full/filler" 2>/dev/null
    check_exit "disk full: init" 1 "$PSYFAITH" init --db "$T/full/new.db"
    check_file "disk full: init message" "$T/err" "psyfaith: error: cannot use store '$T/full/new.db': database or disk is full"
    check_eq "disk full: no half-made store" "$(ls "$T/full")" "filler
s.db"
    umount "$T/full"
else
    echo "store_faults.sh: cannot mount a tmpfs: disk full is simulated with ulimit -f (EFBIG)" >&2
    S=$T/ulimit.db
    "$PSYFAITH" init --db "$S" --quiet && "$PSYFAITH" ingest --db "$S" --quiet small.jsonl
    # SIGXFSZ ignored, so that writes past the limit fail with EFBIG instead of killing psyfaith
    (trap '' XFSZ; ulimit -f 4000; exec "$PSYFAITH" ingest --db "$S" big.jsonl) >"$T/out" 2>"$T/err"
    check_eq "file size limit: exit status" $? 1
    check_eq "file size limit: message" "$(sed 's/^big\.jsonl:[0-9][0-9]*:/big.jsonl:N:/' "$T/err")" "big.jsonl:N: store: cannot insert: disk I/O error
psyfaith: ingested 0 files: no records"
    check_eq "file size limit: the store keeps what it had" "$(summary "$S")" "1 1
ok"
fi

# ---------------------------------------------------------------- read-only store
R=""
if try_mount 4m "$T/ro"; then
    R=$T/ro/s.db
    "$PSYFAITH" init --db "$R" --quiet && "$PSYFAITH" ingest --db "$R" --quiet small.jsonl
    mount -o remount,ro "$T/ro" && why="Read-only file system" || R=""
elif [ "$(id -u)" != 0 ]; then
    mkdir "$T/ro" && R=$T/ro/s.db
    "$PSYFAITH" init --db "$R" --quiet && "$PSYFAITH" ingest --db "$R" --quiet small.jsonl
    chmod 444 "$R" && chmod 555 "$T/ro" && why="Permission denied"
else
    echo "store_faults.sh: root without mount: a read-only store cannot be made (root ignores file modes): skipped" >&2
fi
if [ -n "$R" ]; then
    before=$(cksum <"$R")
    check_exit "read-only: scores reads it" 0 "$PSYFAITH" scores --db "$R" --format csv
    check_grep "read-only: scores output" "base,,,IPIP-50,EXT" "$T/out"
    check_exit "read-only: export reads it" 0 "$PSYFAITH" export --db "$R" responses
    check_grep "read-only: export output" "base,,,0,IPIP-50,E1,EXT,+,,4,4,ok" "$T/out"
    check_exit "read-only: report reads it" 0 "$PSYFAITH" report --db "$R" --csv "$T/ro-report"
    check_exit "read-only: ingest refused" 1 "$PSYFAITH" ingest --db "$R" small2.jsonl
    check_file "read-only: ingest message" "$T/err" "psyfaith: error: store '$R' is not writable: $why"
    check_exit "read-only: init refused" 1 "$PSYFAITH" init --db "$R"
    check_file "read-only: init message" "$T/err" "psyfaith: error: store '$R' is not writable: $why"
    check_exit "read-only: instruments load refused" 1 "$PSYFAITH" instruments load --db "$R" "$PSYFAITH_TOP/fixtures/banks/ipip-50.csv"
    check_file "read-only: instruments load message" "$T/err" "psyfaith: error: store '$R' is not writable: $why"
    check_eq "read-only: the store is unchanged" "$(cksum <"$R")" "$before"
    check_eq "read-only: no side files" "$(ls "$(dirname "$R")")" "s.db"
fi

# ---------------------------------------------------------------- locked by another writer
"$PSYFAITH" init --db "$DB" --quiet && "$PSYFAITH" ingest --db "$DB" --quiet small.jsonl
hold() {   # hold SECONDS|release: a writer that keeps BEGIN IMMEDIATE open, in the background, for
           # SECONDS or until the file "release" exists (at most a minute); returns once it holds
    rm -f release
    case $1 in
    release) _wait='_i=0; while [ ! -f release ] && [ $_i -lt 600 ]; do sleep 0.1; _i=$((_i + 1)); done' ;;
    *) _wait="sleep $1" ;;
    esac
    ( sqlite3 "$DB" <<EOS
.timeout 5000
BEGIN IMMEDIATE;
INSERT INTO source(path, sha256, format) VALUES ('lock', 'lock', 'jsonl');
SELECT 'locked';
.shell $_wait
ROLLBACK;
EOS
    ) >lock.out 2>&1 &
    holder=$!
    _i=0
    while [ "$(cat lock.out 2>/dev/null)" != locked ] && [ $_i -lt 200 ]; do sleep 0.05; _i=$((_i + 1)); done
}
hold release
check_exit "locked: ingest past --busy-timeout 200 fails" 1 pf ingest --busy-timeout 200 small2.jsonl
check_file "locked: message" "$T/err" "psyfaith: error: store '$DB' is locked by another writer (waited 200 ms; see --busy-timeout)
psyfaith: ingested 0 files: no records"
check_exit "locked: readers still read (WAL)" 0 pf export responses
check_grep "locked: reader output" "base,,,0,IPIP-50,E1" "$T/out"
: >release
wait "$holder"
check_eq "locked: the store is as it was" "$(summary "$DB")" "1 1
ok"
hold 1
check_exit "locked: a long enough --busy-timeout waits for the lock" 0 pf ingest --quiet --busy-timeout 20000 small2.jsonl
wait "$holder"
check_eq "locked: ... and then writes" "$(summary "$DB")" "2 2
ok"

# ---------------------------------------------------------------- a store of a newer schema
cp "$DB" future.db
q -db future.db "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99" >/dev/null
before=$(cksum <future.db)
msg="psyfaith: error: store 'future.db' has schema version 99, newer than this psyfaith (4): upgrade psyfaith"
for cmd in "ingest small2.jsonl" "init" "scores" "metrics" "report --csv $T/future-report" "export responses"; do
    set -- $cmd
    c=$1; shift
    check_exit "newer schema: $c" 1 "$PSYFAITH" "$c" --db future.db "$@"
    check_file "newer schema: $c message" "$T/err" "$msg"
done
check_eq "newer schema: the store is unchanged" "$(cksum <future.db)" "$before"
check_eq "newer schema: version kept" "$(q -db future.db "PRAGMA user_version")" 99
finish
