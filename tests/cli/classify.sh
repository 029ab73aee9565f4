#!/bin/sh
# psyfaith classify train|apply|predict|show: the model through the store against scikit-learn's
# probabilities (tests/oracle/classify/expected.txt), determinism, re-training, CrS (Eq. 6) and BC
# (Eq. 5) on a planted effect, and every bad input with its message and an unchanged store.
. "$(dirname "$0")/../lib.sh"
ORACLE=$PSYFAITH_TOP/tests/oracle/classify
if ! "$PSYFAITH" classify --help >/dev/null 2>&1; then
    fail "psyfaith has no 'classify' command (main.c lacks its row)"
    finish
fi
pf init --quiet

# ---------- the sklearn fixture, through ingest, the store and `classify predict` ----------
# fixture.tsv: split, label, source, text (escaped \\ \t \n \r; only \\ occurs).  EXT: every train
# row (oracle cases default and c10_mindf2); AGR: the train rows labelled 1 or with an index among
# the train rows divisible by 4 (case balanced_imb).
tail -n +2 "$ORACLE/fixture.tsv" | jq -R -c '
    split("\t") | select(.[0] == "train") | {source: .[2], label: (.[1] == "1"),
    text: (.[3] | gsub("\\\\\\\\"; "\\"))}' >"$T/train.json"
jq -c '{type: "labeled_behavior", dimension: "EXT", occasion: .source, label: .label, text: .text}' "$T/train.json" >"$T/ext.jsonl"
jq -c -s 'to_entries[] | select(.value.label or .key % 4 == 0) | .value |
    {type: "labeled_behavior", dimension: "AGR", label: .label, text: .text}' "$T/train.json" >"$T/agr.jsonl"
tail -n +2 "$ORACLE/fixture.tsv" | cut -f4 | sed 's/\\\\/\\/g' >"$T/texts.txt"
check_eq "fixture rows" "$(wc -l <"$T/ext.jsonl") $(wc -l <"$T/agr.jsonl") $(wc -l <"$T/texts.txt")" "320 200 432"
# expected.txt: "prob ROW P" and "prob_opt ROW P" for the three cases, in order
awk -F'\t' '$1 == "case" { c++ } $1 == "prob" { print > ("'"$T"'/prob" c ".txt") }
            $1 == "prob_opt" { print > ("'"$T"'/opt" c ".txt") }' "$ORACLE/expected.txt"
# maxdiff PRED EXPECTED: the largest |p - p_sklearn| over the rows
maxdiff() { cut -f1 "$1" | paste - "$2" | awk -F'\t' '{ d = $1 - $4; if (d < 0) d = -d; if (d > m) m = d }
                                                      END { printf "%.3g %d\n", m, NR }'; }
within() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

check_exit "ingest the fixture" 0 pf ingest --quiet "$T/ext.jsonl" "$T/agr.jsonl"
dump0=$(q .dump | cksum)
check_exit "train EXT" 0 pf classify train --dimension EXT --format csv
# 5-fold CV with the fold shuffle of gsl_rng_mt19937 seed 42: the same on every platform
check_file "train prints the CV metrics" "$T/out" "dimension,n,yes,terms,folds,accuracy,precision,recall,f1,auc
EXT,320,160,13049,5,0.9,0.8809523809523809,0.925,0.9024390243902439,0.96015625"
check_file "train says what it did" "$T/err" \
    "psyfaith: trained the EXT classifier on 320 labelled behaviours (160 yes): 13049 terms, 5 Newton iterations"
check_eq "stored with its CV metrics" \
    "$(q "SELECT dimension, n_train, cv_folds, cv_accuracy, cv_auc, options FROM classifier")" \
    "EXT|320|5|0.9|0.96015625|C=1 class_weight=none min_df=1 tol=1e-08 max_iter=100 folds=5 seed=42"
check_eq "13049 terms = sklearn's vocabulary size" "$(q "SELECT count(*) FROM classifier_term WHERE dimension = 'EXT'")" 13049
# The training-set hash: sha256 over label TAB text NUL per row, ordered by text then label.
want_hash=$(q "SELECT label || char(9) || text FROM labeled_behavior WHERE dimension = 'EXT' ORDER BY text, label" |
            tr '\n' '\000' | sha256sum | cut -d' ' -f1)
check_eq "training-set sha256" "$(q "SELECT train_hash FROM classifier")" "$want_hash"

check_exit "predict the 432 fixture texts" 0 pf classify predict --dimension EXT <"$T/texts.txt"
cp "$T/out" "$T/pred1.txt"
d=$(maxdiff "$T/pred1.txt" "$T/prob1.txt")
check_eq "predict: one line per text" "${d#* }" 432
within "${d% *}" 1e-4 && pass || fail "predict vs sklearn's probabilities: max diff ${d% *} > 1e-4"
d=$(maxdiff "$T/pred1.txt" "$T/opt1.txt")
within "${d% *}" 1e-6 && pass || fail "predict vs the exact optimum: max diff ${d% *} > 1e-6"
check_eq "labels are y above 0.5" "$(awk -F'\t' '($1 > 0.5) != ($2 == "y") { bad++ } END { print bad + 0 }' "$T/pred1.txt")" 0
check_eq "the sklearn test split: accuracy 0.90625 (sklearn's)" \
    "$(tail -n +2 "$ORACLE/fixture.tsv" | cut -f1,2 | paste - "$T/pred1.txt" |
       awk -F'\t' '$1 == "test" { n++; ok += ($2 == "1") == ($4 == "y") } END { print ok / n }')" 0.90625

