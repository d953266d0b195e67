#!/usr/bin/env bash
# PyTCP 2.7.6 (PyPI `pytcp`, a TCP/IP stack in Python nobody here wrote) in a virtual
# environment of its own, for peers/drivers/pytcp_driver.py. Prints the environment's python.
# The environment lives in $PYTCP_VENV (default ~/.cache/synfin-pytcp-2.7.6), outside the
# repository; a second run reuses it.
set -euo pipefail
venv="${PYTCP_VENV:-$HOME/.cache/synfin-pytcp-2.7.6}"
if ! "$venv/bin/python" -c 'import pytcp' >/dev/null 2>&1; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    # Debian's python3 keeps venv (and ensurepip) in a package of its own.
    if [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && apt-get install -y -qq python3-venv) >&2
    fi
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
  fi
  "$venv/bin/pip" install -q pytcp==2.7.6 >&2
fi
echo "$venv/bin/python"
