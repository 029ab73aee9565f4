# tests/cli/ingest_jq_csv.sh -- issue 13 item 4: --jq on CSV input.  Each row goes to jq as an object
# keyed by the header, values as the strings written (an empty cell null), so arithmetic, recoding and
# row filters need no other tool; messages name the CSV's own line numbers, also for a record that
# spans several physical lines.  Also: --jq and --source-name on standard input.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
if ! command -v jq >/dev/null 2>&1; then
    echo "ingest_jq_csv.sh: jq not installed; skipped" >&2
    echo "0 passed, 0 failed"
    exit 0
fi
pf init --quiet || { fail "init"; finish; }

# sessions in the shape of llm-milgram's derived sessions.csv (a few of its columns, made-up rows);
# line 4 holds a quoted newline, so the row after it starts on line 6
cat >sessions.csv <<'CSV'
model,condition,temperature,rep,outcome,max_voltage
gpt-4o,baseline,1.0,1,obedient,450
gpt-4o,baseline,0.0,2,defiant,150
gpt-4o,"proximity
close",1.0,3,frame_break,abc
gpt-4o,baseline,1.0,4,defiant,300
gpt-4o,baseline,1.0,5,content_filter,
CSV
cat >volts.jq <<'JQ'
# level = volts / 15; outcomes other than obedient/defiant are filtered; temperature 1.0 only
select(.temperature == "1.0")
| {type: "milgram", model, temperature, rep,
   final_level: ((.max_voltage // "0" | tonumber) / 15), max_level: 30,
   filtered: (.outcome | IN("obedient", "defiant") | not)}
JQ
check_exit "a bad row fails the file" 1 pf ingest --jq volts.jq sessions.csv
check_eq "jq's error on a row is a bad line at the row's first CSV line" "$(head -n 1 "$T/err")" \
    "sessions.csv:4: jq: Invalid numeric literal at EOF at line 1, column 3 (while parsing 'abc')"
check_eq "nothing stored" "$(q "SELECT count(*) FROM source")" 0
check_exit "--skip-bad" 0 pf ingest --skip-bad --jq volts.jq sessions.csv
check_eq "rows: filtered by temperature, volts / 15, recoded outcome, CSV line numbers" \
    "$(q "SELECT rep || ':' || final_level || ':' || filtered || ':' || line FROM milgram ORDER BY line")" "1:30:0:2
4:20:0:6
5:0:1:7"
check_eq "the reject, at its CSV line" "$(q "SELECT line || ' ' || reason FROM reject")" \
    "4 jq: Invalid numeric literal at EOF at line 1, column 3 (while parsing 'abc')"
check_eq "source: the CSV's own lines and format" "$(q "SELECT path || ' ' || format || ' ' || lines || ' ' || records FROM source")" \
    "sessions.csv csv 7 3"
check_eq "source: hash of the file itself" "$(q "SELECT sha256 FROM source")" "$(sha256sum <sessions.csv | cut -d' ' -f1)"

# values are strings as written: arithmetic on a string is jq's error, named at its line
printf 'model,instrument,item,answer\nm,IPIP-50,E1,4\n' >one.csv
printf '{model, instrument, item, option: (.answer / 2)}\n' >div.jq
check_exit "arithmetic on a string" 1 pf ingest --jq div.jq one.csv
check_grep "jq's message at line 2" "one.csv:2: jq: string (\"4\") and number (2) cannot be divided" "$T/err"
# strings from CSV are text: "4" is a valid option, as in a CSV read without jq
printf '{model, instrument, item, option: .answer, temperature: "0.7"}\n' >text.jq
check_exit "CSV text as option and temperature" 0 pf ingest --quiet --jq text.jq one.csv
check_eq "stored" "$(q "SELECT r.option || '/' || s.temperature FROM response r JOIN subject s ON s.id = r.subject_id")" "4/0.7"
# the mapping applies to jq's output; --map names its keys
printf '{m: .model, instrument, item, answer}\n' >rename.jq
check_exit "--map on jq output" 0 pf ingest --quiet --jq rename.jq --map model=/m one.csv
check_eq "two sources of one.csv (two mappings)" "$(q "SELECT count(*) FROM source WHERE path = 'one.csv'")" 2
# an empty cell is null
printf 'model,instrument,item,answer,persona\nm,IPIP-50,E2,3,\n' >empty.csv
printf '{model, instrument, item, answer, persona: (if .persona == null then "none" else .persona end)}\n' >null.jq
check_exit "empty cell" 0 pf ingest --quiet --jq null.jq empty.csv
check_eq "is null to jq" "$(q "SELECT count(*) FROM subject WHERE persona = 'none'")" 1
# input/inputs are not for CSV rows; jq's compile errors fail the file
printf '[., input]\n' >input.jq
check_exit "input" 1 pf ingest --jq input.jq one.csv
check_grep "names it" "one.csv:2: jq: input and inputs are not available to a jq program over CSV rows" "$T/err"
printf '{model: \n' >broken.jq
check_exit "a jq syntax error" 1 pf ingest --jq broken.jq one.csv
check_grep "fails the file" "psyfaith: error: jq prefilter 'broken.jq' failed on 'one.csv' (exit 3)" "$T/err"
# a duplicate column name cannot be an object key
printf 'model,model,instrument,item,answer\na,b,IPIP-50,E1,3\n' >dup.csv
check_exit "duplicate column" 1 pf ingest --jq text.jq dup.csv
check_eq "its message" "$(head -n 1 "$T/err")" \
    "dup.csv:1: duplicate column 'model' (columns 1 and 2): a jq input object holds one value per name (field model)"
# --reps-columns melts before jq: answer, rep (a number) and run are keys of each object
printf 'model,instrument,item,t1,t2,t3\nr,IPIP-50,E1,4,,2\n' >reps.csv
printf 'select(.rep != 3) | {model, instrument, item, answer, rep, run: ("x" + .run)}\n' >reps.jq
check_exit "--reps-columns with --jq" 0 pf ingest --reps-columns '^t[0-9]$' --jq reps.jq reps.csv
check_eq "melted, then filtered by jq" "$(q "SELECT r.rep || ':' || r.run || ':' || r.option FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'r'")" "1:xt1:4"
check_exit "--wide with --jq" 1 pf ingest --wide --set model=m --set instrument=IPIP-50 --jq text.jq one.csv
check_grep "is refused" "--wide and --jq cannot be combined" "$T/err"

# the guarantees of a jq prefilter hold over CSV too: --jq-timeout stops a program that never ends
printf '# psyfaith-jqcsv-%s\n{model, instrument, item, answer}, (repeat(1) | empty)\n' "$$" >never.jq
check_exit "--jq-timeout over CSV" 1 pf ingest --jq-timeout 1 --jq never.jq one.csv
check_grep "names the file and the limit" "on 'one.csv' ran longer than --jq-timeout 1 s" "$T/err"
check_eq "no jq left" "$(pgrep -f "psyfaith-jqcsv-$$" 2>/dev/null)" ""

# standard input: --jq works (the input is copied to a temporary file), --source-name names it
printf '{"m":"s","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n{"m":"s","instrument":"IPIP-50","item":"E99","answer":"(D)"}\n' >s.jsonl
printf '{model: .m, instrument, item, answer}\n' >s.jq
check_exit "stdin through jq, a bad item" 1 sh -c "'$PSYFAITH' ingest --db '$DB' --jq s.jq --source-name study-7.jsonl - <s.jsonl"
check_grep "the message names the source name" "study-7.jsonl (after jq s.jq):2: unknown item 'E99' in instrument 'IPIP-50' (field item)" "$T/err"
check_grep "and the note" "psyfaith: nothing of 'study-7.jsonl' was stored" "$T/err"
check_exit "stdin CSV through jq" 0 sh -c "'$PSYFAITH' ingest --db '$DB' --quiet --format csv --jq text.jq --source-name piped.csv - <one.csv"
check_exit "stdin without jq" 0 sh -c "'$PSYFAITH' ingest --db '$DB' --quiet --map model=/m --source-name piped.jsonl - <s.jsonl --skip-bad"
check_eq "source.path is the name given" "$(q "SELECT path || ' ' || format FROM source WHERE path LIKE 'piped%' ORDER BY id")" "piped.csv csv
piped.jsonl jsonl"
check_eq "rejects name it too" "$(q "SELECT path FROM reject WHERE line = 2 AND path LIKE 'piped%'")" "piped.jsonl"
check_exit "--source-name without -" 2 pf ingest --source-name x s.jsonl
check_grep "is a usage error" "psyfaith: error: --source-name names standard input: give '-' among the files" "$T/err"
check_grep "--help lists it" "--source-name NAME" "$(pf ingest --help >"$T/help"; echo "$T/help")"
finish
