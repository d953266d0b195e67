#!/usr/bin/env bash
# apt-install.sh [--debconf "LINE"]... PACKAGE...: installs Debian packages without asking
# anything, as root or through sudo; LINE is a debconf answer given beforehand. Used by the
# other install scripts here; fails with a message where there is no apt-get or no root.
set -euo pipefail

if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-install: no apt-get here; install $* by hand" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
  else
    echo "apt-install: installing $* needs root (or sudo)" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
while [ "${1:-}" = "--debconf" ]; do
  echo "$2" | "${as_root[@]}" debconf-set-selections
  shift 2
done
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "$@" </dev/null