# Determinism and re-training: the same rows give bit-identical terms, and the old model is replaced.
terms() { q "SELECT dimension, term, printf('%.17g', idf), printf('%.17g', weight) FROM classifier_term ORDER BY 1, 2" | cksum; }
t1=$(terms)
check_exit "re-train EXT" 0 pf classify train --dimension EXT --format csv
check_grep "re-training says it replaced" "psyfaith: replaced the EXT classifier trained " "$T/err"
check_grep "... on the same rows" "on 320 labelled behaviours (the same training set)" "$T/err"
check_eq "re-training gives identical terms, idf and weights" "$(terms)" "$t1"
check_eq "one classifier row" "$(q "SELECT count(*) FROM classifier")" 1
check_exit "predict again" 0 pf classify predict --dimension EXT <"$T/texts.txt"
check_eq "identical predictions" "$(cksum <"$T/out")" "$(cksum <"$T/pred1.txt")"
# Ingest order does not matter: the same rows reversed into another store give the same model.
DB2=$T/rev.db
"$PSYFAITH" init --db "$DB2" --quiet
sed -n '1!G;h;$p' "$T/ext.jsonl" >"$T/ext-rev.jsonl"
"$PSYFAITH" ingest --db "$DB2" --quiet "$T/ext-rev.jsonl"
check_exit "train on reversed rows" 0 "$PSYFAITH" classify train --db "$DB2" --format csv
check_eq "same hash whatever the ingest order" "$(q -db "$DB2" "SELECT train_hash FROM classifier")" "$want_hash"
check_eq "same model whatever the ingest order" "$(DB=$DB2 terms)" "$t1"

# Options: C=10 min_df=2 (oracle case c10_mindf2), then AGR with class_weight=balanced (balanced_imb).
check_exit "train --c 10 --min-df 2" 0 pf classify train --dimension extraversion --c 10 --min-df 2 --folds 1 --format csv
check_file "no CV with --folds 1" "$T/out" "dimension,n,yes,terms,folds,accuracy,precision,recall,f1,auc
EXT,320,160,3234,,,,,,"
check_eq "options stored; no folds, no CV metrics" "$(q "SELECT options, quote(cv_folds), quote(cv_accuracy) FROM classifier")" \
    "C=10 class_weight=none min_df=2 tol=1e-08 max_iter=100|NULL|NULL"
