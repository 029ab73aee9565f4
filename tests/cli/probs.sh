#!/bin/sh
# Issue 14 part 5: scoring from option probabilities.  option_probs (array or object) and OpenAI
# logprobs on response records, the response_prob table, scores/metrics --scoring text|argmax|ev and
# scores --prob-summary; the OpenAI-shaped fixtures against tests/oracle/probs.R (to 1e-9), hand-made
# tables against values computed by hand, and hostile tables (each a line error, nothing stored).
. "$(dirname "$0")/../lib.sh"
FX=$PSYFAITH_TOP/fixtures/probs
OR=$PSYFAITH_TOP/tests/oracle/probs

# check_csv_near DESC GOT WANT: the same CSV, numbers equal to 1e-9 (relative above 1), text exactly
check_csv_near() {
    if [ ! -s "$3" ]; then fail "$1 (no reference values in $3)"; return; fi
    if awk -F, 'FILENAME == ARGV[1] { w[FNR] = $0; n = FNR; next }
        { g++; if (!(FNR in w)) { print "extra line " FNR ": " $0; bad = 1; next }
          m = split(w[FNR], b, ","); k = split($0, a, ",")
          if (m != k) { print "line " FNR ": " k " fields, want " m; bad = 1; next }
          for (i = 1; i <= k; i++) {
              if (a[i] == b[i]) continue
              if (a[i] ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ && b[i] ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/) {
                  d = a[i] - b[i]; if (d < 0) d = -d; s = b[i] < 0 ? -b[i] : b[i]; if (s < 1) s = 1
                  if (d <= 1e-9 * s) continue
              }
              print "line " FNR " field " i ": got " a[i] ", want " b[i]; bad = 1
          } }
        END { if (g != n) { print g + 0 " lines, want " n; bad = 1 }; exit bad }' "$3" "$2" >"$T/near" 2>&1; then pass
    else fail "$1"; sed 's/^/    /' "$T/near" | head -n 10 >&2; fi
}

pf init --quiet

# ---- a version-2 store (schema-v2.sql: the schema before issue 14) is upgraded to 3 on first use,
# read or write: the table response_prob and the response columns design_id and presented ----
for mode in read write; do
    rm -f "$T/v2$mode.db"*
    q -db "$T/v2$mode.db" ".read $PSYFAITH_TOP/tests/cli/data/schema-v2.sql" >/dev/null
    q -db "$T/v2$mode.db" "PRAGMA journal_mode = WAL; PRAGMA user_version = 2; PRAGMA application_id = 1347634772" >/dev/null
    if [ $mode = read ]; then
        check_exit "v2 store: scores --prob-summary" 0 "$PSYFAITH" scores --db "$T/v2$mode.db" --prob-summary --format csv
    else
        check_exit "v2 store: init (the bundled banks) upgrades it" 0 "$PSYFAITH" init --db "$T/v2$mode.db" --quiet
        check_exit "v2 store: ingest probabilities" 0 "$PSYFAITH" ingest --db "$T/v2$mode.db" --quiet \
            --profile openai-batch-logprobs --set instrument=IPIP-50 "$FX/openai-batch-logprobs.jsonl"
    fi
    check_eq "v2 store ($mode): now version 4 with response_prob, design_id and presented" "$(q -db "$T/v2$mode.db" "PRAGMA user_version;
        SELECT count(*) FROM sqlite_master WHERE name IN ('response_prob', 'design');
        SELECT group_concat(name, ' ') FROM (SELECT name FROM pragma_table_info('response') WHERE cid >= 12 ORDER BY cid)")" "4
2
design_id presented"
done

# ---- OpenAI Batch API output with logprobs (the shipped profile) ----
check_exit "ingest batch with logprobs" 0 pf ingest --quiet --profile openai-batch-logprobs --set instrument=IPIP-50 \
    "$FX/openai-batch-logprobs.jsonl"
