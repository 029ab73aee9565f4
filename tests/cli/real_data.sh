#!/bin/sh
# Real third-party logs through the shipped profiles; psyfaith's parse must equal the authors' own:
#  - ChatGPT-Behavioral (Mei et al.): 30 sessions x 50 IPIP items, against the file's `choices`
#  - PersonaLLM (Jiang et al.): 320 persona runs x 44 BFI answers per model, against scores/*.csv
# Every answer is compared.  The one explained disagreement: in 5 GPT-3.5 runs the model answered
# item (u) twice; the authors' parser kept the last answer, psyfaith stores one response, `ok` when
# both agree (3 runs: no difference) and `ambiguous` when they differ (2 runs), so exactly those 2
# runs' Extraversion sums differ, and the test checks that it is those and no others.
pass=0 fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $3: got '$1', want '$2'" >&2; fi; }
DATA="$PSYFAITH_SHARED/data"
PROFILES="$PSYFAITH_TOP/fixtures/profiles"
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
export PSYFAITH_DB="$W/s.db"
if [ ! -d "$DATA/chatgpt-behavioral" ] || ! command -v jq >/dev/null; then
    echo "real_data: shared data or jq missing; skipped" >&2; echo "0 passed, 0 failed"; exit 0
fi
"$PSYFAITH" init --quiet

# ChatGPT-Behavioral: item text recovered from the prompt, "[3] Neutral." answers.
rec="$DATA/chatgpt-behavioral/records/bigfive_turbo_2023_06_26-02_06_26_AM.json"
"$PSYFAITH" ingest --quiet --profile "$PROFILES/chatgpt-behavioral-bigfive.profile" "$rec"
ok $? 0 "ingest ChatGPT-Behavioral"
awk -F, 'NR > 1 { print NR - 2 "\t" $2 }' "$PSYFAITH_TOP/fixtures/banks/ipip-50.csv" > "$W/codes"
jq -r '.choices | to_entries[] | .key as $r | .value | to_entries[] | [$r, .key, .value] | @tsv' "$rec" |
    awk -F'\t' 'NR == FNR { code[$1] = $2; next } { print $1 "\t" code[$2] "\t" $3 }' "$W/codes" - | sort > "$W/authors"
"$PSYFAITH" export responses --format jsonl |
    jq -r 'select(.instrument == "IPIP-50") | [.rep, .item, (.option // "NA")] | @tsv' | sort > "$W/ours"
ok "$(wc -l < "$W/ours")" 1500 "ChatGPT-Behavioral responses stored"
ok "$(comm -3 "$W/authors" "$W/ours" | wc -l)" 0 "ChatGPT-Behavioral answers that differ from the authors' choices"
ok "$("$PSYFAITH" export responses | grep -c ',ok,')" 1500 "ChatGPT-Behavioral answers parsed ok"
ok "$("$PSYFAITH" export subjects | grep -c '^gpt-3.5-turbo-0301,')" 1 "model taken from the response objects"

# PersonaLLM: 44 answers in one string per run; trait sums against the authors' scores files.
for pair in "gpt-4-0613 gpt4_0613" "gpt-3.5-turbo-0613 gpt3.5_turbo_0613"; do
    set -- $pair
    "$PSYFAITH" ingest --quiet --profile "$PROFILES/personallm-bfi.profile" --set "model=$1" \
        "$DATA"/personallm/outputs/"$1"/temp0.7/bfi/*.json
    ok $? 0 "ingest PersonaLLM $1"
    "$PSYFAITH" export responses --format jsonl |
        jq -r --arg m "$1" 'select(.model == $m and .status == "ok") | [.persona, .rep, .dimension, .score] | @tsv' |
        awk -F'\t' '{ k = $1 "," $2 "," $3; s[k] += $4; n[k]++ }
            END { for (k in s) { split(k, a, ","); t = a[3]; v = s[k]
                  # the authors report neuroticism; psyfaith stores emotional stability (6 - x per item)
                  if (t == "EMO") { t = "Neuroticism"; v = 6 * n[k] - v }
                  else if (t == "EXT") t = "Extraversion"; else if (t == "AGR") t = "Agreeableness"
                  else if (t == "CONS") t = "Conscientiousness"; else t = "Openness"
                  print a[1] "," a[2] "," t "," v } }' | sort > "$W/ours_pl"
    awk -F, 'NR > 1 { print $4 "," $3 "," $2 "," $5 }' "$DATA/personallm/scores/$2_all_scores.csv" | sort > "$W/auth_pl"
    ok "$(wc -l < "$W/ours_pl")" 1600 "PersonaLLM $1 trait scores"
    # (persona, run) of every ambiguous answer, as the authors' trait name
    "$PSYFAITH" export responses --format jsonl |
        jq -r --arg m "$1" 'select(.model == $m and .status == "ambiguous") | [.persona, .rep, .dimension] | @csv' |
        tr -d '"' | sed 's/,EXT$/,Extraversion/; s/,AGR$/,Agreeableness/; s/,CONS$/,Conscientiousness/; s/,EMO$/,Neuroticism/; s/,OPEN$/,Openness/' |
        sort > "$W/ambiguous"
    comm -13 "$W/auth_pl" "$W/ours_pl" | cut -d, -f1-3 | sort > "$W/differ"
    ok "$(cat "$W/differ")" "$(cat "$W/ambiguous")" "PersonaLLM $1: trait sums that differ are exactly those with a twice-answered item"
done
ok "$(wc -l < "$W/ambiguous")" 2 "PersonaLLM gpt-3.5: items answered twice with different options"
ok "$(cat "$W/ambiguous")" "intr_agre_cons_emot_clos,2,Extraversion
intr_agre_cons_emot_clos,6,Extraversion" "PersonaLLM gpt-3.5: which runs"
ok "$("$PSYFAITH" export responses | grep -c ',PersonaLLM-BFI,')" 28160 "PersonaLLM responses: 640 runs x 44 items, repeats merged"
echo "$pass passed, $fail failed"
