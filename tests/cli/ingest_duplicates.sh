# tests/cli/ingest_duplicates.sh -- one rule for a field given twice: a duplicate JSON key (native,
# --map by name or JSON Pointer at any level, --extract, --records), a duplicate CSV column (native,
# --map, --wide item columns, item banks) is an error naming both positions, with file and line,
# and nothing of the file is stored.  Keys and columns psyfaith does not read may repeat.  An item
# answered twice inside one multi-answer string keeps its rule (one ambiguous answer).
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
rows() { q "SELECT (SELECT count(*) FROM source) || ' ' || (SELECT count(*) FROM subject) || ' ' || (SELECT count(*) FROM response)"; }

# bad FILE MESSAGE [ingest options...]: exit 1, MESSAGE is stderr's first line, the store is empty
bad() {
    _file=$1 _msg=$2; shift 2
    check_exit "$_file: exit status" 1 pf ingest "$@" "$_file"
    check_eq "$_file: message" "$(head -n 1 "$T/err")" "$_msg"
    check_eq "$_file: nothing stored" "$(rows)" "0 0 0"
}

# native JSONL: last key won before
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"1"}\n{"model":"m","instrument":"IPIP-50","item":"E2","answer":"1","answer":"5"}\n' >dup.jsonl
bad dup.jsonl "dup.jsonl:2: duplicate key 'answer' (keys 4 and 5) (field answer)"
printf '{"model":"a","instrument":"IPIP-50","model":"b","item":"E1","option":3}\n' >dup-model.jsonl
bad dup-model.jsonl "dup-model.jsonl:1: duplicate key 'model' (keys 1 and 3) (field model)"
# --map by name and by JSON Pointer (first won before), at the top and deeper on the path
printf '{"who":"m","q":"E1","resp":"2","resp":"4"}\n' >map.jsonl
bad map.jsonl "map.jsonl:1: duplicate key 'resp' (keys 3 and 4) (field answer)" \
    --map model=who --map item=q --map answer=resp --set instrument=IPIP-50
printf '{"who":"m","q":"E1","out":{"text":"2","text":"4"}}\n' >deep.jsonl
bad deep.jsonl "deep.jsonl:1: duplicate key 'text' (keys 1 and 2) on JSON Pointer '/out/text' (field answer)" \
    --map model=who --map item=q --map answer=/out/text --set instrument=IPIP-50
printf '{"who":"m","q":"E1","out":{"text":"2"},"out":{"text":"4"}}\n' >top.jsonl
bad top.jsonl "top.jsonl:1: duplicate key 'out' (keys 3 and 4) on JSON Pointer '/out/text' (field answer)" \
    --map model=who --map item=q --map answer=/out/text --set instrument=IPIP-50
printf '{"model":"m","instrument":"IPIP-50","id":"item E1","id":"item E2","answer":"3"}\n' >extract.jsonl
bad extract.jsonl "extract.jsonl:1: duplicate key 'id' (keys 3 and 4) (field item)" --extract 'item=id~item (\w+)'
# --records: a duplicate on the way to the records
printf '{"data":[{"model":"m","instrument":"IPIP-50","item":"E1","option":1}],"data":[]}' >doc.json
bad doc.json "doc.json: --records: duplicate key 'data' (keys 1 and 2) on JSON Pointer '/data'" --records /data
# --skip-bad keeps the other lines and records the duplicate
check_exit "--skip-bad" 0 pf ingest --skip-bad dup.jsonl
check_eq "--skip-bad: the good line" "$(q "SELECT count(*) FROM response")" 1
check_eq "--skip-bad: the reject" "$(q "SELECT line || ' ' || field || ' ' || reason FROM reject")" \
    "2 answer duplicate key 'answer' (keys 4 and 5)"
q "DELETE FROM reject; DELETE FROM response; DELETE FROM subject; DELETE FROM source"

# CSV: first column won before
printf 'model,instrument,item,answer,answer\nm,IPIP-50,E1,1,5\n' >dup.csv
bad dup.csv "dup.csv:1: duplicate column 'answer' (columns 4 and 5) (field answer)"
printf 'who,item,resp,resp\nm,E1,1,5\n' >map.csv
bad map.csv "map.csv:1: duplicate column 'resp' (columns 3 and 4) (field answer)" \
    --map model=who --map answer=resp --set instrument=IPIP-50
bad map.csv "map.csv:1: duplicate column 'resp' (columns 3 and 4) (field item)" \
    --map model=who --extract 'item=resp~(.*)' --set answer=1 --set instrument=IPIP-50 --force
# wide: two answers for one repetition were stored before
printf 'id,E1,E2,E1\nr1,5,1,2\n' >wide.csv
bad wide.csv "wide.csv:1: duplicate item column 'E1' (columns 2 and 4) (field E1)" \
    --wide --set instrument=IPIP-50 --set model=human
# an item bank with a column twice
printf 'instrument,item,dimension,key,text,text\nDUP,d1,EXT,+,One,Two\n' >bank.csv
check_exit "bank: duplicate column" 1 pf instruments load bank.csv
check_eq "bank: message" "$(head -n 1 "$T/err")" "bank.csv:1: duplicate column 'text' (columns 5 and 6)"
check_eq "bank: nothing loaded" "$(q "SELECT count(*) FROM instrument WHERE name = 'DUP'")" 0

# keys and columns psyfaith does not read may repeat
printf '{"model":"m","note":1,"note":2,"instrument":"IPIP-50","item":"E1","option":3}\n' >unread.jsonl
check_exit "unread duplicate key" 0 pf ingest --quiet unread.jsonl
printf 'model,x,instrument,item,x,option\nm,1,IPIP-50,E2,2,4\n' >unread.csv
check_exit "unread duplicate column" 0 pf ingest --quiet unread.csv
check_eq "both stored" "$(q "SELECT count(*) FROM response")" 2
# an item twice inside one multi-answer string keeps its documented rule: one ambiguous answer
printf '{"model":"multi","instrument":"IPIP-50","answer":"E1: 4; E2: 2; E1: 5"}\n' >multi.jsonl
check_exit "multi-answer: item twice" 0 pf ingest --quiet --answers-regex '(\w+):\s*(\d)' multi.jsonl
check_eq "multi-answer: one ambiguous, one ok" "$(q "SELECT group_concat(i.code || '=' || r.status || ':' || r.answer, ' ')
    FROM response r JOIN item i ON i.id = r.item_id JOIN subject s ON s.id = r.subject_id WHERE s.model = 'multi'")" \
    "E1=ambiguous:4 | 5 E2=ok:2"
finish
