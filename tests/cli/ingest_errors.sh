# tests/cli/ingest_errors.sh -- every bad input of issue 2: the exact FILE:LINE message on stderr,
# exit 1, and nothing of the file in the store (one transaction per file).  Then the inputs that
# must work (BOM, CRLF, a 5 MB line) and --skip-bad with its rejects.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

# Rows of every table an ingest writes; the store holds nothing of these files but the good ones.
rows() {
    q "SELECT (SELECT count(*) FROM source) || ' ' || (SELECT count(*) FROM subject) || ' ' ||
              (SELECT count(*) FROM response) || ' ' || (SELECT count(*) FROM behavior) || ' ' ||
              (SELECT count(*) FROM labeled_behavior) || ' ' || (SELECT count(*) FROM ultimatum) || ' ' ||
              (SELECT count(*) FROM milgram) || ' ' || (SELECT count(*) FROM milgram_step) || ' ' ||
              (SELECT count(*) FROM reject)"
}
EMPTY='0 0 0 0 0 0 0 0 0'
wipe() {
    q "DELETE FROM reject; DELETE FROM response; DELETE FROM behavior; DELETE FROM labeled_behavior;
       DELETE FROM ultimatum; DELETE FROM milgram; DELETE FROM milgram_step; DELETE FROM subject;
       DELETE FROM source"
}

# bad FILE MESSAGE [ingest options...]: exit 1, MESSAGE is stderr's first line, the note follows,
# and the store is still empty.
bad() {
    _file=$1 _msg=$2; shift 2
    check_exit "$_file: exit status" 1 pf ingest "$@" "$_file"
    check_eq "$_file: message" "$(head -n 1 "$T/err")" "$_msg"
    check_eq "$_file: store unchanged" "$(rows)" "$EMPTY"
}
# A good first line in most files proves that the rollback takes back what was already written.
GOOD='{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)"}'

# --- invalid JSON: the column points at the offending token
printf '%s\n%s\n' "$GOOD" '{"model": "m", "instrument": IPIP-50, "item": "E1"}' >bad-json.jsonl
bad bad-json.jsonl 'bad-json.jsonl:2:30: invalid JSON'
check_grep "note says nothing was stored" \
    "psyfaith: nothing of 'bad-json.jsonl' was stored (1 bad line; --skip-bad keeps the good ones)" "$T/err"
printf '%s x\n' "$GOOD" >trailing.jsonl
bad trailing.jsonl 'trailing.jsonl:1:65: unexpected text after the JSON value'
printf '%s\n"just a string"\n' "$GOOD" >not-object.jsonl
bad not-object.jsonl 'not-object.jsonl:2: expected a JSON object'
printf '{"records": [%s,\n{"model": }]}' "$GOOD" >bad-doc.json
bad bad-doc.json 'bad-doc.json:2:11: invalid JSON'

# --- missing required fields
printf '%s\n{"instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' "$GOOD" >no-model.jsonl
bad no-model.jsonl 'no-model.jsonl:2: missing required field (field model)'
printf '%s\n{"model":"m","item":"E1","answer":"(D)"}\n' "$GOOD" >no-instrument.jsonl
bad no-instrument.jsonl 'no-instrument.jsonl:2: missing required field (field instrument)'
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1"}\n' "$GOOD" >no-answer.jsonl
bad no-answer.jsonl "no-answer.jsonl:2: a response needs 'answer', 'option', 'option_probs' or 'logprobs' (field answer)"
printf '%s\n{"model":"m","instrument":"IPIP-50","answer":"(D)"}\n' "$GOOD" >no-item.jsonl
bad no-item.jsonl "no-item.jsonl:2: a response needs 'item' or 'item_text' (field item)"
printf '%s\n{"model":null,"instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' "$GOOD" >null-model.jsonl
bad null-model.jsonl 'null-model.jsonl:2: missing required field (field model)'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\n,IPIP-50,E2,(D)\n' >empty-model.csv
bad empty-model.csv 'empty-model.csv:3: missing required field (field model)'
printf '{"type":"milgram","model":"m","final_level":3}\n' >no-max.jsonl
bad no-max.jsonl 'no-max.jsonl:1: missing required field (or give max_voltage) (field max_level)'

