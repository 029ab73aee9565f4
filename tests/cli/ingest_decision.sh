# tests/cli/ingest_decision.sh -- raw Ultimatum answers through `psyfaith ingest`: negated, hedged and
# strategy answers are stored with the decision and status decision_parse() gives (issue 11 item 1),
# and the summary counts every status.  The parser itself is tested line by line in test_decision.c.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

cat >ug.jsonl <<'EOF2'
{"type":"ultimatum","model":"m","persona":"baseline","offer":5,"answer":"I would not reject this offer."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":5,"answer":"I would never reject such a fair split."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":5,"answer":"No single amount: 0, 50"}
{"type":"ultimatum","model":"m","persona":"baseline","offer":1,"answer":"I won\u2019t accept this."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":2,"answer":"I can't refuse."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":3,"answer":"I might accept."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":4,"answer":"I would accept a minimal amount of [$50]."}
{"type":"ultimatum","model":"m","persona":"baseline","offer":4,"answer":"As an AI language model, I don't have personal preferences."}
EOF2
check_exit "ingest raw answers" 0 pf ingest ug.jsonl
check_grep "summary counts every status" "psyfaith: ultimatum decisions: 4 ok, 1 ambiguous, 1 refusal, 2 unparsed" "$T/err"
check_eq "stored decisions and statuses" \
    "$(q "SELECT line, coalesce(decision, 'NULL'), status FROM ultimatum ORDER BY line" | tr '\n' ' ')" \
    "1|1|ok 2|1|ok 3|NULL|unparsed 4|0|ok 5|1|ok 6|NULL|ambiguous 7|NULL|unparsed 8|NULL|refusal "
check_eq "the raw answer is kept" "$(q "SELECT answer FROM ultimatum WHERE line = 4")" "I won’t accept this."

# The same as CSV, through a mapping, into another store: the parser does not depend on the reader.
"$PSYFAITH" init --quiet --db "$T/b.db" || fail "init b"
printf 'model,offer,reply\nm,5,"I would never say yes."\nm,5,"No, I would not reject it."\nm,5,"Accept or reject?"\n' >ug.csv
check_exit "ingest a mapped CSV" 0 "$PSYFAITH" ingest --db "$T/b.db" --set type=ultimatum --map answer=reply ug.csv
check_eq "mapped answers" "$(q -db "$T/b.db" "SELECT line, coalesce(decision, 'NULL'), status FROM ultimatum ORDER BY line" | tr '\n' ' ')" \
    "2|0|ok 3|1|ok 4|NULL|ambiguous "
finish
