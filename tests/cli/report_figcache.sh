#!/bin/sh
# report --pdf's figure cache (reports/figcache.c): each figure part is compiled once and kept in
# DIR/.psyfaith-figures/KEY.pdf, KEY = SHA-256 of report.tex's preamble and the part's whole TeX.
#  - a second report of the same store reuses every cached PDF (the same files, not rewritten) and
#    gives the same PDF text;
#  - a change of the data changes the keys of the figures it touches: they are compiled anew, the
#    PDFs no figure uses any more are removed, and the report equals one made without any cache;
#  - report.tex and the parts are unchanged by caching (the copies that include the cached pages
#    live in pdflatex's private directory only).
. "$(dirname "$0")/../lib.sh"
if ! command -v pdflatex >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    echo "report_figcache.sh: no pdflatex or pdftotext: skipped" >&2
    finish
    exit 0
fi
TOP=$PSYFAITH_TOP
C=$T/r/.psyfaith-figures
pf init --quiet
check_exit "ingest games and the demo study" 0 pf ingest --quiet "$TOP/fixtures/games/games.jsonl" \
    "$TOP/fixtures/demo/study.jsonl"
check_exit "report --pdf" 0 pf report --latex "$T/r" --csv "$T/r/csv" --pdf
figs=$(grep -l 'begin{tikzpicture}' "$T"/r/fig_*.tex | wc -l | tr -d ' ')
check_eq "figure parts: fig_scores_norms, fig_items and the 6 games figures" "$figs" 8
check_eq "a cached PDF per figure part" "$(ls "$C" | grep -c '^[0-9a-f]\{64\}\.pdf$')" "$figs"
check_eq "nothing else in the cache" "$(ls -A "$C" | grep -vc '^[0-9a-f]\{64\}\.pdf$')" 0
ls -i "$C" | sort >"$T/first"
pdftotext "$T/r/report.pdf" "$T/first.txt"
check_eq "report.tex inputs the parts themselves" "$(grep -c 'includegraphics' "$T/r/report.tex" "$T"/r/fig_*.tex | grep -vc ':0$')" 0
check_eq "no private directory left" "$(ls -A "$T/r" | grep -c '^\.psyfaith-pdf')" 0

check_exit "the same report again" 0 pf report --latex "$T/r" --csv "$T/r/csv" --pdf
ls -i "$C" | sort >"$T/second"
check_eq "every cached PDF reused, none rewritten" "$(diff "$T/first" "$T/second")" ""
pdftotext "$T/r/report.pdf" "$T/second.txt"
check_eq "the same PDF text" "$(cmp "$T/first.txt" "$T/second.txt" && echo same)" same

# new data: one more model's Ultimatum trials (persona-sim-b's, renamed)
grep '"type":"ultimatum","model":"persona-sim-b"' "$TOP/fixtures/games/games.jsonl" |
    sed 's/persona-sim-b/persona-sim-c/' >"$T/more.jsonl"
check_exit "ingest another model's trials" 0 pf ingest --quiet "$T/more.jsonl"
check_exit "report --pdf after the change" 0 pf report --latex "$T/r" --csv "$T/r/csv" --pdf
ls "$C" | sort >"$T/third"
changed=$(awk '{ print $2 }' "$T/first" | sort | comm -13 - "$T/third" | wc -l | tr -d ' ')
check_eq "some figures compiled anew" "$(test "$changed" -ge 1 && echo yes)" yes
check_eq "still one PDF per figure part (old ones removed)" "$(ls "$C" | wc -l | tr -d ' ')" \
    "$(grep -l 'begin{tikzpicture}' "$T"/r/fig_*.tex | wc -l | tr -d ' ')"
check_grep "the new model is in the acceptance figure's part" "persona-{}sim-{}c" "$T/r/fig_ug_acceptance.tex"
check_exit "the same report into a new directory (no cache)" 0 pf report --latex "$T/fresh" --csv "$T/fresh/csv" --pdf
pdftotext "$T/r/report.pdf" "$T/cached.txt"
pdftotext "$T/fresh/report.pdf" "$T/fresh.txt"
check_eq "cached report = fresh report after the change" "$(cmp "$T/cached.txt" "$T/fresh.txt" && echo same)" same
check_grep "the new model's figure is in the PDF" "persona-sim-c" "$T/cached.txt"
check_eq "the same cache keys in both" "$(ls "$T/fresh/.psyfaith-figures" | sort)" "$(cat "$T/third")"

