#!/bin/sh
# tests/cli/report_games.sh -- the games parts of `psyfaith report` (reports/report_games.c) on the
# generated games fixture beside the demo questionnaire study:
#  - every part is written, as LaTeX and as CSV, only when the store has games records;
#  - the verdict table's CSV rows are `psyfaith games` verdict rows, value for value, and each of its
#    LaTeX lines says in words what those rows say, p to the printed 3 decimals;
#  - the Theta table and the Milgram table equal `psyfaith games` to the printed precision;
#  - --only, CSV-only output, the 12-model cut with its note, and a PDF that compiles with a hostile
#    model name printed literally.
. "$(dirname "$0")/../lib.sh"
TOP=$PSYFAITH_TOP
PARTS="games_verdict ug_theta fig_ug_theta fig_ug_acceptance fig_ug_offer_r2 fig_ug_baseline me_summary
fig_me_remaining fig_me_disobediences games_not_analysed"

check_exit "init" 0 pf init --quiet
check_exit "ingest games and the demo study" 0 pf ingest --quiet "$TOP/fixtures/games/games.jsonl" \
    "$TOP/fixtures/demo/study.jsonl"
check_exit "report" 0 pf report --latex "$T/tex" --csv "$T/csv"
for part in $PARTS; do
    check_eq "$part.tex written" "$(test -s "$T/tex/$part.tex" && echo yes)" yes
    check_eq "$part.csv written" "$(test -s "$T/csv/$part.csv" && echo yes)" yes
done
check_grep "the questionnaire parts are still there" "Faithfulness coefficients" "$T/tex/faithfulness.tex"
check_exit "games ultimatum" 0 pf games ultimatum --format csv
cp "$T/out" "$T/ug.csv"
check_exit "games milgram" 0 pf games milgram --format csv
cp "$T/out" "$T/me.csv"

# ---- the verdict table: CSV rows = `psyfaith games` verdict rows (model trait term value p n) ----
{ awk -F, '$1 == "verdict" { print "ultimatum", $2, $3, $6, $7, $11, $12 }' "$T/ug.csv"
  awk -F, '$1 == "verdict" { print "milgram", $2, $3, $6, $7, $11, $12 }' "$T/me.csv"; } > "$T/want"
awk -F, 'NR > 1 { print $1, $2, $3, $4, $5, $6, $7 }' "$T/csv/games_verdict.csv" > "$T/got"
check_eq "verdict CSV rows equal psyfaith games" "$(diff "$T/want" "$T/got")" ""
check_eq "verdict CSV: 2 models x 2 traits x 5 terms per experiment" "$(wc -l < "$T/got" | tr -d ' ')" 40
check_eq "verdict CSV header" "$(head -n 1 "$T/csv/games_verdict.csv")" \
    "experiment,model,trait,term,value,p_value,n,shown,note"

# ---- ... and each LaTeX line says the same in words ----
# expected: "model & trait & humans & model & significant & monotone & agrees \\" from the games rows
words() {
    awk -F, '$1 == "verdict" {
        k = $2 SUBSEP $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
        v[k, $6] = $7; p[k, $6] = $11; cnt[k, $6] = $12
        if ($6 == "monotone" && match($0, /: [0-9]+ of/)) viol[k] = substr($0, RSTART + 2, RLENGTH - 5)
    }
    function dir(x) { return x == 1 ? "more" : x == -1 ? "less" : x == 0 ? "none" : "?" }
    END {
        for (i = 1; i <= n; i++) {
            k = order[i]; split(k, mt, SUBSEP)
            sig = (v[k, "significant"] == 1 ? "yes" : "no") ", " \
                  (p[k, "significant"] < 0.001 ? "$p<0.001$" : sprintf("$p=%.3f$", p[k, "significant"]))
            mono = cnt[k, "monotone"] == 1 ? "yes (2 levels)" : \
                   (v[k, "monotone"] == 1 ? "yes" : "no") " (" viol[k] " of " cnt[k, "monotone"] ")"
            a = v[k, "agrees_with_humans"]
            agree = a == 1 ? "yes" : a == -1 ? "\\textbf{AGAINST humans}" : \
                    (v[k, "model_direction"] == v[k, "human_direction"] ? "same, n.s." : "opposite, n.s.")
            printf "%s & %s & %s & %s & %s & %s & %s \\\\\n", mt[1], mt[2], dir(v[k, "human_direction"]),
                dir(v[k, "model_direction"]), sig, mono, agree
        }
    }' "$1"
}
{ words "$T/ug.csv"; words "$T/me.csv"; } > "$T/want"
grep ' & ' "$T/tex/games_verdict.tex" | grep -v '^Model &' |
    sed -e 's/-{}/-/g' -e 's/\\textsuperscript{[0-9]*}//' > "$T/got"
