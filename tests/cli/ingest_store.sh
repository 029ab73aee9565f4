# tests/cli/ingest_store.sh -- the store and the ingest paths that work: init and the bundled banks,
# instruments/norms load, re-ingest and --force, the schema-version guard, --db/PSYFAITH_DB/stdin,
# CSV delimiters, foreign logs through --map/--extract/--item-regex/--answers-regex and profiles,
# reverse keying, and the summary.  Stored rows are checked exactly through `psyfaith export`.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
HEADER='model,temperature,persona,rep,instrument,item,dimension,key,answer,option,score,status,source,line,condition'

# --- init: the schema, the five bundled banks and the norms
check_exit "init" 0 pf init
check_grep "init says ready" "psyfaith: store '$DB' is ready" "$T/err"
check_eq "bank sizes" "$(q "SELECT group_concat(name || '=' || (SELECT count(*) FROM item WHERE instrument_id = n.id), ' ')
                            FROM (SELECT * FROM instrument ORDER BY name) n")" \
    "BFI-44=44 IPIP-50=50 IPIP-NEO-120=120 IPIP-NEO-300=300 MPI-120=120 PersonaLLM-BFI=44"
n_norms=$(($(wc -l <"$PSYFAITH_TOP/fixtures/norms/norms.csv") - 1))
check_eq "norms loaded" "$(q "SELECT count(*) FROM norm")" "$n_norms"
check_eq "every norm has its source" "$(q "SELECT count(*) FROM norm WHERE source = ''")" 0
check_eq "schema version" "$(q "PRAGMA user_version")" 4
check_eq "WAL" "$(q "PRAGMA journal_mode")" wal
check_exit "instruments list" 0 pf instruments list
check_file "instruments list output" "$T/out" "instrument	items	options	EXT	AGR	CONS	EMO	OPEN	origin
BFI-44	44	5	8	9	9	8	10	fixtures/banks/bfi-44.csv
IPIP-50	50	5	10	10	10	10	10	fixtures/banks/ipip-50.csv
IPIP-NEO-120	120	5	24	24	24	24	24	fixtures/banks/ipip-neo-120.csv
IPIP-NEO-300	300	5	60	60	60	60	60	fixtures/banks/ipip-neo-300.csv
MPI-120	120	5	24	24	24	24	24	fixtures/banks/mpi-120.csv
PersonaLLM-BFI	44	5	8	9	9	8	10	fixtures/banks/personallm-bfi.csv"
check_eq "IPIP-50 E2 is minus-keyed" "$(q "SELECT dimension || key FROM item WHERE code = 'E2' AND instrument_id = (SELECT id FROM instrument WHERE name = 'IPIP-50')")" "EXT-1"
check_exit "init again is harmless" 0 pf init --quiet
check_eq "init again adds nothing" "$(q "SELECT (SELECT count(*) FROM item) || ' ' || (SELECT count(*) FROM norm)")" "678 $n_norms"
check_exit "norms list" 0 pf norms list
check_grep "norms list: empty mean stays empty" "BF-marker-100	EXT	human sample reported in RealBehavior Table 2				0.91	" "$T/out"

# --- instruments load / norms load
cat >mini.csv <<'EOF'
instrument,item,dimension,key,text
MINI,m1,extraversion,+,I am the life of the party.
MINI,m2,N,+,I get stressed out easily.
MINI,m3,AGR,-,"I insult people, sometimes."
EOF
check_exit "instruments load" 0 pf instruments load mini.csv
check_grep "instruments load note" "psyfaith: mini.csv: 3 items added" "$T/err"
check_eq "MINI items" "$(q "SELECT group_concat(code || ':' || position || ':' || dimension || ':' || key || ':' || text, '|')
                           FROM (SELECT * FROM item WHERE instrument_id = (SELECT id FROM instrument WHERE name = 'MINI')
                                 ORDER BY position)")" \
    "m1:1:EXT:1:I am the life of the party.|m2:2:EMO:-1:I get stressed out easily.|m3:3:AGR:-1:I insult people, sometimes."
