# tests/cli/answers.sh -- answer statuses through ingest, the summary and the report (two options
# named in one answer are `ambiguous`), and PCRE2 errors everywhere a pattern runs: a library error
# (the match limit) is a line error naming file, line and field, or a reject under --skip-bad, never
# "no match", another status or a shorter list of answers.
#
# The built-in patterns are linear and never reach PCRE2's limits on real input, so their error path
# is reached through the test hook PSYFAITH_PCRE2_MATCH_LIMIT (util.h), which lowers the match limit;
# user patterns get a real pathological pattern, (?:x+)+y over a run of x's (catastrophic
# backtracking, which PCRE2 stops at its default match limit).
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

count() { q "SELECT (SELECT count(*) FROM source) || ' ' || (SELECT count(*) FROM response) || ' ' ||
                    (SELECT count(*) FROM reject)"; }
wipe() { q "DELETE FROM reject; DELETE FROM response; DELETE FROM subject; DELETE FROM source"; }

# --- two options named in one answer: ambiguous, in the summary and in the report
i=0
for a in "D or E" "Between D and E." "C/D" "either 2 or 3" "(D)" "banana"; do
    i=$((i + 1))
    printf '{"model":"m","instrument":"IPIP-50","item":"E%d","answer":"%s"}\n' "$i" "$a"
done >pairs.jsonl
check_exit "ingest pairs" 0 pf ingest pairs.jsonl
check_grep "summary counts the pairs as ambiguous" "psyfaith: responses: 1 ok, 4 ambiguous, 0 refusal, 1 unparsed" "$T/err"
check_eq "stored statuses" "$(q "SELECT group_concat(status || ':' || coalesce(option, ''), ' ') FROM (SELECT status, option FROM response ORDER BY line)")" \
    "ambiguous: ambiguous: ambiguous: ambiguous: ok:4 unparsed:"
check_exit "report diagnostics" 0 pf report --csv rep --only diagnostics
check_file "report rates" rep/diagnostics.csv "model,responses,ok_rate,ambiguous_rate,refusal_rate,unparsed_rate,neutral_rate,acquiescence,condition
m,6,0.16666666666666666,0.6666666666666666,0,0.16666666666666666,0,,"
wipe

# --- a built-in answer pattern that hits the match limit: a line error on field answer
printf '{"model":"m","instrument":"IPIP-50","item":"E1","option":4}\n{"model":"m","instrument":"IPIP-50","item":"E2","answer":"(B)"}\n' >limit.jsonl
check_exit "built-in pattern at its limit: exit 1" 1 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" ingest --db "$DB" limit.jsonl
check_eq "built-in pattern: message" "$(head -n 1 "$T/err")" \
    "limit.jsonl:2: pattern option in brackets hit the match limit (field answer)"
check_eq "built-in pattern: nothing stored" "$(count)" "0 0 0"
check_exit "built-in pattern, --skip-bad" 0 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" ingest --db "$DB" --skip-bad limit.jsonl
check_grep "--skip-bad note" "psyfaith: 'limit.jsonl': kept the good lines, 1 bad line recorded in rejects" "$T/err"
check_eq "--skip-bad: the line is a reject" "$(q "SELECT line || '|' || field || '|' || reason FROM reject")" \
    "2|answer|pattern option in brackets hit the match limit"
check_eq "--skip-bad: the good line kept, no status for the bad one" "$(q "SELECT group_concat(line || ':' || status) FROM response")" "1:ok"
wipe
# the same file without the hook reads (B) as option 2
check_exit "no hook: the answer parses" 0 pf ingest --quiet limit.jsonl
check_eq "no hook: option 2" "$(q "SELECT option FROM response WHERE line = 2")" 2
wipe

wipe

# --- the Ultimatum decision parser's pattern at its limit: the same line error, never a decision
printf '{"type":"ultimatum","model":"m","offer":5,"answer":"I accept."}\n' >ug-limit.jsonl
check_exit "decision pattern at its limit: exit 1" 1 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" ingest --db "$DB" ug-limit.jsonl
check_eq "decision pattern: message" "$(head -n 1 "$T/err")" \
    "ug-limit.jsonl:1: pattern decision token hit the match limit (field answer)"
check_eq "decision pattern: nothing stored" "$(q "SELECT count(*) FROM ultimatum")" "0"

# --- --answers-regex with catastrophic backtracking on the second answer: never a shorter list
printf '{"model":"gpt","persona":"p","answer":"(a) 5\\n(b) 2 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\\n(c) 4\\n(d) 3\\n(e) 1"}\n' >split.jsonl
check_exit "--answers-regex at the match limit: exit 1" 1 \
    pf ingest --set instrument=PersonaLLM-BFI --answers-regex '\(([a-z]+)\) (\d)(?: (?:x+)+y)?' split.jsonl
check_eq "--answers-regex: message" "$(head -n 1 "$T/err")" \
    "split.jsonl:1: pattern --answers-regex hit the match limit (field answer)"
check_eq "--answers-regex: nothing stored" "$(count)" "0 0 0"
check_exit "--answers-regex, --skip-bad" 0 \
    pf ingest --skip-bad --set instrument=PersonaLLM-BFI --answers-regex '\(([a-z]+)\) (\d)(?: (?:x+)+y)?' split.jsonl
check_eq "--answers-regex, --skip-bad: a reject, no answers" "$(q "SELECT (SELECT count(*) FROM response) || '|' || line || '|' || field || '|' || reason FROM reject")" \
    "0|1|answer|pattern --answers-regex hit the match limit"
wipe
# a harmless pattern splits the same text into all five answers
check_exit "--answers-regex, harmless pattern" 0 \
    pf ingest --quiet --set instrument=PersonaLLM-BFI --answers-regex '\(([a-z]+)\) (\d)' split.jsonl
check_eq "--answers-regex: five answers" "$(q "SELECT count(*) FROM response")" 5
wipe

# --- --item-regex (an --extract) at the match limit
printf '{"model":"chat","prompt":"Given a statement of you: \\"I am the life of the party.\\" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","answer":"(C)"}\n' >prompt.jsonl
check_exit "--item-regex at the match limit: exit 1" 1 \
    pf ingest --set instrument=IPIP-50 --item-regex 'statement of you: "(.*?)"(?: (?:x+)+y)?' prompt.jsonl
check_eq "--item-regex: message" "$(head -n 1 "$T/err")" \
    "prompt.jsonl:1: pattern --extract item_text=prompt hit the match limit (field item_text)"
check_eq "--item-regex: nothing stored" "$(count)" "0 0 0"

# --- the classifier's tokeniser: an error, never fewer tokens (train, apply, predict)
for i in 1 2 3 4 5 6; do
    printf '{"type":"labeled_behavior","dimension":"EXT","label":%d,"text":"I talk to people at party %d"}\n' $((i % 2)) "$i"
done >labeled.jsonl
printf '{"type":"behavior","model":"m","dimension":"EXT","occasion":"party","text":"I talk to everyone"}\n' >behavior.jsonl
check_exit "ingest labelled and behaviour texts" 0 pf ingest --quiet labeled.jsonl behavior.jsonl
check_exit "train at the match limit: exit 1" 1 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" classify train --db "$DB" --dimension EXT --folds 2
check_grep "train: the tokeniser error" "cannot tokenise text " "$T/err"
check_eq "train: no model stored" "$(q "SELECT count(*) FROM classifier")" 0
check_exit "train" 0 pf classify train --dimension EXT --folds 2
printf 'I talk to everyone\n' >texts.txt
check_exit "predict at the match limit: exit 1" 1 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" classify predict --db "$DB" --dimension EXT <texts.txt
# predict runs in batches on worker threads: the error names the text's line of the input
check_grep "predict: the tokeniser error" "cannot tokenise text 1: match limit exceeded" "$T/err"
check_grep "predict: the input line named" "<stdin>:1: cannot label the text; nothing printed" "$T/err"
check_exit "apply at the match limit: exit 1" 1 env PSYFAITH_PCRE2_MATCH_LIMIT=1 "$PSYFAITH" classify apply --db "$DB"
check_grep "apply: the tokeniser error" "match limit exceeded" "$T/err"
finish