check_eq "verdict LaTeX lines say what the games rows say" "$(diff "$T/want" "$T/got")" ""
check_eq "verdict LaTeX: 8 lines" "$(wc -l < "$T/got" | tr -d ' ')" 8
check_grep "verdict: the planted effect against humans, in bold" \
    'persona-sim-a & OPEN & more & less & yes, $p<0.001$ & no (4 of 8) & \textbf{AGAINST humans} \\' "$T/got"
check_grep "verdict: the human finding cited in full" "Mehta, P. H. (2007). The Endocrinology of Personality" \
    "$T/tex/games_verdict.tex"
check_grep "verdict: the tests named" \
    "Welch t-{}test of the final level between the trait\\textquotesingle{}s extremes" "$T/tex/games_verdict.tex"

# ---- the Theta table: Theta_1..9, Theta_o, R^2 (ug_ols) and rho (ug_monotonicity) to 2 decimals ----
awk -F, '
function num(x,   s) { s = sprintf("%.2f", x < 0 ? -x : x); return (x < 0 && s !~ /^[0.]+$/) ? "$-$" s : s }
($1 == "ug_ols" || $1 == "ug_monotonicity") {
    k = $2 SUBSEP $3; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    if ($6 ~ /^theta_/ || $6 == "r2" || $6 == "spearman_rho") v[k, $6] = num($7)
}
END {
    for (i = 1; i <= n; i++) {
        k = order[i]; split(k, mt, SUBSEP); line = mt[1] " & " mt[2]
        for (l = 1; l <= 9; l++) line = line " & " v[k, "theta_" l]
        print line " & " v[k, "theta_o"] " & " v[k, "r2"] " & " v[k, "spearman_rho"] " \\\\"
    }
}' "$T/ug.csv" > "$T/want"
grep ' & ' "$T/tex/ug_theta.tex" | grep -v '^Model &' | sed 's/-{}/-/g' > "$T/got"
check_eq "Theta table equals psyfaith games to 2 decimals" "$(diff "$T/want" "$T/got")" ""
check_eq "Theta table: 2 models x 2 traits" "$(wc -l < "$T/got" | tr -d ' ')" 4

# ---- the Milgram table (Table 1): mean +- sd, disobediences, filtered, kept, difference vs baseline ----
awk -F, '
function num(x, d,   s) { s = sprintf("%." d "f", x < 0 ? -x : x); return (x < 0 && s !~ /^[0.]+$/) ? "$-$" s : s }
function p3(x) { return x < 0.001 ? "$p<0.001$" : sprintf("$p=%.3f$", x) }
$1 == "me_summary" && $6 != "unplaced_runs" {
    k = $2 SUBSEP $3 SUBSEP $4; if (!(k in seen)) { seen[k] = 1; order[++n] = k }
    v[k, $6] = $7; kept[k] = $6 == "mean_final_level" ? $12 : kept[k]
}
$1 == "me_welch" && $6 == "mean_difference" && $4 ~ / vs baseline$/ {
    lvl = $4; sub(/ vs baseline$/, "", lvl); diffs[$2 SUBSEP $3 SUBSEP lvl] = num($7, 2) " (" p3($11) ")"
}
END {
    for (i = 1; i <= n; i++) {
        k = order[i]; split(k, c, SUBSEP)
        line = sprintf("%s %s & %s $\\pm$ %s & %s & %s & %s & %s \\\\", c[1], c[2] == "" ? "baseline" : c[2] " " c[3],
            num(v[k, "mean_final_level"], 2), num(v[k, "sd_final_level"], 2), num(v[k, "disobediences"], 0),
            num(v[k, "filtered_runs"], 0), kept[k], c[2] == "" ? "" : diffs[k])
        print line
    }
}' "$T/me.csv" | sort > "$T/want"
sed 's/-{}/-/g' "$T/tex/me_summary.tex" |
    awk '/\\multicolumn\{6\}/ { m = $0; sub(/.*\\textbf\{/, "", m); sub(/\}.*/, "", m); next }
         /^\\quad / { sub(/^\\quad /, ""); print m " " $0 }' | sort > "$T/got"
