#!/bin/sh
# tests/cli/audit.sh -- `psyfaith audit` and the report's audit part, end to end on the walkthrough
# store of fixtures/audit/README.md (the demo study + the games fixture + the synthetic vendor
# "acme-chat" of fixtures/audit/make_vendor.py, classifiers trained and applied):
#  - every verdict (supported, not supported, contradicted, not measurable for too little data and
#    for an unfaithful measurement, naming the coefficient), and the exit status 0 / 1 / 2;
#  - the grammar's errors through the command: exact messages and FILE:LINE:COL / --claim:N:COL;
#  - data errors (unknown model or instrument, a population that matches no norm, a threshold off
#    the scale), usage errors, scope lines and their override by the options;
#  - the numbers equal those of psyfaith scores, metrics (TrC, InC, BC with their bootstrap CIs,
#    norm_percentile, steer_rho) and games (the Ultimatum slope);
#  - psyfaith report --claims writes audit.csv equal to the command's CSV, and audit.tex.
. "$(dirname "$0")/../lib.sh"
TOP=$PSYFAITH_TOP
F=$TOP/fixtures
CLAIMS=$F/audit/claims.txt
HEADER='source,claim,model,persona,temperature,instrument,dimension,verdict,value,ci_low,ci_high,n,threshold,reliability,validity,reason,evidence,condition'

if ! "$PSYFAITH" help 2>/dev/null | grep -q '^  audit '; then
    echo "audit.sh: SKIP: 'audit' is not in main.c's command table yet" >&2
    finish
fi

# CSV file -> table of $T/csv.db (the header names the columns); then SQL on it.
csv_load() { rm -f "$T/csv.db"; sqlite3 -batch "$T/csv.db" ".import --csv $1 t"; }
csvq() { sqlite3 -batch "$T/csv.db" "$1"; }

check_exit "init" 0 pf init --quiet
check_exit "ingest demo study, games and the vendor" 0 pf ingest --quiet "$F/demo/study.jsonl" "$F/demo/labeled.jsonl" \
    "$F/games/games.jsonl" "$F/audit/vendor.jsonl"
check_exit "classify train" 0 pf classify train --dimension all --folds 5 --seed 1 --quiet
check_exit "classify apply" 0 pf classify apply --quiet

# ---- the walkthrough: every verdict, exit 1 --------------------------------------------------
check_exit "the example claims: some fail, exit 1" 1 pf audit --claims "$CLAIMS" --format csv --bootstrap 200
cp "$T/out" "$T/example.csv"
check_eq "CSV header" "$(head -n 1 "$T/example.csv")" "$HEADER"
csv_load "$T/example.csv"
check_eq "one row per claim" "$(csvq 'SELECT count(*) FROM t')" 9
check_eq "verdicts of the example" "$(csvq "SELECT group_concat(claim || ': ' || verdict, '|') FROM t")" \
"AGR >= 4.0: supported|CONS between 3.5 4.5: supported|CONS >= 4.2: not supported|OPEN percentile >= 50: contradicted|EXT >= 3.5: not measurable|AGR stable: not supported|AGR steerable: supported|AGR steerable ultimatum: supported|CONS steerable milgram: not measurable"
check_eq "sources are FILE:LINE" "$(csvq "SELECT source FROM t WHERE claim = 'AGR >= 4.0'")" "$CLAIMS:8"
check_eq "scope lines apply" "$(csvq "SELECT DISTINCT model || '/' || persona FROM t WHERE claim NOT LIKE '%steerable%'")" \
    "acme-chat/baseline"
check_eq "unfaithful: not measurable, naming the coefficients" \
    "$(csvq "SELECT reason FROM t WHERE claim = 'EXT >= 3.5'" | sed 's/: TrC .*InC .* < 0.7;.*/: TrC ... InC ... < 0.7;/')" \
    "the IPIP-NEO-120 EXT measurement is not faithful: TrC ... InC ... < 0.7;"
check_eq "unfaithful: the value is still shown" "$(csvq "SELECT value <> '' AND n = '5' FROM t WHERE claim = 'EXT >= 3.5'")" 1
check_eq "no data: not measurable" "$(csvq "SELECT reason FROM t WHERE claim = 'CONS steerable milgram'")" \
    "too little data: no milgram runs with CONS personas for acme-chat"
check_eq "contradicted: CI entirely on the other side" \
    "$(csvq "SELECT CAST(ci_high AS REAL) < 50 AND reason LIKE '%lies entirely < 50' FROM t WHERE claim = 'OPEN percentile >= 50'")" 1
check_eq "not supported: CI across the threshold" \
    "$(csvq "SELECT CAST(ci_low AS REAL) < 4.2 AND CAST(ci_high AS REAL) >= 4.2 FROM t WHERE claim = 'CONS >= 4.2'")" 1
