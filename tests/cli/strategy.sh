#!/bin/sh
# Strategy-method and proposer records (issue 13, part 3): ultimatum_threshold, ultimatum_offer,
# dictator_offer; the chatgpt-behavioral-ultimatum profile on the authors' gpt-3.5 records against
# their own hand parse (../shared/data/chatgpt-behavioral/authors_parse.md), and the games rows
# against R (tests/oracle/strategy.R -> tests/oracle/strategy/expected.csv, 1e-9).
#
# psyfaith's parse equals the authors' in 60 of 60 proposer sessions and 28 of 30 responder sessions.
# The two differences, both in the responder file (session numbers from 0):
#  - session 3: "... Some people might be happy with a 50-50 split, while others might want a larger
#    share ..." highlights no amount; the authors coded 50 from the prose, psyfaith reads only
#    bracketed amounts (prose amounts are the model's reasoning: the authors themselves left session 0,
#    "even if the proposal is for $1", and session 6, "at least $50, ideally $60", uncoded), so it is
#    `refusal` (the answer opens "As an AI language model").
#  - session 25: "... their minimal acceptable proposal would be [$50 for the Responder and $50 for
#    the Proposer]" -- the authors left it uncoded (None); the bracket names one amount, $50, for the
#    Responder, so psyfaith reads 50.
# A naive "first [$x]" reading would differ in 1 proposer session (10: "[I propose to give the
# Responder $40, and I will keep $60]") and 4 responder sessions (3, 11 and 17: "[$30-$40]", 25).
. "$PSYFAITH_TOP/tests/lib.sh"
PROFILE=$PSYFAITH_TOP/fixtures/profiles/chatgpt-behavioral-ultimatum.profile
FIX=$PSYFAITH_TOP/fixtures/transcripts
ORACLE=$PSYFAITH_TOP/tests/oracle/strategy
if ! command -v jq >/dev/null || ! command -v sqlite3 >/dev/null; then
    echo "strategy: jq or sqlite3 missing; skipped" >&2; finish
fi

# ---- native records: numbers, answers, errors ----
pf init --quiet
cat > "$T/native.jsonl" <<'JSON'
{"type": "ultimatum_threshold", "model": "m", "threshold": 3}
{"type": "ultimatum_threshold", "model": "m", "total": 100, "answer": "I would not accept anything less than [$30]."}
{"type": "ultimatum_threshold", "model": "m", "total": 100, "answer": "I would accept [$20-$30]."}
{"type": "ultimatum_offer", "model": "m", "total": 100, "answer": "I give [$40] and keep [$60] for myself."}
{"type": "dictator_offer", "model": "m", "total": 100, "answer": "I keep [$80] and give you [$20]."}
{"type": "dictator_offer", "model": "m", "offer": 0, "total": 50}
{"type": "ultimatum_offer", "model": "m", "total": 100, "answer": "As an AI language model, I cannot play."}
JSON
check_exit "ingest native strategy records" 0 pf ingest "$T/native.jsonl"
check_grep "ingest summary counts amounts" "amounts (thresholds and offers): 5 ok, 1 ambiguous, 1 refusal, 0 unparsed" "$T/err"
check_eq "thresholds stored" "$(q "SELECT group_concat(coalesce(threshold, 'NULL') || '/' || total || '/' || status, ' ') FROM ultimatum_threshold ORDER BY id")" \
    "3.0/10.0/ok 30.0/100.0/ok NULL/100.0/ambiguous"
check_eq "offers stored" "$(q "SELECT group_concat(game || ':' || coalesce(amount, 'NULL') || '/' || status, ' ') FROM game_offer ORDER BY id")" \
    "ultimatum:40.0/ok dictator:20.0/ok dictator:0.0/ok ultimatum:NULL/refusal"
