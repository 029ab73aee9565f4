#!/bin/sh
# The one-line progress display (progress.h) of classify train, metrics --bootstrap and report --pdf:
# on a terminal (stderr on a pseudo-terminal, python's pty module) a line per redraw, rewritten in
# place (\r ... ESC[K), with stage, done/total, rate and ETA, erased at the end; stdout is the same
# as without a terminal; with stderr redirected to a file nothing of it is written.
# PSYFAITH_PROGRESS_DELAY=0 makes every step redraw, so that short test runs show every stage.
. "$(dirname "$0")/../lib.sh"
PY=${PYTHON:-python3}
if ! "$PY" -c 'import pty, os' 2>/dev/null; then
    echo "progress.sh: no python3 with pty: skipped" >&2
    finish
    exit 0
fi
# on_tty OUT ERR cmd... : cmd with stderr on a pty (its bytes to ERR), stdout to OUT; exits with cmd's status
cat >"$T/ptyrun.py" <<'PYEOF'
import os, pty, sys
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
pid = os.fork()
if pid == 0:
    os.setsid()
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1); os.dup2(slave, 2)
    os.close(master); os.close(slave); os.close(fd)
    os.execvp(argv[0], argv)
os.close(slave)
data = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
_, status = os.waitpid(pid, 0)
open(err, 'wb').write(data.replace(b'\r\n', b'\n'))   # the pty's newline translation undone
sys.exit(os.waitstatus_to_exitcode(status))
PYEOF
on_tty() { "$PY" "$T/ptyrun.py" "$@"; }
export PSYFAITH_PROGRESS_DELAY=0
esc=$(printf '\033')
cr=$(printf '\r')

pf init --quiet
check_exit "ingest the demo study" 0 pf ingest --quiet "$PSYFAITH_TOP/fixtures/demo/study.jsonl" "$PSYFAITH_TOP/fixtures/demo/labeled.jsonl"

# ---- metrics --bootstrap ----
blocks=$(pf metrics --format csv | awk -F, 'NR > 1 && $1 == "alpha" { n++ } END { print n + 0 }')
check_exit "metrics --bootstrap on a terminal" 0 on_tty "$T/m.out" "$T/m.err" "$PSYFAITH" metrics --db "$DB" --format csv --bootstrap 20 --seed 3
pf metrics --format csv --bootstrap 20 --seed 3 >"$T/m.plain" 2>"$T/m.plainerr"
check_eq "metrics: stdout the same with and without a terminal" "$(cmp "$T/m.out" "$T/m.plain" && echo same)" same
tr '\r' '\n' <"$T/m.err" | sed "s/$esc\[K//" | grep -v '^$' >"$T/m.lines"
# counted as the steps end: a count between 0 and the total shows (which one depends on the two
# threads: a step ending while the other thread draws is counted in the next line)
between() {   # between STAGE FILE: "yes" when a line of STAGE shows k/N with 0 < k < N
    sed -n "s/^psyfaith: $1: \([0-9]*\)\/\([0-9]*\) .*/\1 \2/p" "$2" |
        awk '$1 > 0 && $1 < $2 { found = 1 } END { print found ? "yes" : "no" }'
}
check_eq "metrics: the stage, counted as its steps end" "$(between "metrics --bootstrap" "$T/m.lines")" yes
total=$(sed -n 's/^psyfaith: metrics --bootstrap: [0-9]*\/\([0-9]*\) steps.*/\1/p' "$T/m.lines" | sort -u)
check_eq "metrics: one total, 2 steps a block + 2" "$total" "$(sed -n 's/^psyfaith: metrics --bootstrap: \([0-9]*\)\/.*/\1/p' "$T/m.lines" | sort -n | tail -1)"
check_grep "metrics: a rate" " steps/s" "$T/m.lines"
check_grep "metrics: an ETA" ", ETA " "$T/m.lines"
check_eq "metrics: every line starts with \\r and ends with ESC[K" \
    "$(tr -d '\n' <"$T/m.err" | awk -v RS="$cr" 'NR > 1 && $0 != "" && $0 !~ /\033\[K$/ { bad++ } END { print bad + 0 }')" 0
check_eq "metrics: the line erased at the end" "$(tail -c 4 "$T/m.err" | od -An -c | tr -d ' ')" '\r033[K'
check_eq "metrics: nothing on stderr without a terminal" "$(wc -c <"$T/m.plainerr" | tr -d ' ')" 0

