#!/bin/sh
# metrics reads the responses by a table scan when the store's rows come subject after subject
# (issue 16: a sixth of the index pass's CPU), each row to the loader as it comes (the index pass
# feeds them in (rep, item, rowid) order).  Whatever the store's row order, the output must be the bytes of the
# index pass (PSYFAITH_INDEX_SCAN=1): subjects in order with repetitions written backwards and
# items shuffled, a second answer to the same (item, rep), refusals and unparsed answers, a store
# whose subjects interleave, and one where a subject comes back after all the others (a second file
# for the first model): the scan finds out on the way, at its first or its last subject, and the
# set is loaded again through the index.
. "$(dirname "$0")/../lib.sh"

# gen SEED ORDER: 6 models x 4 reps x IPIP-50; ORDER = grouped | interleaved
gen() {
    awk -v seed="$1" -v order="$2" 'BEGIN { srand(seed); split("E A C N O", d, " ")
        n = 0
        for (m = 1; m <= 6; m++) for (r = 4; r >= 1; r--) for (i = 50; i >= 1; i--) {
            key = (order == "grouped") ? sprintf("%02d-%05d", m, rand() * 99999) : sprintf("%05d", rand() * 99999)
            ans = (m * 7 + i * (i % 3 + 1) + r * (i % 2) + int(rand() * 2)) % 5 + 1
            line = sprintf("{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"%s%d\",", m, r, d[(i - 1) % 5 + 1], int((i - 1) / 5) + 1)
            if (rand() < 0.03) line = line "\"answer\":\"I would rather not say\"}"
            else if (rand() < 0.03) line = line "\"answer\":\"maybe something\"}"
            else line = line "\"option\":" ans "}"
            rows[key "-" n++] = line
            if (rand() < 0.05) rows[key "-" n++ "b"] = sprintf("{\"model\":\"m%d\",\"rep\":%d,\"instrument\":\"IPIP-50\",\"item\":\"%s%d\",\"option\":%d}", m, r, d[(i - 1) % 5 + 1], int((i - 1) / 5) + 1, (ans % 5) + 1)
        }
        for (k in rows) print k "\t" rows[k] }' | sort | cut -f2
}
for order in grouped interleaved; do
    for seed in 1 2; do
        gen "$seed" "$order" >"$T/s.jsonl"
        rm -f "$DB" "$DB-wal" "$DB-shm"
        pf init --quiet
        check_exit "$order $seed: ingest" 0 pf ingest --quiet "$T/s.jsonl"
        check_exit "$order $seed: metrics (table scan where it applies)" 0 pf metrics --format csv --bootstrap 50 --seed 3
        cp "$T/out" "$T/scan.csv"
        check_exit "$order $seed: metrics through the index" 0 env PSYFAITH_INDEX_SCAN=1 "$PSYFAITH" --db "$DB" metrics --format csv --bootstrap 50 --seed 3
        check_eq "$order $seed: the same bytes" "$(cmp -s "$T/scan.csv" "$T/out" && echo same)" same
        check_eq "$order $seed: rows for all five dimensions" "$(grep -c '^InC,IPIP-50' "$T/out")" 5
    done
done
# grouped, then a fifth repetition of the first model in a file of its own: subject 1's rows
# again after subject 6's, found only at the end of the scan
gen 3 grouped >"$T/s.jsonl"
rm -f "$DB" "$DB-wal" "$DB-shm"
pf init --quiet
check_exit "late: ingest" 0 pf ingest --quiet "$T/s.jsonl"
grep '"model":"m1","rep":4,' "$T/s.jsonl" | sed 's/"rep":4,/"rep":5,/' >"$T/more.jsonl"
check_exit "late: ingest a fifth repetition of m1" 0 pf ingest --quiet "$T/more.jsonl"
check_eq "late: subject 1's rows come last" "$(q "SELECT subject_id FROM response ORDER BY rowid DESC LIMIT 1")" \
    "$(q "SELECT min(subject_id) FROM response")"
check_exit "late: metrics (the scan, then the index)" 0 pf metrics --format csv --bootstrap 50 --seed 3
cp "$T/out" "$T/scan.csv"
check_exit "late: metrics through the index" 0 env PSYFAITH_INDEX_SCAN=1 "$PSYFAITH" --db "$DB" metrics --format csv --bootstrap 50 --seed 3
check_eq "late: the same bytes" "$(cmp -s "$T/scan.csv" "$T/out" && echo same)" same
check_eq "late: five repetitions of m1 counted" "$(q "SELECT count(DISTINCT rep) FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'm1'")" 5
finish
