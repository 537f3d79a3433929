#!/usr/bin/env bash
# What the browser tests (tests/e2e) need besides Python: Debian's Chromium, and axe-core and oidc-provider from
# the npm registry.
# Installs only what is missing. A missing piece that cannot be installed is reported; the tests then skip
# with the reason, or fail when CI=true.
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -n "$@"
  else return 1
  fi
}

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CX_E2E_CHROMIUM:-}" ]; then
  echo "e2e: installing Chromium (apt-get install chromium)"
  if ! command -v apt-get >/dev/null \
     || ! (as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium); then
    echo "e2e: could not install Chromium; install it yourself or set CX_E2E_CHROMIUM=/path/to/chromium" >&2
  fi
fi

AXE=var/e2e/node_modules/axe-core/axe.min.js
if [ ! -f "$AXE" ]; then
  if command -v npm >/dev/null; then
    echo "e2e: fetching axe-core from the npm registry into var/e2e"
    mkdir -p var/e2e
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix var/e2e axe-core@4 \
      || echo "e2e: npm could not fetch axe-core" >&2
  else
    echo "e2e: npm is not installed; the accessibility checks cannot run" >&2
  fi
fi
# The identity provider of the single sign-on browser test (tests/e2e/test_sso.py): the certified oidc-provider.
OIDC=var/e2e/oidc/node_modules/oidc-provider/package.json
if [ ! -f "$OIDC" ]; then
  if command -v npm >/dev/null; then
    echo "e2e: fetching oidc-provider from the npm registry into var/e2e/oidc"
    mkdir -p var/e2e/oidc
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix var/e2e/oidc oidc-provider@9 \
      || echo "e2e: npm could not fetch oidc-provider" >&2
  else
    echo "e2e: npm is not installed; the single sign-on browser test cannot run" >&2
  fi
fi
exit 0
