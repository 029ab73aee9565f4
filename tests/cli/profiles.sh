#!/bin/sh
# The shipped profiles: `profiles list|show`, `--profile NAME` from any directory, and each profile on
# its files (the OpenAI and Anthropic batch formats, MPI answers against MPI's own parse, the
# personality_in_llms admin sessions' keys; real third-party files where ../shared has them).
. "$(dirname "$0")/../lib.sh"
P="$PSYFAITH_TOP/fixtures/profiles"
TR="$PSYFAITH_TOP/fixtures/transcripts"
DATA="$PSYFAITH_SHARED/data"
pf init --quiet

# ---- profiles list / show: every shipped file, one line each, named as its first line says
n_files=$(ls "$P"/*.profile | wc -l)
check_exit "profiles list" 0 "$PSYFAITH" profiles list
check_eq "one line per shipped profile" "$(wc -l < "$T/out")" "$n_files"
for f in "$P"/*.profile; do
    name=$(basename "$f" .profile)
    first=$(head -n 1 "$f")
    case $first in
    "# $name: "?*) pass ;;
    *) fail "$name.profile: first line is not '# $name: description': $first" ;;
    esac
    desc=${first#"# $name: "}
    check_eq "profiles list: $name" "$(grep "^$name " "$T/out" | sed 's/^[^ ]* *//')" "$desc"
    "$PSYFAITH" profiles show "$name" > "$T/shown"
    check_eq "profiles show $name is the file" "$(cmp -s "$T/shown" "$f" && echo same)" same
done
check_exit "profiles show a jq program" 0 "$PSYFAITH" profiles show chatgpt-behavioral-bigfive.jq
check_eq "the jq program" "$(cmp -s "$T/out" "$P/chatgpt-behavioral-bigfive.jq" && echo same)" same
check_exit "profiles show an unknown name" 1 "$PSYFAITH" profiles show no-such-profile
check_grep "says so" "no shipped profile 'no-such-profile'" "$T/err"
check_exit "profiles without a subcommand" 2 "$PSYFAITH" profiles

# ---- --profile NAME from another directory; a path still works; an unknown name lists the names
mkdir "$T/elsewhere"
( cd "$T/elsewhere" && "$PSYFAITH" ingest --db "$DB" --quiet --profile openai-batch --set instrument=IPIP-50 \
    "$PSYFAITH_TOP/tests/cli/data/openai-batch.jsonl" ) 2>"$T/err"
check_eq "--profile NAME from another directory" "$?" 0
check_eq "its rows" "$(q "SELECT count(*) FROM response")" 3
check_exit "--profile NAME.profile" 0 pf ingest --quiet --force --profile openai-batch.profile --set instrument=IPIP-50 \
    "$PSYFAITH_TOP/tests/cli/data/openai-batch.jsonl"
check_exit "--profile PATH" 0 pf ingest --quiet --force --profile "$P/openai-batch.profile" --set instrument=IPIP-50 \
    "$PSYFAITH_TOP/tests/cli/data/openai-batch.jsonl"
check_eq "still 3 rows (replaced)" "$(q "SELECT count(*) FROM response")" 3
check_exit "an unknown profile name" 2 pf ingest --profile no-such-profile "$TR/anthropic-batch.jsonl"
check_grep "names it and lists the shipped ones" "no profile file 'no-such-profile' and no shipped profile of that name (shipped: " "$T/err"
check_grep "the list has anthropic-batch" "anthropic-batch," "$T/err"
check_exit "a missing path" 2 pf ingest --profile "$T/nothing/x.profile" "$TR/anthropic-batch.jsonl"
check_grep "names the path" "no profile file '$T/nothing/x.profile'" "$T/err"
# A file in the working directory wins over the shipped profile of the same name.
printf '# openai-batch: my own, which maps no model\nset instrument=IPIP-50\n' > "$T/elsewhere/openai-batch"
( cd "$T/elsewhere" && "$PSYFAITH" ingest --db "$DB" --profile openai-batch --force \
    "$PSYFAITH_TOP/tests/cli/data/openai-batch.jsonl" ) >/dev/null 2>"$T/err"
check_grep "the local file was read (the shipped one maps the model)" "openai-batch.jsonl:1: missing required field (field model)" "$T/err"
# A shipped profile with a jq program runs it from the binary: the jq file need not exist anywhere.
if command -v jq >/dev/null; then
    check_exit "a shipped jq program" 0 pf ingest --quiet --profile chatgpt-behavioral-bigfive "$TR/chatgpt-behavioral-bigfive.json"
    check_eq "its responses" "$(q "SELECT count(*) FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id WHERE n.name = 'IPIP-50' AND r.source_id = (SELECT max(id) FROM source)")" \
        "$(jq '[.messages[] | select(length == 3)] | length' "$TR/chatgpt-behavioral-bigfive.json")"
    pf ingest --profile chatgpt-behavioral-bigfive --source-name cb-stdin.json - < "$TR/chatgpt-behavioral-bigfive.json" 2>"$T/err"
    check_eq "a shipped jq program on standard input" "$?" 0
    # the same content under the same mapping (the shipped program's text is part of it) is the same source
    check_grep "recognised as the file ingested above" "skipped 'cb-stdin.json': the same content was ingested before with the same mapping" "$T/err"
    pf ingest --force --profile chatgpt-behavioral-bigfive --source-name cb-stdin.json - < "$TR/chatgpt-behavioral-bigfive.json" 2>"$T/err"
    check_grep "with --force, read again through the shipped program" "ingested 1 file: 1500 responses" "$T/err"
fi

# ---- OpenAI batch output: a failed request is a reject with its code and message, the file is kept
check_exit "openai-batch with failed requests" 0 pf ingest --profile openai-batch --set instrument=IPIP-50 \
    "$PSYFAITH_TOP/tests/cli/data/openai-batch-failed.jsonl"
check_grep "the profile's rejects are counted" "2 records rejected by the profile's reject rules" "$T/err"
check_eq "the answered one" "$(q "SELECT i.code, r.option FROM response r JOIN item i ON i.id = r.item_id WHERE r.source_id = (SELECT max(id) FROM source)")" "E5|2"
check_eq "rejects with their reasons" "$(q "SELECT line, field, reason FROM reject WHERE source_id = (SELECT max(id) FROM source) ORDER BY line")" \
"2|reject|/error/code is 'batch_expired'; /error/message is 'This request could not be executed before the completion window expired.'
3|reject|/response/status_code is '429'; /response/body/error/message is 'Rate limit reached'"

# ---- Anthropic Message Batches results: succeeded -> answers; errored, expired, canceled -> rejects
check_exit "anthropic-batch" 0 pf ingest --profile anthropic-batch --set instrument=IPIP-50 "$TR/anthropic-batch.jsonl"
check_grep "4 rejects" "4 records rejected by the profile's reject rules" "$T/err"
check_eq "answers: model, persona, rep, item, option" "$(q "SELECT s.model, s.persona, r.rep, i.code, r.option, r.status
    FROM response r JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id
    WHERE r.source_id = (SELECT max(id) FROM source) ORDER BY r.line")" \
"claude-sonnet-4-5-20250929|baseline|1|E1|2|ok
claude-sonnet-4-5-20250929|baseline|1|A1|1|ok
claude-sonnet-4-5-20250929|baseline|1|C1|5|ok
claude-sonnet-4-5-20250929|baseline|1|N1|3|ok
claude-sonnet-4-5-20250929|baseline|1|O1|4|ok
claude-sonnet-4-5-20250929|baseline|2|E1|4|ok
claude-sonnet-4-5-20250929|baseline|2|A1|2|ok
claude-sonnet-4-5-20250929|baseline|2|C1|5|ok"
check_eq "every other result is a reject with its reason" "$(q "SELECT line, reason FROM reject WHERE source_id = (SELECT max(id) FROM source) ORDER BY line")" \
"9|/result/type is 'errored'; /result/error/error/type is 'overloaded_error'; /result/error/error/message is 'Overloaded'
10|/result/type is 'expired'
11|/result/type is 'canceled'
12|/result/message/content/0/type is 'thinking'"
check_eq "12 lines = 8 answers + 4 rejects" "$(wc -l < "$TR/anthropic-batch.jsonl")" 12
# The same file without the reject rules would be an error, not silence: the answer is missing.
check_exit "without the profile's reject rules" 1 pf ingest --force --format jsonl --set instrument=IPIP-50 \
    --map answer=/result/message/content/0/text --extract 'item=custom_id~(?:^|__)item-((?:(?!__).)+)' "$TR/anthropic-batch.jsonl"
printf 'reject /result/type\n' > "$T/bad.profile"
check_exit "reject without a regex" 2 pf ingest --profile "$T/bad.profile" "$TR/anthropic-batch.jsonl"
check_grep "says what it expects" "bad.profile:1: expected reject SOURCE~REGEX, got '/result/type'" "$T/err"

# ---- MPI: letters on MPI's descending scale, against MPI's own parse (tests/oracle/mpi)
check_exit "mpi" 0 pf ingest --profile mpi --set model=text-davinci-003 "$TR/mpi-120-answers.json"
tail -n +2 "$PSYFAITH_TOP/tests/oracle/mpi/expected.tsv" | awk -F'\t' '{ print $1 "|" $3 }' > "$T/mpi_want"
q "SELECT i.code || '|' || r.option FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id
   WHERE n.name = 'MPI-120' ORDER BY i.position" > "$T/mpi_got"
check_eq "120 MPI answers, all ok" "$(q "SELECT count(*), sum(r.status = 'ok') FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id WHERE n.name = 'MPI-120'")" "120|120"
check_eq "every option equals MPI's parse (A=5 .. E=1)" "$(cmp -s "$T/mpi_want" "$T/mpi_got" && echo same)" same
check_eq "letters seen" "$(cut -f2 "$PSYFAITH_TOP/tests/oracle/mpi/expected.tsv" | tail -n +2 | sort -u | tr -d '\n')" ABCDE
# item scores: MPI's (key 1: x, else 6 - x) per trait; psyfaith stores N as EMO, i.e. 6 - MPI's score
tail -n +2 "$PSYFAITH_TOP/tests/oracle/mpi/expected.tsv" |
    awk -F'\t' '{ print $1 "|" ($4 == "N" ? 6 - $5 : $5) }' > "$T/mpi_want_s"
q "SELECT i.code || '|' || r.score FROM response r JOIN item i ON i.id = r.item_id JOIN instrument n ON n.id = i.instrument_id
   WHERE n.name = 'MPI-120' ORDER BY i.position" > "$T/mpi_got_s"
check_eq "every item score equals MPI's" "$(cmp -s "$T/mpi_want_s" "$T/mpi_got_s" && echo same)" same
# trait means: MPI's report (tests/oracle/mpi/traits.tsv) against `psyfaith scores` per item
pf scores --format csv --instrument MPI-120 > "$T/mpi_scores"
for pair in O:OPEN C:CONS E:EXT A:AGR N:EMO; do
    t=${pair%%:*} d=${pair#*:}
    want=$(awk -F'\t' -v t="$t" '$1 == t { m = $3; if (t == "N") m = 6 - m; printf "%.9f", m }' "$PSYFAITH_TOP/tests/oracle/mpi/traits.tsv")
    got=$(awk -F, -v d="$d" '$4 == "MPI-120" && $5 == d { printf "%.9f", $7 }' "$T/mpi_scores")
    check_eq "MPI trait mean $t" "$got" "$want"
done

# The bundled MPI-120 bank is MPI's own inventory: text, trait and key of every row.
if [ -f "$DATA/mpi/inventories/mpi_120.csv" ]; then
    tr -d '\r' < "$DATA/mpi/inventories/mpi_120.csv" | awk -F, 'NR > 1 {
        d = $3; k = ($4 == 1) ? 1 : -1
        if (d == "N") { d = "EMO"; k = -k } else if (d == "E") d = "EXT"; else if (d == "A") d = "AGR"
        else if (d == "C") d = "CONS"; else d = "OPEN"
        print NR - 1 "|" d "|" k "|" $2 }' > "$T/mpi_bank_want"
    q "SELECT i.code, i.dimension, i.key, i.text FROM item i JOIN instrument n ON n.id = i.instrument_id
       WHERE n.name = 'MPI-120' ORDER BY i.position" > "$T/mpi_bank_got"
    check_eq "MPI-120 bank rows" "$(wc -l < "$T/mpi_bank_got")" 120
    check_eq "MPI-120 bank = mpi_120.csv (text, trait, key)" "$(cmp -s "$T/mpi_bank_want" "$T/mpi_bank_got" && echo same)" same
else
    echo "profiles: $DATA/mpi absent; MPI-120 bank check against MPI's file skipped" >&2
fi

# ---- personality_in_llms admin sessions: BFI and IPIP300 with the file's keys
AS="$DATA/personality_in_llms/admin_sessions/prod_run_01_external_rating.json"
if [ -f "$AS" ] && command -v jq >/dev/null; then
    check_exit "instruments load --profile personality-in-llms-bank" 0 \
        pf instruments load --profile personality-in-llms-bank "$AS"
    check_grep "344 items" "344 items added" "$T/err"
    # The file's own numbers, by a plain reading of its scales: items and reversed items per domain.
    for m in BFI IPIP300; do
        want=$(jq -r --arg m "$m" '.measures[$m].scales | to_entries[] | select(.key | test("-(EXT|AGR|CON|NEU|OPE)$"))
            | [(.key | split("-") | last), (.value.item_ids | length), ((.value.reverse_keyed_item_ids // []) | length)] | @tsv' "$AS" |
            sed 's/^CON/CONS/; s/^NEU/EMO/; s/^OPE/OPEN/' | sort | tr '\t' '|')
        # psyfaith stores neuroticism as EMO with the key flipped: its reversed EMO items are NEU's forward ones
        got=$(q "SELECT dimension, count(*), CASE WHEN dimension = 'EMO' THEN sum(key = 1) ELSE sum(key = -1) END
                 FROM item WHERE instrument_id = (SELECT id FROM instrument WHERE name = '$m') GROUP BY dimension ORDER BY dimension")
        check_eq "$m: items and reversed items per domain equal the file's" "$got" "$want"
        want=$(jq -r --arg m "$m" '[.measures[$m].scales | to_entries[] | select(.key | test("-(EXT|AGR|CON|OPE)$")) | .value.reverse_keyed_item_ids // [] | .[]] | sort | .[]' "$AS")
        got=$(q "SELECT code FROM item WHERE instrument_id = (SELECT id FROM instrument WHERE name = '$m') AND dimension <> 'EMO' AND key = -1 ORDER BY code")
        check_eq "$m: the reversed ids (EXT AGR CON OPE) are the file's" "$got" "$want"
        want=$(jq -r --arg m "$m" '[.measures[$m].scales | to_entries[] | select(.key | test("-NEU$")) | .value.reverse_keyed_item_ids // [] | .[]] | sort | .[]' "$AS")
        got=$(q "SELECT code FROM item WHERE instrument_id = (SELECT id FROM instrument WHERE name = '$m') AND dimension = 'EMO' AND key = 1 ORDER BY code")
        check_eq "$m: NEU's reversed ids are EMO's forward ones" "$got" "$want"
        check_eq "$m: item order is the file's" "$(q "SELECT code FROM item WHERE instrument_id = (SELECT id FROM instrument WHERE name = '$m') ORDER BY position" | tr '\n' ' ')" \
            "$(jq -r --arg m "$m" '.measures[$m].items | keys_unsorted | join(" ")' "$AS") "
    done
    # The same keys as the bundled banks, item by item (bfN = BFI-44 item N, ipipN = IPIP-NEO-300 item N).
    check_eq "BFI keys = bundled BFI-44" "$(q "SELECT count(*) FROM item a JOIN item b ON b.code = substr(a.code, 3)
        WHERE a.instrument_id = (SELECT id FROM instrument WHERE name = 'BFI') AND b.instrument_id = (SELECT id FROM instrument WHERE name = 'BFI-44')
        AND a.dimension = b.dimension AND a.key = b.key")" 44
    check_eq "IPIP300 keys and texts = bundled IPIP-NEO-300" "$(q "SELECT count(*) FROM item a JOIN item b ON b.code = substr(a.code, 5)
        WHERE a.instrument_id = (SELECT id FROM instrument WHERE name = 'IPIP300') AND b.instrument_id = (SELECT id FROM instrument WHERE name = 'IPIP-NEO-300')
        AND a.dimension = b.dimension AND a.key = b.key AND a.text = b.text")" 300
    check_exit "loading it again changes nothing" 0 pf instruments load --profile personality-in-llms-bank "$AS"
    check_grep "already loaded" "0 items added (the others were loaded already)" "$T/err"
    check_exit "an ingest profile is not a bank profile" 2 pf instruments load --profile mpi "$AS"
    check_grep "says so" "a bank profile holds one line, 'jq PROGRAM'" "$T/err"
    printf '"instrument,item,dimension,key,text", "X,1,EXT,+,t", "X,2,SPIN,+,u"\n' > "$T/bad.jq"
    check_exit "a bad row from the jq program" 1 pf instruments load --jq "$T/bad.jq" "$AS"
    check_grep "names the row of jq's output" "(after jq $T/bad.jq):3: unknown dimension 'SPIN'" "$T/err"
    check_eq "nothing of it stored" "$(q "SELECT count(*) FROM instrument WHERE name = 'X'")" 0
    printf 'error("no")\n' > "$T/fail.jq"
    check_exit "a failing jq program" 1 pf instruments load --jq "$T/fail.jq" "$AS"
    check_grep "says jq failed" "jq program '$T/fail.jq' failed on" "$T/err"
else
    echo "profiles: $AS or jq absent; personality_in_llms checks skipped" >&2
fi
finish