check_exit "instruments load again" 0 pf instruments load mini.csv
check_grep "load again adds nothing" "psyfaith: mini.csv: 0 items added (the others were loaded already)" "$T/err"
items_before=$(q "SELECT count(*) FROM item")
printf 'instrument,item,dimension,key,text\nBAD,b1,EXT,+,Fine item\nBAD,b2,EXT,?,Bad key\n' >bad-key.csv
check_exit "bad key" 1 pf instruments load bad-key.csv
check_file "bad key message" "$T/err" "bad-key.csv:3: key must be + or -, found '?' (field key)"
printf 'instrument,item,key,text\nBAD,b1,+,No dimension column\n' >no-dimension.csv
check_exit "missing column" 1 pf instruments load no-dimension.csv
check_file "missing column message" "$T/err" "no-dimension.csv:1: missing column 'dimension' in the header"
printf 'instrument,item,dimension,key,text\nBAD,b1,EXT,+,Fine item\nBAD,b2,humour,+,Funny\n' >bad-dimension.csv
check_exit "unknown dimension" 1 pf instruments load bad-dimension.csv
check_file "unknown dimension message" "$T/err" "bad-dimension.csv:3: unknown dimension 'humour' (field dimension)"
printf 'instrument,item,dimension,key,text\nMINI,m1,EXT,-,I am the life of the party.\n' >changed.csv
check_exit "changed item" 1 pf instruments load changed.csv
check_file "changed item message" "$T/err" "changed.csv:2: item 'm1' of 'MINI' is already loaded with another dimension, key or text"
check_exit "instruments load of a missing file" 1 pf instruments load nothing-here.csv
check_file "missing file message" "$T/err" "psyfaith: error: cannot open 'nothing-here.csv': No such file or directory"
check_eq "failed loads added nothing" "$(q "SELECT count(*) FROM item")" "$items_before"
check_eq "no BAD instrument" "$(q "SELECT count(*) FROM instrument WHERE name = 'BAD'")" 0

cat >norms.csv <<'EOF'
instrument,dimension,population,n,mean,sd,alpha,source
MINI,EXT,students,120,3.5,0.75,0.81,"made up for a test, 2024"
MINI,neuroticism,students,120,2.9,0.8,,made up
EOF
check_exit "norms load: neuroticism is refused" 1 pf norms load norms.csv
check_file "norms neuroticism message" "$T/err" \
    "norms.csv:3: unknown dimension 'neuroticism' (field dimension; norms use EXT AGR CONS EMO OPEN)"
check_eq "norms load is one transaction" "$(q "SELECT count(*) FROM norm WHERE instrument = 'MINI'")" 0
printf 'instrument,dimension,population,n,mean,sd,alpha,source\nMINI,EXT,students,120,3.5,0.75,0.81,"made up for a test, 2024"\nMINI,EMO,students,,3.1,,,made up\n' >norms.csv
check_exit "norms load" 0 pf norms load norms.csv
check_grep "norms load note" "psyfaith: norms.csv: 2 norms loaded" "$T/err"
check_eq "norm rows" "$(q "SELECT group_concat(dimension || ':' || coalesce(n, '-') || ':' || mean || ':' || coalesce(sd, '-') || ':' || coalesce(alpha, '-') || ':' || source, '|') FROM (SELECT * FROM norm WHERE instrument = 'MINI' ORDER BY id)")" \
    "EXT:120:3.5:0.75:0.81:made up for a test, 2024|EMO:-:3.1:-:-:made up"
