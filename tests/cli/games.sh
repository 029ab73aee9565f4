#!/bin/sh
# tests/cli/games.sh -- `psyfaith games ultimatum|milgram` end to end on the generated fixture
# (fixtures/games/games.jsonl, planted effects described in fixtures/games/make_fixture.py):
#  - every value R computed (tests/oracle/games/expected.txt, from tests/oracle/games.R) equals the
#    command's CSV output to 1e-9 (1e-6 for glm), through ingest, the store and the grouping;
#  - the verdicts find the planted effects and say plainly where a model goes against humans;
#  - the exact CSV header, the table format, usage errors, and the ingest errors for bad games input.
. "$(dirname "$0")/../lib.sh"
TOP=$PSYFAITH_TOP
FIX=$TOP/fixtures/games/games.jsonl
EXPECTED=$TOP/tests/oracle/games/expected.txt
HEADER='analysis,model,trait,level,offer,term,value,ci_low,ci_high,df,p_value,n,note,condition'

check_exit "init" 0 pf init --quiet
check_exit "ingest the games fixture" 0 pf ingest --quiet "$FIX"
check_eq "ultimatum trials stored" "$(q 'SELECT count(*) FROM ultimatum')" 2200
check_eq "milgram runs stored" "$(q 'SELECT count(*) FROM milgram')" 200

check_exit "games ultimatum" 0 pf games ultimatum --format csv
cp "$T/out" "$T/ug.csv"
check_exit "games milgram" 0 pf games milgram --format csv
cp "$T/out" "$T/me.csv"
check_eq "ultimatum CSV header" "$(head -n 1 "$T/ug.csv")" "$HEADER"
check_eq "milgram CSV header" "$(head -n 1 "$T/me.csv")" "$HEADER"
check_exit "games on a pipe defaults to CSV" 0 pf games ultimatum
check_eq "default format off a terminal is CSV" "$(head -n 1 "$T/out")" "$HEADER"

# ---- every R value: key = the first six columns, then value ci_low ci_high df p_value n ----
tail -n +2 "$T/ug.csv" > "$T/all.csv"
tail -n +2 "$T/me.csv" >> "$T/all.csv"
awk -F'\t' '
NR == FNR {                      # the command output (CSV; the note, last, is the only quoted cell)
    n = split($0, c, ",")
    k = c[1] SUBSEP c[2] SUBSEP c[3] SUBSEP c[4] SUBSEP c[5] SUBSEP c[6]
    got[k] = c[7] SUBSEP c[8] SUBSEP c[9] SUBSEP c[10] SUBSEP c[11] SUBSEP c[12]
    next
}
/^#/ { next }
{
    for (i = 1; i <= 12; i++) if ($i == "-") $i = ""
    k = $1 SUBSEP $2 SUBSEP $3 SUBSEP $4 SUBSEP $5 SUBSEP $6
    if (!(k in got)) { missing++; if (missing <= 5) print "missing: " $1, $2, $3, $4, $5, $6 > "/dev/stderr"; next }
    split(got[k], g, SUBSEP)
    tol = ($1 == "ug_logit" || $1 == "ug_trend") ? 1e-6 : 1e-9
    for (i = 7; i <= 12; i++) {
        if ($i == "") continue
        compared++
        d = g[i - 6] == "" ? 1e300 : g[i - 6] - $i
        if (d < 0) d = -d
        if ($1 == "ug_logit" || $1 == "ug_trend") { if (d > maxg) maxg = d } else if (d > max) max = d
        if (d > tol) { bad++; if (bad <= 5) print "differs: " $1, $2, $3, $4, $5, $6, "column " i ": " g[i - 6] " vs R " $i > "/dev/stderr" }
    }
}
END { printf "%d %d %d %.3g %.3g\n", compared, bad + 0, missing + 0, max, maxg }
' "$T/all.csv" "$EXPECTED" > "$T/cmp"
read -r compared bad missing maxd maxg < "$T/cmp"
echo "games.sh: $compared values compared with R; max |psyfaith - R| = $maxd (lm, t.test, prop.test, cor), $maxg (glm)" >&2
check_eq "R values compared" "$([ "$compared" -gt 2500 ] && echo yes)" yes
check_eq "values that differ from R" "$bad" 0
check_eq "R values missing from the output" "$missing" 0

