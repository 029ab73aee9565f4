# tests/cli/ingest_fields_reset.sh -- a record's fields never carry over to the next one.  A JSON
# record clears only the fields the records before it set (record_fields.c, json_vals_reset), so
# every way a field gets a value is followed by a record without it: a member, a member of a record
# rejected for a duplicate key, a --map path, an --extract, a CSV row before a JSON Lines file, and
# a record of one type before one of another.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

# the stored fields of the response to item $1, subject's and response's own
resp() {
    q "SELECT s.model || '|' || quote(s.temperature) || '|' || quote(s.persona) || '|' || quote(s.condition) || '|' ||
              r.rep || '|' || quote(r.run) || '|' || r.option_order || '|' || quote(r.presented) || '|' ||
              quote(d.template) || '|' || r.status || '|' || quote(r.option)
       FROM response r JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id
       LEFT JOIN design d ON d.id = r.design_id WHERE i.code = '$1'"
}
BARE="m|NULL|NULL|NULL|0|NULL|ascending|NULL|NULL"

# --- every optional member set, then none
{
    printf '%s\n' '{"model":"m","temperature":0.7,"persona":"EXT=9","condition":"c1","rep":3,"run":"r1","instrument":"IPIP-50","item":"E1","answer":"(B)","option_order":"descending","template":"t1"}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E2","answer":"(B)"}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E3","answer":"B","options":["C","A","B","E","D"]}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E4","answer":"(B)"}'
} >members.jsonl
check_exit "members: ingest" 0 pf ingest --quiet members.jsonl
check_eq "members: all set" "$(resp E1)" "m|0.7|'EXT=9'|'c1'|3|'r1'|descending|NULL|'t1'|ok|4"
check_eq "members: none set after all set" "$(resp E2)" "$BARE|ok|2"
check_eq "members: presented options" "$(resp E3 | cut -d'|' -f8)" "'3,1,2,5,4'"
check_eq "members: none after presented options" "$(resp E4)" "$BARE|ok|2"

# --- a record rejected for a duplicate key (its members before the duplicate were read), then one
# without those members
{
    printf '%s\n' '{"model":"m","persona":"EXT=1","rep":5,"persona":"EXT=2","instrument":"IPIP-50","item":"E5","answer":"(A)"}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E6","answer":"(A)"}'
} >dup.jsonl
check_exit "duplicate key: ingest with --skip-bad" 0 pf ingest --quiet --skip-bad dup.jsonl
check_eq "duplicate key: the bad record is not stored" "$(resp E5)" ""
check_eq "duplicate key: the next record has none of its members" "$(resp E6)" "$BARE|ok|1"

# --- a --map path and an --extract, then a record where neither finds anything
{
    printf '%s\n' '{"model":"m","meta":{"p":"AGR=9","tag":"run-7"},"instrument":"IPIP-50","item":"E7","answer":"(C)"}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E8","answer":"(C)"}'
} >mapped.jsonl
check_exit "path and extract: ingest" 0 pf ingest --quiet --map persona=/meta/p --extract 'run=/meta/tag~^(run-[0-9]+)$' mapped.jsonl
check_eq "path and extract: set" "$(resp E7 | cut -d'|' -f3,6)" "'AGR=9'|'run-7'"
check_eq "path and extract: none after" "$(resp E8)" "$BARE|ok|3"

# --- a CSV file with every column, then a JSON Lines file without them, in one command
printf 'model,temperature,persona,condition,rep,run,instrument,item,answer\nm,0.3,OPEN=9,c2,4,r9,IPIP-50,E9,(E)\n' >all.csv
printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"A1","answer":"(E)"}' >after-csv.jsonl
check_exit "csv then jsonl: ingest" 0 pf ingest --quiet all.csv after-csv.jsonl
check_eq "csv then jsonl: the CSV row" "$(resp E9 | cut -d'|' -f1-6)" "m|0.3|'OPEN=9'|'c2'|4|'r9'"
check_eq "csv then jsonl: the JSON record has none of its fields" "$(resp A1)" "$BARE|ok|5"

# --- another record type's fields (an ultimatum decision), then a response
{
    printf '%s\n' '{"type":"ultimatum","model":"m","persona":"EXT=9","rep":2,"offer":3,"total":10,"answer":"accept"}'
    printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"A2","answer":"(A)"}'
} >types.jsonl
check_exit "types: ingest" 0 pf ingest --quiet types.jsonl
check_eq "types: the ultimatum row" "$(q "SELECT offer || '/' || total || ' ' || decision || ' ' || rep FROM ultimatum")" "3.0/10.0 1 2"
check_eq "types: the response after it" "$(resp A2)" "$BARE|ok|1"
finish