printf '%s\n' '{"type": "ultimatum_threshold", "model": "m", "threshold": 12}' > "$T/bad1.jsonl"
check_exit "threshold above the total is an error" 1 pf ingest "$T/bad1.jsonl"
check_grep "error names line and field" "bad1.jsonl:1:" "$T/err"
check_grep "error names the field" "(field threshold)" "$T/err"
printf '%s\n' '{"type": "ultimatum_offer", "model": "m"}' > "$T/bad2.jsonl"
check_exit "an offer needs offer or answer" 1 pf ingest "$T/bad2.jsonl"
check_grep "says what is missing" "needs 'offer' or 'answer'" "$T/err"
check_eq "nothing of the bad files stored" "$(q "SELECT count(*) FROM source WHERE path LIKE '%bad%'")" 0
printf '%s\n' '{"type": "ultimatum_threshold", "model": "m", "total": 100, "answer": "[$30]"}' > "$T/lim.jsonl"
PSYFAITH_PCRE2_MATCH_LIMIT=1 check_exit "a PCRE2 failure is an error, not a status" 1 pf ingest "$T/lim.jsonl"
check_grep "PCRE2 failure names the pattern" "hit the match limit" "$T/err"

# ---- export: CSV columns, and JSONL that ingests back into the same rows ----
check_exit "export ultimatum_thresholds" 0 pf export ultimatum_thresholds --format csv
check_eq "threshold CSV header" "$(head -1 "$T/out")" "model,temperature,persona,rep,run,trait,level,threshold,total,answer,status,source,line,condition"
check_eq "threshold CSV rows" "$(($(wc -l < "$T/out") - 1))" 3
check_exit "export offers" 0 pf export offers --format jsonl
cp "$T/out" "$T/offers.jsonl"
check_eq "offer types" "$(jq -r .type "$T/offers.jsonl" | tr '\n' ' ')" "ultimatum_offer dictator_offer dictator_offer ultimatum_offer "
pf export ultimatum_thresholds --format jsonl > "$T/thr.jsonl"
rm -f "$T/rt.db"
"$PSYFAITH" init --db "$T/rt.db" --quiet
check_exit "the export ingests back" 0 "$PSYFAITH" ingest --db "$T/rt.db" --quiet "$T/thr.jsonl" "$T/offers.jsonl"
check_eq "round trip: thresholds" "$(q -db "$T/rt.db" "SELECT group_concat(coalesce(threshold, 'NULL') || '/' || total || '/' || status, ' ') FROM ultimatum_threshold")" \
    "3.0/10.0/ok 30.0/100.0/ok NULL/100.0/ambiguous"
check_eq "round trip: offers" "$(q -db "$T/rt.db" "SELECT group_concat(game || ':' || coalesce(amount, 'NULL') || '/' || status, ' ') FROM game_offer")" \
    "ultimatum:40.0/ok dictator:20.0/ok dictator:0.0/ok ultimatum:NULL/refusal"

# ---- a version-1 store (tests/cli/data/schema-v1.sql) gains the new tables when it is upgraded ----
rm -f "$T/v1.db"
q -db "$T/v1.db" ".read $PSYFAITH_TOP/tests/cli/data/schema-v1.sql" >/dev/null
q -db "$T/v1.db" "PRAGMA user_version = 1; PRAGMA application_id = 1347634772;" >/dev/null
check_eq "v1 store has no threshold table" "$(q -db "$T/v1.db" "SELECT count(*) FROM sqlite_master WHERE name IN ('ultimatum_threshold', 'game_offer')")" 0
check_exit "ingest strategy records into a v1 store" 0 "$PSYFAITH" ingest --db "$T/v1.db" --quiet "$T/native.jsonl"
check_eq "the upgraded store holds them" "$(q -db "$T/v1.db" "SELECT (SELECT count(*) FROM ultimatum_threshold) || ' ' || (SELECT count(*) FROM game_offer)")" "3 4"

# ---- a condition against the model's baseline (values from tests/oracle/strategy/amounts.tsv) ----
rm -f "$DB"; pf init --quiet
awk -F'\t' '$1 == "cond_baseline" { printf "{\"type\": \"ultimatum_threshold\", \"model\": \"m2\", \"total\": 100, \"threshold\": %s}\n", $3 }
     $1 == "cond_explained" { printf "{\"type\": \"ultimatum_threshold\", \"model\": \"m2\", \"condition\": \"explained\", \"total\": 100, \"threshold\": %s}\n", $3 }' \
    "$ORACLE/amounts.tsv" > "$T/cond.jsonl"
