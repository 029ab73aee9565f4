#!/bin/sh
# psyfaith metrics: the tidy CSV, notes for undefined and unfaithful values, CrS before and after
# `classify apply`, TrC forms, reproducible bootstrap CIs, --summary and option errors.  The
# numbers themselves are checked against R in tests/test_faith.c.
. "$(dirname "$0")/../lib.sh"
FX="$PSYFAITH_TOP/tests/oracle/faith"
HEADER=metric,instrument,instrument_b,dimension,item,value,ci_low,ci_high,n,note,condition

check_exit "help" 0 "$PSYFAITH" metrics --help
check_grep "help: header" "$HEADER" "$T/out"
for m in TrC InC ExC BC std_alpha alpha_if_deleted split_half_sb split_half_mean "ICC(A,1)" heterotrait_r \
         neutral_rate acquiescence option_entropy refusal_rate unparsed_rate norm_z norm_percentile steer_rho \
         steer_violations --bootstrap --seed --trc-literal --check-keys --reliability --validity --summary --metric; do
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
check_eq "rows: 15 blocks x 17 block metrics, 214 items, 15 ExC, norms" "$(wc -l < "$T/m.csv" | tr -d ' ')" \
    "$(( 1 + 15 * 17 + 214 + 15 + $(grep -c '^norm_' "$T/m.csv") ))"
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
check_exit "summary, one subject" 0 pf metrics --summary
check_grep "summary: TrC only" 'IPIP-50,EXT,yes,"all defined coefficients reach their thresholds: TrC 0.804; not assessed: InC' "$T/out"

# persona steering
DB=$T/steer.db
pf init --quiet
check_exit "ingest steering fixture" 0 pf ingest --quiet "$FX/steer.jsonl"
check_exit "steer metrics" 0 pf metrics --metric steer
check_grep "steer_rho AGR" 'steer_rho,IPIP-50,,AGR,persona-llm,0.91041666666666' "$T/out"
check_grep "steer_violations EXT" 'steer_violations,IPIP-50,,EXT,persona-llm,3,,,18,3 of 8 steps between adjacent levels lower the mean score' "$T/out"
finish
