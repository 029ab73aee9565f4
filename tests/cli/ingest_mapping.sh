#!/bin/sh
# Foreign logs: the shipped OpenAI batch profile, --extract that does not match (an error, never a
# silently empty field), and an over-long line under --skip-bad (skipped to its end; the lines after
# it are kept and the source hash covers the whole file).
. "$(dirname "$0")/../lib.sh"
D="$PSYFAITH_TOP/tests/cli/data"
pf init --quiet

# The OpenAI Batch API profile: coordinates from custom_id, optional keys absent -> null.
check_exit "ingest batch output" 0 pf ingest --profile "$PSYFAITH_TOP/fixtures/profiles/openai-batch.profile" \
    --set instrument=IPIP-50 "$D/openai-batch.jsonl"
check_eq "rows from custom_id" "$(q "SELECT s.model, s.temperature, s.persona, r.rep, i.code, r.option, r.score, r.status
    FROM response r JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id ORDER BY r.line")" \
"gpt-4o-2024-08-06|0.7|agreeableness=9|2|E1|4|4|ok
gpt-4o-2024-08-06|0.7||0|E2|5|1|ok
gpt-4o-2024-08-06|||1|E3|||refusal"
check_exit "a malformed temperature in custom_id" 1 pf ingest \
    --profile "$PSYFAITH_TOP/fixtures/profiles/openai-batch.profile" --set instrument=IPIP-50 "$D/openai-batch-bad.jsonl"
check_grep "names line and field" "openai-batch-bad.jsonl:1: not a number: 'abc' (field temperature)" "$T/err"

# --extract whose pattern does not match: an error for that line, not an empty field.
printf '%s\n' '{"model":"m","meta":"t=0.5","instrument":"IPIP-50","item":"E1","option":4}' \
    '{"model":"m","meta":"temp unknown","instrument":"IPIP-50","item":"E2","option":4}' \
    '{"model":"m","meta":7,"instrument":"IPIP-50","item":"E3","option":4}' > "$T/ex.jsonl"
check_exit "no match is an error" 1 pf ingest --extract 'temperature=meta~t=([0-9.]+)' "$T/ex.jsonl"
check_grep "no match: line and field" "ex.jsonl:2: --extract: the pattern does not match 'temp unknown' (from meta) (field temperature)" "$T/err"
check_grep "a number source is matched as text" "ex.jsonl:3: --extract: the pattern does not match '7' (from meta) (field temperature)" "$T/err"
check_eq "nothing stored" "$(q 'SELECT count(*) FROM response')" 3
check_exit "an optional group allows a missing key" 0 pf ingest --force --extract 'temperature=meta~^(?:.*?t=([0-9.]+))?' "$T/ex.jsonl"
check_eq "temperatures" "$(q "SELECT item_id IS NOT NULL, s.temperature FROM response r JOIN subject s ON s.id = r.subject_id WHERE r.line > 0 AND s.model = 'm' ORDER BY r.line")" "1|0.5
1|
1|"

# An over-long line with --skip-bad: rejected, the rest of the file kept, the hash of the whole file.
{
    echo '{"model":"long","instrument":"IPIP-50","item":"E1","option":4}'
    printf '{"model":"long","instrument":"IPIP-50","item":"E2","answer":"'
    head -c 3000000 /dev/zero | tr '\0' x
    echo '"}'
    for i in 3 4 5 6; do echo "{\"model\":\"long\",\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"option\":3}"; done
} > "$T/long.jsonl"
check_exit "over-long line, --skip-bad" 0 pf ingest --skip-bad --max-line 1 "$T/long.jsonl"
check_grep "the long line is named" "long.jsonl:2: line longer than 1 MiB (--max-line)" "$T/err"
check_eq "the lines after it are kept" "$(q "SELECT count(*) FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'long'")" 5
check_eq "source lines, records, hash" "$(q "SELECT lines, records, sha256 FROM source WHERE path LIKE '%long.jsonl'")" \
    "6|5|$(sha256sum "$T/long.jsonl" | cut -d' ' -f1)"
check_exit "over-long line without --skip-bad" 1 pf ingest --force --max-line 1 "$T/long.jsonl"
check_exit "--max-line range" 2 pf ingest --max-line 0 "$T/long.jsonl"
check_grep "--max-line message" "--max-line takes MiB from 1 to 4096, got '0'" "$T/err"

# Member names are remembered by position from record to record (record_fields.c, member_field): a
# record whose keys come in another order, a name longer than the memo holds, a name that is a
# field's but mapped from elsewhere, and a duplicate key past the positions remembered must each be
# read as if looked up afresh.
{
    echo '{"model":"memo","instrument":"IPIP-50","item":"E1","rep":0,"option":1}'
    echo '{"option":2,"rep":0,"item":"E2","instrument":"IPIP-50","model":"memo"}'
    echo '{"a_member_name_longer_than_the_memo":1,"model":"memo","instrument":"IPIP-50","item":"E3","option":3}'
    echo '{"a_member_name_longer_than_the_memo":1,"model":"memo","instrument":"IPIP-50","item":"E4","option":4}'
    echo '{"model":"memo","instrument":"IPIP-50","item":"E5","option":5,"persona":"p"}'
    echo '{"model":"memo","instrument":"IPIP-50","item":"E6","persona":"p","option":1}'
} >"$T/memo.jsonl"
check_exit "keys in any order, long names" 0 pf ingest --quiet "$T/memo.jsonl"
check_eq "... every record read by its keys" "$(q "SELECT i.code, r.option, coalesce(s.persona, '-') FROM response r
    JOIN subject s ON s.id = r.subject_id JOIN item i ON i.id = r.item_id WHERE s.model = 'memo' ORDER BY r.line")" \
"E1|1|-
E2|2|-
E3|3|-
E4|4|-
E5|5|p
E6|1|p"
# "model" is a field's name, but --map reads the field from /who: the record's own "model" is data
# the mapping does not use (twice over is no duplicate), at whichever position the memo saw it
{
    echo '{"model":"ignored","who":"mapped","instrument":"IPIP-50","item":"E1","option":2}'
    echo '{"model":"ignored","who":"mapped","model":"again","instrument":"IPIP-50","item":"E2","option":2}'
} >"$T/memo-map.jsonl"
check_exit "a mapped field's own key" 0 pf ingest --quiet --map model=/who "$T/memo-map.jsonl"
check_eq "... is not read" "$(q "SELECT group_concat(DISTINCT model) FROM subject WHERE model IN ('ignored', 'mapped')")" mapped
# 40 members, the duplicate "item" at position 40: past the 32 positions remembered
pad=$(i=1; while [ $i -le 36 ]; do printf '"x%d":0,' $i; i=$((i + 1)); done)
{
    echo "{${pad}\"model\":\"memo40\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"option\":3}"
    echo "{${pad}\"model\":\"memo40\",\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"item\":\"E2\"}"
} >"$T/memo40.jsonl"
check_exit "a duplicate key at position 40" 1 pf ingest --quiet "$T/memo40.jsonl"
check_grep "... is a bad line" "memo40.jsonl:2: duplicate key 'item' (keys 39 and 40) (field item)" "$T/err"
finish
