# tests/cli/ingest_derived.sh -- issue 13 item 4: a derived field (--extract, --item-regex) fills only
# what a record lacks, so one file can mix records that carry the field with records it is derived
# for; --extract-override (or a profile line) replaces the record's own value.  And integers written
# as floats ("5.0", as pandas writes an integer column with a missing value) are whole numbers in
# every integer field and answer, in CSV, wide tables and JSON; "4.5" stays an error naming the field.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
items() { q "SELECT i.code || ':' || r.option FROM response r JOIN item i ON i.id = r.item_id
             JOIN source s ON s.id = r.source_id WHERE s.path = '$1' ORDER BY r.line"; }

# --- derived fields fill only what the record lacks
cat >mix.jsonl <<'EOF2'
{"model":"m","instrument":"IPIP-50","item_text":"I am the life of the party.","answer":"5"}
{"model":"m","instrument":"IPIP-50","prompt":"Rate: I don't talk a lot.","answer":"2"}
{"model":"m","instrument":"IPIP-50","item_text":"I feel little concern for others.","prompt":"Rate: I don't talk a lot.","answer":"1"}
EOF2
check_exit "JSONL mixing item_text and prompts" 0 pf ingest --item-regex '^Rate: (.*)$' mix.jsonl
check_eq "each record's own item_text kept, the prompt's item where it lacks one" "$(items mix.jsonl)" "E1:5
E2:2
A1:1"
cp mix.jsonl mix2.jsonl   # the same content under another mapping is another source (item 3)
check_exit "--extract-override replaces the record's own value" 1 pf ingest --item-regex '^Rate: (.*)$' --extract-override mix2.jsonl
check_eq "so the record without a prompt has no item" "$(head -n 1 "$T/err")" \
    "mix2.jsonl:1: a response needs 'item' or 'item_text' (field item)"
check_exit "--extract-override with --skip-bad" 0 pf ingest --skip-bad --item-regex '^Rate: (.*)$' --extract-override mix2.jsonl
check_eq "the third record takes the prompt's item" "$(items mix2.jsonl)" "E2:2
E2:1"
printf 'item-regex ^Rate: (.*)$\nextract-override\n' >override.profile
cp mix.jsonl mix3.jsonl
check_exit "a profile line extract-override" 1 pf ingest --profile override.profile mix3.jsonl
check_grep "same error" "mix3.jsonl:1: a response needs 'item' or 'item_text' (field item)" "$T/err"

# CSV: the own column is read where it has a value; an empty cell is a missing value
printf 'model,instrument,item_text,prompt,answer\nm,IPIP-50,I am the life of the party.,,5\nm,IPIP-50,,Rate: I don'"'"'t talk a lot.,2\n' >mix.csv
check_exit "CSV mixing" 0 pf ingest --item-regex '^Rate: (.*)$' mix.csv
check_eq "CSV rows" "$(items mix.csv)" "E1:5
E2:2"
# --extract from a column: a row with its own temperature keeps it
printf 'model,instrument,item,answer,temperature,custom_id\nm,IPIP-50,E1,3,0.2,t=0.9\nm,IPIP-50,E2,3,,t=0.9\n' >temp.csv
check_exit "--extract temperature" 0 pf ingest --extract 'temperature=custom_id~t=([0-9.]+)' temp.csv
check_eq "temperatures" "$(q "SELECT s.temperature FROM response r JOIN subject s ON s.id = r.subject_id JOIN source o ON o.id = r.source_id WHERE o.path = 'temp.csv' ORDER BY r.line")" "0.2
0.9"
# an extraction from the field's own key is a clean-up of it, and replaces it
printf '{"model":"m","instrument":"IPIP-50","item":"Q-E3","answer":"4"}\n' >own.jsonl
check_exit "--extract item=/item~..." 0 pf ingest --extract 'item=/item~^Q-(.*)$' own.jsonl
check_eq "its item" "$(items own.jsonl)" "E3:4"

# --- integers written as floats
printf 'model,instrument,item,option,rep\nm,IPIP-50,E1,5.0,2.0\n' >float.csv
check_exit "CSV option 5.0, rep 2.0" 0 pf ingest float.csv
check_eq "option 5, rep 2" "$(q "SELECT r.option || '/' || r.rep FROM response r JOIN source o ON o.id = r.source_id WHERE o.path = 'float.csv'")" "5/2"
printf 'model,instrument,item,option\nm,IPIP-50,E1,4.5\n' >half.csv
check_exit "CSV option 4.5" 1 pf ingest half.csv
check_eq "names the field" "$(head -n 1 "$T/err")" "half.csv:2: expected a whole number, found 4.5 (field option)"
printf 'model,instrument,item,answer\nm,IPIP-50,E1,4.0\nm,IPIP-50,E2,4.5\nm,IPIP-50,12.0,2\n' >answers.csv
check_exit "CSV answers 4.0 and 4.5, item 12.0" 1 pf ingest answers.csv
check_eq "an item id 12.0 is not IPIP-50's (its ids are E1..O10)" "$(head -n 1 "$T/err")" "answers.csv:4: unknown item '12.0' in instrument 'IPIP-50' (field item)"
printf 'model,instrument,item,answer\nm,IPIP-50,E1,4.0\nm,IPIP-50,E2,4.5\nm,BFI-44,12.0,2\n' >answers.csv
check_exit "CSV answers 4.0 and 4.5, BFI-44 item 12.0" 0 pf ingest answers.csv
check_eq "4.0 is option 4, 4.5 unparsed, item 12.0 is item 12" \
    "$(q "SELECT i.code || ':' || coalesce(r.option, '-') || ':' || r.status FROM response r JOIN item i ON i.id = r.item_id JOIN source o ON o.id = r.source_id WHERE o.path = 'answers.csv' ORDER BY r.line")" \
    "E1:4:ok
E2:-:unparsed
12:2:ok"
printf '{"model":"j","instrument":"IPIP-50","item":"E1","option":5.0,"rep":3.0}\n{"model":"j","instrument":"IPIP-50","item":"E2","answer":"5.0"}\n' >float.jsonl
check_exit "JSON number 5.0 and answer text 5.0" 0 pf ingest float.jsonl
check_eq "both option 5" "$(q "SELECT r.option || '/' || r.rep FROM response r JOIN source o ON o.id = r.source_id WHERE o.path = 'float.jsonl' ORDER BY r.line")" "5/3
5/0"
printf '{"model":"j","instrument":"IPIP-50","item":"E1","option":4.5}\n' >half.jsonl
check_exit "JSON 4.5" 1 pf ingest half.jsonl
check_eq "names the field" "$(head -n 1 "$T/err")" "half.jsonl:1: expected a whole number, found 4.5 (field option)"
printf 'id,E1,E2\nr1,5.0,1\nr2,4.5,1\n' >wide.csv
check_exit "wide 5.0 and 4.5" 1 pf ingest --wide --set instrument=IPIP-50 --set model=h wide.csv
check_eq "only 4.5 is bad" "$(cat "$T/err" | head -n 2)" "wide.csv:3: expected an option 1..5, found '4.5' (field E1)
psyfaith: nothing of 'wide.csv' was stored (1 bad line; --skip-bad keeps the good ones)"
check_exit "wide 5.0, --skip-bad" 0 pf ingest --skip-bad --wide --set instrument=IPIP-50 --set model=h wide.csv
check_eq "5.0 stored as 5" "$(items wide.csv | head -n 1)" "E1:5"
printf '{"type":"milgram","model":"g","trait":"AGR","level":"5.0","final_level":3.0,"max_level":30}\n' >milgram.jsonl
check_exit "Milgram level 5.0" 0 pf ingest milgram.jsonl
check_eq "level 5, final level 3" "$(q "SELECT level || '/' || final_level FROM milgram")" "5/3"
printf '{"type":"milgram","model":"g","trait":"AGR","level":"4.5","final_level":3,"max_level":30}\n' >milgram2.jsonl
check_exit "Milgram level 4.5" 1 pf ingest milgram2.jsonl
check_eq "names the field" "$(head -n 1 "$T/err")" "milgram2.jsonl:1: expected min, max or 1..9, found '4.5' (field level)"
finish