pf norms list >"$T/norms.txt"
check_grep "norms list of the new rows" "MINI	EMO	students		3.100			made up" "$T/norms.txt"
printf 'instrument,dimension,population,n,mean,sd,alpha\nMINI,EXT,x,1,3,1,0.5\n' >norms-no-source.csv
check_exit "norms without source column" 1 pf norms load norms-no-source.csv
check_file "norms missing column message" "$T/err" "norms-no-source.csv:1: missing column 'source' in the header"
printf 'instrument,dimension,population,n,mean,sd,alpha,source\nMINI,EXT,x,1,3,-1,0.5,s\n' >norms-sd.csv
check_exit "norms with a negative sd" 1 pf norms load norms-sd.csv
check_file "norms sd message" "$T/err" "norms-sd.csv:2: -1 is out of range 1e-12..1e+06 (field sd)"
printf 'instrument,dimension,population,n,mean,sd,alpha,source\nMINI,EXT,x,1,three,1,0.5,s\n' >norms-mean.csv
check_exit "norms with a word for a mean" 1 pf norms load norms-mean.csv
check_file "norms mean message" "$T/err" "norms-mean.csv:2: not a number: 'three' (field mean)"

# --- ingest, the summary, reverse keying, neuroticism
cat >study.jsonl <<'EOF'
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","rep":1,"run":"r1","instrument":"IPIP-50","item":"E1","answer":"D) Moderately Accurate."}
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","rep":1,"run":"r1","instrument":"IPIP-50","item":"E2","option":5}
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","rep":1,"instrument":"IPIP-50","item":"E3","answer":"(A)","option_order":"descending"}
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","instrument":"IPIP-50","item_text":"You often feel blue","answer":"[2] Moderately Inaccurate."}
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","instrument":"MINI","item":"m2","answer":"very accurate"}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A1","answer":"(A) or (C)"}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A2","answer":"I'm an AI and cannot answer that."}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A3","answer":"banana"}
{"model":"gpt-4","temperature":0.7,"instrument":"BFI-44","item":2,"answer":"4"}
{"type":"behavior","model":"gpt-4","temperature":0.7,"dimension":"N","occasion":"exam","text":"I would worry a lot."}
{"type":"labeled_behavior","dimension":"neuroticism","occasion":"exam","label":"y","text":"I panic before every exam."}
{"type":"labeled_behavior","dimension":"neuroticism","label":"no","text":"I stay calm."}
{"type":"labeled_behavior","dimension":"Agreeableness","label":true,"text":"I help my neighbours."}
{"type":"ultimatum","model":"gpt-4","persona":"baseline","offer":2,"answer":"I would not accept."}
{"type":"milgram","model":"gpt-4","persona":"baseline","final_level":12,"max_level":30}
EOF
check_exit "ingest study.jsonl" 0 pf ingest study.jsonl
check_file "summary" "$T/err" "psyfaith: ingested 1 file: 9 responses, 1 behavior, 3 labeled behaviors, 1 ultimatum trial, 1 milgram run
psyfaith: responses: 6 ok, 1 ambiguous, 1 refusal, 1 unparsed
psyfaith: ultimatum decisions: 1 ok, 0 ambiguous, 0 refusal, 0 unparsed"
pf export responses >"$T/responses.csv"
check_file "responses, exactly" "$T/responses.csv" "$HEADER
gpt-4,0.7,agreeableness=9,1,IPIP-50,E1,EXT,+,D) Moderately Accurate.,4,4,ok,study.jsonl,1,
gpt-4,0.7,agreeableness=9,1,IPIP-50,E2,EXT,-,,5,1,ok,study.jsonl,2,
gpt-4,0.7,agreeableness=9,1,IPIP-50,E3,EXT,+,(A),5,5,ok,study.jsonl,3,
gpt-4,0.7,agreeableness=9,0,IPIP-50,N10,EMO,-,[2] Moderately Inaccurate.,2,4,ok,study.jsonl,4,
gpt-4,0.7,agreeableness=9,0,MINI,m2,EMO,-,very accurate,5,1,ok,study.jsonl,5,
gpt-4,0.7,,0,IPIP-50,A1,AGR,-,(A) or (C),,,ambiguous,study.jsonl,6,
gpt-4,0.7,,0,IPIP-50,A2,AGR,+,I'm an AI and cannot answer that.,,,refusal,study.jsonl,7,
gpt-4,0.7,,0,IPIP-50,A3,AGR,-,banana,,,unparsed,study.jsonl,8,
gpt-4,0.7,,0,BFI-44,2,AGR,-,4,4,2,ok,study.jsonl,9,"
pf export labeled_behaviors >"$T/labeled.csv"
check_file "neuroticism labels flip into EMO" "$T/labeled.csv" "dimension,occasion,label,text,source,line
EMO,exam,n,I panic before every exam.,study.jsonl,11
EMO,,y,I stay calm.,study.jsonl,12
AGR,,y,I help my neighbours.,study.jsonl,13"
check_eq "behaviour N is EMO" "$(q "SELECT dimension FROM behavior")" EMO
check_eq "persona trait and level" "$(q "SELECT persona_trait || '=' || persona_level FROM subject WHERE persona = 'agreeableness=9'")" "AGR=9.0"
check_eq "subjects" "$(q "SELECT count(*) FROM subject")" 3
check_eq "source row" "$(q "SELECT path || ' ' || format || ' ' || lines || ' ' || records || ' ' || length(sha256) FROM source")" \
    "study.jsonl jsonl 15 15 64"
