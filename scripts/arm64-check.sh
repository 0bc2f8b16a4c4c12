#!/usr/bin/env bash
# Arm64 pre-release check, under emulation: Myna built for linux-arm64 (where every kernel runs its portable
# Vector128 tier, i.e. NEON) is run with Debian's qemu-aarch64-static on this x64 machine, and must agree with x64.
#
#   1. installs qemu-user-static and the arm64 libraries .NET needs (apt-get; skipped when already installed);
#   2. publishes tests/Myna.KernelRunner and src/Myna.Cli for linux-arm64, self-contained;
#   3. runs the kernel tests (tests/Myna.Tests/Tensors, less the benchmarks and one exhaustive sweep; --full keeps
#      them) under qemu, through the runner (xunit's engine in-process: no test host or SDK exists for Arm64 here);
#   4. runs `myna generate --json --logprobs` greedily on models/myna-default at f32, f16 and int8 under qemu and on
#      x64, and compares: the ids must be equal, each log-probability within LOGPROB_TOLERANCE.
# It prints a summary and exits 1 on any failure or mismatch, 0 when everything agrees.
#
# NOT run in CI: emulation is 10-50x slower than native (this takes about 5-10 minutes on a 2-core machine), and
# emulated speed means nothing; it is a check to run before a release and after kernel changes.
#
# Usage: scripts/arm64-check.sh [--full] [--exclude TEXT]...
#   --full          also run the kernel tests left out for time (benchmarks, the exhaustive float-to-half sweep)
#   --exclude TEXT  leave out kernel tests whose Namespace.Class.Method contains TEXT (repeatable)
# Outputs are kept in artifacts/arm64-check/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