check_eq "supported: CI entirely on the claimed side" \
    "$(csvq "SELECT CAST(ci_low AS REAL) >= 4 FROM t WHERE claim = 'AGR >= 4.0'")" 1
check_eq "evidence names the rows" \
    "$(csvq "SELECT evidence LIKE '%psyfaith scores: mean of 5 subjects%psyfaith metrics --summary IPIP-NEO-120 AGR: faithful%' FROM t WHERE claim = 'AGR >= 4.0'")" 1
check_eq "thresholds carried" "$(csvq "SELECT threshold || ' ' || reliability || ' ' || validity FROM t WHERE claim = 'AGR >= 4.0'")" \
    "per-item mean >= 4 0.7 0.6"
check_eq "stable names the failing coefficient" "$(csvq "SELECT reason LIKE 'BC %: its 95% CI [%] reaches below 0.6' FROM t WHERE claim = 'AGR stable'")" 1
check_exit "the same seed gives the same output" 1 pf audit --claims "$CLAIMS" --format csv --bootstrap 200
check_eq "reproducible" "$(cmp -s "$T/out" "$T/example.csv" && echo same)" same

# ---- exit status 0, table format ---------------------------------------------------------------
check_exit "all supported: exit 0" 0 pf audit --model acme-chat --persona baseline --bootstrap 200 \
    --claim 'AGR >= 4.0' --claim 'AGR steerable' --claim 'OPEN stable' --format table
check_eq "table header" "$(head -n 1 "$T/out" | tr -s ' ')" \
    "source claim model persona condition temperature instrument dimension verdict value ci_low ci_high n reason"
check_eq "table rows" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 3
check_grep "table: verdicts" "--claim:3  OPEN stable" "$T/out"
check_exit "contradicted stable: exit 1" 1 pf audit --model acme-chat --persona baseline --bootstrap 200 --claim 'EXT stable'
csv_load "$T/out"
check_eq "EXT stable contradicted by TrC" "$(csvq "SELECT verdict || ': ' || substr(reason, 1, 4) FROM t")" "contradicted: TrC "

# ---- too little data, --bootstrap 0, neuroticism ------------------------------------------------
check_exit "one subject in scope" 1 pf audit --model acme-chat --persona baseline --temperature 0.5 --claim 'AGR >= 4'
csv_load "$T/out"
check_eq "one subject: not measurable" "$(csvq 'SELECT verdict, reason FROM t' | tr '\n' ' ')" \
    "not measurable|too little data: 1 subject of acme-chat in scope with a score on IPIP-NEO-120; at least 2 needed (--min-subjects) "
check_exit "--min-subjects 1 and --bootstrap 0" 0 pf audit --model acme-chat --persona baseline --temperature 0.5 \
    --min-subjects 1 --bootstrap 0 --claim 'AGR >= 4'
csv_load "$T/out"
check_eq "no CI: judged on the value alone" "$(csvq "SELECT verdict, ci_low, reason LIKE '%judged on the value alone (no CI)' FROM t")" \
    "supported||1"
check_exit "--bootstrap 0 never contradicts" 1 pf audit --model acme-chat --persona baseline --bootstrap 0 \
    --claim 'OPEN percentile >= 50'
csv_load "$T/out"
check_eq "--bootstrap 0: not supported" "$(csvq 'SELECT verdict FROM t')" "not supported"
check_exit "neuroticism and EMO" 1 pf audit --model acme-chat --persona baseline --bootstrap 50 \
    --claim 'EMO >= 1' --claim 'neuroticism <= 3'
csv_load "$T/out"
check_eq "neuroticism = 6 - EMO" "$(csvq "SELECT abs((SELECT value FROM t WHERE dimension = 'N') + (SELECT value FROM t WHERE dimension = 'EMO') - 6) < 1e-12")" 1
check_eq "neuroticism CI reversed" "$(csvq "SELECT abs((SELECT ci_low FROM t WHERE dimension = 'N') + (SELECT ci_high FROM t WHERE dimension = 'EMO') - 6) < 1e-12")" 1

# ---- numbers agree with psyfaith scores, metrics and games ----------------------------------------
check_exit "scores" 0 pf scores --format csv
csv_load "$T/out"
want=$(csvq "SELECT avg(CAST(per_item AS REAL)) FROM t WHERE model = 'acme-chat' AND persona = '' AND instrument = 'IPIP-NEO-120' AND dimension = 'AGR'")
csv_load "$T/example.csv"
check_eq "level = mean of psyfaith scores' per-item means" \
    "$(csvq "SELECT abs(CAST(value AS REAL) - $want) < 1e-12 FROM t WHERE claim = 'AGR >= 4.0'")" 1