check_eq "sha256 of the content" "$(q "SELECT sha256 FROM source")" "$(sha256sum <study.jsonl | cut -d' ' -f1)"

# --- re-ingest is skipped; --force replaces
counts() { q "SELECT (SELECT count(*) FROM response) || ' ' || (SELECT count(*) FROM labeled_behavior) || ' ' || (SELECT count(*) FROM source)"; }
before=$(counts)
check_exit "re-ingest" 0 pf ingest study.jsonl
check_file "re-ingest message" "$T/err" "psyfaith: skipped 'study.jsonl': the same content was ingested before with the same mapping, as source 1 (--force replaces it)
psyfaith: ingested 0 files: no records"
check_eq "re-ingest adds nothing" "$(counts)" "$before"
cp study.jsonl copy.jsonl
check_exit "same content, other name" 0 pf ingest copy.jsonl
check_grep "copy skipped" "psyfaith: skipped 'copy.jsonl': the same content was ingested before with the same mapping, as source 1" "$T/err"
check_eq "copy adds nothing" "$(counts)" "$before"
check_exit "--force" 0 pf ingest --force copy.jsonl
check_grep "--force note" "psyfaith: replaced source 1 with 'copy.jsonl' (--force)" "$T/err"
check_eq "--force keeps counts" "$(counts)" "$before"
check_eq "--force: new source id and path" "$(q "SELECT group_concat(id || ':' || path) FROM source")" "2:copy.jsonl"
check_eq "--force: rows point at the new source" "$(q "SELECT group_concat(DISTINCT source_id) FROM response")" 2
check_eq "--force: integrity" "$(q "PRAGMA foreign_key_check")" ""
printf '\n' >>copy.jsonl
check_exit "changed content is new" 0 pf ingest copy.jsonl
check_eq "changed content is ingested" "$(q "SELECT count(*) FROM response")" 18