check_exit "ingest thresholds with a condition" 0 pf ingest "$T/cond.jsonl"
check_eq "the condition is on the subject" "$(q "SELECT group_concat(coalesce(condition, '-'), ' ') FROM (SELECT condition FROM subject ORDER BY id)")" "- explained"
check_exit "games ultimatum with a condition" 0 pf games ultimatum --format csv
cp "$T/out" "$T/cond.csv"
cval() { awk -F, -v t="$1" -v c="$2" '$1 == "ug_threshold_condition" && $2 == "m2 [explained]" && $6 == t { print $c; exit }' "$T/cond.csv"; }
wantc() { awk -F, -v t="$1" '$1 == "condition" && $2 == t { print $3 }' "$ORACLE/expected.csv"; }
close() {   # close DESC GOT WANT
    if awk -v g="$2" -v w="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && w != "" && d <= 1e-9 * (1 + (w < 0 ? -w : w))) }'; then pass
    else fail "$1"; printf '    got %s, want %s\n' "$2" "$3" >&2; fi
}
close "condition vs baseline: Welch t" "$(cval welch_t 7)" "$(wantc welch_t)"
close "condition vs baseline: df" "$(cval welch_t 10)" "$(wantc df)"
close "condition vs baseline: p" "$(cval welch_t 11)" "$(wantc p)"
close "condition vs baseline: mean difference" "$(cval mean_difference 7)" "$(wantc mean_difference)"
close "condition vs baseline: CI low" "$(cval mean_difference 8)" "$(wantc ci_low)"
close "condition vs baseline: CI high" "$(cval mean_difference 9)" "$(wantc ci_high)"
check_eq "the baseline block has no condition row" "$(grep -c '^ug_threshold_condition,m2,' "$T/cond.csv")" 0
check_eq "each block its own summary rows" "$(grep -c '^ug_threshold_summary,m2.*,mean,' "$T/cond.csv")" 2

# ---- the profile on the fixtures (copies of the authors' gpt-3.5 wo_ex files) ----
rm -f "$DB"; pf init --quiet
check_exit "ingest ChatGPT-Behavioral ultimatum fixtures" 0 pf ingest --profile "$PROFILE" \
    "$FIX/chatgpt-behavioral-ultimatum-proposer.json" "$FIX/chatgpt-behavioral-ultimatum-responder.json"
check_grep "fixture counts" "30 ultimatum thresholds, 30 offers" "$T/err"
check_grep "fixture statuses" "52 ok, 2 ambiguous, 6 refusal, 0 unparsed" "$T/err"
want_offer=$(awk -F'\t' '$1 == "offer" { printf "%s%s", s, $3; s = " " }' "$ORACLE/amounts.tsv")
want_thr=$(awk -F'\t' '$1 == "threshold" { printf "%s%s", s, $3; s = " " }' "$ORACLE/amounts.tsv")
check_eq "offers equal the authors' hand parse (30/30)" \
    "$(q "SELECT group_concat(printf('%g', amount), ' ') FROM (SELECT amount FROM game_offer ORDER BY id)")" "$want_offer"
check_eq "thresholds equal the authors' hand parse but sessions 3 and 25" \
    "$(q "SELECT group_concat(iif(threshold IS NULL, 'NA', printf('%g', threshold)), ' ') FROM (SELECT threshold FROM ultimatum_threshold ORDER BY id)")" "$want_thr"
check_eq "the authors' list as given: differs exactly at sessions 3 and 25" \
    "$(q "SELECT group_concat(rep, ' ') FROM (SELECT rep FROM ultimatum_threshold WHERE rep IN (3, 25) ORDER BY rep)")" "3 25"
check_eq "session 3 is a refusal, 25 reads 50" \
    "$(q "SELECT group_concat(status || ':' || coalesce(threshold, 'NULL'), ' ') FROM ultimatum_threshold WHERE rep IN (3, 25)")" \
    "refusal:NULL ok:50.0"

# ---- games ultimatum: the strategy rows against R ----
check_exit "games ultimatum on strategy records" 0 pf games ultimatum --format csv
cp "$T/out" "$T/games.csv"
check_nogrep "no 'no ultimatum trials' note when strategy rows are shown" "no ultimatum trials" "$T/err"
check_exit "ingest --force the responder fixture again" 0 pf ingest --quiet --force --profile "$PROFILE" \
    "$FIX/chatgpt-behavioral-ultimatum-responder.json"
