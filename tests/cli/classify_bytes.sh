#!/bin/sh
# classify train and predict give the same bytes as before issue 16's speed work: the weights of a
# model trained on the sklearn fixture (sha256 of every term's idf and weight as SQLite quotes
# them: all 17 digits), and `classify predict` on the fixture's texts and on the same texts mixed
# case and padded with non-ASCII characters, at 1 and 2 threads.  The expected values were made
# by the binary before that work (commit 99ca418); tests/cli/data/classify_bytes.*
. "$(dirname "$0")/../lib.sh"
ORACLE=$PSYFAITH_TOP/tests/oracle/classify
DATA=$PSYFAITH_TOP/tests/cli/data
pf init --quiet
tail -n +2 "$ORACLE/fixture.tsv" | jq -R -c '
    split("\t") | select(.[0] == "train") | {type: "labeled_behavior", dimension: "EXT",
    label: (.[1] == "1"), text: (.[3] | gsub("\\\\\\\\"; "\\"))}' >"$T/ext.jsonl"
tail -n +2 "$ORACLE/fixture.tsv" | cut -f4 | sed 's/\\\\/\\/g' >"$T/texts.txt"
# the same texts upper-cased in part, with accented, Greek, Cyrillic and 4-byte characters around
awk '{ printf "%s \xc3\x89t\xc3\xa9 \xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91\xce\xa3 %s \xf0\x90\x90\x80bc \xd0\x9f\xd1\x80\xd0\xb8 %s\n", toupper(substr($0, 1, 40)), substr($0, 41), NR }' \
    "$T/texts.txt" >"$T/mixed.txt"
# and the mixed versions of the train texts as more training rows, so their words are terms
tail -n +2 "$ORACLE/fixture.tsv" | cut -f1,2 | paste - "$T/mixed.txt" | awk -F'\t' '$1 == "train"' |
    jq -R -c 'split("\t") | {type: "labeled_behavior", dimension: "EXT", label: (.[1] == "1"), text: .[2]}' >>"$T/ext.jsonl"
check_eq "640 training rows" "$(wc -l <"$T/ext.jsonl")" 640
check_exit "ingest" 0 pf ingest --quiet "$T/ext.jsonl"
check_exit "train" 0 pf classify train --dimension EXT --folds 1
check_eq "terms with non-ASCII letters" "$(q "SELECT count(*) FROM classifier_term WHERE term GLOB '*[^ -~]*'")" "$(cat "$DATA/classify_bytes.nonascii")"
check_eq "the weights, bit for bit" \
    "$(q "SELECT term || ' ' || quote(idf) || ' ' || quote(weight) FROM classifier_term ORDER BY term" | sha256sum | cut -c1-64) $(q "SELECT quote(intercept) FROM classifier")" \
    "$(cat "$DATA/classify_bytes.weights")"
for th in 1 2; do
    check_exit "predict, $th thread(s)" 0 pf classify predict --dimension EXT --threads "$th" <"$T/texts.txt"
    check_eq "predict, $th thread(s): the same bytes" "$(sha256sum <"$T/out" | cut -c1-64)" "$(sed -n 1p "$DATA/classify_bytes.predict")"
    check_exit "predict mixed texts, $th thread(s)" 0 pf classify predict --dimension EXT --threads "$th" <"$T/mixed.txt"
    check_eq "predict mixed texts, $th thread(s): the same bytes" "$(sha256sum <"$T/out" | cut -c1-64)" "$(sed -n 2p "$DATA/classify_bytes.predict")"
done
check_eq "mixed texts: 432 lines" "$(wc -l <"$T/out")" 432
# The TF-IDF counts run on two threads from 20,000 texts (classify/tfidf.c); the test hook lowers
# that to 2, so this small set takes the two-part path: the same weights, bit for bit.
check_exit "train, counts on two threads" 0 env PSYFAITH_TEST_TFIDF_PARALLEL_ROWS=2 "$PSYFAITH" classify train \
    --db "$DB" --dimension EXT --folds 1 --threads 2
check_eq "... the weights, bit for bit" \
    "$(q "SELECT term || ' ' || quote(idf) || ' ' || quote(weight) FROM classifier_term ORDER BY term" | sha256sum | cut -c1-64) $(q "SELECT quote(intercept) FROM classifier")" \
    "$(cat "$DATA/classify_bytes.weights")"
# a text that cannot be tokenised (the match-limit hook makes every text fail): each part stops at
# its first, and only the earlier one is reported, as on one thread
for th in 1 2; do
    check_exit "train at the match limit, $th thread(s)" 1 env PSYFAITH_TEST_TFIDF_PARALLEL_ROWS=2 PSYFAITH_PCRE2_MATCH_LIMIT=1 \
        "$PSYFAITH" classify train --db "$DB" --dimension EXT --folds 1 --threads "$th"
    cp "$T/err" "$T/limit$th.err"
done
check_eq "... one message, the first text's" "$(grep -c 'cannot tokenise text' "$T/limit2.err") $(grep -o 'cannot tokenise text [0-9]*' "$T/limit2.err")" \
    "1 cannot tokenise text 1"
check_eq "... the same at 1 and 2 threads" "$(cmp "$T/limit1.err" "$T/limit2.err" && echo same)" same
# the last line without its newline, CRLF lines: the same lines
check_exit "predict CRLF, no final newline" 0 sh -c 'sed "s/\$/\r/" "$1" | head -c -2 | "$2" classify predict --db "$3" --dimension EXT' \
    sh "$T/mixed.txt" "$PSYFAITH" "$DB"
check_eq "CRLF: the same bytes" "$(sha256sum <"$T/out" | cut -c1-64)" "$(sed -n 2p "$DATA/classify_bytes.predict")"
# With pruning (--min-df 2) the two parts' values are made one after the other (where part 1's
# begin is known only after part 0), without it at once: either way the one-part weights, bit for
# bit, and the model predicts the same bytes.
weights() { q "SELECT term || ' ' || quote(idf) || ' ' || quote(weight) FROM classifier_term ORDER BY term" | sha256sum | cut -c1-64; }
for mindf in 2 1; do
    check_exit "train --min-df $mindf, one part" 0 pf classify train --dimension EXT --folds 1 --min-df "$mindf" --threads 2
    one=$(weights) one_terms=$(q "SELECT count(*) FROM classifier_term")
    check_exit "predict --min-df $mindf, one part" 0 pf classify predict --dimension EXT <"$T/mixed.txt"
    cp "$T/out" "$T/one.out"
    check_exit "train --min-df $mindf, two parts" 0 env PSYFAITH_TEST_TFIDF_PARALLEL_ROWS=2 "$PSYFAITH" classify train \
        --db "$DB" --dimension EXT --folds 1 --min-df "$mindf" --threads 2
    check_eq "--min-df $mindf: the same weights, bit for bit" "$(weights)" "$one"
    check_exit "predict --min-df $mindf, two parts" 0 pf classify predict --dimension EXT <"$T/mixed.txt"
    check_eq "--min-df $mindf: the same predictions" "$(cmp "$T/one.out" "$T/out" && echo same)" same
    [ "$mindf" = 2 ] && pruned=$one_terms
done
all=$(q "SELECT count(*) FROM classifier_term")
[ "$pruned" -gt 0 ] && [ "$pruned" -lt "$all" ] && pass || fail "--min-df 2 kept $pruned of $all terms: it pruned nothing"
finish