check_eq "Milgram table equals psyfaith games to the printed precision" "$(diff "$T/want" "$T/got")" ""
check_eq "Milgram table: 2 models x 5 conditions" "$(wc -l < "$T/got" | tr -d ' ')" 10
check_grep "Milgram table: Milgram's humans for comparison" "(humans, Milgram 1963: 65\\,\\%)" "$T/tex/me_summary.tex"

# ---- figures: data and notes ----
check_eq "Figure 6: one plot per trait" "$(grep -c '^\\nextgroupplot' "$T/tex/fig_ug_theta.tex")" 2
# intervals are whisker series (reports/whiskers.c), not pgfplots' slow error bars: the (lo, hi) of
# every whisker of Figures 6 and 3 are the CSV's intervals, as many as the points drawn
whisker_pairs() {   # FILE: "lo hi" of every whisker segment, sorted
    grep 'sharp plot, mark=none, unbounded coords=jump' "$1" | tr -s ' ' '\n' | grep '^(' |
        awk -F'[(,)]' '$3 != "nan" { if (n++ % 2) print lo, $3; else lo = $3 }' | sort
}
csv_pairs() {       # FILE LO_COL HI_COL FILTER_COL FILTER_REGEX
    awk -F, -v l="$2" -v h="$3" -v fc="$4" -v fv="$5" 'NR > 1 && $fc ~ fv { printf "%.6g %.6g\n", $l, $h }' "$1" | sort
}
check_eq "Figure 6: whiskers are the t intervals of the CSV" "$(whisker_pairs "$T/tex/fig_ug_theta.tex")" \
    "$(csv_pairs "$T/csv/fig_ug_theta.csv" 8 9 6 '^theta_[1-9]$')"
check_eq "Figure 6: one whisker per point" "$(whisker_pairs "$T/tex/fig_ug_theta.tex" | wc -l | tr -d ' ')" \
    "$(grep 'mark=\*, mark size=1.2pt] coordinates' "$T/tex/fig_ug_theta.tex" | grep -o '([^)]*)' | wc -l | tr -d ' ')"
check_eq "Figure 3: whiskers are the Wilson intervals of the CSV" "$(whisker_pairs "$T/tex/fig_ug_baseline.tex")" \
    "$(csv_pairs "$T/csv/fig_ug_baseline.csv" 6 7 1 '^model$')"
check_eq "no pgfplots error bars left in any part" "$(cat "$T"/tex/*.tex | grep -c 'error bars/')" 0
check_eq "Figure 5: a grid per model and trait" "$(grep -c '^\\begin{scope}' "$T/tex/fig_ug_acceptance.tex")" 4
check_eq "Figure 5 CSV: the acceptance rows with their Wilson intervals" \
    "$(awk -F, 'NR > 1 { print $1, $2, $3, $4, $5, $7, $8, $9, $12 }' "$T/csv/fig_ug_acceptance.csv" | md5sum)" \
    "$(awk -F, '$1 == "ug_acceptance" { print $1, $2, $3, $4, $5, $7, $8, $9, $12 }' "$T/ug.csv" | md5sum)"
