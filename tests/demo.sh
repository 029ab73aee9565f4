#!/bin/sh
# make demo: the whole pipeline on the bundled fixtures, into demo-out/, ending with a PDF report.
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
P="$TOP/$BUILD/psyfaith"
OUT="$TOP/demo-out"
F="$TOP/fixtures"
rm -rf "$OUT"; mkdir -p "$OUT"
export PSYFAITH_DB="$OUT/demo.db"
step() { printf '\n== %s\n' "$*"; }
has() { "$P" help 2>/dev/null | grep -q "^  $1 "; }

step "init: a store with the bundled item banks and human norms"
"$P" init
"$P" instruments list

step "ingest: a synthetic RealBehavior-shaped study (fixtures/demo, see its README) and classifier training texts"
"$P" ingest "$F/demo/study.jsonl" "$F/demo/labeled.jsonl"
if [ -f "$F/games/games.jsonl" ]; then
    step "ingest: persona-prompted Ultimatum Game and Milgram trials (synthetic, fixtures/games)"
    "$P" ingest "$F/games/games.jsonl"
fi
if [ -f "$F/demo/validity.jsonl" ]; then
    step "ingest: the validity study (condition option-order): both option orders, a position bias, a yes-sayer"
    "$P" ingest "$F/demo/validity.jsonl"
fi
step "scores: RealBehavior Table 3 (per-item mean and sd over temperatures)"
"$P" scores --by-model --instrument IPIP-NEO-120 --format table
step "scores from option probabilities: text-davinci-003's IPIP-50 answers also carry them (argmax vs text, entropy)"
"$P" scores --prob-summary --format table
"$P" scores --by-model --instrument IPIP-50 --scoring ev --format table

if has classify; then
    step "classify: train one classifier per dimension on the labelled behaviours, then score the models' behaviours"
    "$P" classify train --dimension all --folds 5 --seed 1
    "$P" classify apply
fi

if [ -f "$F/demo/prompts.jsonl" ]; then
    step "prompt sensitivity: IPIP-50 under 3 templates x 2 languages x 2 variants (synthetic, fixtures/demo);
   how much of each score is the model and how much the prompt"
    "$P" ingest "$F/demo/prompts.jsonl"
    "$P" metrics --metric varcomp --format table | grep -E '^instrument|prompt_design$'
fi

step "metrics: is each measurement faithful?"
"$P" metrics --summary --format table
"$P" metrics --format csv > "$OUT/metrics.csv"
echo "all coefficients: $OUT/metrics.csv"

if has games && [ -f "$F/games/games.jsonl" ]; then
    step "games: Ultimatum Game and Milgram verdicts against human data"
    "$P" games ultimatum --format csv > "$OUT/ultimatum.csv"
    "$P" games milgram --format csv > "$OUT/milgram.csv"
    # one line per model x experiment x trait: the note says plainly where a model goes against humans
    cat "$OUT/ultimatum.csv" "$OUT/milgram.csv" | awk -F'"' '/^verdict,[^,]*,[^,]*,,,agrees_with_humans/ { print "  " $2 }'
fi

if [ -f "$F/demo/validity.jsonl" ]; then
    step "validity: option-order effects (paired t and Wilcoxon over items), acquiescence, and their audit claims"
    # per subject, every IPIP-50 item: mean option descending - ascending, and the position bias
    "$P" metrics --metric order_diff,position_bias --format csv > "$OUT/order.csv"
    awk -F, 'NR > 1 && $4 == "" && $3 == "descending vs ascending" { printf "  %-14s %-32s %s\n", $1, $5, $6 }' "$OUT/order.csv"
    "$P" audit --condition option-order --bootstrap 0 --claim "AGR robust to order" --claim "AGR not acquiescent" \
        --format table || [ $? -eq 1 ]
fi

if has structure && [ -d "$F/structure" ]; then
    step "structure: does the five-factor structure hold? EFA, CFA fit and invariance (issue 15) on three synthetic
   IPIP-50 studies of 300 respondents each (fixtures/structure, condition structure): five clean traits,
   EXT and AGR merged into one, a method factor on the reverse-keyed items"
    for m in good merged method; do
        "$P" ingest --quiet --wide --set instrument=IPIP-50 --set model="ipip50-$m" --set condition=structure \
            --missing 0 "$F/structure/study_$m.tsv"
    done
    "$P" structure --instrument IPIP-50 --condition structure --cfa --format csv > "$OUT/structure.csv"
    # the fit of each model and the invariance steps: misfit (CFI < .90, RMSEA > .08) and Heywood cases named
    awk -F, '($1 == "cfa" || $1 == "invariance") && ($10 == "cfi" || $10 == "rmsea" || $10 == "fit") {
        printf "  %-10s %-18s %-10s %-6s %s %s\n", $1, $3, $6, $10, $11, $14 }' "$OUT/structure.csv"
fi

step "real transcripts of other labs, in a store of their own, through the shipped profiles:
   ChatGPT-Behavioral (item text inside the prompt) and PersonaLLM (44 answers in one string)"
REAL="$OUT/real.db"
"$P" init --db "$REAL" --quiet
"$P" ingest --db "$REAL" --profile "$F/profiles/chatgpt-behavioral-bigfive.profile" "$F/transcripts/chatgpt-behavioral-bigfive.json"
"$P" ingest --db "$REAL" --profile "$F/profiles/personallm-bfi.profile" --set model=gpt-4-0613 "$F"/transcripts/personallm-gpt-4-0613/*.json
"$P" scores --db "$REAL" --instrument IPIP-50 --format table
"$P" metrics --db "$REAL" --metric TrC --format table

set --                            # extra options of the report: the audit's claims, when there is an audit
if has audit && [ -f "$F/audit/claims.txt" ]; then
    step "audit: a vendor's persona claims, each measured and judged (fixtures/audit/README.md)"
    "$P" ingest "$F/audit/vendor.jsonl"
    # exit 1: some claims fail, as planted; 2 (an error) stops the demo
    "$P" audit --claims "$F/audit/claims.txt" --format table || [ $? -eq 1 ]
    set -- --claims "$F/audit/claims.txt"
fi

step "report: LaTeX tables, pgfplots figures and CSV"
if command -v pdflatex >/dev/null 2>&1; then
    "$P" report --latex "$OUT/report" --csv "$OUT/report" --pdf "$@"
    echo "the report: $OUT/report/report.pdf"
else
    "$P" report --latex "$OUT/report" --csv "$OUT/report" --standalone "$@"
    echo "pdflatex is missing (apt-get install texlive-latex-recommended texlive-pictures lmodern):"
    echo "the LaTeX is in $OUT/report; compile report.tex there"
fi