# --- a newer store is refused and left alone
cp "$DB" future.db
q -db future.db "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA user_version = 99" >/dev/null
sum_before=$(cksum <future.db)
msg="psyfaith: error: store 'future.db' has schema version 99, newer than this psyfaith (4): upgrade psyfaith"
check_exit "newer store: ingest" 1 "$PSYFAITH" ingest --db future.db study.jsonl
check_file "newer store message" "$T/err" "$msg"
check_exit "newer store: export" 1 "$PSYFAITH" export --db future.db responses
check_file "newer store message (export)" "$T/err" "$msg"
check_exit "newer store: init" 1 "$PSYFAITH" init --db future.db
check_eq "newer store untouched" "$(cksum <future.db)" "$sum_before"
check_eq "newer store keeps its version" "$(q -db future.db "PRAGMA user_version")" 99
echo 'not a database at all, just text long enough to be read as a header.............' >junk.db
check_exit "not a store" 1 "$PSYFAITH" ingest --db junk.db study.jsonl
check_grep "not a store message" "psyfaith: error: 'junk.db' is not a psyfaith store" "$T/err"
check_exit "no store" 1 "$PSYFAITH" ingest --db absent.db study.jsonl
check_file "no store message" "$T/err" "psyfaith: error: no store at 'absent.db' (run 'psyfaith init' first, or give --db FILE)"
check_eq "no store is not created" "$(ls absent.db 2>/dev/null)" ""

# --- --db, PSYFAITH_DB, the default psyfaith.db, stdin
printf '{"model":"where","instrument":"IPIP-50","item":"E1","option":3}\n' >where.jsonl
mkdir cwd && (cd cwd && "$PSYFAITH" init --quiet && "$PSYFAITH" ingest --quiet ../where.jsonl) >/dev/null 2>&1
check_eq "default store in the working directory" "$(q -db cwd/psyfaith.db "SELECT count(*) FROM response")" 1
PSYFAITH_DB=$T/env.db "$PSYFAITH" init --quiet
check_exit "PSYFAITH_DB" 0 env PSYFAITH_DB="$T/env.db" "$PSYFAITH" ingest --quiet where.jsonl
check_eq "PSYFAITH_DB store" "$(q -db env.db "SELECT count(*) FROM response")" 1
check_exit "--db wins over PSYFAITH_DB" 0 env PSYFAITH_DB="$T/env.db" "$PSYFAITH" ingest --quiet --db "$DB" where.jsonl
check_eq "--db store got it" "$(q "SELECT count(*) FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'where'")" 1
check_eq "PSYFAITH_DB store did not" "$(q -db env.db "SELECT count(*) FROM response")" 1
check_exit "stdin JSONL" 0 sh -c 'printf "%s\n" "{\"model\":\"stdin\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"answer\":\"(B)\"}" | "$PSYFAITH" ingest --db "$1" -' sh "$DB"
check_exit "stdin CSV" 0 sh -c 'printf "model;instrument;item;answer\nstdin;IPIP-50;E2;(C)\n" | "$PSYFAITH" ingest --db "$1" --format csv -' sh "$DB"
check_eq "stdin rows" "$(q "SELECT group_concat(src.path || ':' || i.code || ':' || r.option) FROM response r JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id JOIN source src ON src.id = r.source_id WHERE s.model = 'stdin'")" \
    "-:E1:2,-:E2:3"