check_eq "20 responses, 20 with probabilities" "$(q "SELECT count(*) FROM response; SELECT count(*) FROM response_prob")" "20
20"
# per response: the probabilities as given, outside mass, EV, argmax, entropy = probs.R
q -csv "SELECT r.line, s.model, i.code, printf('%.17g', json_extract(p.probs, '\$[0]')),
    printf('%.17g', json_extract(p.probs, '\$[1]')), printf('%.17g', json_extract(p.probs, '\$[2]')),
    printf('%.17g', json_extract(p.probs, '\$[3]')), printf('%.17g', json_extract(p.probs, '\$[4]')),
    printf('%.17g', p.outside), printf('%.17g', p.ev), p.argmax, printf('%.17g', p.entropy)
    FROM response r JOIN response_prob p ON p.response_id = r.id JOIN subject s ON s.id = r.subject_id
    JOIN item i ON i.id = r.item_id ORDER BY r.line" | tr -d '"' >"$T/resp.csv"
tail -n +2 "$OR/expected_responses.csv" >"$T/want_resp.csv"
check_csv_near "per-response probabilities, EV, argmax, entropy = R" "$T/resp.csv" "$T/want_resp.csv"
# the text parse of "The answer is D" stands beside a first token ("The") that names no option
check_eq "text beside an outside first token" "$(q "SELECT r.option, p.argmax, p.from_text, p.outside > 0.05 FROM response r
    JOIN response_prob p ON p.response_id = r.id WHERE r.answer = 'The answer is D' ORDER BY r.line")" "4|4|1|1
4|4|1|1"

# scores under the three scorings: per_item = probs.R (E2, E4, ... reverse keyed, R- = 6 - EV)
for s in text argmax ev; do
    check_exit "scores --scoring $s" 0 pf scores --scoring $s --format csv
    col=$(case $s in text) echo 2;; argmax) echo 3;; ev) echo 4;; esac)
    awk -F, 'NR > 1 { print $1 "," $7 }' "$T/out" | sort >"$T/got_$s.csv"
    awk -F, -v c="$col" 'NR > 1 { print $1 "," $c }' "$OR/expected_scores.csv" | sort >"$T/want_$s.csv"
    check_csv_near "scores --scoring $s per_item = R" "$T/got_$s.csv" "$T/want_$s.csv"
done
check_exit "scores --scoring bad" 2 pf scores --scoring mean
check_grep "--scoring names its choices" "--scoring takes text, argmax or ev, got 'mean'" "$T/err"
check_exit "metrics --scoring ev" 0 pf metrics --scoring ev --metric alpha --instrument IPIP-50 --format csv
check_grep "metrics under ev: alpha over 2 subjects" "InC,IPIP-50,,EXT," "$T/out"

# the summary per model = probs.R: agreement 9/10 (one answer sampled off the argmax), kappa, entropy
check_exit "scores --prob-summary" 0 pf scores --prob-summary --format csv
check_eq "prob-summary header" "$(head -n 1 "$T/out")" \
    "model,n,n_scale,n_text,n_compared,agree,kappa,mean_entropy_nats,mean_outside,note"
awk -F, 'NR > 1 { print $1 "," $2 "," $6 "," $7 "," $8 "," $9 }' "$T/out" >"$T/got_sum.csv"
tail -n +2 "$OR/expected_summary.csv" >"$T/want_sum.csv"
check_csv_near "prob-summary = R (agree, kappa, entropy nats, outside)" "$T/got_sum.csv" "$T/want_sum.csv"
check_eq "prob-summary counts" "$(awk -F, 'NR > 1 { print $3 "," $4 "," $5 }' "$T/out")" "10,10,10
10,10,10"

# the report part validity_probs: the same rows as --prob-summary; report --scoring ev scores by EV
cp "$T/out" "$T/summary.csv"
check_exit "report validity_probs" 0 pf report --csv "$T/rep" --latex "$T/rep" --only validity_probs,scores --scoring ev
check_file "validity_probs.csv = scores --prob-summary" "$T/rep/validity_probs.csv" "$(cat "$T/summary.csv")"
check_grep "validity_probs.tex: a row per model" 'gpt-{}4o-{}mini-{}2024-{}07-{}18 & 10 & 10 & 0.90 & 0.82 & 1.22 & 0.01' \
    "$T/rep/validity_probs.tex"