# ---- verdicts: the planted effects ----
verdict() {   # FILE MODEL TRAIT TERM -> value
    awk -F, -v m="$2" -v t="$3" -v term="$4" '$1 == "verdict" && $2 == m && $3 == t && $6 == term { print $7 }' "$1"
}
verdict_note() {
    grep "^verdict,$2,$3,,,$4," "$1"
}
A=persona-sim-a B=persona-sim-b
check_eq "UG a AGR: human direction" "$(verdict "$T/ug.csv" $A AGR human_direction)" 1
check_eq "UG a AGR: model direction" "$(verdict "$T/ug.csv" $A AGR model_direction)" 1
check_eq "UG a AGR: significant" "$(verdict "$T/ug.csv" $A AGR significant)" 1
check_eq "UG a AGR: agrees with humans" "$(verdict "$T/ug.csv" $A AGR agrees_with_humans)" 1
check_eq "UG a OPEN: model direction" "$(verdict "$T/ug.csv" $A OPEN model_direction)" -1
check_eq "UG a OPEN: significant" "$(verdict "$T/ug.csv" $A OPEN significant)" 1
check_eq "UG a OPEN: against humans" "$(verdict "$T/ug.csv" $A OPEN agrees_with_humans)" -1
verdict_note "$T/ug.csv" $A OPEN agrees_with_humans > "$T/note"
check_grep "UG a OPEN: the note says so plainly" "ultimatum: AGAINST humans: in persona-sim-a higher OPEN goes with less acceptance of unfair offers" "$T/note"
check_grep "UG a OPEN: and cites the human finding" "in humans with more (Mehta 2007)" "$T/note"
check_eq "UG b AGR: not significant" "$(verdict "$T/ug.csv" $B AGR significant)" 0
check_eq "UG b OPEN: not significant" "$(verdict "$T/ug.csv" $B OPEN significant)" 0
check_eq "UG b AGR: no verdict either way" "$(verdict "$T/ug.csv" $B AGR agrees_with_humans)" 0
check_eq "UG b OPEN: no verdict either way" "$(verdict "$T/ug.csv" $B OPEN agrees_with_humans)" 0
check_eq "UG a AGR: monotonicity assessed over 8 steps" \
    "$(awk -F, '$1 == "verdict" && $2 == "persona-sim-a" && $3 == "AGR" && $6 == "monotone" { print $12 }' "$T/ug.csv")" 8
check_eq "ME a CONS: model direction" "$(verdict "$T/me.csv" $A CONS model_direction)" 1
check_eq "ME a CONS: significant" "$(verdict "$T/me.csv" $A CONS significant)" 1
check_eq "ME a CONS: agrees with humans" "$(verdict "$T/me.csv" $A CONS agrees_with_humans)" 1
check_eq "ME a AGR: model direction" "$(verdict "$T/me.csv" $A AGR model_direction)" -1
check_eq "ME a AGR: against humans" "$(verdict "$T/me.csv" $A AGR agrees_with_humans)" -1
verdict_note "$T/me.csv" $A AGR agrees_with_humans > "$T/note"
check_grep "ME a AGR: the note says so plainly" "milgram: AGAINST humans: in persona-sim-a higher AGR goes with less obedience" "$T/note"
check_grep "ME a AGR: and cites the human finding" "(Bègue 2015)" "$T/note"
check_eq "ME b CONS: not significant" "$(verdict "$T/me.csv" $B CONS significant)" 0
check_eq "ME b AGR: not significant" "$(verdict "$T/me.csv" $B AGR significant)" 0
check_eq "verdict rows: 2 models x 2 traits x 5 terms per experiment" \
    "$(grep -c '^verdict,' "$T/ug.csv"),$(grep -c '^verdict,' "$T/me.csv")" "20,20"

