# tests/cli/ingest_concurrent.sh -- two `psyfaith ingest` processes started together on one store,
# each with its own 20,000-line file over shared subjects: both succeed (BEGIN IMMEDIATE + busy
# timeout), the store holds every row of both, no subject twice, and passes integrity_check.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
N=20000

# The two files share subjects m0..m4 at temperatures 0..2, so both processes try to create them.
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"model\":\"m%d\",\"temperature\":%d,\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"E%d\",\"answer\":\"(%c)\"}\n",
           i % 7, i % 3, int(i / 70), i % 10 + 1, 65 + i % 5 }' >one.jsonl
awk -v n=$N 'BEGIN { print "model,temperature,rep,instrument,item,answer";
    for (i = 0; i < n; i++) printf "m%d,%d,%d,IPIP-50,A%d,%d\n", i % 5, i % 3, int(i / 50), i % 10 + 1, i % 5 + 1 }' >two.csv
check_eq "file one" "$(wc -l <one.jsonl)" $N
check_eq "file two" "$(wc -l <two.csv)" $((N + 1))

# Start both behind one gate so that neither has a head start.  The gate is a FIFO this shell
# holds open read-write, so the two "go" lines wait in it for whichever reader comes late
# (`read` takes a pipe one byte at a time, so each reader takes one line).
mkfifo gate
exec 3<>gate
(read -r _ <gate; exec "$PSYFAITH" ingest --db "$DB" one.jsonl) >out1 2>err1 &
p1=$!
(read -r _ <gate; exec "$PSYFAITH" ingest --db "$DB" two.csv) >out2 2>err2 &
p2=$!
printf 'go\ngo\n' >&3
wait $p1; rc1=$?
wait $p2; rc2=$?
exec 3>&-
check_eq "first ingest exits 0" $rc1 0
check_eq "second ingest exits 0" $rc2 0
check_grep "first summary" "psyfaith: ingested 1 file: $N responses" err1
check_grep "second summary" "psyfaith: ingested 1 file: $N responses" err2
[ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] || { cat err1 err2 >&2; }

check_eq "every row of both files" "$(q "SELECT count(*) FROM response")" $((2 * N))
check_eq "rows per source" "$(q "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM response r JOIN source s ON s.id = r.source_id GROUP BY s.path ORDER BY s.path)")" "$N $N"
check_eq "line numbers complete" "$(q "SELECT group_concat(n || ':' || lo || '-' || hi, ' ') FROM (SELECT s.path, count(DISTINCT line) AS n, min(line) AS lo, max(line) AS hi FROM response r JOIN source s ON s.id = r.source_id GROUP BY s.path ORDER BY s.path)")" \
    "$N:1-$N $N:2-$((N + 1))"
check_eq "subjects created once" "$(q "SELECT count(*) FROM subject")" 21
check_eq "sources" "$(q "SELECT count(*) FROM source")" 2
check_eq "integrity_check" "$(q "PRAGMA integrity_check")" ok
check_eq "foreign keys" "$(q "PRAGMA foreign_key_check")" ""
check_eq "options of file two" "$(q "SELECT group_concat(option || '=' || n, ' ') FROM (SELECT option, count(*) AS n FROM response r JOIN source s ON s.id = r.source_id WHERE s.path = 'two.csv' GROUP BY option ORDER BY option)")" \
    "1=4000 2=4000 3=4000 4=4000 5=4000"

# A writer that cannot get the lock within --busy-timeout fails cleanly and stores nothing.
printf '{"model":"late","instrument":"IPIP-50","item":"E1","option":1}\n' >late.jsonl
( sqlite3 "$DB" <<'EOF'
.timeout 5000
BEGIN IMMEDIATE;
INSERT INTO source(path, sha256, format) VALUES ('lock', 'lock', 'jsonl');
SELECT 'locked';
.shell i=0; while [ ! -f release ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
ROLLBACK;
EOF
) >lock.out 2>&1 &
plock=$!
i=0
while [ "$(cat lock.out 2>/dev/null)" != locked ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check_exit "locked store: --busy-timeout 100 fails" 1 pf ingest --busy-timeout 100 late.jsonl
check_grep "locked store message" "is locked by another writer (waited 100 ms; see --busy-timeout)" "$T/err"
: >release
wait $plock
check_eq "nothing of the late file" "$(q "SELECT count(*) FROM subject WHERE model = 'late'")" 0
check_exit "after the lock, it goes in" 0 pf ingest --quiet late.jsonl

finish
