#!/usr/bin/env bash
# Rebuilds the data of the Myna.Apps scenarios (data/apps/, see data/apps/SOURCES.md) from pinned Debian package
# versions: each .deb is fetched with `apt-get download`, its SHA-256 checked, and unpacked with `dpkg-deb -x` into
# a temporary folder (nothing is installed); a .NET file-based program under recipes/apps/ parses what needs parsing.
# Needs bash, apt-get, dpkg-deb, sha256sum and the .NET SDK. Output is deterministic for the pinned versions.
#
#   bash recipes/apps-data.sh            # every set
#   bash recipes/apps-data.sh faq        # only the named sets
#
# A set is a function named set_<name> below; add one per new data set and list it in ALL_SETS.
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_SETS=(faq)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch_package NAME VERSION SHA256 → unpacks NAME=VERSION into $WORK/root/NAME and prints that folder.
fetch_package() {
  local name="$1" version="$2" sha256="$3"
  local downloads="$WORK/debs" root="$WORK/root/$name"
  mkdir -p "$downloads" "$root"
  if ! apt-cache show "$name=$version" >/dev/null 2>&1; then
    apt-get update -qq >&2
  fi
  # apt-get download writes into the current folder; _apt cannot write into a private temp folder, so apt says it
  # downloads unsandboxed, which is harmless here: the file's hash is checked below.
  (cd "$downloads" && apt-get download -qq "$name=$version" 2>/dev/null) \
    || { echo "apt-get download $name=$version failed (is the version still in the configured archive?)" >&2; exit 1; }
  local deb
  deb="$(ls "$downloads"/"${name}"_*.deb)"
  local actual
  actual="$(sha256sum "$deb" | cut -d' ' -f1)"
  if [ "$actual" != "$sha256" ]; then
    echo "SHA-256 mismatch for $name $version: expected $sha256, got $actual" >&2
    exit 1
  fi
  dpkg-deb -x "$deb" "$root"
  echo "$root"
}

# The Debian GNU/Linux FAQ in English and Simplified Chinese → data/apps/support/faq.jsonl (issue 15).
set_faq() {
  local en zh merged="$WORK/faq-root"
  en="$(fetch_package debian-faq 11.1 427426e0cfa6888622fc1d72631071cb4b5a1f86ccde722e7820bcef284de5d0)"
  zh="$(fetch_package debian-faq-zh-cn 11.1 3545356b1aa04d87e91dd15e8406210cf5b4f476662e597897bcb42234591758)"
  mkdir -p "$merged"
  cp -r "$en"/. "$merged"/
  cp -r "$zh"/. "$merged"/
  mkdir -p data/apps/support
  dotnet run recipes/apps/extract-faq.cs -- "$merged" data/apps/support/faq.jsonl
  # The licence requires the notice to travel with copies and derived works: keep it verbatim beside the data.
  cp "$en/usr/share/doc/debian-faq/copyright" data/apps/support/COPYRIGHT.debian-faq
  chmod 644 data/apps/support/COPYRIGHT.debian-faq
  sha256sum data/apps/support/faq.jsonl >&2
}

sets=("$@")
[ ${#sets[@]} -gt 0 ] || sets=("${ALL_SETS[@]}")
for s in "${sets[@]}"; do
  if ! declare -F "set_$s" >/dev/null; then
    echo "unknown data set '$s' (known: ${ALL_SETS[*]})" >&2
    exit 2
  fi
  "set_$s"
done