check_exit "percentile for a model with no persona" 1 pf audit --model text-davinci-003 --claim 'OPEN percentile >= 99 on IPIP-NEO-120' --bootstrap 0
csv_load "$T/out"
got=$(csvq 'SELECT value FROM t')
check_exit "metrics norms" 0 pf metrics --metric norms --format csv
csv_load "$T/out"
check_eq "percentile = psyfaith metrics norm_percentile" "$got" \
    "$(csvq "SELECT value FROM t WHERE metric = 'norm_percentile' AND instrument = 'IPIP-NEO-120' AND dimension = 'OPEN' AND item = 'text-davinci-003' LIMIT 1")"

check_exit "metrics with the same bootstrap" 0 pf metrics --bootstrap 200 --seed 1 --metric InC,BC,steer --format csv
csv_load "$T/out"
bc=$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t WHERE metric = 'BC' AND instrument = 'IPIP-NEO-120' AND dimension = 'AGR'")
rho=$(csvq "SELECT value FROM t WHERE metric = 'steer_rho' AND instrument = 'IPIP-NEO-120' AND dimension = 'AGR' AND item = 'acme-chat'")
csv_load "$T/example.csv"
check_eq "stable's BC and its CI = psyfaith metrics --bootstrap 200" \
    "$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t WHERE claim = 'AGR stable'")" "$bc"
check_eq "steerable's rho = psyfaith metrics steer_rho" "$(csvq "SELECT value FROM t WHERE claim = 'AGR steerable'")" "$rho"

check_exit "games ultimatum" 0 pf games ultimatum --format csv
csv_load "$T/out"
slope=$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t WHERE analysis = 'ug_trend' AND model = 'acme-chat' AND trait = 'AGR' AND term = 'slope_level'")
csv_load "$T/example.csv"
check_eq "steerable ultimatum = psyfaith games ug_trend slope_level" \
    "$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t WHERE claim = 'AGR steerable ultimatum'")" "$slope"

# TrC and InC over a store of one model's subjects equal psyfaith metrics on that store
grep '"type":"response"' "$F/audit/vendor.jsonl" > "$T/acme.jsonl"
ONE=$T/one.db
check_exit "one-model store" 0 "$PSYFAITH" init --db "$ONE" --quiet
check_exit "ingest acme-chat's questionnaires" 0 "$PSYFAITH" ingest --db "$ONE" --quiet "$T/acme.jsonl"
check_exit "audit with a reliability no coefficient reaches" 1 "$PSYFAITH" audit --db "$ONE" --model acme-chat \
    --claim 'CONS stable' --reliability 0.999 --bootstrap 200
csv_load "$T/out"
trc=$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t")
check_eq "contradicted by TrC" "$(csvq "SELECT verdict || ' ' || substr(reason, 1, 4) FROM t")" "contradicted TrC "
check_exit "metrics TrC on that store" 0 "$PSYFAITH" metrics --db "$ONE" --metric TrC --bootstrap 200 --seed 1 --format csv
csv_load "$T/out"
check_eq "stable's TrC and CI = psyfaith metrics TrC" "$trc" \
    "$(csvq "SELECT value || ' ' || ci_low || ' ' || ci_high FROM t WHERE instrument = 'IPIP-NEO-120' AND dimension = 'CONS'")"

# ---- the grammar's errors through the command -----------------------------------------------------
printf '# claims with mistakes\nAGR >= 4.0\nCONS >= x\n\nOPEN betwen 3 4\nEXT percentile >= 170 # too high\n' > "$T/bad.txt"
check_exit "malformed claims file: exit 2" 2 pf audit --claims "$T/bad.txt"
check_file "every malformed line, compiler style" "$T/err" \
"$T/bad.txt:3:9: error: expected a number after '>=', found 'x'
$T/bad.txt:5:6: error: expected '>=', '<=', '>', '<', 'between', 'percentile', 'stable', 'steerable', 'robust to order' or 'not acquiescent' after 'OPEN', found 'betwen'
$T/bad.txt:6:19: error: a percentile is between 0 and 100, found 170"
check_eq "nothing on stdout" "$(wc -c < "$T/out" | tr -d ' ')" 0
check_exit "malformed --claim: exit 2" 2 pf audit --claim 'AGR >= 4' --claim 'AGR >=  '
check_file "--claim:N:COL" "$T/err" "--claim:2:7: error: expected a number after '>='"
check_exit "the brief's example" 2 pf audit --claim 'CONS >= x' --claim 'AGR => 4'
check_file "two --claim errors" "$T/err" "--claim:1:9: error: expected a number after '>=', found 'x'
--claim:2:5: error: '=>' is not a comparison: did you mean '>='?"
printf 'model acme-chat\n' > "$T/scope.txt"
check_exit "malformed scope line" 2 pf audit --claims "$T/scope.txt"
check_file "scope line error" "$T/err" "$T/scope.txt:1:7: error: expected ':' after 'model' (a scope line: model: VALUE, or '*' for any)"