check_eq "--force replaces the file's thresholds" "$(q "SELECT count(*) FROM ultimatum_threshold")" 30
# value of analysis/term(/offer) for the one model
val() { awk -F, -v a="$1" -v t="$2" -v o="$3" -v c="${4:-7}" '$1 == a && $6 == t && (o == "" || $5 == o) { print $c; exit }' "$T/games.csv"; }
want() { awk -F, -v k="$1" -v t="$2" '$1 == k && $2 == t { print $3 }' "$ORACLE/expected.csv"; }
for k in threshold offer; do
    case $k in threshold) a=ug_threshold_summary ;; *) a=ug_offer_summary ;; esac
    close "$k mean" "$(val $a mean)" "$(want $k mean)"
    close "$k sd" "$(val $a sd)" "$(want $k sd)"
    close "$k n" "$(val $a mean '' 12)" "$(want $k n)"
    close "$k Welch t" "$(val $a welch_t)" "$(want $k welch_t)"
    close "$k Welch df" "$(val $a welch_t '' 10)" "$(want $k df)"
    close "$k Welch p" "$(val $a welch_t '' 11)" "$(want $k p)"
    close "$k mean difference" "$(val $a mean_difference)" "$(want $k mean_difference)"
    close "$k difference CI low" "$(val $a mean_difference '' 8)" "$(want $k ci_low)"
    close "$k difference CI high" "$(val $a mean_difference '' 9)" "$(want $k ci_high)"
done
for o in 0 10 20 30 40 50 60 100; do
    close "acceptance at $o" "$(val ug_threshold_curve acceptance $o)" "$(want threshold acceptance_$o)"
    close "acceptance CI low at $o" "$(val ug_threshold_curve acceptance $o 8)" "$(want threshold acceptance_lo_$o)"
    close "acceptance CI high at $o" "$(val ug_threshold_curve acceptance $o 9)" "$(want threshold acceptance_hi_$o)"
done
check_eq "human curve at 50 % (MobLab, 5617 of 6102)" "$(val ug_threshold_curve human_acceptance 50)" "0.9205178629957391"
check_eq "status rows" "$(awk -F, '$1 == "ug_threshold_status" { printf "%s=%s ", $6, $7 }' "$T/games.csv")" \
    "ok=22 ambiguous=2 refusal=6 unparsed=0 "
check_eq "human offer share at 50 % (1805 of 6160 within [45, 55))" "$(val ug_offer_distribution human_share 50 12)" 6160
check_eq "the long citation printed once per block" "$(grep -c 'MobLab Ultimatum Game, strategy method, human responders' "$T/games.csv")" 1

# ---- the report: the strategy parts when the store has such records, and only then ----
check_exit "report with strategy records" 0 pf report --latex "$T/rep" --csv "$T/rep"
for part in strategy_summary fig_ug_threshold_curve fig_ug_offers; do
    check_eq "report part $part written" "$(ls "$T/rep/$part.tex" "$T/rep/$part.csv" 2>/dev/null | wc -l)" 2
done
check_eq "no verdict table without ultimatum or milgram trials" "$(ls "$T/rep" | grep -c games_verdict)" 0
check_grep "summary table: the threshold line" "gpt-{}3.5-{}turbo-{}0301 & minimum & 22/30 & 32.5 & 14.7 &" "$T/rep/strategy_summary.tex"
check_grep "summary table: the offer line" "gpt-{}3.5-{}turbo-{}0301 & UG offer & 30/30 &" "$T/rep/strategy_summary.tex"
check_eq "summary CSV carries the Welch t to every digit" \
    "$(awk -F, '$1 == "ug_threshold_summary" && $6 == "welch_t" { print $7 }' "$T/rep/strategy_summary.csv")" "$(val ug_threshold_summary welch_t)"
check_grep "threshold curve: the human curve drawn" "humans (\$n=6102\$)" "$T/rep/fig_ug_threshold_curve.tex"
check_grep "threshold curve: the model curve at 30 %" "(30,0.590909)" "$T/rep/fig_ug_threshold_curve.tex"
check_grep "offer figure: the human proposers" "humans (\$n=6160\$)" "$T/rep/fig_ug_offers.tex"
rm -f "$T/plain.db"
check_exit "a store without strategy records" 0 "$PSYFAITH" init --db "$T/plain.db" --quiet
check_exit "report on it" 0 "$PSYFAITH" report --db "$T/plain.db" --latex "$T/rep2" --csv "$T/rep2"
check_eq "no strategy parts then" "$(ls "$T/rep2" | grep -c -e strategy_summary -e threshold_curve -e fig_ug_offers)" 0