# ---- structure --cfa: a stage per instrument x condition, a step per model (+ the invariance fit) ----
check_exit "structure on a terminal" 0 on_tty "$T/s.out" "$T/s.err" "$PSYFAITH" structure --db "$DB" --instrument IPIP-50 --cfa --format csv
pf structure --instrument IPIP-50 --cfa --format csv >"$T/s.plain" 2>"$T/s.plainerr"
check_eq "structure: stdout the same with and without a terminal" "$(cmp "$T/s.out" "$T/s.plain" && echo same)" same
tr '\r' '\n' <"$T/s.err" | sed "s/$esc\[K//" | grep -v '^$' >"$T/s.lines"
models=$(pf scores --format csv --instrument IPIP-50 | awk -F, 'NR > 1 { print $1 }' | sort -u | wc -l | tr -d ' ')
check_grep "structure: every model and the invariance fit counted" "psyfaith: structure: IPIP-50: $((models + 1))/$((models + 1)) groups" "$T/s.lines"
check_eq "structure: nothing on stderr without a terminal" "$(tr -d -c '\r\033' <"$T/s.plainerr" | wc -c | tr -d ' ')" 0

# ---- classify train: 2 dimensions x (3 folds + the model) = 8 fits ----
dims=$(q "SELECT count(DISTINCT dimension) FROM labeled_behavior")
check_exit "classify train on a terminal" 0 on_tty "$T/c.out" "$T/c.err" "$PSYFAITH" classify train --db "$DB" --folds 3 --format csv
tr '\r' '\n' <"$T/c.err" | sed "s/$esc\[K//" | grep -v '^$' >"$T/c.lines"
check_grep "classify: every fit counted" "psyfaith: classify train: $((dims * 4))/$((dims * 4)) fits" "$T/c.lines"
check_eq "classify: counted as the folds end" "$(between "classify train" "$T/c.lines")" yes
check_grep "classify: the notes still print, on their own lines" "psyfaith: trained the" "$T/c.lines"
pf classify train --folds 3 --format csv >"$T/c.plain" 2>"$T/c.plainerr"
check_eq "classify: stdout the same" "$(cmp "$T/c.out" "$T/c.plain" && echo same)" same
check_eq "classify: no progress without a terminal" "$(tr -d -c '\r\033' <"$T/c.plainerr" | wc -c | tr -d ' ')" 0

# ---- report --pdf: tables, figures, games/audit/validity, provenance, pdflatex ----
if command -v pdflatex >/dev/null 2>&1; then
    check_exit "report --pdf on a terminal" 0 on_tty "$T/r.out" "$T/r.err" "$PSYFAITH" report --db "$DB" --latex "$T/tex" --csv "$T/csv" --pdf
    tr '\r' '\n' <"$T/r.err" | sed "s/$esc\[K//" | grep -v '^$' >"$T/r.lines"
    parts=$(grep -c '^\\input{' "$T/tex/report.tex")
    # every stage of the report's parts runs to its end (N/N); the counts follow the report's sections
    for stage in tables validity structure classifier figures "games, audit" provenance; do
        check_eq "report: $stage stage" "$(grep -E -c "^psyfaith: report: $stage: ([0-9]+)/\\1 parts" "$T/r.lines" | sed 's/^[1-9][0-9]*$/seen/')" seen
    done
    check_grep "report: pdflatex read every part" "psyfaith: report: pdflatex pass 1: $parts/$parts parts" "$T/r.lines"
    check_grep "report: the PDF note" "psyfaith: wrote $T/tex/report.pdf" "$T/r.lines"
    check_eq "report: the PDF written" "$(test -s "$T/tex/report.pdf" && echo yes)" yes
    check_exit "report --pdf, stderr to a file" 0 pf report --latex "$T/tex2" --csv "$T/csv2" --pdf
    check_eq "report: no progress without a terminal" "$(tr -d -c '\r\033' <"$T/err" | wc -c | tr -d ' ')" 0
    check_eq "report: the same parts" "$(diff -r "$T/csv" "$T/csv2" && echo same)" same
fi

# ---- --quiet: nothing even on a terminal ----
check_exit "metrics --quiet on a terminal" 0 on_tty "$T/q.out" "$T/q.err" "$PSYFAITH" --quiet metrics --db "$DB" --format csv --bootstrap 20
check_eq "quiet: no progress" "$(tr -d -c '\r\033' <"$T/q.err" | wc -c | tr -d ' ')" 0
finish