check_grep "report --scoring ev: the EV score" "gpt-4o-2024-08-06,IPIP-50,EXT,3.98189572917432" "$T/rep/scores.csv"
check_exit "report --scoring bad" 2 pf report --csv "$T/rep2" --scoring vote
check_exit "audit --scoring bad" 2 pf audit --claim "EXT >= 4" --scoring vote
check_exit "audit --scoring ev (a claim that fails: exit 1)" 1 pf audit --claim "model: gpt-4o-2024-08-06" --claim "EXT >= 4.0" --scoring ev --min-subjects 1 \
    --bootstrap 100 --format csv
check_grep "audit --scoring ev judges the EV score" ",gpt-4o-2024-08-06,,,IPIP-50,EXT,not measurable,3.98189572917432" "$T/out"

check_exit "export response_probs" 0 pf export response_probs --format csv
check_eq "export response_probs: header and rows" "$(head -n 1 "$T/out"; tail -n +2 "$T/out" | wc -l | tr -d ' ')" \
    "model,temperature,persona,rep,instrument,item,answer,option,status,probs,outside,ev,argmax,entropy,from_text,source,line,condition
20"

# ---- one chat-completion response body, mapped by hand ----
check_exit "ingest chat body" 0 pf ingest --quiet --map model=/model_name --map answer=/completion/choices/0/message/content \
    --map logprobs=/completion/choices/0/logprobs "$FX/openai-chat.jsonl"
q -csv "SELECT s.model, i.code, printf('%.17g', json_extract(p.probs, '\$[0]')), printf('%.17g', json_extract(p.probs, '\$[1]')),
    printf('%.17g', json_extract(p.probs, '\$[2]')), printf('%.17g', json_extract(p.probs, '\$[3]')),
    printf('%.17g', json_extract(p.probs, '\$[4]')), printf('%.17g', p.outside), printf('%.17g', p.ev), p.argmax,
    printf('%.17g', p.entropy) FROM response r JOIN response_prob p ON p.response_id = r.id
    JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id WHERE s.model = 'gpt-4o-mini'" | tr -d '"' >"$T/chat.csv"
tail -n +2 "$OR/expected_chat.csv" >"$T/want_chat.csv"
check_csv_near "chat-completion body = R" "$T/chat.csv" "$T/want_chat.csv"

# ---- hand-made tables (values by hand) ----
DB=$T/hand.db
pf init --quiet
cat >"$T/hand.jsonl" <<'J'
{"model":"h","instrument":"IPIP-50","item":"E1","option_probs":[0.1,0.2,0.3,0.4,0]}
{"model":"h","instrument":"IPIP-50","item":"E2","option_order":"descending","option_probs":{"A":0.5,"B":0.25,"C":0.25}}
{"model":"h","instrument":"IPIP-50","item":"E3","answer":"(D)","option_probs":{"Strongly agree":0.6,"Agree":0.2,"Neutral":0.1}}
{"model":"h","instrument":"IPIP-50","item":"E4","option_probs":[0.4,0.4,0.2,0,0]}
{"model":"h","instrument":"IPIP-50","item":"E5","logprobs":{"content":[{"token":"I","logprob":-0.1,"bytes":[73],"top_logprobs":[{"token":"I","logprob":-0.1,"bytes":[73]}]}]}}
{"model":"h","instrument":"IPIP-50","item":"E6","answer":"B","logprobs":null}
J
check_exit "ingest hand-made tables" 0 pf ingest "$T/hand.jsonl"
check_grep "the summary counts the responses with probabilities" "psyfaith: 5 responses with option probabilities" "$T/err"
# E1: EV .1+.4+.9+1.6 = 3, argmax 4 (the stored option: no text); E2 descending A=5 B=4 C=3: EV 4.25,
# argmax 5; E3 labels sum .9: EV 4.1/.9, argmax 5 beside the text's 4; E4 a tie: ambiguous, EV 1.8;
# E5 all mass outside: unparsed, no EV; E6 logprobs null: a text answer without probabilities
check_eq "hand-made: option, status, EV, argmax, outside, from_text" "$(q "SELECT i.code, coalesce(r.option, '-'), r.status,
    CASE WHEN p.ev IS NULL THEN '-' ELSE printf('%.12f', p.ev) END, coalesce(p.argmax, '-'),
    CASE WHEN p.outside IS NULL THEN '-' ELSE printf('%.12f', p.outside) END, coalesce(p.from_text, '-')
    FROM response r JOIN item i ON i.id = r.item_id LEFT JOIN response_prob p ON p.response_id = r.id ORDER BY r.line")" \
