# tests/cli/order_ingest.sh -- the presented options of a response (issue 14 part 1): `options` (a
# JSON array of labels in presented order, or a text "E|D|C|B|A") and `label_style`; answers parsed
# against the labels; the stored option_order and presented permutation; bad lines.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }
wipe() { q "DELETE FROM reject; DELETE FROM response; DELETE FROM subject; DELETE FROM source"; }
stored() { q "SELECT group_concat(item || ':' || status || ':' || coalesce(option, '') || ':' || option_order || ':' ||
                                  coalesce(presented, '-'), ' ') FROM (SELECT i.code AS item, r.* FROM response r
                                  JOIN item i ON i.id = r.item_id ORDER BY r.line)"; }

# letters as position markers (option_order only): A = the first shown = the highest under descending
cat >pos.jsonl <<'J'
{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","option_order":"descending"}
{"model":"m","instrument":"IPIP-50","item":"E2","answer":"A","option_order":"ascending"}
{"model":"m","instrument":"IPIP-50","item":"E3","answer":"2","option_order":"descending"}
{"model":"m","instrument":"IPIP-50","item":"E4","answer":"Strongly agree","option_order":"descending"}
J
check_exit "ingest positions" 0 pf ingest pos.jsonl
check_eq "positions: letters and digits name the presented position, words keep their meaning" "$(stored)" \
    "E1:ok:5:descending:- E2:ok:1:ascending:- E3:ok:4:descending:- E4:ok:5:descending:-"
wipe

# options as labels: letter labels name themselves, digits then name positions; word labels make
# letters and digits positions; a shuffled order is stored as its permutation
cat >labels.jsonl <<'J'
{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","D","C","B","A"]}
{"model":"m","instrument":"IPIP-50","item":"E2","answer":"1","options":["E","D","C","B","A"]}
{"model":"m","instrument":"IPIP-50","item":"E3","answer":"A","options":["Strongly agree","Agree a little","Neutral","Disagree a little","Strongly disagree"],"label_style":"words"}
{"model":"m","instrument":"IPIP-50","item":"E4","answer":"B","options":["C","A","B","E","D"]}
{"model":"m","instrument":"IPIP-50","item":"E5","answer":"(2)","options":"C|A|B|E|D"}
{"model":"m","instrument":"IPIP-50","item":"E6","answer":"4","options":[5,4,3,2,1],"label_style":"numbers"}
{"model":"m","instrument":"IPIP-50","item":"E7","answer":"B","options":[5,4,3,2,1]}
{"model":"m","instrument":"IPIP-50","item":"E8","answer":"C","options":["A","B","C","D","E"],"option_order":"ascending"}
{"model":"m","instrument":"IPIP-50","item":"E9","answer":"Agree a little","options":["Disagree strongly","Neutral","Agree strongly","Disagree a little","Agree a little"]}
J
check_exit "ingest labels" 0 pf ingest labels.jsonl
check_eq "labels" "$(stored)" \
    "E1:ok:1:descending:- E2:ok:5:descending:- E3:ok:5:descending:- E4:ok:2:ascending:3,1,2,5,4 E5:ok:1:ascending:3,1,2,5,4 E6:ok:4:descending:- E7:ok:4:descending:- E8:ok:3:ascending:- E9:ok:4:ascending:1,3,5,2,4"
# export JSONL carries the permutation as `options`, and ingesting the export gives the same rows
check_exit "export responses jsonl" 0 pf export responses --format jsonl
cp "$T/out" exported.jsonl
check_grep "export: options of the shuffled response" '"options":"3|1|2|5|4"' exported.jsonl
"$PSYFAITH" init --db "$T/re.db" --quiet
check_exit "re-ingest the export" 0 "$PSYFAITH" ingest --db "$T/re.db" exported.jsonl
check_eq "round trip" "$(q -db "$T/re.db" "SELECT group_concat(option || ':' || option_order || ':' || coalesce(presented, '-'), ' ') FROM (SELECT * FROM response ORDER BY id)")" \
    "$(q "SELECT group_concat(option || ':' || option_order || ':' || coalesce(presented, '-'), ' ') FROM (SELECT * FROM response ORDER BY id)")"
wipe

# bad lines name file, line and field; nothing is stored from the file
bad() {  # NAME JSON MESSAGE
    printf '%s\n' "$2" >bad.jsonl
    check_exit "$1: exit 1" 1 pf ingest bad.jsonl
    check_eq "$1: message" "$(head -n 1 "$T/err")" "$3"
    check_eq "$1: nothing stored" "$(q "SELECT count(*) FROM response")" 0
}
bad "too few labels" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","D","C","B"]}' \
    "bad.jsonl:1: 4 labels for an item of 5 options (field options)"
bad "a label twice" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","D","D","B","A"]}' \
    "bad.jsonl:1: option 4 is named twice (label 'D') (field options)"
bad "unknown word" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["Yes","D","C","B","A"]}' \
    "bad.jsonl:1: label 'Yes' names no option of 5 (a scale label of 5 options) (field options)"
bad "mixed kinds" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","4","C","B","A"]}' \
    "bad.jsonl:1: label '4' is not of the same kind as the first one (field options)"
bad "style mismatch" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","D","C","B","A"],"label_style":"numbers"}' \
    "bad.jsonl:1: label 'E' names no option of 5 (a scale label of 5 options) (field options)"
bad "bad style" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","label_style":"roman"}' \
    "bad.jsonl:1: expected 'numbers', 'letters' or 'words', found 'roman' (field label_style)"
bad "order contradicts" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["A","B","C","D","E"],"option_order":"descending"}' \
    "bad.jsonl:1: the labels are not in the descending order that option_order says (field options)"
bad "not an array" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":{"a":1}}' \
    "bad.jsonl:1: expected an array of option labels (or a text \"A|B|C\"), found an object (field options)"
bad "label not text" '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E",null,"C","B","A"]}' \
    "bad.jsonl:1: label 2 is not a string (field options)"

# CSV: options as a '|' text through --map
printf 'model,item,answer,opts\nm,E1,A,E|D|C|B|A\nm,E2,B,C|A|B|E|D\n' >o.csv
check_exit "csv options" 0 pf ingest --set instrument=IPIP-50 --map options=opts o.csv
check_eq "csv options stored" "$(stored)" "E1:ok:1:descending:- E2:ok:2:ascending:3,1,2,5,4"
wipe

# a constant presentation (--set) for every record, and a multi-answer string read against it: letter
# labels name themselves (a = item 1 of PersonaLLM-BFI answers "A" = option 1), digits name positions
printf '{"model":"m","answer":"(a) A\\n(b) 2\\n(c) E"}\n' >multi.jsonl
check_exit "--set options with --answers-regex" 0 pf ingest --set instrument=PersonaLLM-BFI --set "options=E|D|C|B|A" \
    --answers-regex '\(([a-z]+)\) ([A-E0-9])' multi.jsonl
check_eq "multi-answer against the labels" "$(q "SELECT group_concat(option || ':' || option_order, ' ') FROM (SELECT * FROM response ORDER BY id)")" \
    "1:descending 4:descending 5:descending"
wipe
# label_style alone is checked and stored nowhere: the answer reads as before
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"B","label_style":"letters","option_order":"descending"}\n' >ls.jsonl
check_exit "label_style without options" 0 pf ingest ls.jsonl
check_eq "label_style without options: position" "$(stored)" "E1:ok:4:descending:-"
finish