check_grep "Figure 3: the human curve" "humans (\$n=6102\$)" "$T/tex/fig_ug_baseline.tex"
# Figures 4/8 and 9 draw each curve as a TikZ step path (x0,y0) -| (x1,y1) ... in a scope of the axis's
# units (issue 16): a point on the line of the step before is left out, the last point kept.  Milgram's
# humans stay at 100 % up to level 20 and drop at 21
check_grep "Figures 4, 8: Milgram's humans" "\\draw[gray, dashed, very thick] (0,100) -| (21,87.5)" \
    "$T/tex/fig_me_remaining.tex"
check_eq "Figures 4, 8: a step's repeated values left out, its last point kept" \
    "$(grep -c '(20,100)\|(1,100) -| (2,100)' "$T/tex/fig_me_remaining.tex")" 0
check_grep "Figure 9: AGR max ends at Table 1's 83 disobediences" "(26,83);" "$T/tex/fig_me_disobediences.tex"
# curves_tex FILE: each curve drawn, expanded back to "level:value" at every level (sorted, once each)
curves_tex() {
    grep '^\\draw\[' "$1" | sed 's/^\\draw\[[^]]*\]//; s/;$//; s/ -| / /g' | awk '{
        n = 0; for (i = 1; i <= NF; i++) { gsub(/[()]/, "", $i); split($i, p, ","); x[n] = p[1]; y[n] = p[2]; n++ }
        s = ""; for (i = 0; i + 1 < n; i++) for (l = x[i]; l < x[i + 1]; l++) s = s l ":" y[i] " "
        print s x[n - 1] ":" y[n - 1] }' | sort -u
}
# curves_csv FILE ANALYSIS: the same from the CSV's step rows, a curve per model, trait and level
curves_csv() {
    awk -F, -v a="$2" '($1 == a || $1 == "me_human") && $6 ~ /^step_/ {
        k = $1 "|" $2 "|" $3 "|" $4; l = substr($6, 6)
        if (k != prev && prev != "") print s; if (k != prev) s = ""; prev = k
        s = s (s == "" ? "" : " ") l ":" sprintf("%.6g", $7) }
        END { if (prev != "") print s }' "$1" | sort -u
}
# bbox_ok FILE: each panel's invisible \addplot (the axis's limits) is its curves' bounding box
bbox_ok() {
    awk '/^\\nextgroupplot/ { if (have) print ok; have = 0 }
         /^\\addplot\[draw=none/ { gsub(/[(),]/, " "); want = $6 " " $7 " " $8 " " $9; have = 1; first = 1 }
         /^\\draw\[/ { line = $0; sub(/^\\draw\[[^]]*\]/, "", line); gsub(/-\||[();]/, " ", line); gsub(/,/, " ", line)
                        m = split(line, v, " "); for (i = 1; i < m; i += 2) {
                            if (first || v[i] + 0 < x0) x0 = v[i] + 0; if (first || v[i] + 0 > x1) x1 = v[i] + 0
                            if (first || v[i + 1] + 0 < y0) y0 = v[i + 1] + 0; if (first || v[i + 1] + 0 > y1) y1 = v[i + 1] + 0
                            first = 0 }
                        ok = (want == x0 " " y0 " " x1 " " y1) ? "ok" : "bad: " want " vs " x0 " " y0 " " x1 " " y1 }
         END { if (have) print ok }' "$1" | sort | uniq -c | sed 's/^ *//'
}
for fig in "fig_me_remaining me_remaining" "fig_me_disobediences me_cum_disobediences"; do
    set -- $fig
    check_eq "$1: the curves drawn are the CSV's steps" "$(curves_tex "$T/tex/$1.tex")" "$(curves_csv "$T/csv/$1.csv" "$2")"
    check_eq "$1: a curve drawn per model and condition (and the humans' in each panel)" \
        "$(grep -c '^\\draw\[' "$T/tex/$1.tex")" \
        "$(awk -F, -v a="$2" '$1 == a && $6 ~ /^step_/ { print $2, $3, $4 }' "$T/csv/$1.csv" | sort -u | wc -l |
           awk -v h="$([ "$1" = fig_me_remaining ] && grep -c '^\\nextgroupplot' "$T/tex/$1.tex" || echo 0)" '{ print $1 + h }')"
    check_eq "$1: each panel's limits are its curves' bounding box" "$(bbox_ok "$T/tex/$1.tex")" \
        "$(grep -c '^\\nextgroupplot' "$T/tex/$1.tex") ok"
    check_eq "$1: curves clipped to the axis and out of the bounding box, as pgfplots draws its plots" \
        "$(grep -c '^\\begin{scope}\\clip (rel axis cs:0,0) rectangle (rel axis cs:1,1);$' "$T/tex/$1.tex") $(grep -c '^\\begin{scope}\[overlay, shift={(axis cs:0,0)}' "$T/tex/$1.tex")" \
        "$(grep -c '^\\nextgroupplot' "$T/tex/$1.tex") $(grep -c '^\\nextgroupplot' "$T/tex/$1.tex")"
