# tests/cli/ingest_reps.sh -- --reps-columns (issue 13 item 4): repetitions stored as columns, as in
# PsychoBench's results CSV, melted into one record per cell.  The table below has the shape of the
# file PsychoBench's utils.py generation() writes (shuffle-count 0, test-count 3: a "Prompt: ..."
# column with "N. text", the item ids in "order-1", one column per test run "shuffle0-testK") with
# made-up answers; no PsychoBench results file is in ../shared/data.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

cat >pb.csv <<'CSV'
"Prompt: You can only reply numbers from 1 to 5 in the following statements.",order-1,shuffle0-test0,shuffle0-test1,shuffle0-test2
1. Is talkative,1,4,5,4
2. Tends to find fault with others,2,2,,2
"3. Does a
thorough job",3,5,4,NA
6. Is reserved,6,1,2,3
CSV
MAP="--set model=gpt-4 --set instrument=BFI-44 --map item=order-1"
check_exit "melt" 0 pf ingest $MAP --reps-columns '^shuffle0-test' --missing NA pb.csv
check_grep "summary counts one record per answered cell" "psyfaith: ingested 1 file: 10 responses" "$T/err"
check_grep "empty and --missing cells counted" "psyfaith: repetition columns: 2 answers missing" "$T/err"
check_eq "rows: rep = place among the matching columns, run = column name, line = the row's first line" \
    "$(q "SELECT i.code, r.rep, r.run, r.option, r.score, r.line FROM response r JOIN item i ON i.id = r.item_id ORDER BY r.line, r.rep")" \
    "1|1|shuffle0-test0|4|4|2
1|2|shuffle0-test1|5|5|2
1|3|shuffle0-test2|4|4|2
2|1|shuffle0-test0|2|4|3
2|3|shuffle0-test2|2|4|3
3|1|shuffle0-test0|5|5|4
3|2|shuffle0-test1|4|4|4
6|1|shuffle0-test0|1|5|6
6|2|shuffle0-test1|2|4|6
6|3|shuffle0-test2|3|3|6"
check_eq "one subject" "$(q "SELECT count(*) FROM subject")" 1
check_eq "source mapping names the pattern" "$(q "SELECT count(*) FROM source WHERE mapping LIKE '%reps-columns ^shuffle0-test%'")" 1

# errors: a pattern that matches nothing; one that matches a column read as a field
check_exit "pattern matching nothing" 1 pf ingest $MAP --reps-columns '^test' --force pb.csv
check_eq "its message" "$(head -n 1 "$T/err")" "pb.csv:1: --reps-columns: no column matches '^test'"
check_exit "pattern matching the item column" 1 pf ingest $MAP --reps-columns '-' --force pb.csv
check_eq "its message" "$(head -n 1 "$T/err")" \
    "pb.csv:1: --reps-columns '-' matches the column 'order-1', which is also read as the field 'item' (field item)"
printf 'model,instrument,item,rep,t1,t2\nm,BFI-44,1,1,3,4\n' >withrep.csv
check_exit "a rep column besides" 1 pf ingest --reps-columns '^t[0-9]' withrep.csv
check_eq "its message" "$(head -n 1 "$T/err")" \
    "withrep.csv:1: --reps-columns gives the field 'rep', but the column 'rep' would be read as it too (rename the column) (field rep)"
check_exit "answer also mapped" 1 pf ingest $MAP --map answer=order-1 --reps-columns '^shuffle' --force pb.csv
check_grep "its message" "--reps-columns gives the field 'answer'; it cannot also be mapped, set or extracted" "$T/err"
check_exit "with --wide" 1 pf ingest --wide --set model=m --set instrument=BFI-44 --reps-columns '^shuffle' --force pb.csv
check_grep "its message" "--reps-columns and --wide cannot be combined" "$T/err"
printf '{"model":"m","instrument":"BFI-44","item":"1","answer":"3"}\n' >a.jsonl
check_exit "JSON input" 1 pf ingest --reps-columns '^t' a.jsonl
check_grep "its message" "psyfaith: error: 'a.jsonl': --reps-columns applies to CSV input, not jsonl" "$T/err"
check_exit "bad pattern" 2 pf ingest --reps-columns '(' pb.csv
check_grep "its message" "psyfaith: error: --reps-columns: bad regular expression at offset 1" "$T/err"
check_eq "failed files stored nothing" "$(q "SELECT count(*) FROM source")" 1

# a cell is an answer text: one out of the scale is stored unparsed, never a wrong option
printf 'model,instrument,item,t1,t2\nm,BFI-44,1,3,9\n' >outofscale.csv
check_exit "out-of-scale cell" 0 pf ingest --reps-columns '^t[0-9]' outofscale.csv
check_eq "stored as answered text with its status" \
    "$(q "SELECT r.rep || ':' || r.run || ':' || r.answer || ':' || coalesce(r.option, '-') || ':' || r.status FROM response r JOIN subject s ON s.id = r.subject_id WHERE s.model = 'm' ORDER BY r.rep")" \
    "1:t1:3:3:ok
2:t2:9:-:unparsed"

# a profile line, and --save-profile keeps it
check_exit "--save-profile" 0 pf ingest $MAP --reps-columns '^shuffle0-' --save-profile reps.profile
check_grep "saved" "reps-columns ^shuffle0-" reps.profile
finish
