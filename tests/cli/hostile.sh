# tests/cli/hostile.sh -- hostile strings through the whole pipeline: ingest -> scores, metrics,
# export -> report (LaTeX, PDF, CSV).  Model names carry LaTeX control sequences, spreadsheet
# formulas, quotes, control characters, a 1 MB name, right-to-left and combining Unicode and SQL
# fragments; the input file's own name is hostile too.  Checked: the store holds them literally;
# scores/metrics/export CSV give them back literally (correctly quoted); the report CSV cells are
# literal or, for a text starting with = + - @ TAB CR, defused with a leading apostrophe
# (reports/latex.h); the PDF text shows them literally, with [U+XXXX] for characters outside
# Latin-1 and a space for control characters; nothing is executed or read from outside.
# NUL (a byte or \u0000) is refused at ingest with a clear message.
. "${PSYFAITH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib.sh"
cd "$T" || exit 1
if ! command -v python3 >/dev/null 2>&1; then
    echo "hostile.sh: python3 is missing: skipped" >&2
    finish
fi
pf init --quiet || { fail "init"; finish; }

# The names, one a line as JSON strings (so that control characters can be written), and the
# log: all 50 IPIP-50 items for each, so that every model gets scores.
cat >names.json <<'EOF2'
"evil\\input{/etc/passwd}\\write18{touch pwned}\\def\\x{}"
"$x^2$ & 100% #1 _ ~ {} <> | \"q\" 'a' `b` --- -- a-b"
"=cmd|' /C calc'!A0"
"+SUM(1,2)"
"-2+3"
"@SUM(A1)"
"\t=1+1"
"He said \"hi\", then 'bye'\nnext line"
"ctl\u0001\u001b[31mred\u007f\tend"
"\u202egnp.exe"
"\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd"
"e\u0301 cafe\u0301 Z\u0351\u0352"
"caf\u00e9 na\u00efve \u00bd"
"x'; DROP TABLE response; --"
"Robert'); DROP TABLE subject;--"
"-1.5e3"
EOF2
cat >gen.py <<'EOF2'
import json, sys
names = [json.loads(l) for l in open("names.json", encoding="utf-8")]
names.append("big-" + "x" * (1024 * 1024 - 4))          # a 1 MB model name
items = [d + str(i) for d in "ENACO" for i in range(1, 11)]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for m, name in enumerate(names):
        for i, item in enumerate(items):
            f.write(json.dumps({"model": name, "persona": name[:40], "run": name[:40], "instrument": "IPIP-50",
                                "item": item, "option": (i * 7 + m) % 5 + 1,
                                "answer": "(D) =HYPERLINK(\"http://x\") " + name[:20]}) + "\n")
json.dump(names, open("names.all.json", "w"))
EOF2
# the file's own name is hostile: shell, LaTeX and CSV syntax
F='h $(touch pwned) `touch pwned2`; \input{x} & 100%.jsonl'
python3 gen.py "$F"
n_names=$(python3 -c 'import json; print(len(json.load(open("names.all.json"))))')

check_exit "ingest the hostile log" 0 pf ingest "$F"
check_grep "ingest summary" "psyfaith: ingested 1 file: $((50 * n_names)) responses" "$T/err"
check_eq "every name stored literally" "$(python3 - "$DB" <<'EOF2'
import json, sqlite3, sys
names = json.load(open("names.all.json"))
db = sqlite3.connect(sys.argv[1])
stored = {r[0] for r in db.execute("SELECT model FROM subject")}
print("ok" if stored == set(names) else "differ: %r" % sorted(set(names) ^ stored)[:3])
EOF2
)" ok
check_eq "the SQL fragments did nothing" "$(q "SELECT count(*) FROM response; SELECT count(*) FROM subject" | tr '\n' ' ')" "$((50 * n_names)) $n_names "

# CSV on stdout (scores, metrics, export): literal, quoted where needed, a whole 1 MB cell intact.
check_exit "scores" 0 pf scores --format csv
cp "$T/out" scores.csv
check_exit "metrics" 0 pf metrics --format csv
check_exit "export responses" 0 pf export responses
cp "$T/out" export.csv
cat >literal.py <<'EOF2'
import csv, json, sys
csv.field_size_limit(1 << 30)
names = set(json.load(open("names.all.json")))
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
got = {r["model"] for r in rows}
print("ok" if got == names else "differ: %r" % [repr(x)[:60] for x in sorted(got ^ names)][:4])
EOF2
check_eq "scores CSV: the names literally" "$(python3 literal.py scores.csv)" ok
check_eq "export CSV: the names literally" "$(python3 literal.py export.csv)" ok

# The report: CSV cells defused, the PDF text literal.
if command -v pdflatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    check_exit "report --pdf" 0 pf report --latex tex --csv csv --pdf
    pdf=yes
else
    echo "hostile.sh: pdflatex or pdftotext missing (texlive-latex-recommended texlive-pictures poppler-utils): PDF checks skipped" >&2
    check_exit "report" 0 pf report --latex tex --csv csv --standalone
    pdf=
fi
check_eq "report CSV: cells literal or defused" "$(python3 - <<'EOF2'
import csv, glob, json
csv.field_size_limit(1 << 30)
names = json.load(open("names.all.json"))
def number(s):
    try: float(s); return True
    except ValueError: return False
def defused(s):     # reports/latex.h csv_defuse
    return "'" + s if s and s[0] in "=+-@\t\r" and not number(s) else s