pf classify predict --dimension EXT <"$T/texts.txt" >"$T/pred2.txt"
d=$(maxdiff "$T/pred2.txt" "$T/prob2.txt")
within "${d% *}" 1e-4 && pass || fail "C=10 min_df=2 vs sklearn: max diff ${d% *} > 1e-4"
check_exit "train AGR balanced" 0 pf classify train --dimension AGR --class-weight balanced --format csv
check_eq "AGR: 200 rows, 160 yes" "$(cut -d, -f1-4 "$T/out" | tail -n 1)" "AGR,200,160,9133"
pf classify predict --dimension Agreeableness <"$T/texts.txt" >"$T/pred3.txt"
d=$(maxdiff "$T/pred3.txt" "$T/prob3.txt")
within "${d% *}" 1e-4 && pass || fail "balanced vs sklearn: max diff ${d% *} > 1e-4"
check_exit "train all (EXT and AGR)" 0 pf classify train --folds 3 --seed 7 --format csv
check_eq "all: both dimensions, in order" "$(cut -d, -f1,5 "$T/out")" "dimension,folds
EXT,3
AGR,3"
check_grep "replaced AGR" "psyfaith: replaced the AGR classifier trained" "$T/err"
check_eq "the seed is stored" "$(q "SELECT options FROM classifier WHERE dimension = 'EXT'")" \
    "C=1 class_weight=none min_df=1 tol=1e-08 max_iter=100 folds=3 seed=7"

# show: CSV in long form; the table has the n-grams of each dimension
check_exit "show CSV" 0 pf classify show --dimension EXT --format csv
check_eq "show: header and first rows" "$(head -n 3 "$T/out")" "dimension,section,rank,name,value
EXT,model,,n_train,320
EXT,model,,terms,13049"
check_eq "show: 15 positive and 15 negative n-grams" \
    "$(grep -c ',positive,' "$T/out") $(grep -c ',negative,' "$T/out")" "15 15"
check_eq "show: the top n-grams are the largest weights" \
    "$(grep -E ',(positive|negative),1,' "$T/out" | cut -d, -f3,4)" \
    "$(q "SELECT '1,' || term FROM classifier_term WHERE dimension = 'EXT' ORDER BY weight DESC LIMIT 1;
          SELECT '1,' || term FROM classifier_term WHERE dimension = 'EXT' ORDER BY weight LIMIT 1")"
check_grep "show: CV folds" "EXT,cv,,folds,3" "$T/out"
check_exit "show table" 0 pf classify show --format table --terms 3
check_grep "show table: EXT n-grams" "EXT: the 3 most positive (yes) and negative (no) n-grams" "$T/out"
check_grep "show table: AGR n-grams" "AGR: the 3 most positive (yes) and negative (no) n-grams" "$T/out"
check_grep "show table: quiet is the most negative EXT term" "quiet" "$T/out"

# ---------- bad input: a clear message naming the dimension, non-zero exit, the store as it was ----------
snap() { q .dump | cksum; }
# bad DESC EXIT MESSAGE cmd... : exit status, exact stderr, store unchanged
bad() {
    _d=$1 _rc=$2 _msg=$3; shift 3
    _before=$(snap)
    check_exit "$_d: exit" "$_rc" "$@" </dev/null
    check_file "$_d: message" "$T/err" "$_msg"
    check_eq "$_d: store unchanged" "$(snap)" "$_before"
}
bad "no rows for a dimension" 1 \
    "psyfaith: error: no labelled behaviours for dimension CONS in the store (ingest records of type labeled_behavior first)" \
    pf classify train --dimension CONS
printf '%s\n' '{"type":"labeled_behavior","dimension":"OPEN","label":"y","text":"I love new ideas"}' \
    '{"type":"labeled_behavior","dimension":"OPEN","label":"y","text":"I visit every museum"}' >"$T/open.jsonl"
pf ingest --quiet "$T/open.jsonl"
bad "a single class" 1 \
    "psyfaith: error: cannot train a classifier for dimension OPEN: all 2 labelled behaviours are labelled yes; it needs both yes and no" \
    pf classify train --dimension OPEN
bad "a single class stops 'all' before anything is written" 1 \
    "psyfaith: error: cannot train a classifier for dimension OPEN: all 2 labelled behaviours are labelled yes; it needs both yes and no" \
    pf classify train
