# tests/cli/conditions.sh -- experimental conditions (issue 13 part 1): the upgrade of a version-1
# store to the subject key (model, temperature, persona, condition), the condition field on every
# record type, subjects told apart by condition, and the condition in metrics/scores/audit rows.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
D="$PSYFAITH_TOP/tests/cli/data"

# ---------------------------------------------------------------- upgrade of a version-1 store
# A store made by the version-1 schema, with two subjects, one response each and a source.
v1() {
    rm -f "$1" "$1-wal" "$1-shm"
    q -db "$1" ".read $D/schema-v1.sql" >/dev/null
    q -db "$1" "PRAGMA journal_mode = WAL; PRAGMA user_version = 1; PRAGMA application_id = 1347634772;
                INSERT INTO source(id, path, sha256, format) VALUES (1, 'old.jsonl', 'abc', 'jsonl');
                INSERT INTO instrument(id, name) VALUES (1, 'OLD');
                INSERT INTO item(id, instrument_id, code, position, dimension, key, text, norm_text)
                    VALUES (1, 1, 'o1', 1, 'EXT', 1, 'I talk.', 'talk');
                INSERT INTO subject(id, model, temperature, persona) VALUES (1, 'm', 0.5, NULL), (2, 'm', NULL, 'AGR=9');
                INSERT INTO response(subject_id, item_id, option, score, status, source_id, line)
                    VALUES (1, 1, 4, 4, 'ok', 1, 1), (2, 1, 2, 2, 'ok', 1, 2);" >/dev/null
}
v1 old.db
check_exit "v1 store: a read command upgrades it" 0 "$PSYFAITH" export --db old.db responses
check_eq "v1 store: version 4" "$(q -db old.db "PRAGMA user_version")" 4
check_eq "v1 store: rows kept, condition NULL" "$(q -db old.db "SELECT group_concat(id || ':' || model || ':' || coalesce(persona, '-') || ':' || coalesce(condition, 'NULL'), ' ') FROM subject")" \
    "1:m:-:NULL 2:m:AGR=9:NULL"
check_eq "v1 store: condition is the last column" "$(q -db old.db "SELECT name FROM pragma_table_info('subject') ORDER BY cid DESC LIMIT 1")" condition
check_grep "v1 store: the key includes condition" "coalesce(condition, x'00')" "$(q -db old.db "SELECT sql FROM sqlite_master WHERE name = 'subject_key'" >key.sql; echo key.sql)"
check_eq "v1 store: responses kept" "$(q -db old.db "SELECT count(*) FROM response")" 2
check_eq "v1 store: integrity" "$(q -db old.db "PRAGMA integrity_check; PRAGMA foreign_key_check")" ok
check_fails "v1 store: same subject twice still refused" q -db old.db "INSERT INTO subject(model, temperature) VALUES ('m', 0.5)"
check_exit "v1 store: same subject with a condition is another" 0 q -db old.db "INSERT INTO subject(model, temperature, condition) VALUES ('m', 0.5, 'x')"
check_fails "v1 store: empty condition refused" q -db old.db "INSERT INTO subject(model, condition) VALUES ('m', '')"
# the source table is rebuilt with UNIQUE(sha256, mapping): ids, rows and references kept, the old
# mapping behind the 'legacy v1: ' marker, and foreign keys back on (a DROP with them on would have
# cascaded into the responses)
check_eq "v1 store: source rebuilt, key (sha256, mapping)" "$(q -db old.db "SELECT sql FROM sqlite_master WHERE name = 'source'" | grep -c 'UNIQUE (sha256, mapping)')" 1
check_eq "v1 store: source row kept with a legacy mapping" "$(q -db old.db "SELECT id || ':' || path || ':' || mapping FROM source")" "1:old.jsonl:legacy v1: "
check_eq "v1 store: no table left behind" "$(q -db old.db "SELECT count(*) FROM sqlite_master WHERE name LIKE 'source_v%'")" 0
check_eq "v1 store: --force on a source still cascades" "$(q -db old.db "PRAGMA foreign_keys = ON; DELETE FROM source WHERE id = 1; SELECT count(*) FROM response")" 0
# a file ingested into a version-1 store is the same source under any mapping after the upgrade
v1 old5.db
printf '{"model":"m","instrument":"OLD","item":"o1","option":4}\n' >same.jsonl
q -db old5.db "UPDATE source SET sha256 = '$(sha256sum same.jsonl | cut -d' ' -f1)', path = 'same.jsonl'" >/dev/null
check_exit "v1 store: the same file again" 0 "$PSYFAITH" ingest --db old5.db same.jsonl
check_grep "v1 store: the same file is skipped (its old mapping is unknown)" "skipped 'same.jsonl': the same content was ingested before" "$T/err"
check_eq "v1 store: still one source" "$(q -db old5.db "SELECT count(*) FROM source")" 1
v1 old2.db
check_exit "v1 store: a write command upgrades it" 0 "$PSYFAITH" init --db old2.db --quiet
check_eq "v1 store (init): version 4" "$(q -db old2.db "PRAGMA user_version")" 4
check_eq "v1 store (init): column added once" "$(q -db old2.db "SELECT count(*) FROM pragma_table_info('subject') WHERE name = 'condition'")" 1
check_exit "v2 store: opened again, nothing to do" 0 "$PSYFAITH" export --db old2.db responses
v1 old3.db
q -db old3.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
chmod a-w old3.db
if [ -w old3.db ]; then pass; pass; pass; else      # root writes anyway: nothing to test then
    check_exit "v1 store not writable: refused" 1 "$PSYFAITH" export --db old3.db responses
    check_grep "v1 store not writable: message" "store 'old3.db' has schema version 1 and must be upgraded to 2, but it is not writable" "$T/err"
    check_eq "v1 store not writable: still version 1" "$(q -db old3.db "PRAGMA user_version")" 1