cells, bad = set(), []
for path in sorted(glob.glob("csv/*.csv")):
    for row in csv.reader(open(path, newline="", encoding="utf-8")):
        for c in row:
            cells.add(c)
            if c and c[0] in "=+-@\t\r" and not number(c):
                bad.append("%s: %r" % (path, c[:40]))
missing = [repr(n[:40]) for n in names if defused(n) not in cells]
print("ok" if not bad and not missing else "live formulas %s; names missing %s" % (bad[:3], missing[:3]))
EOF2
)" ok
check_grep "report CSV: a formula defused" "'=cmd|' /C calc'!A0,IPIP-50,EXT" csv/scores.csv
check_grep "report CSV: a leading TAB defused" "'	=1+1" csv/scores.csv
check_grep "report CSV: a number left alone" "-1.5e3," csv/scores.csv

if [ -n "$pdf" ]; then
    pdftotext -layout tex/report.pdf report.txt
    tr -s ' ' <report.txt >flat.txt        # TeX folds runs of spaces, -layout adds some
    while IFS= read -r want; do
        check_grep "PDF: $want" "$want" flat.txt
    done <<'EOF2'
evil\input{/etc/passwd}\write18{touch pwned}\def\x{}
$x^2$ & 100% #1 _ ~ {} <> | "q" 'a' `b` --- -- a-b
=cmd|' /C calc'!A0
@SUM(A1)
He said "hi", then 'bye' next line
ctl [31mred end
[U+202E]gnp.exe
[U+0645][U+0631][U+062D][U+0628][U+0627] [U+05E9][U+05DC][U+05D5][U+05DD]
e[U+0301] cafe[U+0301] Z[U+0351][U+0352]
café naïve ½
x'; DROP TABLE response; --
Robert'); DROP TABLE subject;--
h $(touch pwned) `touch pwned2`; \input{x} & 100%.jsonl
EOF2
    big=$(python3 -c 'print("big-" + "x" * 76)')
    check_grep "PDF: the 1 MB name cut to 80 characters" "$big" flat.txt
    check_nogrep "PDF: ... and no further" "${big}x" flat.txt
    check_eq "PDF: nothing read /etc/passwd" "$(grep -c 'root:' report.txt)" 0
fi
check_eq "nothing was executed" "$(ls pwned pwned2 tex/pwned tex/pwned2 2>/dev/null)" ""

# NUL: refused at ingest, with where and why; nothing stored.
printf '{"model":"nul\\u0000name","instrument":"IPIP-50","item":"E1","option":3}\n' >nul-escape.jsonl
check_exit "NUL as \\u0000" 1 pf ingest nul-escape.jsonl
check_file "NUL as \\u0000: message" "$T/err" 'nul-escape.jsonl:1:14: NUL character (\u0000) in a JSON string
psyfaith: nothing of '"'"'nul-escape.jsonl'"'"' was stored (1 bad line; --skip-bad keeps the good ones)
psyfaith: ingested 0 files: no records'
printf '{"model":"nul\000byte","instrument":"IPIP-50","item":"E1","option":3}\n' >nul-byte.jsonl
check_exit "NUL byte in JSONL" 1 pf ingest nul-byte.jsonl
check_grep "NUL byte in JSONL: message" "nul-byte.jsonl:1:14: NUL byte in the input" "$T/err"
printf 'model,instrument,item,option\nnul\000byte,IPIP-50,E1,3\n' >nul-byte.csv
check_exit "NUL byte in CSV" 1 pf ingest nul-byte.csv
check_grep "NUL byte in CSV: message" "nul-byte.csv:2: NUL byte in field 1 (field model)" "$T/err"
check_eq "NUL: nothing stored" "$(q "SELECT count(*) FROM subject WHERE model LIKE 'nul%'")" 0
printf '{"model":"good","instrument":"IPIP-50","item":"E1","option":3}\n' >>nul-escape.jsonl
check_exit "NUL with --skip-bad" 0 pf ingest --skip-bad nul-escape.jsonl
check_eq "NUL with --skip-bad: the good line kept, the bad one a reject" \
    "$(q "SELECT count(*) FROM subject WHERE model = 'good'; SELECT reason FROM reject")" "1
NUL character (\u0000) in a JSON string"

# Records after a JSON document are refused, not silently dropped (cJSON stops after one value).
printf '[{"model":"doc","instrument":"IPIP-50","item":"E1","option":3}]\n{"model":"smuggled","instrument":"IPIP-50","item":"E2","option":1}\n' >trailing.json
check_exit "text after a JSON document" 1 pf ingest trailing.json
check_file "text after a JSON document: message" "$T/err" "trailing.json:2:1: unexpected text after the JSON document (one record a line is --format jsonl)
psyfaith: nothing of 'trailing.json' was stored (1 bad line; --skip-bad keeps the good ones)
psyfaith: ingested 0 files: no records"
check_eq "text after a JSON document: nothing stored" "$(q "SELECT count(*) FROM subject WHERE model IN ('doc', 'smuggled')")" 0

# A CSV input with quotes, formulas and a newline inside a cell: the reader keeps them literally.
printf 'model,instrument,item,option\n"csv ""q"", =1+1",IPIP-50,E1,3\n"=2+2\nline",IPIP-50,E2,4\n' >quoted.csv
check_exit "CSV input with quotes and formulas" 0 pf ingest --quiet quoted.csv
check_eq "CSV input kept literally" "$(q "SELECT group_concat(model, '|') FROM (SELECT DISTINCT s.model FROM subject s JOIN response r ON r.subject_id = s.id JOIN source f ON f.id = r.source_id WHERE f.path = 'quoted.csv' ORDER BY s.model)")" \
    '=2+2
line|csv "q", =1+1'
finish