printf '%s\n' '{"type":"labeled_behavior","dimension":"OPEN","label":"n","text":"I keep to my routine"}' >"$T/open2.jsonl"
pf ingest --quiet "$T/open2.jsonl"
bad "too few texts for the folds" 1 \
    "psyfaith: error: cannot cross-validate dimension OPEN: 5 folds need at least 5 labelled behaviours of each class, found 2 yes and 1 no (use a smaller --folds, or --folds 1 for none)" \
    pf classify train --dimension OPEN
# An empty text cannot come through ingest; a store written by another tool can hold one.
q "INSERT INTO labeled_behavior(dimension, label, text, source_id, line)
   SELECT 'OPEN', 0, '  ', id, 7 FROM source WHERE path LIKE '%open2.jsonl'"
bad "an empty training text" 1 \
    "psyfaith: error: the labelled behaviour for dimension OPEN at $T/open2.jsonl:7 has an empty text" \
    pf classify train --dimension OPEN --folds 1
q "DELETE FROM labeled_behavior WHERE dimension = 'OPEN'"
bad "unknown dimension" 2 \
    "psyfaith: error: unknown dimension 'humour' (EXT AGR CONS EMO OPEN, full names, N/neuroticism, or all)" \
    pf classify train --dimension humour
bad "--folds 0" 2 "psyfaith: error: --folds takes a whole number of at least 1 (1 = no cross-validation), got '0'" \
    pf classify train --folds 0
bad "--c 0" 2 "psyfaith: error: --c takes a positive number, got '0'" pf classify train --c 0
bad "apply: no behaviours" 1 "psyfaith: error: no behaviours in the store (ingest records of type behavior first)" \
    pf classify apply
bad "predict: no classifier" 1 \
    "psyfaith: error: no trained classifier for dimension EMO; run 'psyfaith classify train --dimension EMO' first" \
    pf classify predict --dimension EMO
check_exit "predict: an empty line" 1 sh -c 'printf "I love parties\n\nI read alone\n" | "$0" classify predict --db "$1" --dimension EXT' \
    "$PSYFAITH" "$DB"
check_file "predict: the line is named" "$T/err" \
    "<stdin>:2: empty text (one text a line for the EXT classifier); nothing printed"
check_eq "predict: nothing printed" "$(wc -c <"$T/out")" 0
check_exit "predict needs --dimension" 2 pf classify predict
check_exit "no subcommand" 2 pf classify
check_exit "unknown subcommand" 2 pf classify fit
check_grep "unknown subcommand message" "psyfaith: error: unknown classify subcommand 'fit' (train, apply, predict, show)" "$T/err"
check_exit "help" 0 "$PSYFAITH" help classify
check_grep "help lists the subcommands" "usage: psyfaith classify predict --dimension D" "$T/out"
check_exit "predict CRLF lines" 0 sh -c 'printf "I love parties\r\nI read alone\r\n" | "$0" classify predict --db "$1" --dimension EXT' \
    "$PSYFAITH" "$DB"
check_eq "CRLF: the same as LF" "$(cat "$T/out")" \
    "$(printf 'I love parties\nI read alone\n' | pf classify predict --dimension EXT)"