fi
chmod u+w old3.db
# a failing step leaves the store at version 1: a v1 store that already has a column 'condition'
v1 old4.db
q -db old4.db "ALTER TABLE subject ADD COLUMN condition TEXT" >/dev/null
check_exit "v1 store, upgrade fails: error" 1 "$PSYFAITH" export --db old4.db responses
check_grep "v1 store, upgrade fails: message" "cannot upgrade schema version 1 to 2: duplicate column name: condition" "$T/err"
check_eq "v1 store, upgrade fails: version kept" "$(q -db old4.db "PRAGMA user_version")" 1
check_eq "v1 store, upgrade fails: index kept" "$(q -db old4.db "SELECT count(*) FROM sqlite_master WHERE name = 'subject_key'")" 1

# ---------------------------------------------------------------- the condition field, every record type
check_exit "init" 0 pf init --quiet
cat >all.jsonl <<'EOF'
{"model":"m","persona":"AGR=9","condition":"proximity","instrument":"IPIP-50","item":"E1","option":4}
{"model":"m","persona":"AGR=9","instrument":"IPIP-50","item":"E1","option":2}
{"model":"m","persona":"AGR=9","condition":"baseline","instrument":"IPIP-50","item":"E2","option":2}
{"model":"m","persona":"AGR=9","condition":" ","instrument":"IPIP-50","item":"E3","option":2}
{"model":"m","persona":"AGR=9","condition":"NONE","instrument":"IPIP-50","item":"E4","option":2}
{"type":"behavior","model":"m","condition":"proximity","dimension":"EXT","occasion":"party","text":"I talk."}
{"type":"labeled_behavior","dimension":"EXT","label":1,"text":"I talk a lot.","condition":"ignored"}
{"type":"ultimatum","model":"m","condition":"paired_female","offer":3,"decision":"accept"}
{"type":"milgram","model":"m","persona":"proximity","final_level":10,"max_level":30}
{"type":"milgram","model":"m","condition":"proximity","final_level":30,"max_level":30}
{"type":"milgram_step","model":"m","condition":"proximity","run":"r1","step":1,"disobeyed":false}
EOF
check_exit "ingest every record type with conditions" 0 pf ingest all.jsonl
check_grep "summary: records" "psyfaith: ingested 1 file: 5 responses, 1 behavior, 1 labeled behavior, 1 ultimatum trial, 2 milgram runs, 1 milgram step" "$T/err"
check_grep "summary: records with a condition" "psyfaith: 5 records with a condition" "$T/err"
check_grep "summary: personas without a trait" "psyfaith: 1 persona without a trait (not TRAIT=LEVEL; kept as named personas)" "$T/err"
check_eq "subjects: condition apart from persona; '', ' ', baseline, NONE are the baseline" \
    "$(q "SELECT group_concat(coalesce(persona, '-') || '/' || coalesce(condition, '-'), ' ') FROM (SELECT * FROM subject ORDER BY id)")" \
    "AGR=9/proximity AGR=9/- -/proximity -/paired_female proximity/-"