done
check_eq "no \\addplot curves left in the Milgram figures" "$(cat "$T"/tex/fig_me_*.tex | grep -c 'const plot, color')" 0
check_nogrep "no truncation note with 2 models" "Only the first" "$T/tex/fig_ug_theta.tex"

# ---- what was not analysed (issue 13): every left-out count of psyfaith games, with its reason ----
{ awk -F, '$1 == "ug_status" && $6 != "ok" && $7 > 0 { print $1, $2, $6, $7 }' "$T/ug.csv"
  awk -F, '$1 == "me_summary" && ($6 == "filtered_runs" || $6 ~ /_runs$/) && $7 > 0 { print $1, $2, $3, $4, $6, $7 }' "$T/me.csv"; } |
    sort > "$T/want_left"
awk -F, 'NR > 1 && $1 == "ug_status" { print $1, $2, $6, $7 } NR > 1 && $1 == "me_summary" { print $1, $2, $3, $4, $6, $7 }' \
    "$T/csv/games_not_analysed.csv" | sort > "$T/got_left"
check_eq "games_not_analysed.csv: every count that psyfaith games leaves out" "$(diff "$T/want_left" "$T/got_left")" ""
check_eq "and there are some (invalid answers and filtered runs of 2 models)" "$(wc -l < "$T/got_left" | tr -d ' ')" 12
check_grep "the table names the reason" "answer a refusal & 6" "$T/tex/games_not_analysed.tex"
check_eq "games_conditions is not written without conditions" "$(test -e "$T/tex/games_conditions.tex" && echo yes)" ""

# ---- which parts, and when ----
check_exit "--only games" 0 pf report --latex "$T/only" --only games
check_eq "--only games writes the games parts" "$(ls "$T/only" | sed 's/\.tex$//' | sort | tr '\n' ' ')" \
    "$(echo $PARTS | tr ' ' '\n' | sort | tr '\n' ' ')"
check_exit "--only games_verdict,me_summary" 0 pf report --csv "$T/two" --only games_verdict,me_summary
check_eq "--only two parts, CSV only" "$(ls "$T/two" | tr '\n' ' ')" "games_verdict.csv me_summary.csv "
check_exit "init a questionnaire-only store" 0 "$PSYFAITH" init --quiet --db "$T/q.db"
check_exit "ingest the demo study only" 0 "$PSYFAITH" ingest --quiet --db "$T/q.db" "$TOP/fixtures/demo/study.jsonl"
check_exit "report without games records" 0 "$PSYFAITH" report --db "$T/q.db" --latex "$T/q"
check_eq "no games part without games records" "$(ls "$T/q" | grep -c -e games -e '^ug_' -e '^me_' -e _ug_ -e _me_)" 0

