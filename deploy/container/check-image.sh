#!/usr/bin/env bash
# Builds Myna's container image as an archive with the SDK (`dotnet publish -t:PublishContainer`, no Dockerfile, no
# Docker engine) and checks that it holds what `myna serve` needs: an entry point that starts the myna program, the
# program itself, and the default model beside it. With --run (as root: it uses chroot) it also starts the image's
# file system and asks the server for /health and one completion.
#
#   deploy/container/check-image.sh [--run] [ARCHIVE]      (default ARCHIVE: artifacts/myna-image.tar.gz)
#
# Where mcr.microsoft.com cannot be reached, the base image is built from this machine's .NET runtime and served on
# loopback (offline-base-image.sh), so the check runs offline too.
set -euo pipefail

run=false
if [ "${1:-}" = "--run" ]; then run=true; shift; fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
archive="$(realpath -m "${1:-$root/artifacts/myna-image.tar.gz}")"
work="$(mktemp -d)"
registry_pid=""
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; fi
  for mount in "$work/rootfs/dev" "$work/rootfs/proc"; do mountpoint -q "$mount" 2>/dev/null && umount "$mount"; done
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The image, as an archive.
publish=(dotnet publish "$root/src/Myna.Cli" -c Release -r linux-x64 -t:PublishContainer -p:ContainerArchiveOutputPath="$archive" -o "$work/publish")
if curl -sS -m 10 -o /dev/null https://mcr.microsoft.com/v2/ 2>/dev/null; then
  "${publish[@]}"
else
  echo "mcr.microsoft.com is unreachable: building the base image from this machine's .NET runtime…"
  registry=127.0.0.1:5057
  base="$("$root/deploy/container/offline-base-image.sh" "$registry" "$work/base" | tail -n 1)"
  registry_pid="$(cat "$work/base/registry.pid")"
  DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry" "${publish[@]}" -p:ContainerBaseImage="$base"
fi

# 2. What the archive holds: the entry point and the files it names, the model, the port.
mkdir -p "$work/image" "$work/rootfs"
tar -xf "$archive" -C "$work/image"
python3 - "$work/image" "$work/rootfs" <<'PY'
import json, os, sys, tarfile
image, rootfs = sys.argv[1], sys.argv[2]
blob = lambda digest: os.path.join(image, "blobs", *digest.split(":"))
index = json.load(open(os.path.join(image, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
files = set()
for layer in manifest["layers"]:
    with tarfile.open(blob(layer["digest"])) as tar:
        files.update("/" + m.name.lstrip("./") for m in tar.getmembers())
        tar.extractall(rootfs, filter="tar")
command = config.get("Entrypoint", []) + config.get("Cmd", [])
problems = []
program = next((c for c in command if c.startswith("/app/myna")), None)
if program is None: problems.append(f"the entry point {command} does not start /app/myna")
elif program not in files: problems.append(f"the entry point names {program}, which the image lacks")
if "serve" not in command: problems.append(f"the default command {command} does not run `myna serve`")
for name in ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json"]:
    if f"/app/models/myna-default/{name}" not in files: problems.append(f"the default model's {name} is missing from /app/models/myna-default")
if "8080/tcp" not in config.get("ExposedPorts", {}): problems.append("port 8080 is not exposed")
if config.get("User") in (None, "", "0", "root"): problems.append("the image runs as root")
for p in problems: print("error: " + p, file=sys.stderr)
if problems: sys.exit(1)
print(f"image ok: entry point {command}, user {config['User']}, {len(files)} files, default model at /app/models/myna-default")
PY

# 3. Optionally run it: the image's file system under chroot, as its user, with a key.
if $run; then
  mkdir -p "$work/rootfs/proc" "$work/rootfs/dev"
  mount -t proc proc "$work/rootfs/proc"
  mount --bind /dev "$work/rootfs/dev"
  port=18099
  chroot="$(command -v chroot)" # before env -i empties PATH
  env -i MYNA_API_KEYS=check-key DOTNET_ROOT=/usr/share/dotnet PATH=/usr/bin \
    "$chroot" --userspec=1654:1654 "$work/rootfs" /usr/bin/dotnet /app/myna.dll serve --host 0.0.0.0 --port "$port" > "$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 120); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
  status=0
  curl -fsS "http://127.0.0.1:$port/health" && echo \
    && curl -fsS "http://127.0.0.1:$port/v1/completions" -H "Authorization: Bearer check-key" -H "Content-Type: application/json" \
         -d '{"prompt":"Once upon a time","max_tokens":8,"temperature":0}' && echo || status=1
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  if [ $status -ne 0 ]; then cat "$work/serve.log" >&2; echo "error: the image's server did not answer" >&2; exit 1; fi
  echo "image runs: /health and a completion answered"
fi
