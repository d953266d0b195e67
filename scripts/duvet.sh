#!/usr/bin/env bash
# duvet (AWS's requirement-tracing tool, https://github.com/awslabs/duvet) over RFC 9293.
# Usage: bash scripts/duvet.sh [duvet report options]
#   writes .duvet/snapshot.txt and .duvet/reports/report.html; with CI=true (or --ci) checks the
#   annotations against the committed snapshot instead, and exits 1 on any difference. A quote
#   that is not in the RFC fails either way.
# Installs duvet 0.4.3 into $DUVET_ROOT (default ~/.cache/duvet-0.4.3) when missing (about
# 6.5 minutes of building on 2 cores). The RFC stays outside the repository: the text is read
# from ../shared/rfc/rfc9293.txt (or $RFC9293_TXT) through a symlink in duvet's download cache,
# so duvet never reaches the network.
set -euo pipefail
cd "$(dirname "$0")/.."
DUVET_VERSION=0.4.3
DUVET_ROOT="${DUVET_ROOT:-$HOME/.cache/duvet-$DUVET_VERSION}"
RFC="${RFC9293_TXT:-$(cd .. && pwd)/shared/rfc/rfc9293.txt}"
[ -f "$RFC" ] || { echo "rfc9293.txt not found at $RFC (set RFC9293_TXT)" >&2; exit 2; }
if [ ! -x "$DUVET_ROOT/bin/duvet" ]; then
  cargo install duvet --locked --version "$DUVET_VERSION" --root "$DUVET_ROOT"
fi
cache=.duvet/specifications/www.rfc-editor.org/rfc
mkdir -p "$cache"
ln -sfn "$RFC" "$cache/rfc9293.txt"
exec "$DUVET_ROOT/bin/duvet" report "$@"