# ---- 13 models: figures show 12 and say so; a missing cell is marked ----
i=0
while [ $i -lt 13 ]; do
    printf '{"type":"ultimatum","model":"m%02d","offer":%d,"decision":"accept"}\n' $i $((i % 3)) 
    printf '{"type":"ultimatum","model":"m%02d","offer":4,"decision":"reject"}\n' $i
    printf '{"type":"ultimatum","model":"m%02d","trait":"AGR","level":%d,"offer":4,"decision":"accept"}\n' $i $((i % 9 + 1))
    i=$((i + 1))
done > "$T/many.jsonl"
check_exit "init a 13-model store" 0 "$PSYFAITH" init --quiet --db "$T/many.db"
check_exit "ingest 13 models" 0 "$PSYFAITH" ingest --quiet --db "$T/many.db" "$T/many.jsonl"
check_exit "report on 13 models" 0 "$PSYFAITH" report --db "$T/many.db" --latex "$T/many" --csv "$T/many" --only games
check_grep "Figure 3 says that one model is left out" "Only the first 12 of 13 models are shown" \
    "$T/many/fig_ug_baseline.tex"
check_eq "Figure 3 draws 12 models" "$(grep -c '^\\addplot\[color=' "$T/many/fig_ug_baseline.tex")" 12
check_eq "Figure 3 CSV has all 13" \
    "$(cut -d, -f2 "$T/many/fig_ug_baseline.csv" | grep '^m[0-9]' | sort -u | wc -l | tr -d ' ')" 13
check_grep "Figure 5 marks an untested cell" "\$\\times\$: not tested" "$T/many/fig_ug_acceptance.tex"

# ---- a PDF that compiles, with a hostile model name printed literally ----
if command -v pdflatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    evil='evil\input{/etc/passwd}_&%$#{}~^'
    name='evil\\input{/etc/passwd}_&%$#{}~^'
    { for o in 0 5 10; do for l in 1 5 9; do
        printf '{"type":"ultimatum","model":"%s","trait":"AGR","level":%d,"offer":%d,"decision":"%s"}\n' "$name" $l $o \
            "$([ $((o + l)) -gt 8 ] && echo accept || echo reject)"
        printf '{"type":"ultimatum","model":"%s","trait":"AGR","level":%d,"offer":%d,"decision":"reject"}\n' "$name" $l $o
      done; printf '{"type":"ultimatum","model":"%s","offer":%d,"decision":"accept"}\n' "$name" $o; done
      for r in 1 2 3; do for lv in min max; do
        printf '{"type":"milgram","model":"%s","trait":"AGR","level":"%s","run":"%s%d","final_level":%d,"max_level":30}\n' \
            "$name" $lv $lv $r $((r * 7 + ${#lv}))
      done; done; } > "$T/evil.jsonl"
    check_exit "ingest the hostile name" 0 pf ingest --quiet "$T/evil.jsonl"
    check_exit "report --pdf" 0 pf report --latex "$T/pdf" --pdf
    check_eq "report.pdf" "$(test -s "$T/pdf/report.pdf" && echo yes)" yes
    pdftotext -layout "$T/pdf/report.pdf" "$T/report.txt"
    check_eq "the hostile name is literal in the games parts" \
        "$(grep -F -c -- "$evil" "$T/report.txt" | awk '{ print ($1 >= 5) ? "yes" : $1 }')" yes
    check_grep "the PDF carries the verdict table" "Does a persona move behaviour the way the trait moves" \
        "$T/report.txt"
    check_grep "the PDF carries Table 1" "Milgram experiment: the final level reached" "$T/report.txt"
    check_eq "nothing read /etc/passwd" "$(grep -c 'root:' "$T/report.txt")" 0
    check_eq "no overfull line in the games parts" \
        "$(grep -c 'Overfull' "$T/pdf/report.log")" 0
else
    echo "report_games.sh: pdflatex or pdftotext missing (texlive-latex-recommended texlive-pictures" \
        "poppler-utils): PDF checks skipped" >&2
fi
finish