# ---- data and usage errors: exit 2 -------------------------------------------------------------
check_exit "unknown model" 2 pf audit --model nobody --claim 'AGR >= 4'
check_file "unknown model message" "$T/err" "--claim:1: error: no subject of model 'nobody' in the store (psyfaith export subjects lists them)"
check_exit "unknown instrument" 2 pf audit --claim 'AGR >= 4 on NEO'
check_file "unknown instrument message" "$T/err" "--claim:1:13: error: unknown instrument 'NEO' (psyfaith instruments list)"
check_exit "population matching no norm" 2 pf audit --claim 'EXT percentile >= 50 vs martians'
check_file "population message" "$T/err" "--claim:1:25: error: no human norm population matches 'martians' (see psyfaith norms list)"
check_exit "ambiguous population" 2 pf audit --claim 'EXT percentile >= 50 vs women'
check_grep "ambiguous population message" "--claim:1:25: error: population 'women' is ambiguous" "$T/err"
check_exit "threshold off the scale" 2 pf audit --model acme-chat --claim 'AGR >= 40'
check_file "scale message" "$T/err" "--claim:1:8: error: 40 is outside the 1..5 scale of IPIP-NEO-120 (a claim compares per-item means)"
check_exit "conflicting instrument" 2 pf audit --instrument BFI-44 --claim 'AGR >= 4 on IPIP-50'
check_file "conflict message" "$T/err" "--claim:1:13: error: the claim names instrument 'IPIP-50' but --instrument is 'BFI-44'"
check_exit "no claims" 2 pf audit
check_file "no claims message" "$T/err" "psyfaith: error: no claims: give --claim TEXT or --claims FILE (see psyfaith audit --help)"
printf '# nothing but comments\n\n' > "$T/empty.txt"
check_exit "only comments" 2 pf audit --claims "$T/empty.txt"
check_exit "missing claims file" 2 pf audit --claims "$T/none.txt"
check_grep "missing file message" "cannot read claims file '$T/none.txt'" "$T/err"
check_exit "bad --format" 2 pf audit --claim 'AGR >= 4' --format xml
check_exit "bad --bootstrap" 2 pf audit --claim 'AGR >= 4' --bootstrap 1
check_exit "bad --reliability" 2 pf audit --claim 'AGR >= 4' --reliability 2
check_exit "unknown option" 2 pf audit --claim 'AGR >= 4' --frobnicate
check_exit "stray argument" 2 pf audit 'AGR >= 4'
check_exit "no store" 2 "$PSYFAITH" audit --db "$T/missing.db" --claim 'AGR >= 4'
check_exit "--help" 0 "$PSYFAITH" audit --help
check_grep "--help shows the header" "$HEADER" "$T/out"
check_grep "--help shows the grammar" "EXT percentile >= 70 vs" "$T/out"

# ---- scope: options override the file's scope lines; stdin --------------------------------------
check_exit "--model overrides model:" 1 pf audit --claims "$CLAIMS" --model text-davinci-003 --persona '*' --bootstrap 20
csv_load "$T/out"
check_eq "rows for the option's model" "$(csvq "SELECT DISTINCT model FROM t")" "text-davinci-003"
check_eq "three instruments for davinci" "$(csvq "SELECT count(*) FROM t WHERE claim = 'AGR >= 4.0'")" 3
printf 'model: acme-chat\npersona: baseline\nAGR >= 4\n' | pf audit --claims - --bootstrap 50 > "$T/out" 2> "$T/err"
check_eq "claims from stdin" "$(tail -n 1 "$T/out" | cut -d, -f1-3,8)" "-:3,AGR >= 4,acme-chat,supported"

# ---- psyfaith report --claims --------------------------------------------------------------------
check_exit "report with claims" 0 pf report --claims "$CLAIMS" --bootstrap 200 --only audit --latex "$T/rep" --csv "$T/rep"
check_eq "audit.csv = psyfaith audit --format csv" "$(cmp -s "$T/rep/audit.csv" "$T/example.csv" && echo same)" same
check_grep "audit.tex label" '\label{tab:psyfaith-audit}' "$T/rep/audit.tex"
check_grep "audit.tex verdict in bold" '\textbf{contradicted}' "$T/rep/audit.tex"
check_grep "audit.tex escapes" 'AGR \textgreater{}= 4.0 & acme-{}chat' "$T/rep/audit.tex"
check_exit "report without claims" 0 pf report --only audit --latex "$T/rep2" --csv "$T/rep2"
check_eq "no audit part without --claims" "$(ls "$T/rep2" | grep -c audit)" 0
check_exit "report with malformed claims fails" 1 pf report --claims "$T/bad.txt" --only audit --csv "$T/rep3"
check_grep "report: the claim error" "$T/bad.txt:3:9: error:" "$T/err"
finish