FULL=0
EXTRA_EXCLUDES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) FULL=1 ;;
    --exclude) [ $# -ge 2 ] || { echo "error: --exclude needs a value" >&2; exit 2; }; EXTRA_EXCLUDES+=(--exclude "$2"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "error: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

OUT=artifacts/arm64-check
MODEL=models/myna-default
# No near tie on this greedy path: the best logit leads the second by at least 0.05 at every step and precision, so
# rounding differences cannot honestly change an id.
PROMPT="In the beginning"
NEW_TOKENS=20
# Tiers differ in summation order, so log-probabilities differ in the last digits (about 1e-6 at f32, 1e-4 at f16
# measured); a real kernel bug moves them by far more, or changes an id. int8 gets ten times this: it rounds each
# activation row to 8 bits, so an upstream rounding difference can move an activation by a whole quantisation step
# (measured 1.2e-3 between x64 tiers).
LOGPROB_TOLERANCE=1e-3

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Under qemu's user-mode emulation .NET must not double-map its JIT code (W^X): qemu notices self-modifying code only
# through writes at the address it executes, so stubs written through the second, writable mapping ran stale and
# tests crashed at random (AccessViolationException, NullReferenceException in reflection stubs).
run_arm64() { DOTNET_EnableWriteXorExecute=0 qemu-aarch64-static "$@"; }

step() { printf '\n== %s\n' "$*"; }

# 1. Packages --------------------------------------------------------------------------------------------------------
step "packages: qemu-user-static and the arm64 libraries .NET needs"
ARM64_LIBS=(libc6:arm64 libstdc++6:arm64 libicu72:arm64 libssl3:arm64 zlib1g:arm64)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then $SUDO dpkg --add-architecture arm64; fi
missing=()
for pkg in qemu-user-static python3 "${ARM64_LIBS[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "already installed"
fi
# Debian's multiarch packages put the arm64 loader where the binaries look for it, so qemu needs no -L prefix.
[ -e /lib/ld-linux-aarch64.so.1 ] || { echo "error: /lib/ld-linux-aarch64.so.1 is missing (libc6:arm64)" >&2; exit 1; }

# 2. Builds ------------------------------------------------------------------------------------------------------------
step "publish for linux-arm64 (self-contained) and build the x64 reference"
mkdir -p "$OUT"
dotnet publish tests/Myna.KernelRunner -c Release -r linux-arm64 --self-contained -o "$OUT/kernel-runner" -v quiet -nologo
dotnet publish src/Myna.Cli -c Release -r linux-arm64 --self-contained -o "$OUT/myna" -v quiet -nologo
dotnet build src/Myna.Cli -c Release -v quiet -nologo
X64_MYNA=src/Myna.Cli/bin/Release/net10.0/myna.dll
file -b "$OUT/myna/myna" | grep -q aarch64 || { echo "error: $OUT/myna/myna is not an Arm64 executable" >&2; exit 1; }

# 3. Kernel tests under emulation ------------------------------------------------------------------------------------
step "kernel tests under qemu-aarch64-static"
SELECTION=(--include Myna.Tests.Tensors.)
if [ "$FULL" -eq 0 ]; then
  # Benchmarks time things (meaningless emulated); the float-range sweep converts 17M values with a message per value
  # and takes most of an hour emulated. --full runs them too.
  SELECTION+=(--exclude GemmBenchmarkTests --exclude SingleToHalfRoundsLikeTheHalfCastAcrossTheFloatRange)
fi
SELECTION+=("${EXTRA_EXCLUDES[@]}")
kernel_status=0
run_arm64 "$OUT/kernel-runner/myna-kernel-runner" "${SELECTION[@]}" | tee "$OUT/kernel-tests.txt" || kernel_status=$?
kernel_machine=$(grep -m1 '^machine:' "$OUT/kernel-tests.txt" || echo "machine: (not reported)")
kernel_totals=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$OUT/kernel-tests.txt" | tail -1 || true)
[ -n "$kernel_totals" ] || kernel_totals="no totals: the runner stopped (exit $kernel_status)"

# 4. Greedy generation: Arm64 (emulated) against x64 ------------------------------------------------------------------
step "myna generate, greedy, Arm64 under qemu against x64"
generate_status=0
for dtype in f32 f16 int8; do
  args=(generate --model "$MODEL" --prompt "$PROMPT" --max-new-tokens "$NEW_TOKENS" --ignore-eos --json --logprobs --dtype "$dtype")
  dotnet "$X64_MYNA" "${args[@]}" > "$OUT/generate-$dtype-x64.json"
  run_arm64 "$OUT/myna/myna" "${args[@]}" > "$OUT/generate-$dtype-arm64.json" || generate_status=1
done
generate_report=$(python3 - "$OUT" "$LOGPROB_TOLERANCE" <<'PY'
import json, sys
out, tolerance = sys.argv[1], float(sys.argv[2])
failed = False
for dtype in ("f32", "f16", "int8"):
    try:
        runs = {arch: json.load(open(f"{out}/generate-{dtype}-{arch}.json")) for arch in ("x64", "arm64")}
    except (OSError, ValueError) as error:
        print(f"generate {dtype:<4}: FAIL, no JSON ({error})"); failed = True; continue
    x, a = (runs[arch]["sequences"][0] for arch in ("x64", "arm64"))
    if x["ids"] != a["ids"] or runs["x64"]["prompt_ids"] != runs["arm64"]["prompt_ids"]:
        first = next((i for i, (p, q) in enumerate(zip(x["ids"], a["ids"])) if p != q), min(len(x["ids"]), len(a["ids"])))
        print(f"generate {dtype:<4}: FAIL, ids differ from token {first}: x64 {x['ids']} arm64 {a['ids']}"); failed = True; continue
    worst = max(abs(p - q) for p, q in zip(x["logprobs"], a["logprobs"]))
    limit = tolerance * (10 if dtype == "int8" else 1)
    verdict = "ok" if worst <= limit else "FAIL"
    failed |= verdict == "FAIL"
    print(f"generate {dtype:<4}: {verdict}, {len(a['ids'])} ids equal, max |logprob x64 - arm64| = {worst:.1e} (tolerance {limit:g})")
sys.exit(1 if failed else 0)
PY
) || generate_status=1

# Summary --------------------------------------------------------------------------------------------------------------
step "summary ($SECONDS s in all)"
echo "$kernel_machine"
echo "kernel tests (arm64, qemu): $kernel_totals"
echo "$generate_report"
if [ "$kernel_status" -eq 0 ] && [ "$generate_status" -eq 0 ]; then
  echo "ARM64 CHECK: PASS"
else
  echo "ARM64 CHECK: FAIL"
  exit 1
fi
