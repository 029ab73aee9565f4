#!/bin/sh
# psyfaith metrics: the tidy CSV, notes for undefined and unfaithful values, CrS before and after
# `classify apply`, TrC forms, reproducible bootstrap CIs, --summary and option errors.  The
# numbers themselves are checked against R in tests/test_faith.c.
. "$(dirname "$0")/../lib.sh"
FX="$PSYFAITH_TOP/tests/oracle/faith"
HEADER=metric,instrument,instrument_b,dimension,item,value,ci_low,ci_high,n,note,condition

check_exit "help" 0 "$PSYFAITH" metrics --help
check_grep "help: header" "$HEADER" "$T/out"
for m in TrC InC ExC BC std_alpha alpha_if_deleted split_half_sb split_half_mean omega_total lambda6 r_drop \
         beyond_alpha "ICC(A,1)" heterotrait_r \
         neutral_rate acquiescence option_entropy refusal_rate unparsed_rate norm_z norm_percentile steer_rho \
         steer_violations --units --bootstrap --seed --trc-literal --check-keys --reliability --validity --summary --metric; do
    check_grep "help mentions $m" "$m" "$T/out"
done
check_exit "no store" 1 "$PSYFAITH" metrics --db "$T/none.db"

pf init --quiet
check_exit "ingest RealBehavior-shaped fixture" 0 pf ingest --quiet "$FX/rb.jsonl"
check_exit "metrics" 0 pf metrics
cp "$T/out" "$T/m.csv"
check_eq "CSV header (stdout is not a terminal)" "$(head -n 1 "$T/m.csv")" "$HEADER"
check_nogrep "no NaN printed" "nan" "$T/m.csv"
check_nogrep "no NaN printed (upper case)" "NaN" "$T/m.csv"
check_nogrep "no inf printed" "inf," "$T/m.csv"
check_eq "rows: 15 blocks x 23 block metrics, 214 items x 2, 15 ExC, norms" "$(wc -l < "$T/m.csv" | tr -d ' ')" \
    "$(( 1 + 15 * 23 + 214 * 2 + 15 + $(grep -c '^norm_' "$T/m.csv") ))"
check_eq "one omega_total and one lambda6 per block" "$(grep -c '^omega_total,' "$T/m.csv") $(grep -c '^lambda6,' "$T/m.csv")" "15 15"
check_eq "one r_drop per item" "$(grep -c '^r_drop,' "$T/m.csv")" 214
check_grep "a negative r_drop is flagged as possibly keyed wrong" \
    "r_drop,IPIP-NEO-120,,EXT,12,-0.7220649928289268,,,15,negative against the item's key: possibly keyed wrong or read the wrong way" "$T/m.csv"
check_eq "only negative r_drops are flagged" "$(grep '^r_drop,' "$T/m.csv" | grep -c 'possibly keyed wrong')" \
    "$(grep '^r_drop,' "$T/m.csv" | awk -F, '$6 != "" && $6 + 0 < 0' | wc -l | tr -d ' ')"
check_grep "BC before classify apply" 'BC,IPIP-50,,EXT,,,,,,no CrS yet: run psyfaith classify apply' "$T/m.csv"
check_grep "negative alpha kept with a note" 'InC,IPIP-NEO-120,,EXT,,-0.25134801689717' "$T/m.csv"
check_grep "negative alpha note" 'negative alpha: items disagree (mis-keyed or careless answering); unfaithful (< 0.7)' "$T/m.csv"
check_grep "dropped zero-variance item" 'dropped zero-variance item: A2' "$T/m.csv"
check_grep "alpha_if_deleted of a dropped item" 'alpha_if_deleted,IPIP-50,,AGR,A2,,,,15,item dropped: zero variance' "$T/m.csv"
check_grep "TrC: constant-vector pairs counted" '72 pairs, 3 skipped (constant vector or < 2 shared items)' "$T/m.csv"
check_grep "TrC: form named" 'mean r over repetition pairs u < v, then over subjects' "$T/m.csv"
check_grep "TrC: single-repetition subjects" '3 subjects with one repetition left out; unfaithful (< 0.7)' "$T/m.csv"
check_grep "ICC: incomplete subjects" '3 subjects without every repetition left out' "$T/m.csv"
check_grep "ExC with Fisher CI" 'ExC,IPIP-50,IPIP-NEO-120,AGR,,0.96683351294967' "$T/m.csv"
check_grep "ExC unfaithful" 'ExC,IPIP-50,IPIP-NEO-120,EXT,,0.32899150502130' "$T/m.csv"
check_grep "norms against the bundled human norms" 'norm_z,IPIP-NEO-120,"Johnson IPIP-NEO norms, men under 21 years old",EXT,text-davinci-003' "$T/m.csv"
check_grep "quoted metric names" '"ICC(A,1)",IPIP-NEO-120,,EXT,' "$T/m.csv"
check_grep "refusals counted" 'refusal_rate,IPIP-50,,EXT,' "$T/m.csv"