# ---- parse status: invalid answers counted, never analysed ----
for m in $A $B; do
    invalid=$(grep "\"model\":\"$m\"" "$FIX" | grep '"type":"ultimatum"' |
        grep -c -e 'or maybe reject' -e 'As an AI' -e 'tough call')
    ok=$(awk -F'\t' -v m=$m '$1 == m' "$TOP/tests/oracle/games/ug_trials.tsv" | wc -l)
    st=$(awk -F, -v m=$m '$1 == "ug_status" && $2 == m { printf "%s=%s ", $6, $7 }' "$T/ug.csv")
    amb=$(grep "\"model\":\"$m\"" "$FIX" | grep -c 'or maybe reject')
    ref=$(grep "\"model\":\"$m\"" "$FIX" | grep -c 'As an AI')
    unp=$(grep "\"model\":\"$m\"" "$FIX" | grep -c 'tough call')
    check_eq "UG $m: statuses" "$st" "ok=$ok ambiguous=$amb refusal=$ref unparsed=$unp unplaced=0 persona_without_trait=0 "
    check_eq "UG $m: ok + invalid = all trials" "$((ok + invalid))" 1100
done

# ---- Milgram: human curve, Table 1 consistency, Figure 9 ----
human() { awk -F, -v t="$1" '$1 == "me_human" && $2 == "" && $6 == t { print $7 "/" $12 }' "$T/me.csv"; }
check_eq "Milgram 1963: everyone at 300 V (level 20)" "$(human step_20)" "100/40"
check_eq "Milgram 1963: 35 of 40 past 300 V" "$(human step_21)" "87.5/40"
check_eq "Milgram 1963: 26 of 40 to 450 V" "$(human step_30)" "65/40"
for lvl in min max; do
    disob=$(awk -F, -v l=$lvl '$1 == "me_summary" && $2 == "persona-sim-a" && $3 == "AGR" && $4 == l && $6 == "disobediences" { print $7 }' "$T/me.csv")
    last=$(awk -F, -v l=$lvl '$1 == "me_cum_disobediences" && $2 == "persona-sim-a" && $3 == "AGR" && $4 == l { v = $7 } END { print v }' "$T/me.csv")
    check_eq "Figure 9 AGR $lvl: cumulative disobediences end at Table 1's count" "$last" "$disob"
done
check_eq "filtered runs counted (Table 1)" \
    "$(awk -F, '$1 == "me_summary" && $2 == "persona-sim-a" && $3 == "AGR" && $4 == "max" && $6 == "filtered_runs" { print $7 "/" $12 }' "$T/me.csv")" "2/20"
check_eq "remaining curve starts at 100%" \
    "$(awk -F, '$1 == "me_remaining" && $2 == "persona-sim-a" && $3 == "" && $6 == "step_0" { print $7 }' "$T/me.csv")" 100

# ---- table format, options, usage ----
check_exit "table format" 0 pf games milgram --format table
check_eq "table header is aligned, the condition beside the model" "$(head -n 1 "$T/out" | awk '{ print $1, $2, $3, $4 }')" "analysis model condition trait"
check_eq "table has one line per row plus the header" "$(wc -l < "$T/out")" "$(wc -l < "$T/me.csv")"
check_exit "ultimatum table" 0 pf games ultimatum --format table
check_eq "the table prints the long human citation once (22 rows, 2 models)" "$(grep -c 'MobLab Ultimatum Game' "$T/out")" 1
check_eq "and refers to it by number in the other offers' rows" \
    "$(grep '^ug_human ' "$T/out" | grep -c 'human_acceptance_rate .*see \[[0-9]*\]$')" 21
check_exit "a stricter alpha" 0 pf games ultimatum --format csv --alpha 1e-20
check_eq "alpha 1e-20: UG a AGR no longer significant" "$(verdict "$T/out" $A AGR significant)" 0
# another human reference table: with Openness lowering acceptance, model a agrees with "humans"
{ head -n 1 "$TOP/fixtures/games/human_games.csv"
  echo 'ultimatum,direction,OPEN,,,,-1,a test reference (not a finding)'; } > "$T/human.csv"