# --- CSV delimiters: sniffed , ; TAB |, .tsv, and --delimiter
printf 'model;temperature;instrument;item;answer\nsemi;0.5;IPIP-50;E1;(D)\nsemi;0.5;IPIP-50;E2;"(B); a quoted delimiter"\n' >semi.csv
printf 'model\ttemperature\tinstrument\titem\tanswer\ntab,x;y\t0.5\tIPIP-50\tE1\t(D)\n' >tab.txt
printf 'model\tinstrument\titem\toption\ntsv\tIPIP-50\tE3\t2\n' >data.tsv
printf 'model|instrument|item|option\npipe;x|IPIP-50|E3|2\n' >pipe.csv
printf 'model,instrument,item,option\n"forced;a;b;c",IPIP-50,E4,1\n' >forced.csv
printf 'model:instrument:item:option\ncolon:IPIP-50:E5:5\n' >colon.dat
for f in semi.csv tab.txt data.tsv pipe.csv; do check_exit "sniffed $f" 0 pf ingest --quiet "$f"; done
check_exit "--delimiter ," 0 pf ingest --quiet --delimiter , forced.csv
check_exit "--delimiter :" 0 pf ingest --quiet --format csv --delimiter : colon.dat
# the same file with another option (--delimiter tab) is another mapping, so another source: --force
# replaces only a source with the same mapping, and the sniffed one stays
check_exit "--delimiter tab" 0 pf ingest --quiet --delimiter tab --force data.tsv
check_exit "bad --delimiter" 2 pf ingest --delimiter ';;' semi.csv
check_file "bad --delimiter message" "$T/err" "psyfaith: error: --delimiter: the delimiter must be one character or 'tab', got ';;'"
pf export responses | grep -E ',(semi|tsv|colon)\.|,(data\.tsv|tab\.txt|pipe\.csv|forced\.csv|colon\.dat),' >"$T/delims.csv"
check_file "delimited rows" "$T/delims.csv" "semi,0.5,,0,IPIP-50,E1,EXT,+,(D),4,4,ok,semi.csv,2,
semi,0.5,,0,IPIP-50,E2,EXT,-,(B); a quoted delimiter,2,4,ok,semi.csv,3,
\"tab,x;y\",0.5,,0,IPIP-50,E1,EXT,+,(D),4,4,ok,tab.txt,2,
tsv,,,0,IPIP-50,E3,EXT,+,,2,2,ok,data.tsv,2,
pipe;x,,,0,IPIP-50,E3,EXT,+,,2,2,ok,pipe.csv,2,
forced;a;b;c,,,0,IPIP-50,E4,EXT,-,,1,5,ok,forced.csv,2,
colon,,,0,IPIP-50,E5,EXT,+,,5,5,ok,colon.dat,2,
tsv,,,0,IPIP-50,E3,EXT,+,,2,2,ok,data.tsv,2,"

# --- foreign logs: OpenAI batch output through JSON Pointers and --extract
cat >batch.jsonl <<'EOF'
{"id":"batch_req_1","custom_id":"m=gpt-4;t=0.7;item=E1","response":{"status_code":200,"body":{"choices":[{"index":0,"message":{"role":"assistant","content":"(D)"}}]}},"error":null}
{"id":"batch_req_2","custom_id":"m=gpt-4;t=0.7;item=E2","response":{"status_code":200,"body":{"choices":[{"index":0,"message":{"role":"assistant","content":"E) Very Accurate"}}]}},"error":null}
{"id":"batch_req_3","custom_id":"m=gpt-4;t=0;item=A10","response":{"status_code":200,"body":{"choices":[{"index":0,"message":{"role":"assistant","content":"As an AI language model, I cannot rate myself."}}]}},"error":null}
EOF
BATCH_ROWS="gpt-4,0.7,,0,IPIP-50,E1,EXT,+,(D),4,4,ok,batch.jsonl,1,
gpt-4,0.7,,0,IPIP-50,E2,EXT,-,E) Very Accurate,5,1,ok,batch.jsonl,2,
gpt-4,0,,0,IPIP-50,A10,AGR,+,\"As an AI language model, I cannot rate myself.\",,,refusal,batch.jsonl,3,"
mkdir map1 map2
(cd map1 && "$PSYFAITH" init --quiet --db m.db &&
 "$PSYFAITH" ingest --db m.db --map answer=/response/body/choices/0/message/content \
    --extract 'temperature=/custom_id~t=([0-9.]+)' --extract 'item=/custom_id~item=(\w+)' \
    --set model=gpt-4 --set instrument=IPIP-50 --save-profile ../batch.profile ../batch.jsonl) >"$T/out" 2>"$T/err"
