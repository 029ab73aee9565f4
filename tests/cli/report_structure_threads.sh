# tests/cli/report_structure_threads.sh -- the report's structure parts (structure_fit: CFA per model and
# invariance; fig_structure: EFA heat maps) fit the models on worker threads: the parts are byte-identical at
# any --threads and $PSYFAITH_THREADS; the heat maps (pgf system layer, reports/cells.h) draw one rectangle per
# non-zero loading of each model shown, coloured by the loading, and an item label per row.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
S=$PSYFAITH_TOP/fixtures/structure
pf init --quiet || { fail "init"; finish; }
check_exit "human wide table" 0 pf ingest --wide --set instrument=IPIP-50 --set model=human --missing 0 "$S/ipip50_human_500.tsv"
for m in good method merged; do
    check_exit "study $m" 0 pf ingest --wide --set instrument=IPIP-50 --set model=$m --missing 0 "$S/study_$m.tsv"
done
check_exit "report, 1 thread" 0 pf report --only structure_fit,fig_structure --threads 1 --latex "$T/t1" --csv "$T/t1"
check_exit "report, 3 threads" 0 pf report --only structure_fit,fig_structure --threads 3 --latex "$T/t3" --csv "$T/t3"
check_exit "report, PSYFAITH_THREADS=2" 0 env PSYFAITH_THREADS=2 "$PSYFAITH" report --db "$DB" \
    --only structure_fit,fig_structure --latex "$T/t2" --csv "$T/t2"
for f in structure_fit.tex structure_fit.csv fig_structure.tex fig_structure.csv; do
    check_exit "$f: 1 and 3 threads the same bytes" 0 cmp "$T/t1/$f" "$T/t3/$f"
    check_exit "$f: 1 and 2 threads the same bytes" 0 cmp "$T/t1/$f" "$T/t2/$f"
done
check_eq "structure_fit rows in model order" "$(cut -d, -f3 "$T/t1/structure_fit.csv" | tr '\n' ';')" \
    "model;good;human;merged;method;configural;"
check_eq "fig_structure CSV: 4 models x 50 items x 5 factors" "$(sed 1d "$T/t1/fig_structure.csv" | wc -l | tr -d ' ')" 1000
# one rectangle per non-zero loading, one item label per item, one map per model
check_eq "heat maps: a rectangle per non-zero loading" "$(grep -c '^\\psycell{' "$T/t1/fig_structure.tex")" \
    "$(awk -F, 'NR > 1 && $8 + 0 != 0' "$T/t1/fig_structure.csv" | wc -l | tr -d ' ')"
check_eq "heat maps: 4 maps with 50 item rows each" "$(grep -c '\\psyhmrow{' "$T/t1/fig_structure.tex")" 200
check_eq "heat maps: 4 maps" "$(grep -c 'begin{tikzpicture}' "$T/t1/fig_structure.tex")" 4
# the first cell's colour is its loading on the red (-) / white / blue (+) scale, 75 % at |1|
want=$(awk -F, 'NR == 2 { v = $8 + 0; a = (v < 0 ? -v : v); if (a > 1) a = 1; t = 1 - 0.75 * a
                          if (v < 0) printf "{1.0000}{%.4f}{%.4f}", t, t; else printf "{%.4f}{%.4f}{1.0000}", t, t }' \
       "$T/t1/fig_structure.csv")
check_eq "first cell coloured by its loading (rgb of the colormap)" \
    "$(grep -m1 '^\\psycell{' "$T/t1/fig_structure.tex" | cut -d'}' -f1-3 | sed 's/^\\psycell//; s/$/}/')" "$want"
check_exit "--threads 0 refused" 2 pf report --only fig_structure --threads 0 --latex "$T/t0"
check_grep "--threads 0: says why" "--threads takes a number of threads (1 to 256), got '0'" "$T/err"
if command -v pdflatex >/dev/null 2>&1; then
    check_exit "the heat maps compile (pdflatex)" 0 pf report --only fig_structure --latex "$T/pdf" --pdf
    check_eq "report.pdf written, the maps from the figure cache" "$(head -c 5 "$T/pdf/report.pdf"; ls "$T/pdf/.psyfaith-figures" | wc -l | tr -d ' ')" "%PDF-1"
fi
finish
