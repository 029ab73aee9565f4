# tests/cli/ingest_toobig.sh -- a value longer than the store's SQLITE_LIMIT_LENGTH (1e9 bytes by
# default; lowered here through the test-only PSYFAITH_TEST_MAX_LENGTH) is a line error naming its
# field, never a NULL stored with status ok; a value the writer cannot bind stops the file with its
# line and field, and nothing of the file is stored.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
check_exit "init" 0 pf init --quiet
long=$(printf '%0400d' 0 | tr 0 x)
{
    printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"4"}\n'
    printf '{"model":"m","instrument":"IPIP-50","item":"E2","answer":"4 %s"}\n' "$long"
    printf '{"model":"m","instrument":"IPIP-50","item":"E3","answer":"2"}\n'
} >big.jsonl

PSYFAITH_TEST_MAX_LENGTH=300 check_exit "too long answer: refused" 1 pf ingest big.jsonl
check_grep "too long answer: line and field" \
    "big.jsonl:2: text of 402 bytes is longer than the store takes (300) (field answer)" "$T/err"
check_eq "too long answer: nothing stored" "$(q "SELECT count(*) FROM response")" 0
check_eq "too long answer: no source" "$(q "SELECT count(*) FROM source")" 0
PSYFAITH_TEST_MAX_LENGTH=300 check_exit "too long answer: --skip-bad" 0 pf ingest --skip-bad big.jsonl
check_eq "--skip-bad keeps the others" "$(q "SELECT group_concat(answer || ':' || status, ' ') FROM response")" "4:ok 2:ok"
check_eq "--skip-bad records the reject" "$(q "SELECT line || ' ' || field FROM reject")" "2 answer"
check_eq "no NULL answer stored" "$(q "SELECT count(*) FROM response WHERE answer IS NULL")" 0

# the writer's own check: a reject reason over the limit cannot be bound
name=$(printf '%080d' 0 | tr 0 q)
{
    printf '{"model":"w","instrument":"IPIP-50","item":"E1","answer":"4"}\n'
    printf '{"model":"w","instrument":"%s","item":"E1","answer":"4"}\n' "$name"
} >rej.jsonl
PSYFAITH_TEST_MAX_LENGTH=150 check_exit "unbindable value: refused" 1 pf ingest --skip-bad rej.jsonl
check_grep "unbindable value: line and field" "rej.jsonl:2: store: cannot store field 'reason': string or blob too big" "$T/err"
check_eq "unbindable value: nothing of the file" "$(q "SELECT count(*) FROM subject WHERE model = 'w'")" 0
check_eq "unbindable value: no source" "$(q "SELECT count(*) FROM source WHERE path = 'rej.jsonl'")" 0

# the same for a bank: the line and the field, nothing of the bank loaded
printf 'instrument,item,dimension,key,text\nLONG,l1,EXT,+,Short text\nLONG,l2,EXT,+,%s\n' "$long" >long-bank.csv
PSYFAITH_TEST_MAX_LENGTH=300 check_exit "bank: too long text" 1 pf instruments load long-bank.csv
check_grep "bank: line and field" "long-bank.csv:3: cannot store field text: string or blob too big" "$T/err"
check_eq "bank: nothing loaded" "$(q "SELECT count(*) FROM instrument WHERE name = 'LONG'")" 0
finish