# --- wrong types
printf 'model,temperature,instrument,item,answer\nm,0.7,IPIP-50,E1,(D)\nm,hot,IPIP-50,E2,(D)\n' >hot.csv
bad hot.csv "hot.csv:3: not a number: 'hot' (field temperature)"
printf '%s\n{"model":"m","temperature":"0.7","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' "$GOOD" \
    >string-temperature.jsonl
bad string-temperature.jsonl 'string-temperature.jsonl:2: expected a number, found a string (field temperature)'
printf '%s\n{"model":{"name":"gpt-4"},"instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' "$GOOD" >object-model.jsonl
bad object-model.jsonl 'object-model.jsonl:2: expected a string, found an object (field model)'
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","answer":["(D)"]}\n' "$GOOD" >array-answer.jsonl
bad array-answer.jsonl 'array-answer.jsonl:2: expected a string, found an array (field answer)'
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","option":2.5}\n' "$GOOD" >fraction.jsonl
bad fraction.jsonl 'fraction.jsonl:2: expected a whole number, found 2.5 (field option)'
printf '%s\n{"model":"m","rep":-1,"instrument":"IPIP-50","item":"E1","option":2}\n' "$GOOD" >negative-rep.jsonl
bad negative-rep.jsonl 'negative-rep.jsonl:2: -1 is out of range (0..1000000000) (field rep)'
printf '{"type":"milgram","model":"m","final_level":3,"max_level":30,"filtered":"maybe"}\n' >filtered.jsonl
bad filtered.jsonl "filtered.jsonl:1: expected yes/no, true/false, y/n or 1/0, found 'maybe' (field filtered)"

# --- unknown names
printf '%s\n{"model":"m","instrument":"NOPE-9","item":"E1","answer":"(D)"}\n' "$GOOD" >unknown-instrument.jsonl
bad unknown-instrument.jsonl "unknown-instrument.jsonl:2: unknown instrument 'NOPE-9' (see 'psyfaith instruments list'; load more with 'psyfaith instruments load') (field instrument)"
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E11","answer":"(D)"}\n' "$GOOD" >unknown-item.jsonl
bad unknown-item.jsonl "unknown-item.jsonl:2: unknown item 'E11' in instrument 'IPIP-50' (field item)"
printf '%s\n{"model":"m","instrument":"IPIP-50","item_text":"I like bananas.","answer":"(D)"}\n' "$GOOD" >unknown-text.jsonl
bad unknown-text.jsonl "unknown-text.jsonl:2: no item of 'IPIP-50' has the text 'I like bananas.' (field item_text)"
printf '{"type":"behavior","model":"m","dimension":"EXT","occasion":"party","text":"I talk"}\n{"type":"behavior","model":"m","dimension":"humour","occasion":"party","text":"I joke"}\n' >unknown-dimension.jsonl
bad unknown-dimension.jsonl "unknown-dimension.jsonl:2: unknown dimension 'humour' (EXT AGR CONS EMO OPEN, full names, N/neuroticism) (field dimension)"
printf '{"type":"survey","model":"m"}\n' >unknown-type.jsonl
bad unknown-type.jsonl "unknown-type.jsonl:1: unknown record type 'survey' (response, behavior, labeled_behavior, ultimatum, ultimatum_threshold, ultimatum_offer, dictator_offer, milgram, milgram_step) (field type)"