check_eq "--map ingest exit" $? 0
check_grep "--save-profile note" "psyfaith: profile written to '../batch.profile'" "$T/err"
check_file "saved profile" batch.profile "# psyfaith ingest profile
map answer=/response/body/choices/0/message/content
extract temperature=/custom_id~t=([0-9.]+)
extract item=/custom_id~item=(\w+)
set model=gpt-4
set instrument=IPIP-50"
"$PSYFAITH" export --db map1/m.db responses | sed 's#\.\./batch#batch#' >"$T/map1.csv"
check_file "--map rows" "$T/map1.csv" "$HEADER
$BATCH_ROWS"
(cd map2 && "$PSYFAITH" init --quiet --db m.db && "$PSYFAITH" ingest --quiet --db m.db --profile ../batch.profile ../batch.jsonl)
"$PSYFAITH" export --db map2/m.db responses | sed 's#\.\./batch#batch#' >"$T/map2.csv"
check_file "--profile gives the same rows" "$T/map2.csv" "$(cat "$T/map1.csv")"
check_eq "source keeps the mapping, as canonical text (fields in a fixed order)" "$(q -db map2/m.db "SELECT mapping FROM source")" \
    "set model=gpt-4
extract temperature=/custom_id~t=([0-9.]+)
set instrument=IPIP-50
extract item=/custom_id~item=(\w+)
map answer=/response/body/choices/0/message/content"
printf 'set model=x\nmap nonsense\n' >broken.profile
check_exit "broken profile" 2 pf ingest --profile broken.profile batch.jsonl
check_file "broken profile message" "$T/err" "psyfaith: error: broken.profile:2: expected FIELD=VALUE, got 'nonsense'"
check_exit "unknown --map field" 2 pf ingest --map colour=/x batch.jsonl
check_grep "unknown field message" "psyfaith: error: --map: unknown field 'colour'" "$T/err"
check_exit "bad regex" 2 pf ingest --extract 'item=/custom_id~item=(\w+' batch.jsonl
check_grep "bad regex message" "psyfaith: error: --extract: bad regular expression at offset" "$T/err"

# a JSON document whose records sit in an array
printf '{"meta":{"n":2},"messages":[\n {"model":"doc","instrument":"IPIP-50","item":"C1","answer":"(E)"},\n {"model":"doc","instrument":"IPIP-50","item":"C2","answer":"(A)"}\n]}\n' >doc.json
check_exit "--records" 0 pf ingest --quiet --records /messages doc.json
check_eq "--records rows" "$(q "SELECT group_concat(i.code || '=' || r.option || '/' || r.score || '@' || r.line) FROM response r JOIN item i ON i.id = r.item_id JOIN subject s ON s.id = r.subject_id WHERE s.model = 'doc'")" \
    "C1=5/5@1,C2=1/5@2"

# --item-regex: the item text recovered from the prompt (ChatGPT-Behavioral style)
cat >prompts.jsonl <<'EOF'
{"model":"chat","temperature":1,"prompt":"Given a statement of you: \"You often feel blue.\" Please choose from the following options","answer":"[2] Moderately Inaccurate."}
{"model":"chat","temperature":1,"prompt":"Given a statement of you: \"You Have a RICH vocabulary!\" Please choose","answer":"[5] Very Accurate"}
EOF
check_exit "--item-regex" 0 pf ingest --set instrument=IPIP-50 --item-regex 'statement of you: "(.*?)"' prompts.jsonl
check_eq "--item-regex rows" "$(pf export responses | grep ',prompts.jsonl,')" \
    "chat,1,,0,IPIP-50,N10,EMO,-,[2] Moderately Inaccurate.,2,4,ok,prompts.jsonl,1,
chat,1,,0,IPIP-50,O1,OPEN,+,[5] Very Accurate,5,5,ok,prompts.jsonl,2,"
printf '{"model":"chat","prompt":"Given a statement of you: \\"I juggle knives.\\" Please","answer":"(C)"}\n' >unmatched.jsonl
check_exit "--item-regex, unknown text" 1 pf ingest --set instrument=IPIP-50 --item-regex 'statement of you: "(.*?)"' unmatched.jsonl
check_eq "unknown text message" "$(head -n 1 "$T/err")" "unmatched.jsonl:1: no item of 'IPIP-50' has the text 'I juggle knives.' (field item_text)"