# ---------- CrS and BC on a planted effect (a store of its own) ----------
DB=$T/crs.db
pf init --quiet
# Labelled behaviours: outgoing (1) vs withdrawn (0) phrasings on ten occasions.
occ="party meeting dinner wedding concert class trip queue game gym"
{
    for o in $occ; do
        for v in "chat with everyone" "introduce myself to strangers" "lead the group singing"; do
            echo "{\"type\":\"labeled_behavior\",\"dimension\":\"EXT\",\"occasion\":\"$o\",\"label\":1,\"text\":\"At the $o I $v and love the crowd\"}"
        done
        for v in "stay quietly in a corner" "leave early to be alone" "read my book silently"; do
            echo "{\"type\":\"labeled_behavior\",\"dimension\":\"EXT\",\"occasion\":\"$o\",\"label\":0,\"text\":\"At the $o I $v and avoid people\"}"
        done
    done
} >"$T/lab.jsonl"
# Subjects m1..m5: IPIP-50 EXT answered so that every item scores k (+ items option k, - items 6 - k),
# and on occasion j (1..10) an outgoing behaviour when j <= 2k, else a withdrawn one.  m1 also has a
# second repetition of the first occasion, withdrawn: that occasion counts 1/2, so CrS(m1) =
# (0.5 + 1) / 10 = 0.15 (a mean over rows would give 2/11).
{
    for k in 1 2 3 4 5; do
        for i in 1 2 3 4 5 6 7 8 9 10; do
            if [ $((i % 2)) = 1 ]; then o=$k; else o=$((6 - k)); fi
            echo "{\"model\":\"m$k\",\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"option\":$o}"
        done
        j=0
        for o in $occ; do
            j=$((j + 1))
            if [ $j -le $((2 * k)) ]; then t="I talk to strangers and join every conversation at the $o"
            else t="I sit alone and keep quiet at the $o"; fi
            echo "{\"type\":\"behavior\",\"model\":\"m$k\",\"dimension\":\"EXT\",\"occasion\":\"$o\",\"text\":\"$t\"}"
        done
    done
    echo '{"type":"behavior","model":"m1","rep":1,"dimension":"EXT","occasion":"party","text":"I leave early and stay alone at the party"}'
    echo '{"type":"behavior","model":"m1","dimension":"AGR","occasion":"party","text":"I help the host clean up"}'
} >"$T/study.jsonl"
pf ingest --quiet "$T/lab.jsonl" "$T/study.jsonl"
check_exit "train the planted classifier" 0 pf classify train --format csv
check_eq "planted: perfectly separable" "$(cut -d, -f1,6 "$T/out" | tail -n 1)" "EXT,1"
bad "apply: a dimension without a classifier" 1 \
    "psyfaith: error: no trained classifier for dimension AGR (1 behaviour to label); run 'psyfaith classify train --dimension AGR' first" \
    pf classify apply
check_eq "nothing labelled" "$(q "SELECT count(*) FROM behavior WHERE probability IS NOT NULL") $(q "SELECT count(*) FROM crs")" "0 0"
q "DELETE FROM behavior WHERE dimension = 'AGR'"
q "INSERT INTO behavior(subject_id, dimension, occasion, text, source_id, line)
   SELECT subject_id, dimension, 'extra', '', source_id, 9999 FROM behavior LIMIT 1"
bad "apply: an empty behaviour text" 1 \
    "psyfaith: error: the behaviour for dimension EXT at $T/study.jsonl:9999 has an empty text" \
    pf classify apply
q "DELETE FROM behavior WHERE line = 9999"
check_exit "apply" 0 pf classify apply
check_file "apply says how many rows it labelled" "$T/err" \
    "psyfaith: EXT: labelled 51 behaviours (30 yes); CrS (share of yes) for 5 subjects"
check_eq "every behaviour labelled as planted" \
    "$(q "SELECT count(*) FROM behavior WHERE probability IS NULL OR label != (text LIKE 'I talk%')")" 0
check_eq "CrS = share of occasions labelled yes (Eq. 6)" \
    "$(q "SELECT s.model, c.method, c.value, c.n FROM crs c JOIN subject s ON s.id = c.subject_id ORDER BY s.model")" \
    "m1|label|0.15|10
m2|label|0.4|10
m3|label|0.6|10
m4|label|0.8|10
m5|label|1.0|10"
# BC (Eq. 5): Pearson r of the per-item EXT score (k) and CrS across the five subjects.
bc() {
    pf scores --format csv --instrument IPIP-50 | awk -F, 'NR > 1 && $5 == "EXT" { print $1 "," $7 }' | sort >"$T/q.csv"
    q -csv "SELECT s.model, c.value FROM crs c JOIN subject s ON s.id = c.subject_id WHERE c.dimension = 'EXT'" |
        sort | join -t, "$T/q.csv" - |
        awk -F, '{ n++; x += $2; y += $3; xx += $2 * $2; yy += $3 * $3; xy += $2 * $3 }
                 END { printf "%.6f", (n * xy - x * y) / sqrt((n * xx - x * x) * (n * yy - y * y)) }'
}
check_eq "scores 1..5" "$(pf scores --format csv --instrument IPIP-50 | cut -d, -f1,7 | tail -n 5 | tr '\n' ' ')" \
    "m1,1 m2,2 m3,3 m4,4 m5,5 "