# --- values out of range
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","option":6}\n' "$GOOD" >option6.jsonl
bad option6.jsonl 'option6.jsonl:2: 6 is out of range (1..5) (field option)'
printf 'model,instrument,item,option\nm,IPIP-50,E1,0\n' >option0.csv
bad option0.csv 'option0.csv:2: 0 is out of range (1..5) (field option)'
printf '{"type":"ultimatum","model":"m","offer":2,"decision":"accept"}\n{"type":"ultimatum","model":"m","offer":12,"total":10,"decision":"accept"}\n' >offer.jsonl
bad offer.jsonl 'offer.jsonl:2: offer 12 is outside 0..total (10) (field offer)'
printf '{"type":"ultimatum","model":"m","offer":2,"decision":"maybe"}\n' >decision.jsonl
bad decision.jsonl "decision.jsonl:1: expected accept or reject, found 'maybe' (field decision)"
printf '{"type":"milgram","model":"m","final_level":31,"max_level":30}\n' >final-level.jsonl
bad final-level.jsonl 'final-level.jsonl:1: final level 31 is above max_level 30 (field final_level)'
printf '{"type":"ultimatum","model":"m","trait":"AGR","level":10,"offer":2,"decision":"accept"}\n' >level10.jsonl
bad level10.jsonl 'level10.jsonl:1: 10 is out of range (1..9) (field level)'
printf '{"type":"ultimatum","model":"m","trait":"AGR","level":0,"offer":2,"decision":"accept"}\n' >level0.jsonl
bad level0.jsonl 'level0.jsonl:1: 0 is out of range (1..9) (field level)'
printf '{"type":"milgram","model":"m","level":"10","final_level":3,"max_level":30}\n' >milgram-level.jsonl
bad milgram-level.jsonl "milgram-level.jsonl:1: expected min, max or 1..9, found '10' (field level)"
printf '{"type":"milgram_step","model":"m","level":0,"run":"r","step":1,"disobeyed":true}\n' >step-level.jsonl
bad step-level.jsonl "step-level.jsonl:1: expected min, max or 1..9, found '0' (field level)"
printf '%s\n{"model":"m","temperature":-0.5,"instrument":"IPIP-50","item":"E1","option":2}\n' "$GOOD" >temperature.jsonl
bad temperature.jsonl 'temperature.jsonl:2: temperature -0.5 is out of range (0..100) (field temperature)'

# --- CSV rows with the wrong number of fields (a short row names the first missing column)
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm,IPIP-50,E2\n' >short-row.csv
bad short-row.csv 'short-row.csv:3: expected 4 fields, found 3 (field answer)'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm,IPIP-50,E2,(D),extra\n' >long-row.csv
bad long-row.csv 'long-row.csv:3: expected 4 fields, found 5'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm,IPIP-50,E2,"(D)\n' >open-quote.csv
bad open-quote.csv 'open-quote.csv:3: malformed CSV: error parsing data while strict checking enabled (an unterminated quote?)'
printf 'model,instrument,item,resp\nm,IPIP-50,E1,(D)\n' >no-column.csv
bad no-column.csv "no-column.csv:1: no column 'response' in the header (field answer)" --map answer=response
# a header error fails the file even under --skip-bad: recording its hash would make the corrected
# re-ingest look like a repeat
bad no-column.csv "no-column.csv:1: no column 'response' in the header (field answer)" --map answer=response --skip-bad

# --- empty files
: >empty.jsonl
bad empty.jsonl "psyfaith: error: 'empty.jsonl': no records found (empty file?)"
printf '\n\n  \n' >blank.jsonl
bad blank.jsonl "psyfaith: error: 'blank.jsonl': no records found (empty file?)"
: >empty.csv
bad empty.csv 'empty.csv: empty file: no header line'
printf 'model,instrument,item,answer\n' >header-only.csv
bad header-only.csv "psyfaith: error: 'header-only.csv': no records found (empty file?)"
: >empty.json
bad empty.json 'empty.json:1:1: empty file'

# --- NUL bytes and invalid UTF-8 (raw bytes, and the \u0000 escape cJSON would cut a string at)
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)\000"}\n' "$GOOD" >nul.jsonl
bad nul.jsonl 'nul.jsonl:2:62: NUL byte in the input'
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)\\u0000 and more"}\n' "$GOOD" >nul-escape.jsonl
bad nul-escape.jsonl 'nul-escape.jsonl:2:62: NUL character (\u0000) in a JSON string'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm,IPIP-50,E2,(D)\000\n' >nul.csv
bad nul.csv 'nul.csv:3: NUL byte in field 4 (field answer)'
printf '%s\n{"model":"m\377","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' "$GOOD" >latin.jsonl
bad latin.jsonl 'latin.jsonl:2:12: invalid UTF-8'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm\351,IPIP-50,E2,(D)\n' >latin.csv
bad latin.csv 'latin.csv:3: invalid UTF-8 in field 1 (field model)'
printf '%s\n{"model":"m","instrument":"IPIP-50","item":"E1","answer":"\355\240\200"}\n' "$GOOD" >surrogate.jsonl
bad surrogate.jsonl 'surrogate.jsonl:2:59: invalid UTF-8'
# the same faults in a file of several 1 MiB chunks: each chunk's whole lines are checked at once
# and, when they hold a fault, line by line (jsonl.c, text_clean); a line cut by a chunk's end is
# checked whole.  Every fault is found at its line and column, the lines around it are kept
# (--skip-bad), and a character cut in two by the chunk boundary is no fault.
awk -v good="$GOOD" 'BEGIN { for (i = 1; i <= 40000; i++) {
    if (i == 17000) print "{\"model\":\"m\377\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"answer\":\"(D)\"}"
    else if (i == 18000) print "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"answer\":\"(D) \\u0000\"}"
    else if (i == 39999) print "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"answer\":\"\355\240\200\"}"
    else print good } }' >chunks.jsonl
