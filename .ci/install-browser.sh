#!/usr/bin/env bash
# Installs what the browser tests (tests/browser.rs) need, when it is missing: Debian's
# Chromium (/usr/bin/chromium, with apt-get) and playwright-core in tests/browser/node_modules
# (npm ci, from tests/browser/package-lock.json). Playwright never downloads a browser here: the
# tests launch /usr/bin/chromium. Node.js (>= 20) and npm must already be installed. Idempotent
# and quick when everything is present. Under CI=true the browser tests fail rather than skip
# without these.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -x /usr/bin/chromium ]; then
  echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
else
  bash .ci/apt-install.sh chromium
  echo "installed: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-browser: $tool is missing; install Node.js 20 or later with npm" >&2
    exit 1
  fi
done

cd tests/browser
# The version the lock file pins, and the one installed (if any).
wanted=$(node -p "require('./package-lock.json').packages['node_modules/playwright-core'].version")
have=$(node -p "try { require('./node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$have" = "$wanted" ]; then
  echo "playwright-core $have already installed in tests/browser/node_modules"
else
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  npm ci --no-audit --no-fund
  echo "installed: playwright-core $wanted in tests/browser/node_modules"
fi