check_eq "rows per subject condition" "$(q "SELECT (SELECT count(*) FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.condition IS NULL) || ' ' ||
    (SELECT count(*) FROM behavior b JOIN subject s ON s.id = b.subject_id WHERE s.condition = 'proximity') || ' ' ||
    (SELECT count(*) FROM ultimatum u JOIN subject s ON s.id = u.subject_id WHERE s.condition = 'paired_female') || ' ' ||
    (SELECT count(*) FROM milgram m JOIN subject s ON s.id = m.subject_id WHERE s.condition = 'proximity') || ' ' ||
    (SELECT count(*) FROM milgram_step m JOIN subject s ON s.id = m.subject_id WHERE s.condition = 'proximity')")" "4 1 1 1 1"
check_exit "export subjects" 0 pf export subjects
check_file "export subjects: condition last" "$T/out" "model,temperature,persona,persona_trait,persona_level,condition
m,,AGR=9,AGR,9,proximity
m,,AGR=9,AGR,9,
m,,,,,proximity
m,,,,,paired_female
m,,proximity,,,"
check_exit "export milgram" 0 pf export milgram
check_file "export milgram: condition last" "$T/out" "model,temperature,persona,rep,run,trait,level,final_level,max_level,disobediences,filtered,outcome,source,line,condition
m,,proximity,0,,,,10,30,0,0,,all.jsonl,9,
m,,,0,,,,30,30,0,0,,all.jsonl,10,proximity"
check_exit "export ultimatum" 0 pf export ultimatum
check_grep "export ultimatum: condition last" ",ok,all.jsonl,8,paired_female" "$T/out"
check_exit "export responses" 0 pf export responses
check_eq "export responses: 15 CSV columns, condition last" "$(head -n 2 "$T/out")" \
    "model,temperature,persona,rep,instrument,item,dimension,key,answer,option,score,status,source,line,condition
m,,AGR=9,0,IPIP-50,E1,EXT,+,,4,4,ok,all.jsonl,1,proximity"
check_exit "ingest again: the same subjects" 0 pf ingest --quiet --force all.jsonl
check_eq "no new subject on re-ingest" "$(q "SELECT count(*) FROM subject")" 5

# CSV, wide tables, --map/--set/--extract and a profile
printf 'model,persona,condition,instrument,item,option\nc,AGR=3,remote_authority,IPIP-50,E1,2\nc,AGR=3,,IPIP-50,E2,2\n' >c.csv
check_exit "CSV with a condition column" 0 pf ingest c.csv
check_grep "CSV: 1 record with a condition" "psyfaith: 1 record with a condition" "$T/err"
printf 'id,cond,E1,E2\nr1,remote,3,4\nr2,,2,2\n' >w.csv
check_exit "wide table with --map condition" 0 pf ingest --wide --set model=w --set instrument=IPIP-50 --map condition=cond w.csv
check_grep "wide: 2 records with a condition" "psyfaith: 2 records with a condition" "$T/err"
check_nogrep "wide: row names are no personas without a trait" "without a trait" "$T/err"
check_eq "wide: the conditions" "$(q "SELECT group_concat(persona || '=' || coalesce(condition, '-'), ' ') FROM subject WHERE model = 'w'")" \
    "w.csv row 2=remote w.csv row 3=-"