check_eq "chunks.jsonl spans three chunks" "$(awk -v s="$(wc -c <chunks.jsonl)" 'BEGIN { print (s > 2 * 1048576) }')" 1
check_exit "faults in later chunks: --skip-bad keeps the rest" 0 pf ingest --skip-bad chunks.jsonl
check_grep "... invalid UTF-8 at its line and column" "chunks.jsonl:17000:12: invalid UTF-8" "$T/err"
check_grep "... the escape at its line and column" "chunks.jsonl:18000:63: NUL character (\u0000) in a JSON string" "$T/err"
check_grep "... the surrogate at its line and column" "chunks.jsonl:39999:59: invalid UTF-8" "$T/err"
check_eq "... every good line stored" "$(q "SELECT count(*) FROM response")" 39997
wipe
# a line whose euro sign (3 bytes) starts 1 byte before the first chunk's end
awk -v good="$GOOD" 'BEGIN {
    pre = "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"E3\",\"answer\":\""
    at = 1048575 - length(pre); g = length(good) + 1
    k = int((at - 200) / g); for (i = 0; i < k; i++) print good
    x = at - k * g - g; filler = ""; for (i = 0; i < x; i++) filler = filler "x"
    printf "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"E2\",\"answer\":\"(D)%s\"}\n", filler
    printf "%s\342\202\254 (D)\"}\n", pre
    for (i = 0; i < 100; i++) print good }' >straddle.jsonl
euro=$(printf '\342\202\254')
check_eq "straddle.jsonl: a euro sign across the 1 MiB boundary" \
    "$(grep -boa "$euro" straddle.jsonl | head -n 1 | cut -d: -f1)" 1048575
check_exit "... ingests" 0 pf ingest --quiet straddle.jsonl
check_eq "... the text whole" "$(q "SELECT answer FROM response r JOIN item i ON i.id = r.item_id WHERE i.code = 'E3'")" "$euro (D)"
wipe
# an escaped backslash before u0000 is text, not a NUL
printf '{"model":"bs","instrument":"IPIP-50","item":"E1","answer":"(D) \\\\u0000"}\n' >backslash.jsonl
check_exit "escaped backslash + u0000 is fine" 0 pf ingest --quiet backslash.jsonl
check_eq "escaped backslash kept" "$(q "SELECT answer FROM response")" '(D) \u0000'
wipe

# --- paths that are not readable files
mkdir dir.jsonl
bad dir.jsonl "psyfaith: error: 'dir.jsonl' is a directory, not a log file"
bad no-such-file.jsonl "psyfaith: error: cannot open 'no-such-file.jsonl': No such file or directory"
bad no-such-dir/x.csv "psyfaith: error: cannot open 'no-such-dir/x.csv': No such file or directory"
if [ "$(id -u)" != 0 ]; then        # root reads a mode-000 file anyway
    printf '%s\n' "$GOOD" >locked.jsonl
    chmod 000 locked.jsonl
    bad locked.jsonl "psyfaith: error: cannot open 'locked.jsonl': Permission denied"
fi
printf '%s\n' "$GOOD" >noext
bad noext "psyfaith: error: 'noext': cannot tell the format from the name; give --format jsonl|csv|json"

# --- too many errors: the reader gives up after 20, and says so
awk 'BEGIN { for (i = 1; i <= 30; i++) print "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"X" i "\",\"option\":1}" }' >many.jsonl
bad many.jsonl "many.jsonl:1: unknown item 'X1' in instrument 'IPIP-50' (field item)"
check_grep "gives up after 20" 'many.jsonl:21: too many errors, giving up on this file' "$T/err"
check_eq "20 messages, no more" "$(grep -c 'unknown item' "$T/err")" 20

