#!/bin/sh
# psyfaith report: the Table 2 layout with exactly the expected rows and columns, bold exactly where
# psyfaith metrics flags a value unfaithful, the same numbers as psyfaith metrics to the printed
# precision, CSV beside every table, a PDF that compiles, and hostile input text printed literally.
. "$(dirname "$0")/../lib.sh"
pf init --quiet
check_exit "ingest the demo study" 0 pf ingest --quiet "$PSYFAITH_TOP/fixtures/demo/study.jsonl"
check_exit "report" 0 pf report --latex "$T/tex" --csv "$T/csv"
for part in faithfulness scores norms diagnostics fig_scores_norms fig_items provenance; do
    check_eq "$part.tex written" "$(test -s "$T/tex/$part.tex" && echo yes)" yes
    check_eq "$part.csv written" "$(test -s "$T/csv/$part.csv" && echo yes)" yes
done
# The sd whiskers of the bar figure (reports/whiskers.c) are the CSV's mean -/+ sd, one whisker series
# per bar series, each shifted onto its bars as pgfplots' ybar=2pt with bar width=5pt puts them.
grep 'sharp plot, mark=none, unbounded coords=jump' "$T/tex/fig_scores_norms.tex" | tr -s ' ' '\n' | grep '^(' |
    awk -F'[(,)]' '$3 != "nan" { if (n++ % 2) print $2, lo, $3; else lo = $3 }' | sort > "$T/whiskers"
# (counted from the end: a population's name may hold a comma)
awk -F, 'NR > 1 { printf "%s %.6g %.6g\n", $(NF - 4), $(NF - 3) - $(NF - 2), $(NF - 3) + $(NF - 2) }' \
    "$T/csv/fig_scores_norms.csv" | sort > "$T/sd"
check_eq "fig_scores_norms: whiskers are mean -/+ sd of the CSV" "$(diff "$T/sd" "$T/whiskers")" ""
check_eq "... as many as the CSV's rows" "$(wc -l < "$T/whiskers" | tr -d ' ')" "$(($(wc -l < "$T/csv/fig_scores_norms.csv") - 1))"
awk '/^\\begin\{axis\}/ { bars = 0; w = 0 }
     /^\\addplot(\+\[[^]]*\])? coordinates/ { bars++ }
     /sharp plot, mark=none/ { s = $0; sub(/.*xshift=/, "", s); sub(/pt.*/, "", s); shift[w++] = s }
     /^\\end\{axis\}/ { ok = (w == bars); for (k = 0; k < w; k++) ok = ok && (shift[k] + 0 == (k - (bars - 1) / 2) * 7)
                          print (ok ? "ok" : "bad") " " bars }' "$T/tex/fig_scores_norms.tex" | sort | uniq -c | sed 's/^ *//' > "$T/shifts"
check_eq "fig_scores_norms: one whisker series per bar series, at (k - (n-1)/2) x 7 pt" "$(cut -d' ' -f2 "$T/shifts" | sort -u)" ok
check_eq "no classifier table before training" "$(test -e "$T/tex/classifier.tex" && echo yes)" ""

# Rows of Table 2: TrC, InC for 3 instruments, Human InC where norms carry alphas, ExC for 3 pairs, BC.
# (input text is escaped: a hyphen is written -{} so that -- never becomes a dash)
sed 's/-{}/-/g' "$T/tex/faithfulness.tex" > "$T/faith.tex"
rows=$(sed -n 's/^\([A-Za-z ]*\)\\textsubscript{\([^}]*\)}.*/\1 \2/p' "$T/faith.tex" | tr '\n' '|')
check_eq "faithfulness rows" "$rows" "TrC BFI-44|TrC IPIP-50|TrC IPIP-NEO-120|InC BFI-44|InC IPIP-50|Human InC IPIP-50|InC IPIP-NEO-120|Human InC IPIP-NEO-120|ExC BFI-44,IPIP-50|ExC BFI-44,IPIP-NEO-120|ExC IPIP-50,IPIP-NEO-120|BC BFI-44|BC IPIP-50|BC IPIP-NEO-120|Faithful BFI-44|Faithful IPIP-50|Faithful IPIP-NEO-120|"
check_grep "five dimension columns" "& EXT & AGR & CONS & EMO & OPEN \\\\" "$T/tex/faithfulness.tex"
check_eq "every row has 5 values" "$(grep -c '\\textsubscript{.*}\( & [^&]*\)\{5\} \\\\$' "$T/tex/faithfulness.tex")" 17