printf '{"who":"x","c":"run: fiction_framing","i":"E3","a":5}\n' >f.jsonl
check_exit "--extract condition" 0 pf ingest --map model=/who --extract 'condition=/c~run: (\w+)' --set instrument=IPIP-50 --map item=/i --map option=/a f.jsonl
check_eq "--extract condition: stored" "$(q "SELECT condition FROM subject WHERE model = 'x'")" fiction_framing
printf 'map model=/who\nset condition=tool_actuation\nset instrument=IPIP-50\nmap item=/i\nmap option=/a\n' >cond.profile
printf '{"who":"y","i":"E3","a":5}\n' >g.jsonl
check_exit "profile: set condition" 0 pf ingest --profile cond.profile g.jsonl
check_eq "profile: stored" "$(q "SELECT condition FROM subject WHERE model = 'y'")" tool_actuation
printf '{"model":"z","condition":7,"instrument":"IPIP-50","item":"E1","option":1}\n' >n.jsonl
check_exit "a number as condition is its text" 0 pf ingest --quiet n.jsonl
check_eq "numeric condition" "$(q "SELECT condition FROM subject WHERE model = 'z'")" 7
printf '{"model":"z","condition":["a"],"instrument":"IPIP-50","item":"E1","option":1}\n' >bad.jsonl
check_exit "an array condition is an error" 1 pf ingest bad.jsonl
check_grep "array condition: names line and field" "bad.jsonl:1:" "$T/err"
check_grep "array condition: field condition" "(field condition)" "$T/err"

# ---------------------------------------------------------------- persona parsing
"$PSYFAITH" init --quiet --db p.db
: >p.jsonl
for persona in 'agreeableness=9' 'N=9' 'neuroticism = 3' 'Neuroticism=1' 'n=5' 'AGR=max' 'agr = MIN' 'high agreeableness' \
    'Low Neuroticism' 'HIGH extraversion' 'o = 2.5' 'E=1' 'C=9' 'proximity' 'peer_defiance' 'neuroticism=12' \
    'N=2.5' 'warmth=3' 'high warmth' 'agreeableness=' 'baseline' 'None' 'max agreeableness'; do
    printf '{"model":"p","persona":"%s","instrument":"IPIP-50","item":"E1","option":3}\n' "$persona" >>p.jsonl
done
check_exit "persona table: ingest" 0 "$PSYFAITH" ingest --db p.db p.jsonl
check_grep "persona table: personas without a trait" "psyfaith: 8 personas without a trait" "$T/err"
check_eq "persona table" "$(q -db p.db "SELECT group_concat(persona || ' -> ' || coalesce(persona_trait, '-') || ' ' || coalesce(persona_level, '-'), '|') FROM (SELECT * FROM subject ORDER BY id)")" \
"agreeableness=9 -> AGR 9.0|N=9 -> EMO 1.0|neuroticism = 3 -> EMO 7.0|Neuroticism=1 -> EMO 9.0|n=5 -> EMO 5.0|AGR=max -> AGR -|agr = MIN -> AGR -|high agreeableness -> AGR -|Low Neuroticism -> EMO -|HIGH extraversion -> EXT -|o = 2.5 -> OPEN 2.5|E=1 -> EXT 1.0|C=9 -> CONS 9.0|proximity -> - -|peer_defiance -> - -|neuroticism=12 -> - -|N=2.5 -> - -|warmth=3 -> - -|high warmth -> - -|agreeableness= -> - -|baseline -> - -|None -> - -|max agreeableness -> - -"
# a file that is rolled back does not count its personas; the same persona counts once per run
printf '{"model":"p","persona":"ghost","instrument":"IPIP-50","item":"E1","option":3}\n{"model":"p"}\n' >rolled.jsonl
printf '{"model":"q","persona":"proximity","instrument":"IPIP-50","item":"E1","option":3}\n{"model":"r","persona":"proximity","instrument":"IPIP-50","item":"E1","option":3}\n' >again.jsonl
check_exit "rolled-back file and a kept one" 1 "$PSYFAITH" ingest --db p.db rolled.jsonl again.jsonl
check_grep "only the kept file's persona counts, once" "psyfaith: 1 persona without a trait" "$T/err"
# a neuroticism trait on game records is EMO with the level reversed
printf '%s\n' '{"type":"ultimatum","model":"g","trait":"neuroticism","level":2,"offer":3,"decision":"accept"}' \
    '{"type":"milgram","model":"g","trait":"N","level":"max","final_level":3,"max_level":30}' \
    '{"type":"milgram","model":"g","trait":"N","level":"low","final_level":3,"max_level":30}' \
    '{"type":"milgram","model":"g","trait":"neuroticism","level":9,"final_level":3,"max_level":30}' \
    '{"type":"milgram_step","model":"g","trait":"N","level":"min","run":"x","step":1,"disobeyed":true}' >games.jsonl
