#!/bin/sh
# make demo: the whole pipeline on the bundled fixtures, into demo-out/.
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
P="$TOP/$BUILD/psyfaith"
OUT="$TOP/demo-out"
rm -rf "$OUT"; mkdir -p "$OUT"
export PSYFAITH_DB="$OUT/demo.db"
echo "== psyfaith init: store with the bundled item banks and human norms"
"$P" init
"$P" instruments list
echo "== ingest real transcripts: ChatGPT-Behavioral (item text inside prompts) and PersonaLLM (44 answers per string)"
"$P" ingest --profile "$TOP/fixtures/profiles/chatgpt-behavioral-bigfive.profile" "$TOP/fixtures/transcripts/chatgpt-behavioral-bigfive.json"
"$P" ingest --profile "$TOP/fixtures/profiles/personallm-bfi.profile" --set model=gpt-4-0613 "$TOP"/fixtures/transcripts/personallm-gpt-4-0613/*.json
echo "== export: tidy CSV for pandas/R"
"$P" export responses > "$OUT/responses.csv"
echo "wrote $OUT/responses.csv ($(wc -l < "$OUT/responses.csv") lines)"
