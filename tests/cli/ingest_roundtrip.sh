# tests/cli/ingest_roundtrip.sh -- `export X --format jsonl` is the native record format: ingested
# into a fresh store it gives the same rows (the CSV export of both stores, without the source and
# line columns, is identical) for every record table.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
A=$T/a.db B=$T/b.db
"$PSYFAITH" init --quiet --db "$A" && "$PSYFAITH" init --quiet --db "$B" || { fail "init"; finish; }

# Every record type, with the awkward values: NULL temperature and persona, text with commas,
# quotes, newlines and non-ASCII, descending option order, every answer status, fractional offers.
cat >study.jsonl <<'EOF'
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","rep":1,"run":"r1","instrument":"IPIP-50","item":"E1","answer":"D) Moderately Accurate."}
{"model":"gpt-4","temperature":0.7,"persona":"agreeableness=9","rep":1,"run":"r1","instrument":"IPIP-50","item":"E2","answer":"A","option_order":"descending"}
{"model":"gpt-4","temperature":null,"persona":null,"instrument":"IPIP-50","item_text":"You often feel blue","option":2}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A1","answer":"(A) or (C)"}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A2","answer":"I'm an AI and cannot answer."}
{"model":"gpt-4","temperature":0.7,"instrument":"IPIP-50","item":"A3","answer":"banana, \"quoted\"\nnew line — naïve"}
{"model":"llama-2","temperature":1e-3,"persona":"EXT=1","rep":7,"instrument":"BFI-44","item":44,"option":1,"condition":"fiction framing"}
{"model":"llama-2","temperature":0.1,"persona":"","instrument":"IPIP-NEO-120","item":"120","answer":"(b)","option_order":"descending"}
{"type":"behavior","model":"gpt-4","temperature":0.7,"dimension":"extraversion","occasion":"party","text":"I would talk to everyone, loudly","rep":2,"run":"b1"}
{"type":"behavior","model":"gpt-4","temperature":0.1,"dimension":"N","occasion":"exam","text":"I would worry\nall night","condition":"exam"}
{"type":"labeled_behavior","dimension":"neuroticism","occasion":"exam","label":"y","text":"I panic before exams"}
{"type":"labeled_behavior","dimension":"AGR","label":false,"text":"I argue with everybody"}
{"type":"labeled_behavior","dimension":"OPEN","occasion":"museum","label":1,"text":"\"Art\", I said"}
{"type":"ultimatum","model":"gpt-4","persona":"agreeableness=9","trait":"AGR","level":9,"offer":2,"total":10,"decision":"accept","rep":3,"run":"u1"}
{"type":"ultimatum","model":"gpt-4","persona":"baseline","offer":1.5,"answer":"I would not accept this offer."}
{"type":"ultimatum","model":"gpt-4","persona":"baseline","offer":0,"total":100,"answer":"Hmm."}
{"type":"ultimatum","model":"gpt-4","persona":"baseline","offer":3.25,"answer":"I accept... no, I reject"}
{"type":"ultimatum","model":"gpt-4","persona":"baseline","offer":4,"decision":"reject","answer":"No way.","condition":"paired_female"}
{"type":"milgram","model":"gpt-4","persona":"agreeableness=max","trait":"AGR","level":"max","final_level":17,"max_level":30,"disobediences":2,"filtered":true,"rep":1,"run":"m1"}
{"type":"milgram","model":"gpt-4","persona":"baseline","level":null,"final_level":30,"max_level":30,"condition":"proximity"}
{"type":"milgram","model":"gpt-4","persona":"emo=3","trait":"emotional stability","level":3,"final_level":0,"max_level":30,"filtered":"no"}
{"type":"milgram_step","model":"gpt-4","persona":"agreeableness=max","trait":"AGR","level":"max","run":"m1","step":1,"disobeyed":false}
{"type":"milgram_step","model":"gpt-4","persona":"agreeableness=max","trait":"AGR","level":"MIN","run":"m1","step":2,"disobeyed":"yes","condition":"proximity"}
EOF
check_exit "ingest the study" 0 "$PSYFAITH" ingest --db "$A" study.jsonl
check_grep "every type" "psyfaith: ingested 1 file: 8 responses, 2 behaviors, 3 labeled behaviors, 5 ultimatum trials, 3 milgram runs, 2 milgram steps" "$T/err"
check_grep "every status" "psyfaith: responses: 5 ok, 1 ambiguous, 1 refusal, 1 unparsed" "$T/err"
check_grep "every decision status" "psyfaith: ultimatum decisions: 3 ok, 1 ambiguous, 0 refusal, 1 unparsed" "$T/err"

# Drops the source and line columns of a CSV export: every row ends ",SOURCE,LINE" and, in a table
# with subjects, ",CONDITION"; the sources and conditions here have no commas, and no line inside a
# quoted field ends in ",word,digits" or ",word,digits,word".
strip() { sed -E 's/,[^,]*,[0-9]+(,[^,]*)?$/\1/; s/^(.*),source,line(,condition)?$/\1\2/'; }

for t in responses behaviors labeled_behaviors ultimatum milgram milgram_steps; do
    check_exit "export $t as JSONL" 0 "$PSYFAITH" export --db "$A" "$t" --format jsonl
    mv "$T/out" "$t.jsonl"
    check_exit "ingest $t.jsonl" 0 "$PSYFAITH" ingest --quiet --db "$B" "$t.jsonl"
    "$PSYFAITH" export --db "$A" "$t" | strip >"$T/a-$t.csv"
    "$PSYFAITH" export --db "$B" "$t" | strip >"$T/b-$t.csv"
    check_file "$t: same rows after the round trip" "$T/b-$t.csv" "$(cat "$T/a-$t.csv")"
