#!/usr/bin/env bash
# Installs tshark (Wireshark's command-line dissector) with apt-get when it is missing. The
# pcap tests (conformance/tests/pcap_tshark.rs) read the captures synfin writes with it, and
# under CI=true they fail rather than skip without it. Idempotent: does nothing when tshark
# runs. Needs root (or sudo) and a Debian/Ubuntu apt.
set -euo pipefail

if command -v tshark >/dev/null 2>&1; then
  echo "tshark already installed: $(tshark --version 2>/dev/null | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-tshark: tshark is missing and there is no apt-get here; install it by hand" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
  else
    echo "install-tshark: tshark is missing and installing it needs root (or sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture (a setuid dumpcap). Capturing is
# not needed to read files: answer no beforehand, so that the install never waits for input.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
  "${as_root[@]}" debconf-set-selections
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends tshark </dev/null

echo "installed: $(tshark --version 2>/dev/null | head -n 1)"