check_exit "--human FILE" 0 pf games ultimatum --format csv --human "$T/human.csv"
check_eq "--human: the verdict follows the table" "$(verdict "$T/out" $A OPEN agrees_with_humans)" 1
check_eq "--human: no human curve in that table" "$(grep -c '^ug_human,' "$T/out")" 0
check_exit "--help" 0 pf games --help
check_grep "--help names the columns" "$HEADER" "$T/out"
check_exit "no analysis named" 2 "$PSYFAITH" games --db "$DB"
check_grep "no analysis: message" "psyfaith: error: games needs one of: ultimatum, milgram" "$T/err"
check_exit "unknown analysis" 2 pf games poker
check_file "unknown analysis: message" "$T/err" "psyfaith: error: unknown games analysis 'poker' (ultimatum or milgram)"
check_exit "bad format" 2 pf games ultimatum --format xml
check_file "bad format: message" "$T/err" "psyfaith: error: --format must be csv or table, got 'xml'"
check_exit "bad alpha" 2 pf games ultimatum --alpha 2
check_file "bad alpha: message" "$T/err" "psyfaith: error: --alpha must be a number between 0 and 1, got '2'"
check_exit "missing store" 1 "$PSYFAITH" games ultimatum --db "$T/none.db"
check_exit "empty store" 0 "$PSYFAITH" init --quiet --db "$T/empty.db"
check_exit "games on an empty store" 0 "$PSYFAITH" games milgram --db "$T/empty.db" --format csv
check_eq "empty store: only the human curve" "$(grep -vc '^me_human,' "$T/out")" 1

# ---- conditions from the persona when the record names none; unplaced rows counted; defusing ----
cat > "$T/persona.jsonl" <<'JSONL'
{"type":"ultimatum","model":"m","persona":"agreeableness=3","offer":4,"decision":"accept"}
{"type":"ultimatum","model":"m","persona":"Agreeableness = 3","offer":4,"decision":"reject"}
{"type":"ultimatum","model":"m","persona":"agreeableness=high","offer":4,"decision":"accept"}
{"type":"ultimatum","model":"m","trait":"AGR","offer":4,"decision":"accept"}
{"type":"ultimatum","model":"m","persona":"baseline","offer":4,"answer":"I accept."}
{"type":"ultimatum","model":"=HYPERLINK(1)","offer":4,"decision":"accept"}
{"type":"milgram","model":"m","persona":"conscientiousness=max","run":"r1","final_level":12,"max_level":30,"disobediences":1}
{"type":"milgram","model":"m","persona":"conscientiousness=max","run":"r2","final_level":14,"max_level":30,"disobediences":0}
{"type":"milgram_step","model":"m","persona":"conscientiousness=max","run":"r1","step":1,"disobeyed":false}
{"type":"milgram_step","model":"m","persona":"conscientiousness=max","run":"r1","step":2,"disobeyed":true}
{"type":"milgram_step","model":"m","persona":"conscientiousness=max","run":"r2","step":1,"disobeyed":false}
JSONL
check_exit "init a persona store" 0 "$PSYFAITH" init --quiet --db "$T/p.db"
check_exit "ingest persona-only records" 0 "$PSYFAITH" ingest --quiet --db "$T/p.db" "$T/persona.jsonl"
check_exit "games ultimatum on them" 0 "$PSYFAITH" games ultimatum --db "$T/p.db" --format csv
check_eq "persona agreeableness=3 is AGR level 3" \
    "$(awk -F, '$1 == "ug_acceptance" && $2 == "m" && $3 == "AGR" && $4 == "3" { print $7 "/" $12 }' "$T/out")" "0.5/2"
check_eq "persona 'baseline' is the baseline" \
    "$(awk -F, '$1 == "ug_acceptance" && $2 == "m" && $3 == "" && $4 == "" { print $7 "/" $12 }' "$T/out")" "1/1"