"E1|4|ok|3.000000000000|4|0.000000000000|0
E2|5|ok|4.250000000000|5|0.000000000000|0
E3|4|ok|4.555555555556|5|0.000000000000|1
E4|-|ambiguous|1.800000000000|-|0.000000000000|0
E5|-|unparsed|-|-|0.904837418036|0
E6|2|ok|-|-|-|-"
check_eq "hand-made: entropy of E1 and E2 (nats)" "$(q "SELECT printf('%.12f', p.entropy) FROM response_prob p JOIN response r ON
    r.id = p.response_id WHERE r.line <= 2 ORDER BY r.line")" "1.279854225834
1.039720770840"
# EV scores of E1..E5 (E2, E4 reverse keyed): E1 3, E2 6-4.25 = 1.75, E3 4.1/.9, E4 6-1.8 = 4.2; E5 none
check_exit "hand-made scores --scoring ev" 0 pf scores --scoring ev --format csv
check_eq "hand-made EV: 4 of 10 EXT items, too few to score" "$(awk -F, 'NR == 2 { print $5 "," $8 "," $9 "," $12 }' "$T/out")" \
    "EXT,10,4,1"
check_exit "hand-made scores --scoring ev --min-answered 0.4" 0 pf scores --scoring ev --min-answered 0.4 --format csv
check_eq "hand-made EV per_item (3 + 1.75 + 4.1/.9 + 4.2)/4" "$(awk -F, 'NR == 2 { printf "%.12f\n", $7 }' "$T/out")" \
    "$(awk 'BEGIN { printf "%.12f\n", (3 + 1.75 + 4.1 / 0.9 + 4.2) / 4 }')"
check_exit "hand-made scores --scoring argmax --min-answered 0.3" 0 pf scores --scoring argmax --min-answered 0.3 --format csv
# argmax: E1 4, E2 6-5 = 1, E3 5; E4 a tie (ambiguous), E5 unparsed
check_eq "hand-made argmax per_item (4 + 1 + 5)/3, 2 not scored" "$(awk -F, 'NR == 2 { print $7 "," $9 "," $12 }' "$T/out")" \
    "3.3333333333333335,3,1"
check_exit "hand-made prob-summary" 0 pf scores --prob-summary --format csv
# one pair (text 4, argmax 5): agree 0, kappa (0 - 0)/(1 - 0) = 0; entropy over E1..E4: H(.1 .2 .3 .4),
# H(.5 .25 .25), H(1/9 2/9 6/9), H(.4 .4 .2); outside over E1..E5: e^-0.1 / 5
tail -n 1 "$T/out" >"$T/got_h.csv"
awk 'function h3(a, b, c) { return -(a * log(a) + b * log(b) + c * log(c)) }
     BEGIN { e = -(0.1 * log(0.1) + 0.2 * log(0.2) + 0.3 * log(0.3) + 0.4 * log(0.4))
             e = (e + h3(0.5, 0.25, 0.25) + h3(1 / 9, 2 / 9, 6 / 9) + h3(0.4, 0.4, 0.2)) / 4
             printf "h,5,4,1,1,0,0,%.17g,%.17g,\n", e, exp(-0.1) / 5 }' >"$T/want_h.csv"
