# tests/cli/banks_large.sh -- `instruments load` of a large item bank (issue 11 item 9): every item of
# a generated 20,000-item bank is stored, numbered 1..20000 in file order; a second file for the same
# instrument goes on from there; two instruments interleaved in one file each count on their own;
# loading the same bank again adds nothing.  (Counts only: the speed -- linear, 20k and 100k items --
# is in bench/run.sh, section banks.)
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1

# bank N FIRST "INSTRUMENT..." : N items per instrument, codes Q<FIRST>.., instruments interleaved
bank() {
    awk -v n="$1" -v first="$2" -v insts="$3" 'BEGIN {
        print "instrument,item,dimension,key,text"
        split("EXT AGR CONS EMO OPEN", d, " "); k = split(insts, inst, " ")
        for (i = first; i < first + n; i++)
            for (j = 1; j <= k; j++)
                printf "%s,Q%d,%s,%s,\"Item %d of %s, a generated bank\"\n", inst[j], i, d[(i % 5) + 1], (i % 2 ? "+" : "-"), i, inst[j]
    }'
}

check_exit "init" 0 pf init
bank 20000 1 BIG >big.csv
check_exit "load a 20,000-item bank" 0 pf instruments load big.csv
check_grep "all added" "big.csv: 20000 items added" "$T/err"
check_eq "items, positions 1..20000 in file order" \
    "$(q "SELECT count(*), count(DISTINCT i.position), min(i.position), max(i.position),
                 sum(i.position = CAST(substr(i.code, 2) AS INTEGER))
          FROM item i JOIN instrument s ON s.id = i.instrument_id WHERE s.name = 'BIG'")" \
    "20000|20000|1|20000|20000"
check_eq "keys and dimensions as written" \
    "$(q "SELECT sum(key = 1), sum(key = -1), count(DISTINCT dimension) FROM item i JOIN instrument s ON s.id = i.instrument_id WHERE s.name = 'BIG'")" \
    "10000|10000|5"

bank 500 20001 BIG >more.csv
check_exit "a second file for the same instrument" 0 pf instruments load more.csv
check_eq "numbering goes on after the stored items" \
    "$(q "SELECT count(*), min(i.position), max(i.position) FROM item i JOIN instrument s ON s.id = i.instrument_id
          WHERE s.name = 'BIG' AND CAST(substr(i.code, 2) AS INTEGER) > 20000")" "500|20001|20500"

bank 3000 1 "TWO-A TWO-B" >two.csv
check_exit "two instruments interleaved" 0 pf instruments load two.csv
check_eq "each instrument numbered on its own" \
    "$(q "SELECT group_concat(s.name || '=' || n || ':' || lo || '-' || hi, ' ') FROM
          (SELECT instrument_id, count(*) n, min(position) lo, max(position) hi FROM item GROUP BY instrument_id) c
          JOIN instrument s ON s.id = c.instrument_id WHERE s.name LIKE 'TWO-%' ORDER BY s.name")" \
    "TWO-A=3000:1-3000 TWO-B=3000:1-3000"

check_exit "loading the bank again" 0 pf instruments load big.csv
check_grep "nothing added again" "big.csv: 0 items added (the others were loaded already)" "$T/err"
check_eq "no duplicates" "$(q "SELECT count(*) FROM item i JOIN instrument s ON s.id = i.instrument_id WHERE s.name = 'BIG'")" 20500

finish
