#!/bin/sh
# tests/fuzz/make_seeds.sh -- (re)writes the seed corpora tests/fuzz/*/seed from the fixtures and
# the cases of the CLI tests.  Seeds are small (a few lines each): libFuzzer mutates them, and
# `make check` replays them.  Run from anywhere: sh tests/fuzz/make_seeds.sh
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
F=$TOP/fixtures
S=$TOP/tests/fuzz
for h in jsonl csv answer decision mapping persona audit; do rm -rf "$S/$h/seed"; mkdir -p "$S/$h/seed"; done

# ---- jsonl: one file per record type from the fixtures, then the shapes of ingest_errors.sh
J=$S/jsonl/seed
head -n 3 "$F/demo/study.jsonl" >"$J/responses.jsonl"
grep -m 2 '"type":"behavior"' "$F/demo/study.jsonl" >"$J/behavior.jsonl"
head -n 2 "$F/demo/labeled.jsonl" >"$J/labeled.jsonl"
grep -m 2 '"type":"ultimatum"' "$F/games/games.jsonl" >"$J/ultimatum.jsonl"
grep -m 1 '"type":"milgram"' "$F/games/games.jsonl" >"$J/milgram.jsonl"
grep -m 2 '"type":"milgram_step"' "$F/games/games.jsonl" >"$J/milgram_step.jsonl"
cp "$F/transcripts/personallm-gpt-4-0613/extr_agre_cons_emot_clos_p1.json" "$J/personallm-document.json"
printf '%s\n' '{"id":"batch_req_1","custom_id":"model=gpt-4o;temperature=0.7;persona=AGR=9;rep=2;item=E1","response":{"status_code":200,"body":{"model":"gpt-4o-2024-08-06","choices":[{"message":{"role":"assistant","content":"(D) Moderately Accurate"}}]}}}' \
    '{"id":"batch_req_2","custom_id":"model=gpt-4o;temperature=0;persona=baseline;rep=0;item=A3","response":{"status_code":200,"body":{"model":"gpt-4o","choices":[{"message":{"content":"I am an AI and cannot answer."}}]}}}' >"$J/openai-batch.jsonl"
printf '%s\n' '{"model":"m","temperature":null,"persona":"agreeableness=9","rep":3,"instrument":"IPIP-50","item_text":"You are the life of the party","answer":"4","option_order":"descending","prompt":"x","run":"r1"}' \
    '{"model":"m","instrument":"BFI-44","item":"1","option":5}' \
    '{"model":"m","instrument":"IPIP-NEO-120","item":"7","answer":"(A) or (C)"}' >"$J/response-forms.jsonl"
printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"A","options":["E","D","C","B","A"]}' \
    '{"model":"m","instrument":"IPIP-50","item":"E2","answer":"(2)","options":"C|A|B|E|D","label_style":"letters"}' \
    '{"model":"m","instrument":"IPIP-50","item":"E3","answer":"B","options":["Very Accurate","Neutral","Very Inaccurate","Moderately Accurate","Moderately Inaccurate"],"label_style":"words"}' \
    '{"model":"m","instrument":"IPIP-50","item":"E4","answer":"4","options":[5,4,3,2,1],"option_order":"ascending"}' \
    '{"model":"m","instrument":"IPIP-50","item":"E5","answer":"A","options":["E","E",null,{},"A"]}' >"$J/response-options.jsonl"
printf '%s\n' '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)"}' '"just a string"' '{"model": }' \
    '{"model":"m","temperature":"0.7","instrument":"IPIP-50","item":"E1","answer":"(D)"}' \
    '{"model":{"name":"gpt-4"},"instrument":"IPIP-50","item":"E1","answer":["(D)"]}' \
    '{"model":"m","rep":-1,"instrument":"IPIP-50","item":"E1","option":2.5}' '{"type":"survey","model":"m"}' \
    '{"type":"ultimatum","model":"m","trait":"AGR","level":10,"offer":12,"total":10,"decision":"maybe"}' \
    '{"type":"milgram","model":"m","level":"10","final_level":31,"max_level":30,"filtered":"maybe"}' \
    '{"type":"milgram_step","model":"m","level":0,"step":1,"disobeyed":true}' >"$J/errors.jsonl"
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)\\u0000 and more"}\n{"model":"bs","instrument":"IPIP-50","item":"E1","answer":"(D) \\\\u0000"}\n' >"$J/nul-escape.jsonl"
printf '{"model":"m\377","instrument":"IPIP-50","item":"E1","answer":"\355\240\200"}\n' >"$J/bad-utf8.jsonl"
printf '\357\273\277{"model":"bom","instrument":"IPIP-50","item":"E1","answer":"(D)"}\r\n\r\n{"model":"crlf","instrument":"IPIP-50","item":"E2","answer":"(B)"}\r\n' >"$J/bom-crlf.jsonl"
printf '\357\273\277[{"model":"bom","instrument":"IPIP-50","item":"E3","answer":"(C)"}]' >"$J/bom-array.json"
printf '{"model":"m","instrument":"IPIP-50","item":"E1","answer":"(D)"} x\n\n  \n{"model":"m","instrument":"IPIP-50","item":"E2"' >"$J/trailing.jsonl"