check_csv_near "hand-made prob-summary: one text answer, it disagrees" "$T/got_h.csv" "$T/want_h.csv"

# option_probs in a CSV column is JSON text
printf 'model,instrument,item,answer,option_probs\nc,IPIP-50,E1,C,"[0,0,1,0,0]"\n' >"$T/p.csv"
check_exit "CSV option_probs" 0 pf ingest --quiet "$T/p.csv"
check_eq "CSV option_probs stored" "$(q "SELECT p.probs, p.ev, p.argmax, p.from_text FROM response_prob p JOIN response r ON
    r.id = p.response_id JOIN subject s ON s.id = r.subject_id WHERE s.model = 'c'")" "[0,0,1,0,0]|3.0|3|1"

# ---- hostile tables: a line error naming file, line and field; nothing of the file stored ----
before=$(q "SELECT count(*) FROM response; SELECT count(*) FROM response_prob")
bad() {     # bad DESC RECORD-TAIL MESSAGE FIELD
    printf '{"model":"x","instrument":"IPIP-50","item":"E1","answer":"A"}\n{"model":"x","instrument":"IPIP-50","item":"E1",%s}\n' \
        "$2" >"$T/bad.jsonl"
    check_exit "$1: rejected" 1 pf ingest --quiet "$T/bad.jsonl"
    check_grep "$1: message" "bad.jsonl:2: $3" "$T/err"
    check_grep "$1: field" "(field $4)" "$T/err"
}
printf '{"model":"x","instrument":"IPIP-50","item":"E1","answer":"A"}\n{"model":"x","instrument":"IPIP-50","item":"E1","option_probs":[0.5,0.5,0,0,NaN]}\n' >"$T/bad.jsonl"
check_exit "NaN: rejected" 1 pf ingest --quiet "$T/bad.jsonl"
check_grep "NaN: not JSON, at its column" "bad.jsonl:2:77: invalid JSON" "$T/err"
bad "infinite" '"option_probs":[1e999,0,0,0,0]' "[0]: probability is not finite" option_probs
bad "negative" '"option_probs":[0.5,-0.25,0.5,0,0]' "[1]: probability -0.25 is outside [0, 1]" option_probs
bad "sum > 1" '"option_probs":[0.5,0.5,0.25,0,0]' "probabilities sum to 1.25, more than 1" option_probs
bad "wrong length" '"option_probs":[0.5,0.5]' "expected 5 probabilities (options 1..5 on the ascending scale), found 2" option_probs
bad "duplicate labels" '"option_probs":{"B":0.5,"2":0.25}' "labels 'B' and '2' both name option 2" option_probs
bad "repeated key" '"option_probs":{"B":0.5,"B":0.25}' "labels 'B' and 'B' both name option 2" option_probs
bad "unknown label" '"option_probs":{"B":0.5,"Maybe":0.25}' "'Maybe': label names no option of the 5-option scale" option_probs
bad "a string" '"option_probs":"[0.5,0.5,0,0,0]"' "expected an array or object, found a string" option_probs
bad "both" '"option_probs":[1,0,0,0,0],"logprobs":{"content":[]}' "a response takes 'option_probs' or 'logprobs', not both" option_probs
bad "repeated token" '"logprobs":{"content":[{"token":"A","logprob":-1,"top_logprobs":[{"token":"A","logprob":-1},{"token":"A","logprob":-2}]}]}' \
    "content[0].top_logprobs[1].token: 'A' repeats top_logprobs[0]" logprobs
bad "positive logprob" '"logprobs":{"content":[{"token":"A","logprob":0.5}]}' \
    "content[0].logprob: 0.5 is above 0 (a probability above 1)" logprobs
bad "logprobs sum > 1" '"logprobs":{"content":[{"token":"A","logprob":-0.1,"top_logprobs":[{"token":"A","logprob":-0.1},{"token":"The","logprob":-0.5}]}]}' \
    "probabilities sum to" logprobs