# Bold exactly where metrics says unfaithful, and the same numbers to 2 decimals.
pf metrics --format csv > "$T/metrics.csv"
awk -F, '$1=="TrC" || $1=="InC" || $1=="ExC" { key = $1 " " $2 ($3 == "" ? "" : "," $3) " " $4;
         printf "%s %.2f %s\n", key, $6, (index($0, "unfaithful") ? "bold" : "plain") }' "$T/metrics.csv" |
    sed 's/ -0\.00 / 0.00 /' | sort > "$T/want"
awk '/\\textsubscript/ && !/^Human/ && !/^BC/ && !/^Faithful/ {
        label = $0; sub(/\\textsubscript.*/, "", label)
        inst = $0; sub(/^[^{]*\{/, "", inst); sub(/\}.*/, "", inst)
        n = split($0, cell, " & "); split("EXT AGR CONS EMO OPEN", dim, " ")
        for (i = 2; i <= 6; i++) { v = cell[i]; sub(/ *\\\\ *$/, "", v)
            style = (v ~ /textbf/) ? "bold" : "plain"; gsub(/\\textbf\{|\}|\$/, "", v); sub(/^-/, "-", v)
            printf "%s %s %s %s %s\n", label, inst, dim[i - 1], v, style } }' "$T/faith.tex" |
    sed 's/ -\([0-9]\)/ -\1/' | sort > "$T/got"
check_eq "bold and numbers equal psyfaith metrics" "$(diff "$T/want" "$T/got")" ""
check_eq "compared cells" "$(wc -l < "$T/got" | tr -d ' ')" 45
check_grep "negative alpha printed with a real minus" "\\textbf{\$-\$2.38}" "$T/tex/faithfulness.tex"
check_grep "missing BC explained" "no CrS yet: run psyfaith classify apply" "$T/tex/faithfulness.tex"
check_eq "faithfulness CSV header" "$(head -1 "$T/csv/faithfulness.csv")" "row,instrument,instrument_b,dimension,value,ci_low,ci_high,unfaithful,note,condition"
# The Faithful row is metrics --summary's verdict, the one audit's gate uses (issue 13 part 6)
pf metrics --summary --format csv > "$T/summary.csv"
tail -n +2 "$T/summary.csv" | sed 's/^\([^,]*\),\([^,]*\),\([^,]*\),.*/\1 \2 \3/' | sort > "$T/want_faithful"
awk -F, '$1 == "Faithful" { v = $8 == "no" ? "yes" : $8 == "yes" ? "no" : $8; print $2, $4, v }' "$T/csv/faithfulness.csv" | sort > "$T/got_faithful"
check_eq "report's Faithful row = metrics --summary" "$(diff "$T/want_faithful" "$T/got_faithful")" ""
check_eq "Faithful verdicts compared" "$(wc -l < "$T/got_faithful" | tr -d ' ')" 15
check_grep "Faithful cell in the table" 'Faithful\textsubscript{IPIP-{}NEO-{}120} & no\textsuperscript{e} & yes & yes & no\textsuperscript{f} & yes \\' "$T/tex/faithfulness.tex"
check_grep "Faithful row explained" 'Faithful: TrC and InC defined and every defined coefficient at its threshold' "$T/tex/faithfulness.tex"
check_grep "provenance names the source and its hash" "study.jsonl" "$T/tex/provenance.tex"
check_exit "--only" 0 pf report --latex "$T/only" --only scores,provenance
check_eq "--only writes only those" "$(ls "$T/only" | tr '\n' ' ')" "provenance.tex scores.tex "
check_exit "--only unknown part" 2 pf report --only nope
check_grep "--only message" "--only: unknown part 'nope'" "$T/err"

# A PDF that compiles, with a hostile model name printed literally.
if command -v pdflatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    evil='evil\input{/etc/passwd}_&%$#{}~^'
    printf '{"model":"%s","instrument":"IPIP-50","item":"E1","option":4}\n' 'evil\\input{/etc/passwd}_&%$#{}~^' > "$T/evil.jsonl"
    check_exit "ingest the hostile name" 0 pf ingest --quiet "$T/evil.jsonl"
    check_exit "report --pdf" 0 pf report --latex "$T/pdf" --pdf
    check_eq "report.pdf" "$(test -s "$T/pdf/report.pdf" && echo yes)" yes
    pdftotext -layout "$T/pdf/report.pdf" "$T/report.txt"
    check_grep "the hostile name is literal in the PDF" "$evil" "$T/report.txt"
    check_grep "the PDF carries Table 2" "Faithfulness coefficients" "$T/report.txt"
    check_eq "nothing read /etc/passwd" "$(grep -c 'root:' "$T/report.txt")" 0
else
    echo "report.sh: pdflatex or pdftotext missing (texlive-latex-recommended texlive-pictures poppler-utils): PDF checks skipped" >&2
fi
finish
