#!/bin/sh
# psyfaith scores: Eq. 1 sums, reverse keying on the nominal range, majority vote over repetitions
# (ties: nearest the middle option, then the lower), proration, and the Table 3 view.
. "$(dirname "$0")/../lib.sh"
pf init --quiet
# IPIP-50 EXT: E1 E3 E5 E7 E9 are + keyed, E2 E4 E6 E8 E10 are - keyed (fixtures/banks/ipip-50.csv).
{
    # subject A (m, 0.5): all 10 EXT items, option 4 everywhere -> + items 4, - items 2 -> sum 30
    for i in 1 2 3 4 5 6 7 8 9 10; do
        echo "{\"model\":\"m\",\"temperature\":0.5,\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"option\":4}"
    done
    # subject B (m, 1): E1 over three reps 5,5,1 -> vote 5; E2 reps 1,5 -> tie -> nearest 3 -> 1 and 5
    # are equally near -> the lower, 1 -> score 6-1 = 5; E3 reps 2,4 -> tie -> 2 (lower); E4 ... E8
    # answered once with 3; E9, E10 unanswered (refusal) -> 8 of 10 answered = 80 % -> prorated.
    for r in 0 1 2; do o=5; [ $r = 2 ] && o=1
        echo "{\"model\":\"m\",\"temperature\":1,\"rep\":$r,\"instrument\":\"IPIP-50\",\"item\":\"E1\",\"option\":$o}"; done
    for r in 0 1; do o=1; [ $r = 1 ] && o=5
        echo "{\"model\":\"m\",\"temperature\":1,\"rep\":$r,\"instrument\":\"IPIP-50\",\"item\":\"E2\",\"option\":$o}"; done
    for r in 0 1; do o=2; [ $r = 1 ] && o=4
        echo "{\"model\":\"m\",\"temperature\":1,\"rep\":$r,\"instrument\":\"IPIP-50\",\"item\":\"E3\",\"option\":$o}"; done
    for i in 4 5 6 7 8; do
        echo "{\"model\":\"m\",\"temperature\":1,\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"answer\":\"(C)\"}"; done
    for i in 9 10; do
        echo "{\"model\":\"m\",\"temperature\":1,\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"answer\":\"As an AI language model, I cannot answer.\"}"; done
    # subject C (m2): only 7 of 10 EXT answered -> below 80 % -> score left empty
    for i in 1 2 3 4 5 6 7; do
        echo "{\"model\":\"m2\",\"instrument\":\"IPIP-50\",\"item\":\"E$i\",\"answer\":\"garbled\"}"; done
    echo '{"model":"m2","instrument":"IPIP-50","item":"E1","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E2","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E3","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E4","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E5","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E6","option":5}'
    echo '{"model":"m2","instrument":"IPIP-50","item":"E7","option":5}'
} > "$T/s.jsonl"
check_exit "ingest" 0 pf ingest --quiet "$T/s.jsonl"
check_exit "scores" 0 pf scores --format csv
# B: E1 5, E2 1->5, E3 2, E4 3->3, E5 3, E6 3->3, E7 3, E8 3->3: sum 27 over 8 items, mean 3.375, prorated 33.75
check_eq "scores CSV" "$(cat "$T/out")" "model,temperature,persona,instrument,dimension,score,per_item,n_items,n_answered,n_reps,refusals,unparsed,condition
m,0.5,,IPIP-50,EXT,30,3,10,10,1,0,0,
m,1,,IPIP-50,EXT,33.75,3.375,10,8,3,2,0,
m2,,,IPIP-50,EXT,,,10,7,1,0,7,"
check_grep "the empty score is explained" "1 score left empty: fewer than 80% of the items answered" "$T/err"
check_exit "min-answered 0.7" 0 pf scores --format csv --min-answered 0.7
# C: E1 5, E2 -> 1, E3 5, E4 -> 1, E5 5, E6 -> 1, E7 5: 23 over 7, mean 23/7
check_eq "prorated at 70 %" "$(grep '^m2' "$T/out")" "m2,,,IPIP-50,EXT,32.857142857142854,3.2857142857142856,10,7,1,0,7,"
check_exit "Table 3 view" 0 pf scores --format csv --by-model
check_eq "Table 3: mean and sd over temperatures" "$(cat "$T/out")" "model,persona,instrument,dimension,mean,sd,n,condition
m,,IPIP-50,EXT,3.1875,0.2651650429449553,2,"
check_exit "bad --min-answered" 2 pf scores --min-answered 2
check_grep "bad --min-answered message" "--min-answered takes a share in (0, 1], got '2'" "$T/err"
check_exit "unknown instrument: nothing to score" 0 pf scores --instrument NOPE --format csv
check_grep "says so" "no responses for instrument NOPE in the store" "$T/err"
finish
