#!/usr/bin/env bash
# What the OAuth end-to-end tests (tests/Orders.OAuth.Tests) need besides the .NET SDK:
# - Debian's chromium, driven by Playwright as its executable (a Playwright browser download is not possible here);
# - node + npm and the interop client library (oauth4webapi) from tests/oauth-interop/package-lock.json.
# Idempotent: installs only what is missing. Failures are reported; the tests then fail with a clear message.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >&2 || echo "could not install ${missing[*]}" >&2
fi

interop=tests/oauth-interop
if [ ! -d "$interop/node_modules/oauth4webapi" ]; then
  echo "npm ci in $interop" >&2
  (cd "$interop" && npm ci --no-audit --no-fund) >&2 || echo "npm ci failed in $interop" >&2
fi
