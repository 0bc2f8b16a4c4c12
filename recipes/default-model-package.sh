#!/usr/bin/env bash
# Packages a trained run of recipes/default-model.sh as the default model: f16 weights, tokenizer, the held-out text
# of each language, loss plot, and a model card (recipes/default-model/model-card.cs) with held-out perplexity and bits
# per byte per language and greedy and sampled generations in English and Chinese.
# Usage: bash recipes/default-model-package.sh WORK OUT        (needs bash and the .NET SDK)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$1"
OUT="$2"
myna() { dotnet src/Myna.Cli/bin/Release/net10.0/myna.dll "$@"; }
step() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$1" >&2; }

RUN="$WORK/run/best"
EVAL="$WORK/eval"
rm -rf "$EVAL"
mkdir -p "$EVAL"

step "export (f16) to $OUT"
rm -rf "$OUT"
myna export --model "$RUN" --format hf --dtype f16 --out "$OUT"
# heldout/: the held-out text of both languages as token shards (what `myna quickstart` and `myna bench ppl` read; with
# no validation split they read the shards' only split), and each part as text.
myna shard --input "$WORK/split/heldout/en.txt" "$WORK/split/heldout/zh.txt" --tokenizer "$OUT" --out "$OUT/heldout" \
  --val-fraction 0 > /dev/null
cp "$WORK/split/heldout/en.txt" "$WORK/split/heldout/zh.txt" "$WORK/split/heldout/zh-modern.txt" \
  "$WORK/split/heldout/zh-poems.txt" "$OUT/heldout/"
cp "$WORK/run/loss.png" "$OUT/loss.png"
cp "$WORK/run/report.md" "$OUT/training_report.md"

# Held-out perplexity of the shipped weights on text no step saw (the tokenizer included): the whole file, the model's
# context as window, half of it as stride (the one definition `myna eval ppl` uses).
step "held-out evaluation"
for part in en zh zh-modern zh-poems; do
  myna eval ppl --model "$OUT" --data "$WORK/split/heldout/$part.txt" --json > "$EVAL/ppl-$part.json"
done
myna eval ppl --model "$OUT" --data "$OUT/heldout" --json > "$EVAL/ppl-shards.json"
cp "$EVAL"/ppl-*.json "$OUT/heldout/"
# How many tokens the tokenizer spends on held-out modern Chinese (the card divides by its Han characters).
myna tokenize --tokenizer "$OUT" --file "$WORK/split/heldout/zh-modern.txt" --json > "$EVAL/tokens-zh-modern.json"

# Generations: each prompt greedy and sampled. The manifest names, per line, the file, language, decoding and prompt.
step "generations"
MANIFEST="$EVAL/generations.tsv"
: > "$MANIFEST"
n=0
while IFS=$'\t' read -r lang prompt; do
  for mode in greedy sampled; do
    n=$((n + 1))
    file="gen-$n.json"
    if [ "$mode" = greedy ]; then
      myna generate --model "$OUT" --prompt "$prompt" --max-new-tokens 60 --json > "$EVAL/$file"
    else
      myna generate --model "$OUT" --prompt "$prompt" --max-new-tokens 60 --do-sample --temperature 0.8 --top-p 0.95 \
        --repetition-penalty 1.1 --seed 42 --json > "$EVAL/$file"
    fi
    printf '%s\t%s\t%s\t%s\n' "$file" "$lang" "$mode" "$prompt" >> "$MANIFEST"
  done
done <<'PROMPTS'
en	And the LORD said unto Moses,
en	Hello, I am a product manager.
zh	Debian 是一个
zh	要安装新的软件包，
zh	床前明月光，
PROMPTS

step "model card"
dotnet run recipes/default-model/model-card.cs -- "$WORK" "$OUT"
du -sh "$OUT"
ls -la "$OUT"
