#!/usr/bin/env bash
# The support assistant's re-ranking model (issue 15): models/myna-default fine-tuned (--init-from) on FAQ + Debian
# Reference text, then measured as BM25 + query likelihood on the dev questions beside BM25 alone. The issue keeps the
# re-ranker only if it wins on dev; this script prints that comparison and does not ship the model.
#   corpus (recipes/apps/support-reranker-corpus.cs: the FAQ in the re-ranker's "Answer: …\nQuestion: …" form, the
#   FAQ answers, the Reference's paragraphs; no dev or test question) → shard (the default model's tokenizer) →
#   train --init-from models/myna-default → export f16 → support eval --split dev at several re-ranking weights.
# Usage: bash recipes/support-reranker.sh     (MAX_STEPS, WEIGHTS and WORK can be set in the environment)
# An interrupted run continues where it stopped (the training resumes from $WORK/run/last when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_STEPS="${MAX_STEPS:-400}"
WEIGHTS="${WEIGHTS:-0.05 0.1 0.25 0.5}"
WORK="${WORK:-work/support-reranker}"
BASE=models/myna-default
SEED=15
START=$(date +%s)

source recipes/lib/fine-tune.sh # builds the CLI; myna, fine_tune_default_model

mkdir -p "$WORK"
if [ ! -f "$WORK/shards/meta.json" ]; then
  dotnet run recipes/apps/support-reranker-corpus.cs -- "$BASE" "$WORK/corpus.jsonl"
  myna shard --input "$WORK/corpus.jsonl" --tokenizer "$BASE" --out "$WORK/shards" --val-fraction 0.03 --force
fi

fine_tune_default_model "$WORK" "$MAX_STEPS" "$SEED"

myna export --model "$WORK/run/best" --format hf --dtype f16 --out "$WORK/model" --force
for W in $WEIGHTS; do
  myna support eval --split dev --model "$WORK/model" --rerank-weight "$W" --json > "$WORK/eval-dev-rerank-$W.json"
  myna support eval --split dev --model "$BASE" --rerank-weight "$W" --json > "$WORK/eval-dev-base-rerank-$W.json"
done
dotnet run recipes/apps/support-reranker-report.cs -- "$WORK" $WEIGHTS
echo "done in $(( $(date +%s) - START )) s (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
