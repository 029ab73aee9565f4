#!/bin/sh
# psyfaith classify on worker threads (issue 16): train (dimensions, CV folds, the fit's row
# blocks), predict and apply give the same bytes at 1, 2 and 3 threads (--threads or
# $PSYFAITH_THREADS), and bad thread counts are usage errors.
. "$(dirname "$0")/../lib.sh"
ORACLE=$PSYFAITH_TOP/tests/oracle/classify
tail -n +2 "$ORACLE/fixture.tsv" | jq -R -c '
    split("\t") | select(.[0] == "train") | {source: .[2], label: (.[1] == "1"),
    text: (.[3] | gsub("\\\\\\\\"; "\\"))}' >"$T/train.json"
jq -c '{type: "labeled_behavior", dimension: "EXT", occasion: .source, label: .label, text: .text}' "$T/train.json" >"$T/ext.jsonl"
jq -c -s 'to_entries[] | select(.value.label or .key % 4 == 0) | .value |
    {type: "labeled_behavior", dimension: "AGR", label: .label, text: .text}' "$T/train.json" >"$T/agr.jsonl"
jq -c '{type: "behavior", model: ("m" + (.source | tostring | .[0:2])), dimension: "EXT", occasion: "o", text: .text}' "$T/train.json" >"$T/beh.jsonl"
tail -n +2 "$ORACLE/fixture.tsv" | cut -f4 | sed 's/\\\\/\\/g' >"$T/texts.txt"
# the texts 40 times over: several batches of predict's 8192 lines
i=0; : >"$T/many.txt"; while [ $i -lt 40 ]; do cat "$T/texts.txt" >>"$T/many.txt"; i=$((i + 1)); done

pf init --quiet
check_exit "ingest EXT, AGR, behaviours" 0 pf ingest --quiet "$T/ext.jsonl" "$T/agr.jsonl" "$T/beh.jsonl"
weights() { q "SELECT dimension, term, printf('%.17g %.17g', idf, weight) FROM classifier_term ORDER BY 1, 2;
               SELECT dimension, printf('%.17g', intercept) FROM classifier ORDER BY 1" | md5sum; }
for t in 1 2 3; do
    check_exit "train, 5-fold CV, --threads $t" 0 pf classify train --folds 5 --format csv --threads "$t"
    cp "$T/out" "$T/train$t.csv"
    weights >"$T/w$t"
    check_exit "predict, --threads $t" 0 sh -c '"$1" classify predict --db "$2" --dimension EXT --threads "$3" <"$4"' sh \
        "$PSYFAITH" "$DB" "$t" "$T/many.txt"
    cp "$T/out" "$T/pred$t.txt"
    check_exit "apply, PSYFAITH_THREADS=$t" 0 env PSYFAITH_THREADS="$t" "$PSYFAITH" classify apply --db "$DB"
    q "SELECT id, printf('%.17g', probability), label FROM behavior ORDER BY id" >"$T/apply$t.txt"
done
check_eq "train: two dimensions with CV" "$(cut -d, -f1,5 "$T/train1.csv" | tr '\n' ' ')" "dimension,folds EXT,5 AGR,5 "
check_eq "predict: every line" "$(wc -l <"$T/pred1.txt" | tr -d ' ')" "$(wc -l <"$T/many.txt" | tr -d ' ')"
check_eq "apply labelled the behaviours" "$(wc -l <"$T/apply1.txt" | tr -d ' ')" 320
for t in 2 3; do
    check_eq "train CSV (CV metrics) at $t threads = 1 thread" "$(cat "$T/train$t.csv")" "$(cat "$T/train1.csv")"
    check_eq "weights at $t threads = 1 thread" "$(cat "$T/w$t")" "$(cat "$T/w1")"
    check_eq "predictions at $t threads = 1 thread" "$(cmp -s "$T/pred1.txt" "$T/pred$t.txt" && echo same)" same
    check_eq "apply at $t threads = 1 thread" "$(cmp -s "$T/apply1.txt" "$T/apply$t.txt" && echo same)" same
done
check_exit "train --threads 0" 2 pf classify train --threads 0
check_grep "train --threads 0: says why" "--threads takes a number of threads (1 to 256), got '0'" "$T/err"
check_exit "predict --threads x" 2 pf classify predict --dimension EXT --threads x
# a bad line after the first batch: nothing printed, the line named
{ cat "$T/many.txt"; printf '\n'; } >"$T/bad.txt"
check_exit "predict: empty line after 2 batches" 1 sh -c '"$1" classify predict --db "$2" --dimension EXT --threads 2 <"$3"' sh \
    "$PSYFAITH" "$DB" "$T/bad.txt"
check_eq "predict: nothing printed" "$(wc -c <"$T/out" | tr -d ' ')" 0
check_grep "predict: the empty line named" "<stdin>:$(( $(wc -l <"$T/many.txt") + 1 )):" "$T/err"
finish