# With two figures or more to compile, the preamble is dumped once as a format (pdflatex -ini) and the
# figures start from it (-fmt); the PDF is the same as when the dump fails and
# every figure is compiled with the preamble.  A pdflatex in front of the real one logs each call.
# A figure compiled without the format ends only after the dump has (the file "dumped"): otherwise,
# when the first figure beat the dump, its slot started the second one without the format too and
# the count below was one short (make asan met that once).
mkdir "$T/bin"
real=$(command -v pdflatex)
{
    echo '#!/bin/sh'
    echo "echo \"\$*\" >>'$T/pdflatex.log'"
    echo 'case " $* " in'
    echo "*\" -ini \"*) ls fig_*.tex 2>/dev/null | wc -l | tr -d ' ' >>'$T/parts_at_dump'"
    echo "    [ -n \"\${PSYFAITH_TEST_NOFMT:-}\" ] && { : >'$T/dumped'; exit 1; }"
    echo "    '$real' \"\$@\"; rc=\$?; : >'$T/dumped'; exit \$rc ;;"
    echo "*figs-*) case \" \$* \" in *-fmt=*) ;; *) i=0; while [ ! -f '$T/dumped' ] && [ \$i -lt 600 ]; do sleep 0.05; i=\$((i + 1)); done ;; esac ;;"
    echo 'esac'
    echo "exec '$real' \"\$@\""
} >"$T/bin/pdflatex"
chmod +x "$T/bin/pdflatex"
# In a fresh directory (no cached figure) the dump starts before the report's parts are computed,
# on the core they leave idle, and every figure starts from it.
check_exit "fresh directory, figures from the dumped format" 0 env PATH="$T/bin:$PATH" "$PSYFAITH" report --db "$DB" \
    --latex "$T/fmt" --pdf
check_eq "one format dump" "$(grep -c -- '-ini ' "$T/pdflatex.log")" 1
check_eq "... started before any figure" "$(head -n 1 "$T/pdflatex.log" | grep -c -- '-ini ')" 1
check_eq "... and before the parts were in place (while they were computed)" "$(cat "$T/parts_at_dump")" 0
check_eq "every figure started from the format" "$(grep -c -- '-fmt=' "$T/pdflatex.log")" "$figs"
check_eq "every figure cached" "$(ls "$T/fmt/.psyfaith-figures" | wc -l | tr -d ' ')" "$figs"
check_eq "no private directory left" "$(ls -A "$T/fmt" | grep -c '^\.psyfaith-pdf')" 0
# A directory with cached figures dumps only when two or more are missing, beside the first of them.
cp -R "$T/fmt" "$T/part"
ls "$T/part/.psyfaith-figures"/*.pdf | head -n 3 | xargs rm -f
: >"$T/pdflatex.log"
rm -f "$T/dumped"
check_exit "three cached figures removed" 0 env PATH="$T/bin:$PATH" "$PSYFAITH" report --db "$DB" --latex "$T/part" --pdf
check_eq "one format dump, beside the first missing figure" "$(grep -c -- '-ini ' "$T/pdflatex.log")" 1
check_eq "... once the parts were in place" "$(tail -n 1 "$T/parts_at_dump")" "$(ls "$T/fmt"/fig_*.tex | wc -l | tr -d ' ')"
check_eq "the other two started from the format" "$(grep -c -- '-fmt=' "$T/pdflatex.log")" 2
check_eq "the cache whole again" "$(ls "$T/part/.psyfaith-figures")" "$(ls "$T/fmt/.psyfaith-figures")"
: >"$T/pdflatex.log"
rm -f "$T/dumped"
check_exit "fresh directory, the dump fails" 0 env PATH="$T/bin:$PATH" PSYFAITH_TEST_NOFMT=1 "$PSYFAITH" report \
    --db "$DB" --latex "$T/nofmt" --pdf
check_eq "the dump was tried once" "$(grep -c -- '-ini ' "$T/pdflatex.log")" 1
check_eq "no figure from a format" "$(grep -c -- '-fmt=' "$T/pdflatex.log")" 0
check_eq "every figure cached all the same" "$(ls "$T/nofmt/.psyfaith-figures" | wc -l | tr -d ' ')" "$figs"
pdftotext "$T/fmt/report.pdf" "$T/fmt.txt"
pdftotext "$T/nofmt/report.pdf" "$T/nofmt.txt"
check_eq "the same PDF text with and without the format" "$(cmp "$T/fmt.txt" "$T/nofmt.txt" && echo same)" same
check_eq "the same cache keys with and without the format" "$(ls "$T/fmt/.psyfaith-figures")" \
    "$(ls "$T/nofmt/.psyfaith-figures")"
# A report that fails after the early dump started stops it and leaves no private directory: here
# report.tex cannot be put in place (a directory has its name), after every part was computed.
mkdir -p "$T/bad/report.tex"
check_exit "a fresh report --pdf that fails" 1 pf report --latex "$T/bad" --pdf
check_eq "... leaves no private directory" "$(ls -A "$T/bad" | grep -c '^\.psyfaith-pdf')" 0
check_eq "... and no pdflatex of it running" "$(pgrep -f "$T/bad" | wc -l | tr -d ' ')" 0
finish