bad "no content" '"logprobs":{"refusal":null}' "no 'content'" logprobs
printf 'model,instrument,item,option_probs\nc,IPIP-50,E1,"[0.5,nan,0,0,0]"\n' >"$T/bad.csv"
check_exit "CSV NaN: rejected" 1 pf ingest --quiet "$T/bad.csv"
check_grep "CSV NaN: message" "bad.csv:2: expected JSON (an array or object), found '[0.5,nan,0,0,0]' (field option_probs)" "$T/err"
check_eq "nothing of a bad file stored" "$(q "SELECT count(*) FROM response; SELECT count(*) FROM response_prob")" "$before"
# the summary counts only what was kept: a file rolled back takes its probabilities with it
printf '{"model":"y","instrument":"IPIP-50","item":"E1","option_probs":[0,0,1,0,0]}\n' >"$T/good.jsonl"
printf '{"model":"y","instrument":"IPIP-50","item":"E2","option_probs":[0,0,1,0,0]}\n{"model":"y","instrument":"IPIP-50","item":"E3","option_probs":[2,0,0,0,0]}\n' >"$T/bad2.jsonl"
check_exit "a good and a bad file" 1 pf ingest "$T/good.jsonl" "$T/bad2.jsonl"
check_grep "summary: 1 response with probabilities" "psyfaith: 1 response with option probabilities" "$T/err"
check_eq "stored: the good file's one" "$(q "SELECT count(*) FROM response_prob p JOIN response r ON r.id = p.response_id
    JOIN subject s ON s.id = r.subject_id WHERE s.model = 'y'")" 1
before=$(q "SELECT count(*) FROM response; SELECT count(*) FROM response_prob")
# --skip-bad keeps the good line
check_exit "--skip-bad" 0 pf ingest --quiet --skip-bad "$T/bad.jsonl"
check_eq "--skip-bad keeps the good line only" "$(q "SELECT count(*) FROM response r JOIN subject s ON s.id = r.subject_id
    WHERE s.model = 'x'; SELECT count(*) FROM response_prob")" "1
$(echo "$before" | tail -n 1)"

# ---- --answers-regex: many items in one record carry no probabilities (and a record with them is bad) ----
# (a regression: the split answers once handed the writer an uninitialised probabilities pointer)
{ printf '{"model":"multi","answer":"'; i=1; while [ $i -le 10 ]; do printf '(E%d) %d ' $i $(( i % 5 + 1 )); i=$((i + 1)); done
  printf '"}\n'; } >"$T/multi.jsonl"
check_exit "--answers-regex ingest" 0 pf ingest --quiet --set instrument=IPIP-50 --answers-regex '\((E\d+)\) (\d)' "$T/multi.jsonl"
check_eq "--answers-regex: 10 responses, none with probabilities" "$(q "SELECT count(*), count(p.response_id) FROM response r
    JOIN subject s ON s.id = r.subject_id LEFT JOIN response_prob p ON p.response_id = r.id WHERE s.model = 'multi'")" "10|0"
printf '{"model":"multi2","answer":"(E1) 3","option_probs":[0,0,1,0,0]}\n' >"$T/multi2.jsonl"
check_exit "--answers-regex with option_probs: rejected" 1 pf ingest --quiet --set instrument=IPIP-50 \
    --answers-regex '\((E\d+)\) (\d)' "$T/multi2.jsonl"
check_grep "--answers-regex with option_probs: why" "probabilities belong to one item; --answers-regex splits one record into many (field option_probs)" "$T/err"

# ---- ingest --force replaces a source's probabilities too (the cascade) ----
check_exit "re-ingest --force" 0 pf ingest --quiet --force "$T/hand.jsonl"
check_eq "no orphan probabilities after --force" "$(q "SELECT count(*) FROM response_prob p WHERE NOT EXISTS
    (SELECT 1 FROM response r WHERE r.id = p.response_id); SELECT count(*) FROM response_prob")" "0
$(echo "$before" | tail -n 1)"
finish