# --- two bad lines of six: both reported, none stored
cat >six.jsonl <<'EOF'
{"model":"six","instrument":"IPIP-50","item":"E1","answer":"(D)"}
{"model":"six","instrument":"IPIP-50","item":"E2","answer":"(D)"
{"model":"six","instrument":"IPIP-50","item":"E3","answer":"(B)"}
{"model":"six","instrument":"IPIP-50","item":"E4","option":5}
{"model":"six","instrument":"IPIP-50","item":"E99","answer":"(D)"}
{"model":"six","instrument":"IPIP-50","item":"E5","answer":"I cannot answer that as an AI."}
EOF
bad six.jsonl 'six.jsonl:2:64: invalid JSON'
check_grep "line 5 reported too" "six.jsonl:5: unknown item 'E99' in instrument 'IPIP-50' (field item)" "$T/err"
check_grep "note counts both" "psyfaith: nothing of 'six.jsonl' was stored (2 bad lines; --skip-bad keeps the good ones)" "$T/err"

# --- --skip-bad keeps the good lines and records each bad one
check_exit "--skip-bad succeeds" 0 pf ingest --skip-bad six.jsonl
check_grep "--skip-bad note" "psyfaith: 'six.jsonl': kept the good lines, 2 bad lines recorded in rejects" "$T/err"
check_grep "--skip-bad summary" "psyfaith: ingested 1 file: 4 responses" "$T/err"
check_grep "--skip-bad statuses" "psyfaith: responses: 3 ok, 0 ambiguous, 1 refusal, 0 unparsed" "$T/err"
pf export rejects >"$T/rejects.csv"
check_file "rejects export" "$T/rejects.csv" "path,line,field,reason
six.jsonl,2,,invalid JSON
six.jsonl,5,item,unknown item 'E99' in instrument 'IPIP-50'"
check_eq "kept lines" "$(q "SELECT group_concat(line) FROM response")" "1,3,4,6"
check_eq "source of the rejects" "$(q "SELECT count(*) FROM reject r JOIN source s ON s.id = r.source_id WHERE s.path = 'six.jsonl'")" 2
pf export rejects --format jsonl >"$T/rejects.jsonl"
check_file "rejects as JSONL" "$T/rejects.jsonl" '{"path":"six.jsonl","line":2,"field":null,"reason":"invalid JSON"}
{"path":"six.jsonl","line":5,"field":"item","reason":"unknown item '"'E99'"' in instrument '"'IPIP-50'"'"}'
# CSV under --skip-bad: wrong field counts and types are rejects too
printf 'model,temperature,instrument,item,option\nsk,0.5,IPIP-50,E1,4\nsk,warm,IPIP-50,E2,4\nsk,0.5,IPIP-50,E3\nsk,0.5,IPIP-50,E4,2\n' >skip.csv
check_exit "--skip-bad CSV" 0 pf ingest --skip-bad skip.csv
check_eq "CSV rejects" "$(q "SELECT group_concat(line || ':' || coalesce(field, '') || ':' || reason, '|') FROM reject WHERE path = 'skip.csv'")" \
    "3:temperature:not a number: 'warm'|4:option:expected 5 fields, found 4"
check_eq "CSV kept lines" "$(q "SELECT group_concat(r.line) FROM response r JOIN source s ON s.id = r.source_id WHERE s.path = 'skip.csv'")" "2,5"

# --- inputs that must work: a UTF-8 BOM, CRLF line ends, a 5 MB line
wipe
printf '\357\273\277{"model":"bom","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n' >bom.jsonl
check_exit "BOM JSONL" 0 pf ingest bom.jsonl
printf '\357\273\277model;instrument;item;answer\nbom;IPIP-50;E2;(B)\n' >bom.csv
check_exit "BOM CSV (sniffed ;)" 0 pf ingest bom.csv
printf '\357\273\277[{"model":"bom","instrument":"IPIP-50","item":"E3","answer":"(C)"}]' >bom.json
check_exit "BOM JSON document" 0 pf ingest bom.json
check_eq "BOM rows" "$(q "SELECT group_concat(i.code || '=' || r.option) FROM response r JOIN item i ON i.id = r.item_id")" \
    "E1=4,E2=2,E3=3"

printf '%s\r\n%s\r\n\r\n{"model":"crlf","instrument":"IPIP-50","item":"E2","answer":"(B)"}\r\n' "$GOOD" "$GOOD" >crlf.jsonl
check_exit "CRLF JSONL" 0 pf ingest crlf.jsonl
check_eq "CRLF JSONL lines" "$(q "SELECT group_concat(line) FROM response r JOIN source s ON s.id = r.source_id WHERE s.path = 'crlf.jsonl'")" "1,2,4"
check_eq "CRLF answer has no CR" "$(q "SELECT count(*) FROM response WHERE answer LIKE '%' || char(13) || '%'")" 0
printf 'model,instrument,item,answer\r\ncrlf,IPIP-50,E1,(D)\r\ncrlf,IPIP-50,E2,"two\r\nlines (B)"\r\n\r\ncrlf,IPIP-50,E3,(C)\r\n' >crlf.csv
check_exit "CRLF CSV" 0 pf ingest crlf.csv
check_eq "CRLF CSV lines" "$(q "SELECT group_concat(line) FROM response r JOIN source s ON s.id = r.source_id WHERE s.path = 'crlf.csv'")" "2,3,6"
check_eq "CRLF CSV last field" "$(q "SELECT answer FROM response r JOIN source s ON s.id = r.source_id WHERE s.path = 'crlf.csv' AND line = 6")" "(C)"
printf 'model,instrument,item,answer\r\ncrlf,IPIP-50,E1,(D)\r\ncrlf,IPIP-50,E2,"two\r\nlines"\r\n\r\ncrlf,IPIP-50,E99,(C)\r\n' >crlf-bad.csv
check_exit "CRLF CSV error" 1 pf ingest crlf-bad.csv
check_eq "CRLF CSV error line" "$(head -n 1 "$T/err")" "crlf-bad.csv:6: unknown item 'E99' in instrument 'IPIP-50' (field item)"
printf '%s\r\n%s\r\n{"model":"crlf","instrument":"IPIP-50","item":"E1","answer":"(D)"\r\n' "$GOOD" "$GOOD" >crlf-bad.jsonl
check_exit "CRLF JSONL error" 1 pf ingest crlf-bad.jsonl
check_eq "CRLF JSONL error line" "$(head -n 1 "$T/err")" "crlf-bad.jsonl:3:65: invalid JSON"

{
    printf '{"model":"big","instrument":"IPIP-50","item":"E1","answer":"(D) '
    head -c 5242880 /dev/zero | tr '\0' x
    printf '"}\n{"model":"big","instrument":"IPIP-50","item":"E2","answer":"(B)"}\n'
} >big.jsonl
check_exit "5 MB line" 0 pf ingest big.jsonl
check_eq "5 MB answer stored whole" "$(q "SELECT length(answer) || ' ' || option || ' ' || line FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'big' ORDER BY line")" \
    "5242884 4 1
3 2 2"

# --- a terminal escape sequence in input never reaches the terminal raw
printf '{"model":"m","instrument":"IPIP-50","item":"E\\u001b[31mred","option":4}\n' > esc.jsonl
check_exit "escape in an item id" 1 pf ingest esc.jsonl
check_grep "control characters printed as \\xNN" "esc.jsonl:1: unknown item 'E\\x1B[31mred' in instrument 'IPIP-50' (field item)" "$T/err"
check_eq "no raw ESC byte on stderr" "$(tr -d -c '\033' < "$T/err" | wc -c | tr -d ' ')" 0
# ... nor in a file name, which the FILE:LINE prefix prints (issue 11 item 21)
esc_name=$(printf 'e\033[31m.jsonl')
printf '{"model":"m","instrument":"IPIP-50","item":"E99","option":4}\n' >"$esc_name"
check_exit "escape in a file name" 1 pf ingest "$esc_name"
check_eq "file name printed as \\xNN" "$(head -n 1 "$T/err")" \
    "e\\x1B[31m.jsonl:1: unknown item 'E99' in instrument 'IPIP-50' (field item)"
check_eq "no raw ESC byte from a file name" "$(tr -d -c '\033' < "$T/err" | wc -c | tr -d ' ')" 0
rm -f "$esc_name"

# --- input that cJSON refuses for its depth, not its syntax, says so
wipe
awk 'BEGIN { s = ""; for (i = 0; i < 100000; i++) s = s "["; print s }' >deep.jsonl
bad deep.jsonl 'deep.jsonl:1:1001: JSON nested deeper than 1000 levels'
awk 'BEGIN { s = "{\"model\":\"m\",\"x\":"; for (i = 0; i < 1500; i++) s = s "{\"a\":"; print s }' >deep-object.jsonl
bad deep-object.jsonl 'deep-object.jsonl:1:5013: JSON nested deeper than 1000 levels'
awk 'BEGIN { s = "[\n"; for (i = 0; i < 2000; i++) s = s "["; print s }' >deep.json
bad deep.json 'deep.json:2:1000: JSON nested deeper than 1000 levels'
# brackets inside a string are text, and 1000 levels are allowed
awk 'BEGIN { s = ""; for (i = 0; i < 2000; i++) s = s "["; print "{\"model\":\"" s "\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"x\":" }' >brackets.jsonl
bad brackets.jsonl 'brackets.jsonl:1:2051: invalid JSON'
awk 'BEGIN { a = ""; b = ""; for (i = 0; i < 999; i++) { a = a "["; b = b "]" }
             print "{\"model\":\"m\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"option\":4,\"x\":" a b "}" }' >depth1000.jsonl