# ---- csv: native columns, wide tables, the mapped (;-separated) layout
C=$S/csv/seed
printf 'model,temperature,instrument,item,answer\nm,0.7,IPIP-50,E1,(D)\nm,hot,IPIP-50,E2,(D)\n' >"$C/native.csv"
printf 'type,model,persona,dimension,occasion,text,trait,level,offer,total,decision,final_level,max_level,run,step,disobeyed,label\nbehavior,m,AGR=9,AGR,a party,I help.,,,,,,,,,,,\nultimatum,m,,,,,AGR,9,3,10,accept,,,,,,\nmilgram,m,,,,,EMO,max,,,,10,30,r1,,,\nmilgram_step,m,,,,,EMO,1,,,,,,r1,2,yes,\nlabeled_behavior,,,EXT,,I talk,,,,,,,,,,,y\n' >"$C/types.csv"
printf 'model,instrument,item,answer\r\ncrlf,IPIP-50,E1,(D)\r\ncrlf,IPIP-50,E2,"two\r\nlines (B)"\r\n\r\ncrlf,IPIP-50,E3,(C)\r\n' >"$C/crlf-quoted.csv"
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\nm,IPIP-50,E2\nm,IPIP-50,E2,(D),extra\nm,IPIP-50,E2,"(D)\n' >"$C/bad-rows.csv"
printf '\357\273\277model;instrument;item;answer\nbom;IPIP-50;E2;(B)\n' >"$C/bom-semicolon.csv"
printf 'model,instrument,item,answer\nm,IPIP-50,E1,(D)\000\nm\351,IPIP-50,E2,(D)\n' >"$C/nul-latin1.csv"
printf 'id\tE1\tE2\tN1\tnote\r\nr1\t5\t1\t0\thello\r\nr2\t\t2\tNA\t\r\n' >"$C/wide.tsv"
printf 'id,E1,E2,A1,persona\nr1,5,1,3,AGR=9\nr2,6,1,x,\nr3,NA,,2,baseline\n' >"$C/wide-bad.csv"
printf 'Model;Response;Temp;prompt\ngpt;(D) Moderately Accurate;0.7;"Rate:\nI am the life of the party."\ngpt;I cannot answer;;"Rate:\nI don\047t talk a lot."\n' >"$C/mapped.csv"

# ---- answer: raw answers, from the answer-parser cases and the forms models write
A=$S/answer/seed
i=0
while IFS= read -r line; do
    i=$((i + 1)); printf '%s' "$line" >"$A/$(printf '%02d' $i).txt"
done <<'ANSWERS'
D) Moderately Accurate.
(E)
B - Moderately Inaccurate
4
very accurate
[3] Neutral.
I'm an AI and cannot answer personal questions.
As an AI language model, I do not have personal preferences.
(A) or (C)
A person like me would say Neutral
Answer: D
My answer is (B).
  2 - Moderately Inaccurate
(D) Very Inaccurate
I would accept the offer.
I would not accept this; I reject it.
No, I decline.
Rating: 10 out of 11
(K) Strongly agree — 11
I’m an AI; I can’t say.
Agree a little
ANSWERS
printf '\n\nC) Neither Accurate Nor Inaccurate' >"$A/newlines.txt"
printf '(\303\251) \377\376 (B' >"$A/bad-utf8.txt"