check_eq "BC of the planted effect" "$(bc)" 0.998868
if "$PSYFAITH" metrics --help >/dev/null 2>&1; then
    check_exit "psyfaith metrics --metric BC" 0 pf metrics --metric BC --format csv
    check_eq "metrics BC = Pearson(score, CrS)" \
        "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "value") c = i } $1 == "BC" && $4 == "EXT" { printf "%.6f", $c }' "$T/out")" \
        0.998868
fi
check_exit "apply --crs prob" 0 pf classify apply --crs prob
check_grep "prob note" "psyfaith: EXT: labelled 51 behaviours (30 yes); CrS (mean probability) for 5 subjects" "$T/err"
check_eq "CrS by mean probability: replaced, method prob, rising with the trait" \
    "$(q "SELECT group_concat(m, ' ') FROM (SELECT c.method AS m FROM crs c JOIN subject s ON s.id = c.subject_id ORDER BY s.model)");
$(q "SELECT count(*) FROM crs c1 JOIN subject s1 ON s1.id = c1.subject_id JOIN crs c2 JOIN subject s2 ON s2.id = c2.subject_id
     WHERE s1.model < s2.model AND c1.value >= c2.value")" "prob prob prob prob prob;
0"
check_eq "CrS prob = per-occasion mean probability, then the mean over occasions" \
    "$(q "SELECT printf('%.12f', c.value) FROM crs c JOIN subject s ON s.id = c.subject_id WHERE s.model = 'm1'")" \
    "$(q "SELECT printf('%.12f', avg(v)) FROM (SELECT avg(b.probability) AS v FROM behavior b JOIN subject s ON s.id = b.subject_id
          WHERE s.model = 'm1' GROUP BY b.occasion)")"
# N/neuroticism names the EMO classifier and prints 1 - P(EMO)
sed 's/"EXT"/"EMO"/' "$T/lab.jsonl" >"$T/emo.jsonl"
pf ingest --quiet "$T/emo.jsonl"
check_exit "train EMO" 0 pf classify train --dimension emotional_stability --format csv
check_eq "neuroticism = 1 - P(EMO)" \
    "$(echo 'I chat with everyone at the party' | pf classify predict --dimension neuroticism |
       paste - "$(echo 'I chat with everyone at the party' | pf classify predict --dimension EMO >"$T/emo.txt"; echo "$T/emo.txt")" |
       awk -F'\t' '{ printf "%s %s %.12f", $2, $4, $1 + $3 }')" "n y 1.000000000000"
# 'apply' replaces every crs row; 'apply --dimension D' only those of D.
q "INSERT INTO crs(subject_id, dimension, method, value, n) SELECT id, 'AGR', 'label', 0.5, 1 FROM subject WHERE model = 'm1'"
check_exit "apply --dimension EXT" 0 pf classify apply --dimension EXT
check_eq "other dimensions kept" "$(q "SELECT count(*) FROM crs WHERE dimension = 'AGR'") $(q "SELECT count(*) FROM crs")" "1 6"
check_exit "apply (all)" 0 pf classify apply
check_eq "all: stale rows gone" "$(q "SELECT count(*) FROM crs WHERE dimension = 'AGR'") $(q "SELECT count(*) FROM crs")" "0 5"
bad "apply --dimension without behaviours" 1 \
    "psyfaith: error: no behaviours for dimension OPEN in the store (ingest records of type behavior first)" \
    pf classify apply --dimension OPEN
check_exit "export crs" 0 pf export crs
check_grep "export carries the CrS" "m5,,,EXT,label,1,10" "$T/out"
finish