check_exit "games: neuroticism traits" 0 "$PSYFAITH" ingest --quiet --db p.db games.jsonl
check_eq "games: EMO reversed" "$(q -db p.db "SELECT (SELECT group_concat(trait || level) FROM ultimatum) || ' ' || (SELECT group_concat(trait || level, ',') FROM (SELECT * FROM milgram ORDER BY id)) || ' ' || (SELECT trait || level FROM milgram_step)")" \
    "EMO8 EMOmin,EMOmax,EMO1 EMOmax"

# ---------------------------------------------------------------- metrics, scores, audit per condition
# Six subjects a condition (models s1..s6), two repetitions of IPIP-50's EXT and AGR items; each
# condition's answers differ.  A condition's rows must equal those of a store that holds only it.
gen() {  # gen EXTRA SHIFT
    for s in 1 2 3 4 5 6; do for rep in 0 1; do for d in E A; do for i in 1 2 3 4 5 6 7 8 9 10; do
        o=$(( (s * 7 + i * 3 + rep * (i % 3) + $2 + (s * i) % 5) % 5 + 1 ))
        printf '{"model":"s%s","rep":%s,"instrument":"IPIP-50","item":"%s%s","option":%s%s}\n' "$s" "$rep" "$d" "$i" "$o" "$1"
    done; done; done; done
}
gen '' 0 >base.jsonl
gen ',"condition":"proximity"' 2 >prox.jsonl
gen '' 2 >prox-alone.jsonl
"$PSYFAITH" init --quiet --db mix.db && "$PSYFAITH" init --quiet --db b.db && "$PSYFAITH" init --quiet --db x.db
check_exit "metrics data: mixed store" 0 "$PSYFAITH" ingest --quiet --db mix.db base.jsonl prox.jsonl
"$PSYFAITH" ingest --quiet --db b.db base.jsonl && "$PSYFAITH" ingest --quiet --db x.db prox-alone.jsonl
check_eq "12 subjects: six per condition" "$(q -db mix.db "SELECT count(*) || ' ' || count(condition) FROM subject")" "12 6"
check_exit "metrics on the mixed store" 0 "$PSYFAITH" metrics --db mix.db --format csv
cp "$T/out" mix.csv
"$PSYFAITH" metrics --db b.db --format csv >b.csv
"$PSYFAITH" metrics --db x.db --format csv >x.csv
# the condition is the last column; rows with an empty one are the baseline
check_eq "metrics: baseline rows = the baseline-only store" "$(grep -v ',proximity$' mix.csv)" "$(cat b.csv)"
check_eq "metrics: proximity rows = a store of proximity alone" "$(grep ',proximity$' mix.csv | sed 's/,proximity$/,/')" "$(tail -n +2 x.csv)"
check_eq "metrics: as many rows per condition" "$(grep -c ',proximity$' mix.csv)" "$(($(wc -l <b.csv) - 1))"
check_eq "metrics: InC differs between the conditions" "$(grep -c '^InC,IPIP-50,,EXT,,' mix.csv) $(grep '^InC,IPIP-50,,EXT,,' mix.csv | cut -d, -f6 | sort -u | wc -l | tr -d ' ')" "2 2"
check_exit "metrics --summary per condition" 0 "$PSYFAITH" metrics --db mix.db --summary --format csv
check_eq "summary: one verdict per condition" "$(grep -c '^IPIP-50,EXT,' "$T/out") $(grep -c '^IPIP-50,EXT,.*,proximity$' "$T/out")" "2 1"
check_exit "scores per condition" 0 "$PSYFAITH" scores --db mix.db --format csv
check_eq "scores: rows per condition" "$(grep -c ',proximity$' "$T/out") $(grep -c ',$' "$T/out")" "12 12"
check_exit "scores --by-model" 0 "$PSYFAITH" scores --db mix.db --format csv --by-model
check_eq "scores --by-model: s1 EXT in both conditions" "$(grep '^s1,,IPIP-50,EXT,' "$T/out" | sed 's/.*,//' | tr '\n' '|')" "|proximity|"
# audit: a claim without a condition is judged once per condition, each on its own subjects
check_exit "audit: each condition" 1 "$PSYFAITH" audit --db mix.db --claim 'EXT >= 1 on IPIP-50' --model s1 --bootstrap 0 --format csv
check_eq "audit: a row per condition" "$(tail -n +2 "$T/out" | sed 's/.*,//' | tr '\n' '|')" "|proximity|"
check_exit "audit: on condition" 1 "$PSYFAITH" audit --db mix.db --claim 'EXT >= 1 on IPIP-50 on condition proximity' --model s1 --bootstrap 0 --format csv
check_eq "audit: on condition: one row" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ') $(tail -n 1 "$T/out" | sed 's/.*,//')" "1 proximity"
check_exit "audit: --condition baseline" 1 "$PSYFAITH" audit --db mix.db --claim 'EXT >= 1 on IPIP-50' --condition baseline --model s1 --bootstrap 0 --format csv
check_eq "audit: baseline: one row, empty condition" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ') [$(tail -n 1 "$T/out" | sed 's/.*,//')]" "1 []"
printf 'condition: proximity\nEXT >= 1 on IPIP-50\ncondition: *\nEXT >= 1 on IPIP-50\n' >claims.txt
check_exit "audit: scope line" 1 "$PSYFAITH" audit --db mix.db --claims claims.txt --model s1 --bootstrap 0 --format csv
check_eq "audit: scope line, then any" "$(tail -n +2 "$T/out" | sed 's/.*,//' | tr '\n' '|')" "proximity||proximity|"
# the level of a condition equals the level of a store holding only it
"$PSYFAITH" audit --db mix.db --claim 'AGR >= 1 on condition proximity' --bootstrap 0 --format csv >a1.csv
"$PSYFAITH" audit --db x.db --claim 'AGR >= 1' --bootstrap 0 --format csv >a2.csv
check_eq "audit: a condition judged as its own store" "$(tail -n +2 a1.csv | cut -d, -f3-16)" "$(tail -n +2 a2.csv | cut -d, -f3-16)"
check_eq "audit: six models judged" "$(tail -n +2 a1.csv | wc -l | tr -d ' ')" 6
check_exit "audit: unknown condition" 2 "$PSYFAITH" audit --db mix.db --claim 'EXT >= 1 on condition nowhere'
check_grep "audit: unknown condition message" "--claim:1:23: error: no subject with condition 'nowhere' in the store" "$T/err"
check_exit "audit: a game claim takes no condition" 2 "$PSYFAITH" audit --db mix.db --claim 'AGR steerable milgram' --condition proximity
check_grep "audit: game claim message" "a game claim takes no condition" "$T/err"
check_exit "audit: 'on condition' twice" 2 "$PSYFAITH" audit --db mix.db --claim 'EXT >= 1 on condition a on condition b'
check_grep "audit: twice message" "'on condition' is given twice" "$T/err"
# report: Table 3 per model and condition
check_exit "report with conditions" 0 "$PSYFAITH" report --db mix.db --csv rep --only scores
check_eq "report scores.csv: condition last" "$(head -n 1 rep/scores.csv)" "model,instrument,dimension,mean,sd,n,note,condition"
check_eq "report scores.csv: s1 in both conditions" "$(grep '^s1,IPIP-50,EXT,' rep/scores.csv | sed 's/.*,//' | tr '\n' '|')" "|proximity|"

finish