# ---- decision: the hand-written answers of tests/data/decisions.tsv (part 1), unescaped, and a few real
# ChatGPT-Behavioral answers (part 2: every 40th)
D=$S/decision/seed
awk -F'\t' '/^# Part 2/ { part = 2 } /^#/ { next } part != 2 || ++n % 40 == 1 { print $2 }' \
    "$TOP/tests/data/decisions.tsv" | {
    i=0
    while IFS= read -r line; do
        i=$((i + 1)); printf '%b' "$line" >"$D/$(printf '%03d' $i).txt"
    done
}

# ---- mapping: the shipped profiles and one directive of each kind
M=$S/mapping/seed
cp "$F/profiles/openai-batch.profile" "$F/profiles/personallm-bfi.profile" "$F/profiles/chatgpt-behavioral-bigfive.profile" "$M/"
printf '%s\n' '# every directive' 'format jsonl' 'records /records/0' 'map model=/response/body/model' 'map answer=a~1b/c~0d' \
    'set instrument=IPIP-50' 'set persona=AGR=9' 'extract item=custom_id~(?:^|;)item=([^;]+)' 'item-regex \n([^\n]+?)\s*\z' \
    'answers-regex \((?<item>[a-z]{1,2})\)\s*(?<answer>[^\n(]*)' 'delimiter tab' 'wide' 'missing NA' 'jq x.jq' >"$M/all.profile"
printf 'map answer=Response\r\nset model=m\r\n\r\n   # comment\r\nextract temperature=temperature~(\\d+)\r\n' >"$M/crlf.profile"
printf '%s\n' 'map nope=/x' 'set model' 'extract item=~(x)' 'extract item=item~(x)' 'item-regex (' 'answers-regex (a)' \
    'format xml' 'records x' 'delimiter ab' 'bogus' >"$M/errors.profile"
# ---- persona: the personas of the fixtures (one a line), and the forms persona_level() meets
P=$S/persona/seed
grep -rhoE '"persona": *"[^"]*"' "$F" | sed -E 's/^"persona": *"//; s/"$//' | sort -u >"$P/fixtures.txt"
printf '%s\n' 'agreeableness=9' 'AGR=9' 'AGR = 9' 'Agreeableness\t= 3' 'emotional stability=0.5' 'N=9' \
    'neuroticism=2' 'OPEN=1e3' 'EXT=' 'EXT=x' 'EXT=inf' 'EXT=nan' 'EXT=1e999' 'CONS= 7 ' ' AGR=9' 'AGR==9' \
    '=9' 'baseline' 'a-very-long-trait-name-that-is-longer-than-the-sixty-four-byte-buffer=1' >"$P/forms.txt"
printf 'AGR=9\000EXT=1\r\nOPEN=0x1p3\n' >"$P/controls.txt"
# ---- audit: the claims of the audit fixture, and the grammar of metrics/audit.h one form a line
U=$S/audit/seed
if [ -f "$F/audit/claims.txt" ]; then cp "$F/audit/claims.txt" "$U/claims.txt"; fi
printf '%s\n' 'model: acme-chat' 'persona: *' 'temperature: 0.7' 'instrument: "IPIP-NEO-120"' \
    'AGR >= 4.0' 'CONS between 3.5 and 4.5 on IPIP-50' 'neuroticism <= 2' 'emotional stability > 3.1' \
    'OPEN percentile >= 50 on BFI-44 vs "US adults, 18-25"' 'EXT percentile<30 vs all ages' 'AGR stable on "BFI-44"' \
    'AGR steerable' 'AGR steerable ultimatum' 'CONS steerable me' 'N < 2.5e0 # "calm"' >"$U/grammar.txt"
printf '%s\n' 'AGR >=' 'AGR between 4 3' 'XYZ >= 4' 'AGR >= 4 on' 'AGR percentile >= 50 vs' 'model:' 'AGR >= "4' \
    'temperature: hot' 'AGR >= 1e999' 'AGR steerable chess' >"$U/errors.txt"
printf 'AGR >= 4\000 # nul\r\n\t\tCONS\v<=\f3\r\n' >"$U/controls.txt"
echo "seeds: $(ls "$J" | wc -l) jsonl, $(ls "$C" | wc -l) csv, $(ls "$A" | wc -l) answer, $(ls "$D" | wc -l) decision, $(ls "$M" | wc -l) mapping, $(ls "$P" | wc -l) persona, $(ls "$U" | wc -l) audit"
