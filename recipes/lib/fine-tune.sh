# Sourced by the recipes that fine-tune the default model (translate.sh, support-reranker.sh), from the repository
# root: builds the CLI once, defines `myna`, and `fine_tune_default_model`.

dotnet build src/Myna.Cli -c Release --nologo -v quiet
myna() { dotnet src/Myna.Cli/bin/Release/net10.0/myna.dll "$@"; }

# fine_tune_default_model WORK MAX_STEPS SEED
# Fine-tunes models/myna-default on WORK/shards into WORK/run (8 × 256 tokens a step, lr 5e-4 → 5e-5, checkpoints every
# 50 steps); a run interrupted before MAX_STEPS continues from WORK/run/last, and a finished one is left as it is.
fine_tune_default_model() {
  local work="$1" max_steps="$2" seed="$3" step
  step=$(sed -n 's/^  "step": \([0-9]*\),$/\1/p' "$work/run/last/trainer_state.json" 2>/dev/null || true)
  if [ -n "$step" ] && [ "$step" -ge "$max_steps" ]; then
    echo "training: $work/run is at step $step of $max_steps already"
  elif [ -n "$step" ]; then
    myna train --out "$work/run" --resume --max-steps "$max_steps"
  else
    myna train --data "$work/shards" --init-from models/myna-default --out "$work/run" --batch-size 8 --seq-len 256 \
      --lr 5e-4 --min-lr 5e-5 --warmup 30 --max-steps "$max_steps" --eval-interval 100 --eval-batches 8 \
      --checkpoint-interval 50 --seed "$seed"
  fi
}
