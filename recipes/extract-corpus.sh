#!/usr/bin/env bash
# Rebuilds data/corpus/ from pinned Debian package versions (see data/corpus/SOURCES.md): each .deb is fetched with
# `apt-get download`, its SHA-256 checked, and unpacked with `dpkg-deb -x` into a temporary folder (nothing is
# installed); .NET file-based programs under recipes/corpus/ turn the files into corpus text. Needs bash, apt-get,
# dpkg-deb, sha256sum and the .NET SDK (the unpacked `bible` program of bible-kjv also needs libreadline8, present on
# any Debian system with bash). Output is deterministic for the pinned versions: a rerun is byte-identical.
#
#   bash recipes/extract-corpus.sh            # every part
#   bash recipes/extract-corpus.sh zh_modern  # only the named parts (kjv, poems, zh_modern)
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_PARTS=(kjv poems zh_modern)

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# fetch_package NAME VERSION SHA256 → unpacks NAME=VERSION into $WORK/root/NAME and prints that folder.
fetch_package() {
  local name="$1" version="$2" sha256="$3"
  local downloads="$WORK/debs/$name" root="$WORK/root/$name"
  mkdir -p "$downloads" "$root"
  if ! apt-cache show "$name=$version" >/dev/null 2>&1; then
    apt-get update -qq >&2
  fi
  # apt-get download writes into the current folder; _apt cannot write into a private temp folder, so apt says it
  # downloads unsandboxed, which is harmless here: the file's hash is checked below.
  (cd "$downloads" && apt-get download -qq "$name=$version" 2>/dev/null) \
    || { echo "apt-get download $name=$version failed (is the version still in the configured archive?)" >&2; exit 1; }
  local deb actual
  deb="$(ls "$downloads"/"${name}"_*.deb)"
  actual="$(sha256sum "$deb" | cut -d' ' -f1)"
  if [ "$actual" != "$sha256" ]; then
    echo "SHA-256 mismatch for $name $version: expected $sha256, got $actual" >&2
    exit 1
  fi
  dpkg-deb -x "$deb" "$root"
  echo "$root"
}

# sorted_files FOLDER GLOB → the matching files, one per line, in byte order (independent of the locale).
sorted_files() {
  find "$1" -maxdepth 1 -type f -name "$2" | LC_ALL=C sort
}

# King James Version → data/corpus/en/kjv.txt: one paragraph per chapter, verse references removed. The text is stored
# compressed in bible-kjv-text's own format, so the unpacked `bible` program of bible-kjv prints it.
part_kjv() {
  local program text
  program="$(fetch_package bible-kjv 4.38 75a49c032a6efa9faa2beb4a9acb70974380122906329d0e100de36cc88ff02d)"
  text="$(fetch_package bible-kjv-text 4.38 d61b6aad4c51ba9e2800b825325fa6a09e99a0d02a9bb6dc4724fcc4995a1b7a)"
  mkdir -p data/corpus/en
  "$program/usr/bin/bible" -p "$text/usr/lib" -f "gen1:1-rev22:21" \
    | dotnet run recipes/corpus/kjv-chapters.cs -- data/corpus/en/kjv.txt
}

# Tang and Song poems → data/corpus/zh/{tang300,song100}.txt: one paragraph per poem (title, author, lines).
part_poems() {
  local root name
  root="$(fetch_package fortunes-zh 2.98 211c5ddee59d0ae74ce01cbfd02f7c8714740bae1835d5661eb2254edd739105)"
  mkdir -p data/corpus/zh
  for name in tang300 song100; do
    dotnet run recipes/corpus/fortune-poems.cs -- "$root/usr/share/games/fortunes/$name" "data/corpus/zh/$name.txt"
  done
}

