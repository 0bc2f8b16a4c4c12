#!/usr/bin/env bash
# Rebuilds data/corpus/ from Debian packages (see data/corpus/SOURCES.md). Needs root for apt-get.
# Output is deterministic for the package versions named in SOURCES.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if ! command -v bible >/dev/null || [ ! -f /usr/share/games/fortunes/tang300 ]; then
  apt-get update -qq
  apt-get install -y -qq bible-kjv bible-kjv-text fortunes-zh >/dev/null
fi

# King James Version: one paragraph per chapter, verse references removed.
bible -f "gen1:1-rev22:21" | python3 -c '
import re, sys
chapter, verses = None, []
out = []
for line in sys.stdin:
    m = re.match(r"^(\S+?\d+):(\d+) (.*)$", line.rstrip("\n"))
    if not m:
        continue
    if m.group(1) != chapter and verses:
        out.append(" ".join(verses))
        verses = []
    chapter = m.group(1)
    verses.append(m.group(3).strip())
out.append(" ".join(verses))
sys.stdout.write("\n\n".join(out) + "\n")
' > data/corpus/en/kjv.txt

# Tang and Song poems: one paragraph per poem (title, author, lines), terminal colour codes removed.
for name in tang300 song100; do
  python3 - "$name" <<'PY' > "data/corpus/zh/$name.txt"
import re, sys
name = sys.argv[1]
text = open(f"/usr/share/games/fortunes/{name}", encoding="utf-8").read()
text = re.sub(r"\x1b\[[0-9;]*m", "", text)
poems = [p.strip("\n") for p in text.split("\n%\n")]
poems = ["\n".join(line.rstrip() for line in p.splitlines() if line.strip()) for p in poems]
sys.stdout.write("\n\n".join(p for p in poems if p) + "\n")
PY
done
wc -c data/corpus/en/*.txt data/corpus/zh/*.txt