check_exit "1000 levels are fine" 0 pf ingest --quiet depth1000.jsonl
wipe

# --- UTF-16 and UTF-32 files: named, with the iconv command, never "NUL byte" on every line
printf '%s\n%s\n' "$GOOD" "$GOOD" | iconv -f UTF-8 -t UTF-16 >utf16.jsonl
bad utf16.jsonl 'utf16.jsonl: UTF-16 input; convert with iconv -f UTF-16 -t UTF-8'
check_grep "one error for the file" "nothing of 'utf16.jsonl' was stored (1 bad line;" "$T/err"
bad utf16.jsonl 'utf16.jsonl: UTF-16 input; convert with iconv -f UTF-16 -t UTF-8' --skip-bad
printf '%s\n' "$GOOD" | iconv -f UTF-8 -t UTF-16LE >utf16le.jsonl
bad utf16le.jsonl 'utf16le.jsonl: UTF-16LE input; convert with iconv -f UTF-16LE -t UTF-8'
printf '%s\n' "$GOOD" | iconv -f UTF-8 -t UTF-16BE >utf16be.jsonl
bad utf16be.jsonl 'utf16be.jsonl: UTF-16BE input; convert with iconv -f UTF-16BE -t UTF-8'
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\n' | iconv -f UTF-8 -t UTF-16 >utf16.csv
bad utf16.csv 'utf16.csv: UTF-16 input; convert with iconv -f UTF-16 -t UTF-8'
printf '[%s]\n' "$GOOD" | iconv -f UTF-8 -t UTF-16 >utf16.json
bad utf16.json 'utf16.json: UTF-16 input; convert with iconv -f UTF-16 -t UTF-8'
printf '%s\n' "$GOOD" | iconv -f UTF-8 -t UTF-32 >utf32.jsonl
bad utf32.jsonl 'utf32.jsonl: UTF-32 input; convert with iconv -f UTF-32 -t UTF-8'
# the advice works
iconv -f UTF-16 -t UTF-8 utf16.jsonl >converted.jsonl
check_exit "converted file ingests" 0 pf ingest --quiet converted.jsonl
wipe

