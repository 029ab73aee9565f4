# tests/cli/ingest_sources.sh -- issue 13 item 4: a source is its content *and* its mapping.  The same
# file under two mappings is two sources; the re-ingest check and --force concern only the source with
# the same mapping; source.mapping holds the canonical mapping text (the state of the options in a
# fixed order, and a jq program's own text instead of its file name).
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
pf init --quiet || { fail "init"; finish; }

printf '{"m":"a","instrument":"IPIP-50","item":"E1","answer":"(D)"}\n{"m":"a","instrument":"IPIP-50","item":"E2","answer":"(B)"}\n' >f.jsonl
check_exit "mapping A" 0 pf ingest --quiet --map model=/m f.jsonl
check_exit "mapping B: the same file with another model" 0 pf ingest --map model=/m --set temperature=0.7 f.jsonl
check_grep "B is stored, not skipped" "psyfaith: ingested 1 file: 2 responses" "$T/err"
check_eq "two sources of one content" "$(q "SELECT count(*) || '/' || count(DISTINCT sha256) FROM source")" "2/1"
check_eq "their rows" "$(q "SELECT source_id || ':' || count(*) FROM response GROUP BY source_id")" "1:2
2:2"
check_exit "mapping A again, options in another order and a profile" 0 sh -c \
    "printf 'map model=/m\n' >a.profile && '$PSYFAITH' ingest --db '$DB' --profile a.profile f.jsonl"
check_grep "skipped: the same content with the same mapping" \
    "psyfaith: skipped 'f.jsonl': the same content was ingested before with the same mapping, as source 1 (--force replaces it)" "$T/err"
check_exit "B in another order" 0 pf ingest --set temperature=0.7 --map model=/m f.jsonl
check_grep "B skipped" "as source 2 (--force replaces it)" "$T/err"
check_exit "--force under A" 0 pf ingest --force --map model=/m f.jsonl
check_grep "replaces A only" "psyfaith: replaced source 1 with 'f.jsonl' (--force)" "$T/err"
check_eq "B untouched, A replaced" "$(q "SELECT id FROM source ORDER BY id")" "2
3"
check_eq "rows: B's and the new A's" "$(q "SELECT count(*) FROM response")" 4
check_eq "canonical mapping text of B" "$(q "SELECT mapping FROM source WHERE id = 2")" "map model=/m
set temperature=0.7"
check_eq "schema: unique on content and mapping" \
    "$(q "SELECT count(*) FROM sqlite_master WHERE name = 'source' AND sql LIKE '%UNIQUE (sha256, mapping)%'")" 1

# jq: the program's text is the mapping, not its file name
if command -v jq >/dev/null 2>&1; then
    printf '{model: .m, instrument, item, answer}\n' >p1.jq
    mkdir sub && cp p1.jq sub/p2.jq
    printf '{model: (.m + "-x"), instrument, item, answer}\n' >p3.jq
    printf '{"m":"j","instrument":"IPIP-50","item":"E3","answer":"(A)"}\n' >g.jsonl
    check_exit "jq p1" 0 pf ingest --quiet --jq p1.jq g.jsonl
    check_eq "source.mapping holds the program text" "$(q "SELECT mapping FROM source WHERE path = 'g.jsonl'")" "jq-program
{model: .m, instrument, item, answer}"
    check_exit "the same program under another name" 0 pf ingest --jq sub/p2.jq g.jsonl
    check_grep "is the same mapping" "psyfaith: skipped 'g.jsonl': the same content was ingested before with the same mapping" "$T/err"
    check_exit "another program" 0 pf ingest --quiet --jq p3.jq g.jsonl
    check_eq "is another source" "$(q "SELECT group_concat(s.model) FROM response r JOIN subject s ON s.id = r.subject_id JOIN source o ON o.id = r.source_id WHERE o.path = 'g.jsonl'")" "j,j-x"
    check_exit "an unreadable jq program" 1 pf ingest --jq nosuch.jq g.jsonl
    check_grep "names it" "psyfaith: error: cannot open jq program 'nosuch.jq'" "$T/err"
fi
finish
