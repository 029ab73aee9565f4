#!/bin/sh
# tests/cli/report_files.sh -- how psyfaith writes output files (outfile.c, reports/report.c):
#  - an over-long path is an error, never a file with a truncated name;
#  - a symbolic link inside the output directory is replaced, never followed;
#  - a report removes the files the previous report in that directory wrote and this one did not
#    (the .psyfaith-manifest), and nothing else;
#  - missing parent directories are created;
#  - a write error (file size limit) is an error and leaves the previous report as it was;
#  - --pdf leaves no pdflatex by-products; --save-profile reports a full device;
#  - standard output that cannot be written (> /dev/full) is an error for every command.
. "$(dirname "$0")/../lib.sh"
TOP=$PSYFAITH_TOP
GDB=$T/games.db   # the demo study and the games fixture
check_exit "init" 0 pf init --quiet
check_exit "ingest the demo study" 0 pf ingest --quiet "$TOP/fixtures/demo/study.jsonl"
check_exit "init games" 0 "$PSYFAITH" init --db "$GDB" --quiet
check_exit "ingest games" 0 "$PSYFAITH" ingest --db "$GDB" --quiet "$TOP/fixtures/demo/study.jsonl" \
    "$TOP/fixtures/games/games.jsonl"

# ---- an over-long path: the directory fits in PATH_MAX (4096), DIR/faithfulness.tex does not ----
comp=$(printf '%0200d' 0 | tr 0 a)
D=$T/long
while [ ${#D} -lt 3880 ]; do D=$D/$comp; done
D=$D/$(printf "%0$((4089 - ${#D}))d" 0 | tr 0 b)
check_eq "test directory is 4090 bytes" "${#D}" 4090
mkdir -p "$D"
check_exit "report into a too-long path fails" 1 pf report --latex "$D" --csv "$D"
check_grep "path too long message" "error: path too long" "$T/err"
check_eq "no file with a truncated name" "$(ls -A "$D")" ""
check_exit "a too-long directory fails" 1 pf report --latex "$D/cccccccccc"
check_grep "path too long message for the directory" "error: path too long" "$T/err"

# ---- symbolic links in the output directory are replaced, never followed ----
R=$T/sym
mkdir "$R"
echo precious > "$T/victim"
echo precious > "$T/victim2"
ln -s "$T/victim" "$R/games_verdict.csv"
ln -s "$T/created" "$R/scores.csv"
ln -s "$T/victim2" "$R/.psyfaith-manifest"
check_exit "report over symbolic links" 0 "$PSYFAITH" report --db "$GDB" --latex "$R" --csv "$R"
check_eq "the link's target is unchanged" "$(cat "$T/victim")" precious
check_eq "the manifest link's target is unchanged" "$(cat "$T/victim2")" precious
check_eq "a dangling link's target is not created" "$(test -e "$T/created" && echo yes)" ""
check_eq "games_verdict.csv is now a regular file" "$(test -f "$R/games_verdict.csv" && ! test -L "$R/games_verdict.csv" && echo yes)" yes
check_eq "scores.csv is now a regular file" "$(test -f "$R/scores.csv" && ! test -L "$R/scores.csv" && echo yes)" yes
check_grep "games_verdict.csv holds the table" "experiment,model,trait" "$R/games_verdict.csv"
check_eq "no temporary files left" "$(ls -A "$R" | grep -c psyfaith-tmp)" 0

# ---- stale files of the previous report are removed, other files survive ----
S=$T/stale
check_exit "report with games" 0 "$PSYFAITH" report --db "$GDB" --latex "$S" --csv "$S"
check_eq "games_verdict.csv written" "$(test -f "$S/games_verdict.csv" && echo yes)" yes
check_grep "the manifest lists it" "games_verdict.csv" "$S/.psyfaith-manifest"
echo mine > "$S/notes.txt"
rm "$S/me_summary.tex"
ln -s notes.txt "$S/me_summary.tex"     # listed in the manifest, but now the user's link
check_exit "report without games into the same directory" 0 pf report --latex "$S" --csv "$S"
check_eq "stale games_verdict.csv removed" "$(ls "$S" | grep -c games_verdict)" 0
check_eq "stale figures removed" "$(ls "$S" | grep -c '^fig_ug_\|^fig_me_\|^ug_theta')" 0
check_eq "a file not in the manifest survives" "$(cat "$S/notes.txt")" mine
check_eq "a link the user made survives" "$(readlink "$S/me_summary.tex")" notes.txt
check_eq "the new parts are there" "$(test -s "$S/faithfulness.tex" && test -s "$S/faithfulness.csv" && echo yes)" yes
check_nogrep "the new manifest does not list games" "games_verdict" "$S/.psyfaith-manifest"
# separate LaTeX and CSV directories each keep their own manifest
check_exit "games report, two directories" 0 "$PSYFAITH" report --db "$GDB" --latex "$T/s2/tex" --csv "$T/s2/csv"
check_exit "plain report, two directories" 0 pf report --latex "$T/s2/tex" --csv "$T/s2/csv"
check_eq "stale CSV removed" "$(ls "$T/s2/csv" | grep -c games_verdict)" 0
check_eq "stale LaTeX removed" "$(ls "$T/s2/tex" | grep -c games_verdict)" 0

# ---- missing parents are created; a parent that is a file is an error ----
check_exit "report --latex a/b/c" 0 pf report --latex "$T/a/b/c" --csv "$T/d/e/f"
check_eq "a/b/c written" "$(test -s "$T/a/b/c/faithfulness.tex" && test -s "$T/d/e/f/faithfulness.csv" && echo yes)" yes
echo x > "$T/plain"
check_exit "a parent that is a file" 1 pf report --latex "$T/plain/sub"
check_grep "names it" "'$T/plain' exists and is not a directory" "$T/err"

# ---- a write error (file size limit, as a full disk) leaves the previous report unchanged ----
W=$T/werr
check_exit "a complete report" 0 "$PSYFAITH" report --db "$GDB" --csv "$W"
cp -a "$W" "$T/werr.before"
# fig_ug_acceptance.csv is about 48 kB; the store's 32 kB shared-memory file still fits in 40 kB
(trap '' XFSZ; ulimit -f 80; "$PSYFAITH" report --db "$GDB" --csv "$W") >"$T/out" 2>"$T/err"
check_eq "write error: exit 1" "$?" 1
check_grep "write error: message" "error: cannot write '$W/fig_ug_acceptance.csv': File too large" "$T/err"
check_eq "write error: the previous report is unchanged" "$(diff -r "$T/werr.before" "$W")" ""

# ---- --save-profile ----
check_exit "--save-profile to a full device" 1 pf ingest --save-profile /dev/full --set model=m
check_grep "full device message" "cannot write '/dev/full': No space left on device" "$T/err"
ln -s "$T/victim" "$T/profile-link"
check_exit "--save-profile over a link" 0 pf ingest --save-profile "$T/profile-link" --set model=m
check_eq "the profile link's target is unchanged" "$(cat "$T/victim")" precious
check_grep "the profile is written" "set model=m" "$T/profile-link"
check_exit "--save-profile into a too-long path" 1 pf ingest --save-profile "$D/profile" --set model=m
check_grep "too-long profile path" "error: path too long" "$T/err"

# ---- standard output that cannot be written is an error for every command ----
for cmd in "instruments list" "norms list" "scores --format csv" "export responses"; do
    # shellcheck disable=SC2086
    pf $cmd > /dev/full 2>"$T/err"
    check_eq "$cmd > /dev/full: exit 1" "$?" 1
    check_grep "$cmd > /dev/full: message" "error: cannot write the" "$T/err"
done
"$PSYFAITH" --version > /dev/full 2>"$T/err"
check_eq "--version > /dev/full: exit 1" "$?" 1

# ---- a pdflatex that fails: its log is kept, the earlier report.pdf does not survive (stand-ins) ----
mkdir "$T/ok-bin" "$T/fail-bin"
cat > "$T/ok-bin/pdflatex" <<'EOF'
#!/bin/sh
for a; do case $a in -output-directory=*) d=${a#-output-directory=} ;; esac; done
echo log > "$d/report.log"; echo aux > "$d/report.aux"; echo pdf > "$d/report.pdf"
EOF
sed -e 's/echo pdf.*/exit 1/' -e 's/echo log/echo fake failure/' "$T/ok-bin/pdflatex" > "$T/fail-bin/pdflatex"
chmod +x "$T/ok-bin/pdflatex" "$T/fail-bin/pdflatex"
F=$T/fake
check_exit "--pdf with a stand-in pdflatex" 0 env PATH="$T/ok-bin:$PATH" "$PSYFAITH" report --db "$DB" --latex "$F" --pdf --only scores
check_eq "its files" "$(ls -A "$F" | tr '\n' ' ')" ".psyfaith-manifest report.log report.pdf report.tex scores.tex "
check_exit "--pdf with a failing pdflatex" 1 env PATH="$T/fail-bin:$PATH" "$PSYFAITH" report --db "$DB" --latex "$F" --pdf --only scores
check_grep "failure message" "pdflatex failed on $F/report.tex; see $F/report.log" "$T/err"
check_eq "the log is kept, the old PDF removed" "$(ls -A "$F" | tr '\n' ' ')" ".psyfaith-manifest report.log report.tex scores.tex "
check_eq "the new log" "$(cat "$F/report.log")" "fake failure"

# ---- --pdf: report.pdf and report.log, no by-products; a later report without --pdf removes them ----
if command -v pdflatex >/dev/null 2>&1; then
    P=$T/pdf
    mkdir "$P"
    ln -s "$T/victim" "$P/report.pdf"
    check_exit "report --pdf" 0 pf report --latex "$P" --pdf --only scores,provenance
    check_eq "--pdf files" "$(ls -A "$P" | tr '\n' ' ')" ".psyfaith-manifest provenance.tex report.log report.pdf report.tex scores.tex "
    check_eq "report.pdf replaced the link" "$(test -f "$P/report.pdf" && ! test -L "$P/report.pdf" && echo yes)" yes
    check_eq "the pdf link's target is unchanged" "$(cat "$T/victim")" precious
    check_exit "report without --pdf" 0 pf report --latex "$P" --only scores
    check_eq "the stale pdf is removed" "$(ls -A "$P" | tr '\n' ' ')" ".psyfaith-manifest scores.tex "
else
    echo "report_files.sh: pdflatex missing: PDF checks skipped" >&2
fi
finish