check_eq "unplaced trials counted" \
    "$(awk -F, '$1 == "ug_status" && $2 == "m" && $6 == "unplaced" { print $7 "/" $12 }' "$T/out")" "2/5"
check_grep "model names are defused for spreadsheets" "ug_status,'=HYPERLINK(1),,,,ok,1," "$T/out"
check_exit "games milgram on them" 0 "$PSYFAITH" games milgram --db "$T/p.db" --format csv
check_eq "persona conscientiousness=max is CONS max" \
    "$(awk -F, '$1 == "me_summary" && $2 == "m" && $3 == "CONS" && $4 == "max" && $6 == "mean_final_level" { print $7 "/" $12 }' "$T/out")" "13/2"
check_eq "Figure 9 from persona-only steps" \
    "$(awk -F, '$1 == "me_cum_disobediences" && $2 == "m" { printf "%s %s=%s/%s ", $3 $4, $6, $7, $12 }' "$T/out")" \
    "CONSmax step_1=0/2 CONSmax step_2=1/2 "

# ---- bad games input is refused by ingest, with the place and the reason ----
cd "$T" || exit 1
printf '{"type":"ultimatum","model":"m","offer":12,"total":10,"decision":"accept"}\n' > offer.jsonl
printf '{"type":"ultimatum","model":"m","trait":"AGR","level":10,"offer":3,"decision":"accept"}\n' > level.jsonl
printf '{"type":"milgram","model":"m","trait":"AGR","level":"max","final_level":31,"max_level":30}\n' > final.jsonl
printf '{"type":"milgram","model":"m","trait":"AGR","level":"maximum","final_level":3,"max_level":30}\n' > mlevel.jsonl
printf 'type,model,offer,total,decision\nultimatum,m,12,10,accept\n' > offer.csv
for case in "offer.jsonl|offer.jsonl:1: offer 12 is outside 0..total (10) (field offer)" \
            "level.jsonl|level.jsonl:1: 10 is out of range (1..9) (field level)" \
            "final.jsonl|final.jsonl:1: final level 31 is above max_level 30 (field final_level)" \
            "mlevel.jsonl|mlevel.jsonl:1: expected min, max or 1..9, found 'maximum' (field level)" \
            "offer.csv|offer.csv:2: offer 12 is outside 0..total (10) (field offer)"; do
    f=${case%%|*} msg=${case#*|}
    check_exit "ingest $f is refused" 1 "$PSYFAITH" ingest --db "$T/empty.db" "$f"
    check_eq "ingest $f: message" "$(head -n 1 "$T/err")" "$msg"
    check_grep "ingest $f: nothing stored" "nothing of '$f' was stored" "$T/err"
done
check_eq "bad input left no rows" "$(q -db "$T/empty.db" 'SELECT (SELECT count(*) FROM ultimatum) + (SELECT count(*) FROM milgram)')" 0

# ---- Figure 7 with the same acceptance rate at every level: slope 0, no p, no R^2, the note ----
for l in 1 2 3 4; do
    for r in 0 1 2; do
        d=reject; [ "$r" = 0 ] && d=accept
        printf '{"type":"ultimatum","model":"flat","persona":"agreeableness=%s","trait":"agreeableness","level":%s,"offer":3,"total":10,"rep":%s,"decision":"%s"}\n' "$l" "$l" "$r" "$d"
    done
done > "$T/flat.jsonl"
check_exit "flat: init" 0 "$PSYFAITH" init --quiet --db "$T/flat.db"
check_exit "flat: ingest" 0 "$PSYFAITH" ingest --quiet --db "$T/flat.db" "$T/flat.jsonl"
check_exit "flat: games" 0 "$PSYFAITH" games ultimatum --db "$T/flat.db" --format csv
check_grep "flat: slope 0, no interval, no p" \
    'ug_offer_regression,flat,AGR,,3,slope,0,,,2,,4,"no variation in the acceptance rate' "$T/out"
check_grep "flat: no R^2" 'ug_offer_regression,flat,AGR,,3,r2,,,,2,,4,no variation in the acceptance rate' "$T/out"

finish