# Modern Chinese prose from Debian's Simplified Chinese manuals and LibreOffice's help → data/corpus/zh-modern/*.txt:
# one document per section, one paragraph per line. The Debian FAQ (debian-faq-zh-cn) is left out on purpose: it is the
# test set of the support assistant and of translation (issues 15, 17).
part_zh_modern() {
  local out=data/corpus/zh-modern root
  mkdir -p "$out"

  root="$(fetch_package debian-handbook 11.20220922 3d5dbeac1f1afc9c094eab9d0f701f6ecff99c4927d5a4794cf6c85678134faa)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/debian-handbook.txt" \
    $(sorted_files "$root/usr/share/doc/debian-handbook/html/zh-CN" '*.html')
  cp "$root/usr/share/doc/debian-handbook/copyright" "$out/COPYRIGHT.debian-handbook"

  root="$(fetch_package debian-reference-zh-cn 2.100 6d2d8d9a646397e28b04cdff23d2e4374101ebf9be348e35961af62c8a2d0977)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/debian-reference.txt" \
    $(sorted_files "$root/usr/share/debian-reference" '*.zh-cn.html')
  cp "$root/usr/share/doc/debian-reference-zh-cn/copyright" "$out/COPYRIGHT.debian-reference-zh-cn"

  root="$(fetch_package installation-guide-amd64 20230508+deb12u1 812c43e1dc906daf671e3efe953dc023205c238e5bd5a3021ce4ca142793573a)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/installation-guide.txt" \
    $(sorted_files "$root/usr/share/doc/installation-guide-amd64/zh_CN" '*.html')
  cp "$root/usr/share/doc/installation-guide-amd64/copyright" "$out/COPYRIGHT.installation-guide-amd64"

  root="$(fetch_package maint-guide-zh-cn 1.2.53 d605b60a034f63857bc44205aed5ad7ba6e17d0d2b1ba5e79179b4e7ec4ee4bc)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/maint-guide.txt" \
    $(sorted_files "$root/usr/share/doc/maint-guide-zh-cn/html" '*.zh-cn.html')
  cp "$root/usr/share/doc/maint-guide-zh-cn/copyright" "$out/COPYRIGHT.maint-guide-zh-cn"

  root="$(fetch_package debian-edu-doc-zh-cn 2.12.23~deb12u1 d98fa11ea24238d38631d756ab75144c3d97dbd2a2e5a0223f2f7d8d975ecff2)"
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/debian-edu-manual.txt" \
    "$root/usr/share/doc/debian-edu-doc-zh-cn/debian-edu-bookworm-manual.html"
  cp "$root/usr/share/doc/debian-edu-doc-zh-cn/copyright" "$out/COPYRIGHT.debian-edu-doc-zh-cn"

  root="$(fetch_package harden-doc 3.19+nmu1 77ffacb6f8af4afbdf39f3de6040a710ae6ffcc40e2fab5b5d312dfb11d28d94)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/securing-debian-manual.txt" \
    $(sorted_files "$root/usr/share/doc/harden-doc/html/zh-CN" '*.html')
  cp "$root/usr/share/doc/harden-doc/copyright" "$out/COPYRIGHT.harden-doc"

  # LibreOffice's help: every page but the Basic language reference (sbasic/): of its 10,557 paragraphs only 934 are
  # Chinese, the rest code, identifiers and untranslated English.
  root="$(fetch_package libreoffice-help-zh-cn 4:7.4.7-1+deb12u14 db867cdece4c2f9c7eebe65e519c6cf386fdcf49d6e061db3dffec893b3e1dee)"
  # shellcheck disable=SC2046
  dotnet run recipes/corpus/zh-doc-paragraphs.cs -- "$out/libreoffice-help.txt" \
    $(find "$root/usr/share/libreoffice/help/zh-CN/text" -type f -name '*.html' -not -path '*/sbasic/*' | LC_ALL=C sort)
  cp "$root/usr/share/doc/libreoffice-help-zh-cn/copyright" "$out/COPYRIGHT.libreoffice-help-zh-cn"

  # The licences' terms travel with copies: the manuals are under the GPL (version 2, or 2 or later; the handbook
  # alternatively CC-BY-SA-3.0), LibreOffice's help under the MPL-2.0, and the copyright files point to Debian's
  # common-licenses copies, so keep those texts beside them.
  cp /usr/share/common-licenses/GPL-2 "$out/GPL-2"
  cp /usr/share/common-licenses/MPL-2.0 "$out/MPL-2.0"
  chmod 644 "$out"/COPYRIGHT.* "$out/GPL-2" "$out/MPL-2.0"
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=("${ALL_PARTS[@]}")
for p in "${parts[@]}"; do
  if ! declare -F "part_$p" >/dev/null; then
    echo "unknown corpus part '$p' (known: ${ALL_PARTS[*]})" >&2
    exit 2
  fi
  "part_$p"
done
wc -c data/corpus/*/*.txt
sha256sum data/corpus/*/*.txt >&2