# --answers-regex: PersonaLLM's many answers in one string, labelled a..z, aa..ar
cat >personallm.jsonl <<'EOF'
{"model":"gpt-3.5","persona":"extroverted","run":"r1","answer":"(a) 5\n(b) 2\n(c) 4\n(aa) 3\n(ar) 1"}
EOF
check_exit "--answers-regex" 0 pf ingest --set instrument=PersonaLLM-BFI --answers-regex '\(([a-z]+)\) (\d)' personallm.jsonl
check_grep "--answers-regex summary" "psyfaith: ingested 1 file: 5 responses" "$T/err"
check_eq "--answers-regex rows" "$(pf export responses | grep ',personallm.jsonl,')" \
    "gpt-3.5,,extroverted,0,PersonaLLM-BFI,1,EXT,+,5,5,5,ok,personallm.jsonl,1,
gpt-3.5,,extroverted,0,PersonaLLM-BFI,2,AGR,-,2,2,4,ok,personallm.jsonl,1,
gpt-3.5,,extroverted,0,PersonaLLM-BFI,3,CONS,+,4,4,4,ok,personallm.jsonl,1,
gpt-3.5,,extroverted,0,PersonaLLM-BFI,27,AGR,-,3,3,3,ok,personallm.jsonl,1,
gpt-3.5,,extroverted,0,PersonaLLM-BFI,44,OPEN,+,1,1,1,ok,personallm.jsonl,1,"
check_eq "--answers-regex run kept" "$(q "SELECT group_concat(DISTINCT run) FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.persona = 'extroverted'")" r1
printf '{"model":"gpt-3.5","persona":"p","answer":"(a) 5\\n(zz) 2"}\n' >bad-label.jsonl
check_exit "--answers-regex, unknown label" 1 pf ingest --set instrument=PersonaLLM-BFI --answers-regex '\(([a-z]+)\) (\d)' bad-label.jsonl
check_eq "unknown label message" "$(head -n 1 "$T/err")" "bad-label.jsonl:1: no item 'zz' in this instrument (field answer)"
# PsychoBench style "1: 4" with named groups, from a CSV column
printf 'model,reply\nbench,"1: 4\n2: 3\n3: 5"\n' >bench.csv
check_exit "--answers-regex, named groups, CSV" 0 pf ingest --set instrument=BFI-44 --map answer=reply --answers-regex '(?<item>\d+): (?<answer>\d)' bench.csv
check_eq "named groups rows" "$(q "SELECT group_concat(i.code || '=' || r.option || '/' || r.score) FROM response r JOIN item i ON i.id = r.item_id JOIN subject s ON s.id = r.subject_id WHERE s.model = 'bench'")" \
    "1=4/4,2=3/3,3=5/5"

# a jq prefilter named in a profile, relative to the profile
mkdir prof
printf '.items[] | {model: .m, instrument: "IPIP-50", item: .i, answer: .a}\n' >prof/flatten.jq
printf '# nested records\njq flatten.jq\n' >prof/nested.profile
printf '{"items":[{"m":"jq","i":"E1","a":"(D)"},{"m":"jq","i":"E2","a":"(A)"}]}\n' >nested.jsonl
if command -v jq >/dev/null 2>&1; then
    check_exit "jq prefilter" 0 pf ingest --quiet --profile prof/nested.profile nested.jsonl
    check_eq "jq rows" "$(q "SELECT group_concat(i.code || '=' || r.option) FROM response r JOIN item i ON i.id = r.item_id JOIN subject s ON s.id = r.subject_id WHERE s.model = 'jq'")" "E1=4,E2=1"
    check_eq "jq: hash of the file itself" "$(q "SELECT sha256 FROM source WHERE path = 'nested.jsonl'")" "$(sha256sum <nested.jsonl | cut -d' ' -f1)"
else
    echo "ingest_store.sh: jq not installed, prefilter not tested" >&2
fi

finish
