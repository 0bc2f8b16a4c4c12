#!/usr/bin/env bash
# Builds models/myna-default with Myna's own pipeline, from the corpus in data/corpus (see its SOURCES.md):
#   prepare → tokenizer train (byte-level BPE, 8k) → shard → train (6 layers × 384 wide × 256 context) → eval → export (f16).
# Usage: bash recipes/default-model.sh            (MAX_STEPS, WORK and OUT can be set in the environment)
# On 2 cores a run of the default length takes about 35 minutes; an interrupted run continues where it stopped
# (the script resumes from $WORK/run/last when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_STEPS="${MAX_STEPS:-1600}"
WORK="${WORK:-work/default-model}"
OUT="${OUT:-models/myna-default}"
SEED=1234

dotnet build src/Myna.Cli -c Release --nologo -v quiet
myna() { dotnet src/Myna.Cli/bin/Release/net10.0/myna.dll "$@"; }

mkdir -p "$WORK"
if [ ! -f "$WORK/shards/meta.json" ]; then
  myna prepare --input data/corpus/en data/corpus/zh --split paragraphs --dedup exact --out "$WORK/clean"
  myna tokenizer train --input "$WORK/clean" --vocab-size 8000 --out "$WORK/tokenizer"
  myna shard --input "$WORK/clean" --tokenizer "$WORK/tokenizer" --out "$WORK/shards" --val-fraction 0.02
fi

if [ -f "$WORK/run/last/trainer_state.json" ]; then
  myna train --out "$WORK/run" --resume --max-steps "$MAX_STEPS"
else
  myna train --data "$WORK/shards" --out "$WORK/run" --preset small --n-ctx 256 --seq-len 256 --batch-size 8 \
    --lr 1e-3 --min-lr 1e-4 --warmup 200 --max-steps "$MAX_STEPS" --eval-interval 250 --eval-batches 16 \
    --checkpoint-interval 250 --seed "$SEED"
fi

bash recipes/default-model-package.sh "$WORK" "$OUT"
