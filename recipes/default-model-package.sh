#!/usr/bin/env bash
# Packages a trained run as models/myna-default: f16 weights, tokenizer, held-out split, loss plot, and a model card
# with the held-out perplexity and sample generations. Usage: bash recipes/default-model-package.sh WORK OUT
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="$1"
OUT="$2"
myna() { dotnet src/Myna.Cli/bin/Release/net10.0/myna.dll "$@"; }

RUN="$WORK/run/best"
myna eval ppl --model "$RUN" --data "$WORK/shards" --json > "$WORK/heldout-ppl.json"
rm -rf "$OUT"
myna export --model "$RUN" --format hf --dtype f16 --out "$OUT"
mkdir -p "$OUT/heldout"
cp "$WORK/shards/meta.json" "$WORK/shards"/val-*.bin "$OUT/heldout/"
cp "$WORK/run/loss.png" "$OUT/loss.png"
cp "$WORK/run/report.md" "$OUT/training_report.md"
cp "$WORK/heldout-ppl.json" "$OUT/heldout-ppl.json"
cp "$WORK/clean/report.json" "$OUT/prepare-report.json"

SAMPLES="$WORK/samples.txt"
: > "$SAMPLES"
for prompt in "Hello, I am a product manager." "And the LORD said unto Moses," "床前明月光，"; do
  myna generate --model "$OUT" --prompt "$prompt" --max-new-tokens 60 --do-sample --temperature 0.8 --top-p 0.95 \
    --repetition-penalty 1.1 --seed 42 >> "$SAMPLES"
  printf '\n' >> "$SAMPLES"
done

python3 - "$WORK" "$OUT" "$SAMPLES" <<'PY'
import json, sys, datetime, re
work, out, samples = sys.argv[1:4]
config = json.load(open(f"{out}/config.json"))
meta = json.load(open(f"{work}/shards/meta.json"))
ppl = json.load(open(f"{work}/heldout-ppl.json"))
prep = json.load(open(f"{work}/clean/report.json"))
state = json.load(open(f"{work}/run/last/trainer_state.json"))
options = json.load(open(f"{work}/run/options.json"))
report = open(f"{work}/run/report.md", encoding="utf-8").read()
m = re.search(r"([0-9.]+M) parameters", report)
params = m.group(1) if m else "?"
w = re.search(r"wall time \| ([0-9:]+)", report)
wall = w.group(1) if w else "?"
today = datetime.date.today().isoformat()
dropped = ", ".join(f"{k} {v}" for k, v in prep["dropped"].items() if v) or "none"
card = f"""# Myna default model

A small GPT-2-architecture language model trained by Myna's own pipeline (`recipes/default-model.sh`) on public-domain
text, shipped so that `myna quickstart`, `myna generate` and `myna chat` work on a fresh machine with no downloads.

## Facts

- shape: {config['n_layer']} layers, {config['n_embd']} channels, {config['n_head']} heads, context {config['n_positions']}, vocabulary {config['vocab_size']}
- parameters: {params}
- weights: float16 safetensors (trained in float32)
- tokenizer fingerprint: `{meta['tokenizer']['fingerprint']}`
- held-out perplexity: {ppl['perplexity']:.3f} ({ppl['tokens']} tokens, window {ppl['window']}, stride {ppl['stride']}; {ppl['bits_per_byte']:.4f} bits per byte), measured {today}

## Data

| source | licence |
|---|---|
| King James Version of the Bible (Debian `bible-kjv-text` 4.38) | public domain |
| 唐诗三百首 and 宋词一百首 (Debian `fortunes-zh` 2.98) | public-domain poems; GPL-3.0+ compilation |

Details and the extraction script: `data/corpus/SOURCES.md`, `recipes/extract-corpus.sh`.

Preprocessing (`myna prepare --split paragraphs --dedup exact`): {prep['documents_read']} documents read (one per chapter or poem),
{prep['documents_kept']} kept; dropped: {dropped}; PII redaction not needed (no personal data in these texts).
Tokenizer: byte-level BPE, {meta['tokenizer']['vocab_size']} tokens, trained on the prepared text. Shards: {meta['train']['tokens']:,} training tokens
({meta['train']['documents']} documents), {meta['val']['tokens']:,} held-out tokens ({meta['val']['documents']} documents, a hash-based 2% split shipped in `heldout/`).

## Training

AdamW (β1 {options.get('beta1')}, β2 {options.get('beta2')}, weight decay {options.get('weight-decay')}), learning rate {options.get('lr')} with
{options.get('warmup')} warm-up steps and cosine decay to {options.get('min-lr')}, batch {options.get('batch-size')} × {options.get('seq-len')} tokens,
{state.get('step')} steps, seed {options.get('seed')}, in {wall} (h:m:s) on 2 CPU cores. Validation loss at the end of training:
{state.get('val_loss', 0):.4f} (perplexity {__import__('math').exp(state.get('val_loss', 0)):.2f}, on 16 batches of 8 × 256 tokens, float32);
the held-out figure above is over the whole split with a sliding window, in float16. Loss curve: `loss.png`; full report: `training_report.md`.

## Sample generations

Sampling with temperature 0.8, top-p 0.95, repetition penalty 1.1, seed 42 (`myna generate ... --seed 42`):

```
{open(samples, encoding='utf-8').read().strip()}
```

## Intended use

Demonstrating and testing Myna: text continuation in the style of the King James Bible and of classical Chinese poetry,
and a base for fine-tuning experiments (`myna train --init-from models/myna-default`).

## Limitations and risks

- A 14M-parameter model trained for {wall} on two CPU cores: fluent-looking but often meaningless text; it knows nothing beyond its
  corpus and must not be used for facts, advice or decisions.
- Its English is 17th-century scripture; prompts in modern registers (such as the product-manager prompt) get
  continuations in that style.
- Chinese is under 3% of the training text: Chinese output is weaker and mostly poem-like.
- Tokens are bytes and byte pairs, so the model can emit a byte sequence that is not valid UTF-8; it is shown as U+FFFD (�).
- It reproduces the views and language of its sources, including religious and historical content some readers may
  find objectionable. No safety or instruction tuning.
"""
open(f"{out}/model_card.md", "w", encoding="utf-8").write(card)
PY
du -sh "$OUT"; ls -la "$OUT"
