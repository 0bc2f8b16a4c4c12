#!/usr/bin/env bash
# Builds models/myna-default, a bilingual (English + Chinese) model, with Myna's own pipeline from the corpus in
# data/corpus (see its SOURCES.md; rebuild it with recipes/extract-corpus.sh):
#   split (a held-out set per language, never trained on) → prepare (per language) → tokenizer train (byte-level BPE,
#   16,384) → shard → train (6 layers × 384 wide × 256 context) → held-out evaluation per language → export (f16) + card.
# Usage: bash recipes/default-model.sh     (MAX_STEPS, WORK and OUT can be set in the environment)
# Needs bash and the .NET SDK. The default length (3,000 steps of 8 × 256 tokens, 6.1M tokens) is sized for about an
# hour on 2 quiet cores (about 1,800 tokens/s with this vocabulary; see the step's report.md for the real figure). An
# interrupted run continues where it stopped (the script resumes from $WORK/run/last when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_STEPS="${MAX_STEPS:-3000}"
WORK="${WORK:-work/default-model}"
OUT="${OUT:-models/myna-default}"
SEED=1234
VOCAB=16384
# Percent of each source's documents held out (chosen by a hash of the text; see split-heldout.cs).
HELDOUT_PERCENT=5
# Warm-up: 200 steps, or a fifteenth of a short run (a smoke test), since warm-up must end before the last step.
WARMUP=$(( MAX_STEPS / 15 < 200 ? MAX_STEPS / 15 : 200 ))
[ "$WARMUP" -ge 1 ] || WARMUP=1

dotnet build src/Myna.Cli -c Release --nologo -v quiet
myna() { dotnet src/Myna.Cli/bin/Release/net10.0/myna.dll "$@"; }
# step NAME: prints a time-stamped line, so a log shows how long each step took.
step() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$1" >&2; }

mkdir -p "$WORK"
if [ ! -f "$WORK/shards/meta.json" ]; then
  step "split: $HELDOUT_PERCENT% of each source held out"
  rm -rf "$WORK/split"
  dotnet run recipes/default-model/split-heldout.cs -- "$WORK/split" "$HELDOUT_PERCENT" \
    en=data/corpus/en zh-poems=data/corpus/zh zh-modern=data/corpus/zh-modern | tee "$WORK/split.log"
  # Chinese as a whole: modern prose and poems together, documents separated by a blank line.
  { cat "$WORK/split/heldout/zh-modern.txt"; printf '\n'; cat "$WORK/split/heldout/zh-poems.txt"; } > "$WORK/split/heldout/zh.txt"

  # NFKC is off: it would fold the full-width punctuation of Chinese (，：；！？（）) into ASCII while leaving 。、「」《》
  # alone, so the model would learn a mix no Chinese writer uses and the held-out text (kept as written) would differ.
  step "prepare"
  rm -rf "$WORK/clean-en" "$WORK/clean-zh"
  myna prepare --input "$WORK/split/train/en" --split paragraphs --dedup exact --no-nfkc --out "$WORK/clean-en"
  myna prepare --input "$WORK/split/train/zh-poems" "$WORK/split/train/zh-modern" --split paragraphs --dedup exact \
    --no-nfkc --out "$WORK/clean-zh"

  step "tokenizer train (vocabulary $VOCAB)"
  rm -rf "$WORK/tokenizer"
  myna tokenizer train --input "$WORK/clean-en" "$WORK/clean-zh" --vocab-size "$VOCAB" --out "$WORK/tokenizer"

  # Each language alone, only to count its tokens for the card (Chinese's share of the training tokens).
  step "shard"
  rm -rf "$WORK/count-en" "$WORK/count-zh" "$WORK/shards"
  myna shard --input "$WORK/clean-en" --tokenizer "$WORK/tokenizer" --out "$WORK/count-en" --val-fraction 0 > /dev/null
  myna shard --input "$WORK/clean-zh" --tokenizer "$WORK/tokenizer" --out "$WORK/count-zh" --val-fraction 0 > /dev/null
  myna shard --input "$WORK/clean-en" "$WORK/clean-zh" --tokenizer "$WORK/tokenizer" --out "$WORK/shards" --val-fraction 0.02
fi

step "train to step $MAX_STEPS"
if [ -f "$WORK/run/last/trainer_state.json" ]; then
  myna train --out "$WORK/run" --resume --max-steps "$MAX_STEPS"
else
  myna train --data "$WORK/shards" --out "$WORK/run" --preset small --n-ctx 256 --seq-len 256 --batch-size 8 \
    --lr 1e-3 --min-lr 1e-4 --warmup "$WARMUP" --max-steps "$MAX_STEPS" --eval-interval 250 --eval-batches 16 \
    --checkpoint-interval 250 --seed "$SEED"
fi

bash recipes/default-model-package.sh "$WORK" "$OUT"
step "done"