# --- a malformed JSON Pointer is an error where it is written, not a field missing from every record
printf '{"a~b":{"model":"m"},"instrument":"IPIP-50","item":"E1","option":4}\n' >pointer.jsonl
check_exit "invalid pointer escape" 2 pf ingest --map 'model=/a~2b/model' pointer.jsonl
check_eq "invalid pointer escape: message" "$(head -n 1 "$T/err")" \
    "psyfaith: error: --map: invalid JSON Pointer '/a~2b/model': '~' must be followed by 0 or 1 (~0 is '~', ~1 is '/')"
check_exit "invalid --records pointer" 2 pf ingest --records '/x~' pointer.jsonl
check_grep "invalid --records pointer: message" "--records: invalid JSON Pointer '/x~'" "$T/err"
printf 'map model=/a~3\n' >bad-pointer.profile
check_exit "invalid pointer in a profile" 2 pf ingest --profile bad-pointer.profile pointer.jsonl
check_grep "invalid pointer in a profile: message" "invalid JSON Pointer '/a~3'" "$T/err"
check_eq "invalid pointers: store unchanged" "$(rows)" "$EMPTY"
check_exit "the escape ~0 is '~'" 0 pf ingest --quiet --map 'model=/a~0b/model' pointer.jsonl
check_eq "the escape ~0 is '~': model" "$(q "SELECT model FROM subject")" m
finish
