# tests/cli/ingest_wide.sh -- a wide table: the 19,719 openpsychometrics respondents of
# ChatGPT-Behavioral's bigfive_data.csv (TAB-separated, CRLF, columns race..country then E1..O10,
# 0 = not answered), one subject per row.  Counts are computed independently with awk.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

# A small wide table first: missing cells, reverse keys, a bad cell, --skip-bad.
printf 'id\tE1\tE2\tN1\tnote\r\nr1\t5\t1\t0\thello\r\nr2\t\t2\t4\t\r\n' >small.tsv
check_exit "small wide table" 0 pf ingest --wide --set instrument=IPIP-50 --set model=human --missing 0 small.tsv
check_grep "small summary" "psyfaith: ingested 1 file: 4 responses" "$T/err"
check_grep "small missing" "psyfaith: wide table: 2 answers missing" "$T/err"
check_eq "small rows" "$(pf export responses | cut -d, -f1-12,14)" \
    "model,temperature,persona,rep,instrument,item,dimension,key,answer,option,score,status,line
human,,small.tsv row 2,0,IPIP-50,E1,EXT,+,,5,5,ok,2
human,,small.tsv row 2,0,IPIP-50,E2,EXT,-,,1,5,ok,2
human,,small.tsv row 3,0,IPIP-50,E2,EXT,-,,2,4,ok,3
human,,small.tsv row 3,0,IPIP-50,N1,EMO,-,,4,2,ok,3"
printf 'id,E1,E2\nr1,5,1\nr2,6,1\nr3,2,x\n' >bad-cell.csv
check_exit "bad cell" 1 pf ingest --wide --set instrument=IPIP-50 --set model=human bad-cell.csv
check_eq "bad cell message" "$(head -n 1 "$T/err")" "bad-cell.csv:3: expected an option 1..5, found '6' (field E1)"
check_grep "second bad cell" "bad-cell.csv:4: expected an option 1..5, found 'x' (field E2)" "$T/err"
check_exit "--wide without an instrument" 1 pf ingest --wide --set model=human small.tsv
check_eq "no instrument message" "$(head -n 1 "$T/err")" "small.tsv:1: --wide needs the instrument as a constant: --set instrument=NAME (field instrument)"
check_exit "--wide, no item columns" 1 pf ingest --wide --set instrument=BFI-44 --set model=human --force small.tsv
check_eq "no item columns message" "$(head -n 1 "$T/err")" "small.tsv:1: --wide: no column is named by an item id of 'BFI-44'"
check_eq "failed wide files stored nothing" "$(q "SELECT count(*) FROM source")" 1

F=$PSYFAITH_SHARED/data/chatgpt-behavioral/data/bigfive_data.csv
if [ ! -r "$F" ]; then
    echo "ingest_wide.sh: $F not found: the 19,719-respondent test is skipped" >&2
    finish
fi

# Independent counts: data rows, and non-zero, non-empty cells in the item columns 8..57.
awk -F'\t' 'NR == 1 { sub(/\r$/, ""); print $8 " " $57 " " NF }
            NR > 1 { sub(/\r$/, ""); rows++; for (i = 8; i <= 57; i++) if ($i != "0" && $i != "") n++ }
            END { print rows " " n }' "$F" >counts
read -r first last nf <counts
{ read -r _; read -r rows cells; } <counts
check_eq "file layout" "$first $last $nf" "E1 O10 57"
check_eq "respondents in the file" "$rows" 19719

check_exit "wide ingest" 0 pf ingest --wide --set instrument=IPIP-50 --set model=human --missing 0 "$F"
check_grep "wide summary" "psyfaith: ingested 1 file: $cells responses" "$T/err"
check_grep "wide missing" "psyfaith: wide table: $((rows * 50 - cells)) answers missing" "$T/err"
# every row its own subject, named by the file and line: row 2 here is not row 2 of small.tsv
check_eq "subjects" "$(q "SELECT count(*) FROM subject WHERE persona LIKE 'bigfive_data.csv row %'")" "$rows"
check_eq "subject names" "$(q "SELECT min(persona_n) || '..' || max(persona_n) FROM (SELECT CAST(substr(persona, 22) AS INTEGER) AS persona_n FROM subject WHERE persona LIKE 'bigfive_data.csv row %')")" \
    "2..$((rows + 1))"
src="(SELECT id FROM source WHERE path = '$F')"
# a respondent who skipped every item is a subject without responses
empty=$(awk -F'\t' 'NR > 1 { sub(/\r$/, ""); n = 0; for (i = 8; i <= 57; i++) n += $i != "0" && $i != ""; if (!n) e++ } END { print e + 0 }' "$F")
check_eq "respondents with answers" "$(q "SELECT count(DISTINCT subject_id) FROM response WHERE source_id = $src")" "$((rows - empty))"
check_eq "responses = non-zero item cells" "$(q "SELECT count(*) FROM response WHERE source_id = $src")" "$cells"
check_eq "every response ok, option 1..5" "$(q "SELECT count(*) FROM response WHERE source_id = $src AND status = 'ok' AND option BETWEEN 1 AND 5")" "$cells"
check_eq "source row" "$(q "SELECT format || ' ' || records || ' ' || lines FROM source WHERE id = $src")" "wide $rows $((rows + 1))"

# A few exact cells, read from the file with awk and from the store.
cell() {    # LINE COLUMN-NUMBER
    awk -F'\t' -v l="$1" -v c="$2" 'NR == l { sub(/\r$/, ""); print $c; exit }' "$F"
}
stored() {  # LINE ITEM
    q "SELECT coalesce((SELECT r.option || '/' || r.score FROM response r JOIN item i ON i.id = r.item_id
                        WHERE r.source_id = $src AND r.line = $1 AND i.code = '$2'), 'missing')"
}
for spec in 2:8:E1:+ 2:9:E2:- 2:57:O10:+ 3:18:N1:- 3:27:N10:- 10000:37:A10:+ 19720:8:E1:+ 19720:57:O10:+; do
    IFS=: read -r line col item key <<EOF
$spec
EOF
    v=$(cell "$line" "$col")
    if [ "$v" = 0 ]; then want=missing
    elif [ "$key" = + ]; then want="$v/$v"
    else want="$v/$((6 - v))"; fi
    check_eq "line $line $item" "$(stored "$line" "$item")" "$want"
done
check_eq "first respondent, E1..E5" "$(q "SELECT group_concat(o, ' ') FROM (SELECT r.option AS o FROM response r JOIN item i ON i.id = r.item_id WHERE r.source_id = $src AND r.line = 2 ORDER BY i.position LIMIT 5)")" \
    "4 2 5 2 5"
# a missing answer (0) leaves no row: find one with awk and check it is absent
zero=$(awk -F'\t' 'NR > 1 { sub(/\r$/, ""); for (i = 8; i <= 57; i++) if ($i == "0") { print NR " " i; exit } }' "$F")
if [ -n "$zero" ]; then
    zl=${zero% *} zc=${zero#* }
    zi=$(awk -F'\t' -v c="$zc" 'NR == 1 { print $c; exit }' "$F")
    check_eq "0 is missing (line $zl $zi)" "$(stored "$zl" "$zi")" missing
    check_eq "that respondent has 49 answers or fewer" "$(q "SELECT count(*) < 50 FROM response WHERE source_id = $src AND line = $zl")" 1
fi

finish