# ---- every ChatGPT-Behavioral ultimatum record file in ../shared (skipped without it) ----
REC=$PSYFAITH_SHARED/data/chatgpt-behavioral/records
if [ -d "$REC" ]; then
    rm -f "$DB"; pf init --quiet
    check_exit "ingest all 14 ChatGPT-Behavioral ultimatum files" 0 pf ingest --profile "$PROFILE" "$REC"/ultimatum_*.json
    check_grep "all files: counts" "ingested 14 files: 480 ultimatum thresholds, 480 offers" "$T/err"
    check_grep "all files: statuses" "887 ok, 22 ambiguous, 36 refusal, 15 unparsed" "$T/err"
    check_eq "occupation sessions (6 x 30 per role)" \
        "$(q "SELECT count(*) FROM game_offer o JOIN source s ON s.id = o.source_id WHERE s.path LIKE '%occupations%'")" 180
    check_eq "conditions from the prompts and the occupation system prompts" \
        "$(q "SELECT group_concat(c, '|') FROM (SELECT DISTINCT coalesce(condition, '-') AS c FROM subject ORDER BY 1)")" \
        "-|after_proposer|after_responder|explained|occupation=economist|occupation=investment fund manager|occupation=journalist|occupation=legislator|occupation=mathematician|occupation=public relations specialist"
    check_eq "explained: the two w_ex files (30 + 30)" \
        "$(q "SELECT count(*) FROM subject s JOIN ultimatum_threshold t ON t.subject_id = s.id WHERE s.condition = 'explained'") $(q "SELECT count(*) FROM subject s JOIN game_offer o ON o.subject_id = s.id WHERE s.condition = 'explained'")" "30 30"
    check_eq "after_proposer: the responder turns of the _12 files (60 + 30)" \
        "$(q "SELECT count(*) FROM subject s JOIN ultimatum_threshold t ON t.subject_id = s.id WHERE s.condition = 'after_proposer'")" 90
    # The occupations files carry a second element, per occupation the amounts the authors' own script
    # read (it reads only a bare "[$x]"; it drops what it cannot read, so the lists have 20-30 values).
    # Every such list is, in session order, a subsequence of psyfaith's ok amounts: psyfaith reads every
    # amount they read, the same, and 38 more (splits such as "[$40 for me, $60 for the Proposer]").
    extra=0 subseq=0
    for role in 1 2; do
        F=$(ls "$REC"/ultimatum_${role}_turbo_occupations_described_*.json)
        if [ $role = 1 ]; then tb=game_offer col=amount; else tb=ultimatum_threshold col=threshold; fi
        for occ in economist "investment fund manager" journalist legislator mathematician "public relations specialist"; do
            jq -r --arg o "$occ" '.[1][$o][] | tostring' "$F" > "$T/theirs"
            q "SELECT printf('%g', $col) FROM $tb x JOIN subject s ON s.id = x.subject_id
               WHERE s.condition = 'occupation=$occ' AND x.status = 'ok' ORDER BY x.id" > "$T/ours"
            if awk 'NR == FNR { a[++n] = $1; next } { if (i < n && $1 == a[i + 1]) i++ } END { exit !(i == n) }' \
                "$T/theirs" "$T/ours"; then subseq=$((subseq + 1)); fi
            extra=$((extra + $(wc -l < "$T/ours") - $(wc -l < "$T/theirs")))
        done
    done
    check_eq "the authors' occupation lists are subsequences of psyfaith's amounts (12 lists)" "$subseq" 12
    check_eq "amounts psyfaith reads beyond the authors' occupation lists" "$extra" 38
    check_exit "games ultimatum on all files" 0 pf games ultimatum --format csv
    check_grep "a condition against the baseline" "ug_threshold_condition,gpt-3.5-turbo-0301 [explained],,,,welch_t," "$T/out"
    check_grep "text-davinci-003 threshold rows" "ug_threshold_summary,text-davinci-003,,,,mean,49.5333" "$T/out"
else
    echo "strategy: $REC not found (set PSYFAITH_SHARED); the real-file checks are skipped" >&2
fi
finish
