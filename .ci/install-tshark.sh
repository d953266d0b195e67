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

# wireshark-common asks whether non-root users may capture (a setuid dumpcap). Capturing is
# not needed to read files: answer no beforehand, so that the install never waits for input.
bash "$(dirname "$0")/apt-install.sh" \
  --debconf "wireshark-common wireshark-common/install-setuid boolean false" tshark

echo "installed: $(tshark --version 2>/dev/null | head -n 1)"