check_exit "literal TrC" 0 pf metrics --trc-literal --metric TrC
check_grep "literal TrC: form named" 'Eq. 2 as printed: ordered pairs incl. u = v (r = 1) over N_T^2' "$T/out"
check_eq "--metric TrC: only TrC rows" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u)" "TrC"
check_exit "--check-keys" 0 pf metrics --check-keys --metric split_half --instrument IPIP-50
check_grep "--check-keys: reversals named" 'reversed (negative loading on the first principal component)' "$T/out"
check_exit "--metric ICC(A,1)" 0 pf metrics --metric "ICC(A,1),InC"
check_eq "--metric ICC(A,1),InC" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort -u | tr '\n' ' ')" '"ICC(A InC '
check_exit "--instrument: one instrument, no ExC" 0 pf metrics --instrument BFI-44
check_nogrep "--instrument: no ExC" "ExC," "$T/out"
check_nogrep "--instrument: no other instrument" "IPIP-50" "$T/out"

# criterion scores, as `classify apply` writes them
awk -F, 'NR > 1 { printf "INSERT INTO crs(subject_id, dimension, method, value, n) SELECT id, '\''%s'\'', '\''label'\'', %s, %s FROM subject WHERE model = '\''%s'\'' AND temperature = %s AND persona IS NULL;\n", $3, $4, $5, $1, $2 }' \
    "$FX/rb_crs.csv" | q
check_eq "CrS rows" "$(q 'SELECT count(*) FROM crs')" 75
check_exit "metrics with CrS" 0 pf metrics --metric BC
check_grep "BC with CrS" 'BC,IPIP-NEO-120,,AGR,,0.77148206545799' "$T/out"
check_grep "BC note" 'CrS by label (share of yes)' "$T/out"
check_grep "BC unfaithful" 'BC,IPIP-NEO-120,,EXT,,-0.48828656749833' "$T/out"

# bootstrap: same seed, same bytes; another seed, other intervals
check_exit "bootstrap seed 5" 0 pf metrics --bootstrap 200 --seed 5 --metric paper,ICC,style
cp "$T/out" "$T/b1.csv"
check_exit "bootstrap seed 5 again" 0 pf metrics --bootstrap 200 --seed 5 --metric paper,ICC,style
if cmp -s "$T/out" "$T/b1.csv"; then pass; else fail "same seed, same output"; fi
check_exit "bootstrap seed 6" 0 pf metrics --bootstrap 200 --seed 6 --metric paper,ICC,style
if cmp -s "$T/out" "$T/b1.csv"; then fail "another seed, other intervals"; else pass; fi
check_eq "bootstrap fills the CIs of InC" \
    "$(grep '^InC,IPIP-50,,AGR,' "$T/b1.csv" | awk -F, '{ print ($7 != "" && $8 != "" && $7 <= $6 && $6 <= $8) }')" 1
check_eq "bootstrap fills the CIs of TrC" "$(grep -c '^TrC,[^,]*,,[A-Z]*,,[-0-9.e]*,[-0-9.e]\+,[-0-9.e]\+,' "$T/b1.csv")" 15

# verdicts and thresholds
check_exit "summary" 0 pf metrics --summary
check_eq "summary header" "$(head -n 1 "$T/out")" "instrument,dimension,faithful,reason,condition"
check_grep "summary: NEO EXT unfaithful, with reasons" 'IPIP-NEO-120,EXT,no,"TrC 0.337 < 0.7; InC -0.251 < 0.7;' "$T/out"
check_grep "summary: borderline shown with enough digits" 'IPIP-NEO-120,EMO,no,TrC 0.6998 < 0.7' "$T/out"
check_grep "summary: faithful" 'IPIP-NEO-120,AGR,yes,"all defined coefficients reach their thresholds: TrC 0.911' "$T/out"
check_exit "lower thresholds" 0 pf metrics --summary --reliability 0.5 --validity 0.5
check_grep "lower thresholds: NEO EMO passes" 'IPIP-NEO-120,EMO,yes' "$T/out"
check_exit "table format" 0 pf metrics --format table --metric InC
check_eq "table: aligned header" "$(head -n 1 "$T/out" | tr -s ' ')" "metric instrument instrument_b dimension item value ci_low ci_high n note condition"

# option errors: exit 2
check_exit "unknown metric" 2 pf metrics --metric TrC,bogus
check_grep "unknown metric named" "unknown metric or group 'bogus'" "$T/err"
check_exit "bad --bootstrap" 2 pf metrics --bootstrap many
check_exit "--bootstrap 1" 2 pf metrics --bootstrap 1
check_exit "bad --level" 2 pf metrics --level 1.5
check_exit "bad --min-answered" 2 pf metrics --min-answered 0
check_exit "bad --format" 2 pf metrics --format xml
check_exit "stray argument" 2 pf metrics extra

# one subject (30 ChatGPT-Behavioral sessions): TrC, but nothing across subjects
DB=$T/cgb.db
pf init --quiet
check_exit "ingest ChatGPT-Behavioral" 0 pf ingest --quiet --profile "$PSYFAITH_TOP/fixtures/profiles/chatgpt-behavioral-bigfive.profile" \
    "$PSYFAITH_TOP/fixtures/transcripts/chatgpt-behavioral-bigfive.json"
check_exit "metrics, one subject" 0 pf metrics
check_grep "one subject: TrC over 30 sessions" 'TrC,IPIP-50,,OPEN,,0.94' "$T/out"
check_grep "one subject: no alpha" 'InC,IPIP-50,,EXT,,,,,1,fewer than 2 subjects' "$T/out"
check_grep "one subject: EMO all neutral" 'no repetition pair with a defined correlation (435 pairs skipped)' "$T/out"
check_grep "one subject: the note suggests --units runs" 'InC,IPIP-50,,EXT,,,,,1,fewer than 2 subjects; one subject with 30 runs: --units runs treats each run as a respondent' "$T/out"
check_grep "one subject: said on stderr" 'psyfaith: one subject (gpt-3.5-turbo-0301) with 30 runs: InC and the alpha family need 2 or more respondents; --units runs treats each run as one' "$T/err"
check_exit "summary, one subject" 0 pf metrics --summary
# TrC alone is not faithfulness: InC is undefined, so the verdict is unknown (issue 13 part 6)
check_grep "summary: TrC alone is not faithful" 'IPIP-50,EXT,unknown,"cannot be assessed: InC undefined (fewer than 2 subjects; one subject with 30 runs: --units runs treats each run as a respondent); defined: TrC 0.804 >= 0.7' "$T/out"
check_nogrep "summary: nothing faithful on TrC alone" ',yes,' "$T/out"
check_grep "summary: EMO, neither defined" 'IPIP-50,EMO,unknown,"cannot be assessed: TrC undefined (mean r over repetition pairs u < v, then over subjects; no repetition pair with a defined correlation (435 pairs skipped)); InC undefined' "$T/out"
# audit's gate and stable verdicts say the same as the summary on the same store
check_exit "audit, one subject" 1 pf audit --claim "EXT >= 1" --claim "EXT stable" --min-subjects 1
csvq() { sqlite3 -batch :memory: ".mode csv" ".import $T/out t" ".mode list" "$1"; }
check_eq "audit gate agrees with the summary (unknown)" "$(csvq "SELECT verdict || ': ' || reason FROM t WHERE claim = 'EXT >= 1'")" \
    "not measurable: the faithfulness of the IPIP-50 EXT measurement cannot be assessed: InC undefined (fewer than 2 subjects; one subject with 30 runs: --units runs treats each run as a respondent); defined: TrC 0.804 >= 0.7; not assessed: BC, ICC(1,1), ICC(A,1), ICC(C,1)"
check_eq "audit stable: TrC defined as in metrics, InC undefined decides" "$(csvq "SELECT verdict || ': ' || reason FROM t WHERE claim = 'EXT stable'")" \
    "not measurable: too little data: InC is not defined (fewer than 2 subjects; one subject with 30 runs: --units runs treats each run as a respondent)"
check_eq "audit stable: the TrC of metrics in the evidence" "$(csvq "SELECT evidence LIKE '%TrC IPIP-50 EXT 0.8039 [NA, NA] n = 1 (over 1 subject of gpt-3.5-turbo-0301 in scope)%' FROM t WHERE claim = 'EXT stable'")" 1

# --units runs: each of the 30 runs is a respondent of the alpha family; TrC and ICC keep the subject's repetitions
check_exit "metrics --units runs" 0 pf metrics --units runs
cp "$T/out" "$T/runs.csv"
# the model gives the same answer to most items in every run: alpha over runs is about 0 (R: tests/test_faith.c)
check_grep "runs: InC over 30 runs" 'InC,IPIP-50,,EXT,,-0.04004854368932' "$T/runs.csv"
check_grep "runs: the note names the units" 'psych raw_alpha, k = 3; over 30 runs of 1 subject (--units runs); dropped zero-variance items: E1 E2 E3 E6 E7 E8 E9' "$T/runs.csv"
check_grep "runs: TrC unchanged" 'TrC,IPIP-50,,OPEN,,0.94' "$T/runs.csv"
check_nogrep "runs: no --units hint" 'treats each run as a respondent' "$T/runs.csv"
check_nogrep "runs: no hint on stderr" 'treats each run as one' "$T/err"
check_eq "runs: InC n = 30" "$(grep -c '^InC,IPIP-50,,[A-Z]*,,[-0-9.]*,[-0-9.]*,[-0-9.]*,30,' "$T/runs.csv")" 5
check_exit "summary --units runs" 0 pf metrics --summary --units runs
cp "$T/out" "$T/runs_summary.csv"
check_exit "audit --units runs" 1 pf audit --units runs --min-subjects 1 --claim "EXT >= 1" --claim "AGR >= 1" \
    --claim "CONS >= 1" --claim "EMO >= 1" --claim "OPEN >= 1"
for d in EXT AGR CONS EMO OPEN; do
    s=$(grep "^IPIP-50,$d," "$T/runs_summary.csv" | cut -d, -f3)
    a=$(csvq "SELECT CASE WHEN evidence LIKE '%--summary IPIP-50 $d: faithful%' THEN 'yes' WHEN reason LIKE '%is not faithful%' THEN 'no' WHEN reason LIKE '%cannot be assessed%' THEN 'unknown' ELSE verdict END FROM t WHERE claim = '$d >= 1'")
    check_eq "runs: audit gate = summary for $d" "$a" "$s"
done
check_grep "runs: summary of EXT: InC over runs fails" 'IPIP-50,EXT,no,"InC -0.04 < 0.7' "$T/runs_summary.csv"
check_grep "runs: summary of EMO: no item varies" 'IPIP-50,EMO,unknown,"cannot be assessed: TrC undefined' "$T/runs_summary.csv"
check_exit "report, one subject" 0 pf report --latex "$T/rep1" --csv "$T/rep1" --only faithfulness
check_grep "report: Faithful ? where the summary says unknown" 'Faithful\textsubscript{IPIP-{}50} & ?\textsuperscript{' "$T/rep1/faithfulness.tex"
check_exit "report --units runs" 0 pf report --units runs --latex "$T/rep2" --csv "$T/rep2" --only faithfulness
check_grep "report --units runs: Faithful no" 'Faithful,IPIP-50,,EXT,,,,yes,"InC -0.04 < 0.7' "$T/rep2/faithfulness.csv"
check_grep "report --units runs: the note says runs" "InC is Cronbach's raw alpha over runs (every repetition a respondent, --units runs)" "$T/rep2/faithfulness.tex"
check_exit "bad --units" 2 pf metrics --units people
check_grep "bad --units named" "--units takes subjects or runs, got 'people'" "$T/err"

# persona steering
DB=$T/steer.db
pf init --quiet
check_exit "ingest steering fixture" 0 pf ingest --quiet "$FX/steer.jsonl"
check_exit "steer metrics" 0 pf metrics --metric steer
check_grep "steer_rho AGR" 'steer_rho,IPIP-50,,AGR,persona-llm,0.91041666666666' "$T/out"
check_grep "steer_violations EXT" 'steer_violations,IPIP-50,,EXT,persona-llm,3,,,18,3 of 8 steps between adjacent levels lower the mean score' "$T/out"
finish