done
check_eq "responses: 8 rows + a two-line answer + header" "$(wc -l <"$T/a-responses.csv")" 10
"$PSYFAITH" export --db "$A" subjects | sort >"$T/a-subjects.csv"
"$PSYFAITH" export --db "$B" subjects | sort >"$T/b-subjects.csv"
check_file "subjects: the same set" "$T/b-subjects.csv" "$(cat "$T/a-subjects.csv")"
check_eq "conditions survive the round trip" "$(q -db "$B" "SELECT group_concat(c, '|') FROM (SELECT DISTINCT condition AS c FROM subject WHERE condition IS NOT NULL ORDER BY c)")" \
    "exam|fiction framing|paired_female|proximity"
# the JSONL carries what CSV leaves out (run, option order) and ingests back to it
check_eq "run and option_order survive" "$(q -db "$B" "SELECT group_concat(coalesce(run, '-') || '/' || option_order) FROM (SELECT * FROM response ORDER BY id)")" \
    "r1/ascending,r1/descending,-/ascending,-/ascending,-/ascending,-/ascending,-/ascending,-/descending"
check_eq "exported CSV of responses, the awkward row" "$(sed -n '7,8p' "$T/a-responses.csv")" \
    'gpt-4,0.7,,0,IPIP-50,A3,AGR,-,"banana, ""quoted""
new line — naïve",,,unparsed,'
check_eq "tiny temperature survives" "$(q -db "$B" "SELECT temperature FROM subject WHERE persona = 'EXT=1'")" 0.001
check_eq "empty persona is not NULL" "$(q -db "$B" "SELECT count(*) FROM subject WHERE persona = ''")" 1

# doubles that %.15g cannot tell apart come back bit-identical: two subjects stay two
"$PSYFAITH" init --quiet --db "$T/d.db" && "$PSYFAITH" init --quiet --db "$T/e.db"
cat >close.jsonl <<'EOF2'
{"model":"m","temperature":0.3,"instrument":"IPIP-50","item":"E1","option":1}
{"model":"m","temperature":0.30000000000000004,"instrument":"IPIP-50","item":"E1","option":2}
{"model":"m","temperature":0.7000000000000001,"instrument":"IPIP-50","item":"E1","option":3}
{"model":"m","temperature":0.12345678901234568,"instrument":"IPIP-50","item":"E1","option":4}
{"model":"m","temperature":99.99999999999999,"instrument":"IPIP-50","item":"E1","option":5}
{"type":"ultimatum","model":"m","temperature":0.3,"offer":0.1,"total":10,"decision":"accept"}
{"type":"ultimatum","model":"m","temperature":0.3,"offer":0.10000000000000002,"total":3.3333333333333335,"decision":"reject"}
EOF2
check_exit "close doubles: ingest" 0 "$PSYFAITH" ingest --quiet --db "$T/d.db" close.jsonl
bits="SELECT group_concat(printf('%!.17e', temperature), ' ') FROM (SELECT temperature FROM subject WHERE model = 'm' ORDER BY temperature)"
ubits="SELECT group_concat(printf('%!.17e', offer) || '/' || printf('%!.17e', total), ' ') FROM (SELECT * FROM ultimatum ORDER BY id)"
check_eq "close doubles: five subjects" "$(q -db "$T/d.db" "SELECT count(*) FROM subject")" 5
for t in responses ultimatum; do
    "$PSYFAITH" export --db "$T/d.db" "$t" --format jsonl >"close-$t.jsonl"
    check_exit "close doubles: ingest the $t export" 0 "$PSYFAITH" ingest --quiet --db "$T/e.db" "close-$t.jsonl"
done
printf '{"model":"n","persona":0.3,"instrument":"IPIP-50","item":"E1","option":1}\n' >numpersona.jsonl
check_exit "a number as text: ingest" 0 "$PSYFAITH" ingest --quiet --db "$T/d.db" numpersona.jsonl
check_eq "a number as text is its shortest form" "$(q -db "$T/d.db" "SELECT persona FROM subject WHERE model = 'n'")" 0.3
check_eq "close doubles: still five subjects" "$(q -db "$T/e.db" "SELECT count(*) FROM subject")" 5
check_eq "close doubles: temperatures bit-identical" "$(q -db "$T/e.db" "$bits")" "$(q -db "$T/d.db" "$bits")"
check_eq "close doubles: offers and totals bit-identical" "$(q -db "$T/e.db" "$ubits")" "$(q -db "$T/d.db" "$ubits")"
check_grep "close doubles: shortest form" '"temperature":0.30000000000000004,' close-responses.jsonl
check_grep "close doubles: short stays short" '"temperature":0.3,' close-responses.jsonl
check_grep "close doubles: 16 digits where they do" '"temperature":0.7000000000000001,' close-responses.jsonl
"$PSYFAITH" export --db "$T/d.db" subjects >close-subjects.csv
check_grep "close doubles: CSV too" 'm,0.30000000000000004,' close-subjects.csv

# a second round trip from B gives B again: the export is a fixed point
"$PSYFAITH" init --quiet --db "$T/c.db"
for t in responses ultimatum; do
    "$PSYFAITH" export --db "$B" "$t" --format jsonl >"c-$t.jsonl"
    "$PSYFAITH" ingest --quiet --db "$T/c.db" "c-$t.jsonl"
    "$PSYFAITH" export --db "$T/c.db" "$t" | strip >"$T/c-$t.csv"
    check_file "$t: second round trip" "$T/c-$t.csv" "$(cat "$T/a-$t.csv")"
done

finish
