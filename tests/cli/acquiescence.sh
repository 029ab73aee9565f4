#!/bin/sh
# tests/cli/acquiescence.sh -- issue 14 part 2: the acquiescence decomposition in `psyfaith metrics`
# (acq_share trait_share acq_mean contradiction_rate, --metric acq), the --summary warning for a
# block whose acquiescence explains more of the score than the trait (the verdict unchanged), and
# the per-subject values of `psyfaith scores --style`.  The numbers are checked against R in
# tests/test_faith.c (tests/oracle/faith/acq_yes.expected, acq_trait.expected).
. "$(dirname "$0")/../lib.sh"
FX="$PSYFAITH_TOP/tests/oracle/faith"
cd "$T" || exit 1
WARN="warning: acquiescence explains more of the score than the trait"

check_exit "metrics help" 0 "$PSYFAITH" metrics --help
for m in acq_share trait_share acq_mean contradiction_rate "acq (" "warning: acquiescence explains"; do
    check_grep "metrics help mentions $m" "$m" "$T/out"
done
check_exit "scores help" 0 "$PSYFAITH" scores --help
check_grep "scores help mentions --style" "--style" "$T/out"
check_exit "--style with --by-rep: usage" 2 "$PSYFAITH" scores --style --by-rep

# an acquiescent model (agrees with every item, more or less strongly) on BFI-44
pf init --quiet
check_exit "ingest the acquiescent model" 0 pf ingest --quiet "$FX/acq_yes.jsonl"
check_exit "metrics --metric acq" 0 pf metrics --metric acq --format csv
check_eq "4 metrics x 5 blocks" "$(tail -n +2 "$T/out" | cut -d, -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ';')" \
    " 5 acq_mean; 5 acq_share; 5 contradiction_rate; 5 trait_share;"
# R: cor(score, A)^2 = 0.87052730696798486, cor(score, T)^2 = 0.083333333333333287 (8 + and 2 - items)
check_grep "OPEN acq_share (R)" "acq_share,BFI-44,,OPEN,,0.870527306967984" "$T/out"
check_grep "OPEN trait_share (R)" "trait_share,BFI-44,,OPEN,,0.08333333333333" "$T/out"
check_grep "acq_mean: A = 1.5 on average" "acq_mean,BFI-44,,EXT,,1.5,,,8," "$T/out"
check_grep "every (+, -) pair both agreed" "contradiction_rate,BFI-44,,EXT,,1,,,8," "$T/out"
check_grep "the note names the keys" "8 + and 2 - keyed items" "$T/out"
check_exit "--metric style includes them" 0 pf metrics --metric style --format csv
check_eq "style: 5 older rates + 4 new, 5 blocks" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 45
check_exit "summary" 0 pf metrics --summary --format csv
check_eq "every block warned" "$(grep -c "$WARN" "$T/out")" 5
check_grep "OPEN's warning quotes both shares" \
    "BFI-44,OPEN,no,InC 0.633 < 0.7; not assessed: BC; $WARN (acq_share 0.871 > trait_share 0.0833)," "$T/out"
cut -d, -f1-3 "$T/out" >with.txt
check_exit "summary without the acquiescence rows" 0 pf metrics --summary --format csv --metric TrC,InC,ICC,ExC,BC
check_eq "the warning does not change a verdict" "$(cut -d, -f1-3 "$T/out")" "$(cat with.txt)"
check_nogrep "no warning without acq_share" "warning" "$T/out"
check_exit "scores --style" 0 pf scores --style --format csv
check_eq "scores --style header" "$(head -n 1 "$T/out")" \
    "model,temperature,persona,instrument,dimension,P,N,T,A,contradiction_rate,n_pos,n_neg,pairs,note,condition"
check_eq "one row per subject x dimension" "$(tail -n +2 "$T/out" | wc -l | tr -d ' ')" 40
# temperature 0.7 answers 5 everywhere: P = N = 5, T = 0, A = 2; 2 repetitions x 5 x 3 pairs
check_grep "all 5s" "yes-man,0.7,,BFI-44,EXT,5,5,0,2,1,10,6,30,," "$T/out"
check_grep "all 4s" "yes-man,0,,BFI-44,OPEN,4,4,0,1,1,16,4,32,," "$T/out"

# a trait-driven model: no warning; then both in one store as two conditions: only one is warned
DB=$T/trait.db
pf init --quiet
check_exit "ingest the trait-driven model" 0 pf ingest --quiet "$FX/acq_trait.jsonl"
check_exit "summary (trait)" 0 pf metrics --summary --format csv
check_nogrep "trait-driven: no warning" "warning" "$T/out"
check_exit "metrics --metric trait_share" 0 pf metrics --metric trait_share --format csv
check_eq "trait_share above 0.9 in every block" "$(tail -n +2 "$T/out" | cut -d, -f6 | awk '$1 > 0.9' | wc -l | tr -d ' ')" 5
check_exit "scores --style (trait)" 0 pf scores --style --format csv
# R (mean of the raw options by key; pairs per repetition): EXT P 3, N 3.1666666666666665, T -0.0833,
# A 0.0833, 1 of 30 pairs both agree; OPEN P = N = 3, 3 of 32 pairs
check_grep "trait subject EXT (R)" \
    "trait-llm,0.3,,BFI-44,EXT,3,3.1666666666666665,-0.08333333333333326,0.08333333333333304,0.03333333333333333,10,6,30,," "$T/out"
check_grep "trait subject OPEN (R)" "trait-llm,0.3,,BFI-44,OPEN,3,3,0,0,0.09375,16,4,32,," "$T/out"
DB=$T/both.db
pf init --quiet
check_exit "ingest both as conditions" 0 pf ingest --quiet --set condition=yes "$FX/acq_yes.jsonl"
check_exit "ingest both as conditions (2)" 0 pf ingest --quiet --set condition=trait "$FX/acq_trait.jsonl"
check_exit "summary per condition" 0 pf metrics --summary --format csv
check_eq "warned: the acquiescent condition only" "$(grep "$WARN" "$T/out" | awk -F, '{print $NF}' | sort | uniq -c | tr -s ' ')" " 5 yes"

# a subject without - keyed answers has no T or A, and says so
DB=$T/plus.db
pf init --quiet
printf '{"model":"m","instrument":"BFI-44","item":"1","option":5}\n{"model":"m","instrument":"BFI-44","item":"11","option":4}\n' >plus.jsonl
check_exit "ingest + items only" 0 pf ingest --quiet plus.jsonl
check_exit "scores --style (+ only)" 0 pf scores --style --format csv
check_grep "no T or A" "m,,,BFI-44,EXT,4.5,,,,,2,0,0,no ok answer to a - keyed item: no T or A," "$T/out"
check_exit "metrics --metric acq (+ only)" 0 pf metrics --metric acq --format csv
check_grep "acq_share empty, says why" "acq_share,BFI-44,,EXT,,,,,0,no subject with a score answered both + and - keyed items," "$T/out"
finish
