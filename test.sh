#!/usr/bin/env bash
# Runs every test of the repository from a fresh clone: installs what the tests need (Debian/Ubuntu, with
# apt-get), then `dotnet test Framework.sln` with TRX loggers, and ends with the line "N passed, N failed"
# summed from the TRX files.
#
#   ./test.sh                                   # every test
#   ./test.sh tests/Rampart.Tests/Rampart.Tests.csproj --filter Binding   # one project, dotnet test arguments
#   ./test.sh --prerequisites                   # install and check the prerequisites only
#
# What the tests need besides the .NET 10 SDK, and why:
#   redis-server          tests/Rampart.Redis.Tests start private servers on free loopback ports
#   postgresql            tests/Rampart.Data.Tests and Orders.Tests start a private cluster (initdb as the
#                         postgres user when run as root); .ci/setup-postgres.sh
#   chromium              tests/Orders.OAuth.Tests drive Debian's Chromium with Playwright (CHROMIUM_PATH
#                         overrides /usr/bin/chromium)
#   nodejs 20+, npm       tests/oauth-interop: `npm ci` installs the oauth4webapi interop client
#   python3, python3-jwt  an interop test runs /usr/bin/python3 with PyJWT
# Nothing is started here: every test starts (and stops) its own servers. Installing is idempotent: only
# what is missing is installed. TEST_RESULTS_DIR keeps the TRX files (default: a temporary folder).
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() { echo "test.sh: $*" >&2; }

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --version >/dev/null 2>&1; then
  fail "the .NET 10 SDK is missing (global.json asks for 10.0.100 or a later 10.0 feature band): install it from https://dot.net/download"
  exit 1
fi

have_postgres() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_chromium() { [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; }
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
have_pyjwt() { /usr/bin/python3 -c 'import jwt' >/dev/null 2>&1; }

# Debian package for each missing prerequisite.
packages=()
command -v redis-server >/dev/null 2>&1 || packages+=(redis-server)
have_postgres || packages+=(postgresql)
have_chromium || packages+=(chromium)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
[ -x /usr/bin/python3 ] || packages+=(python3)
have_pyjwt || packages+=(python3-jwt)

if [ "${#packages[@]}" -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo=(sudo -n)
  if command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${packages[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    ("${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq "${packages[@]}") >&2 \
      || fail "apt-get could not install ${packages[*]}"
    # The packages' own services are not used; the tests run private instances.
    for service in redis-server postgresql; do
      ("${sudo[@]}" service "$service" stop || true) >/dev/null 2>&1
    done
  fi
fi

# The PostgreSQL tests run initdb as the postgres user when run as root (initdb refuses root).
if have_postgres && [ "$(id -u)" -eq 0 ]; then
  bash .ci/setup-postgres.sh >/dev/null 2>&1
fi

# Each prerequisite still missing is one line naming it and how to install it; no test runs without them.
missing=0
need() { # need <check command...> -- <what> <how to install>
  local args=() what how
  while [ "$1" != "--" ]; do args+=("$1"); shift; done
  shift; what=$1; how=$2
  if ! "${args[@]}" >/dev/null 2>&1; then
    fail "missing prerequisite: $what (install: $how)"
    missing=1
  fi
}
need command -v redis-server -- "redis-server" "sudo apt-get install -y redis-server"
need have_postgres -- "PostgreSQL server binaries (initdb, pg_ctl)" "sudo apt-get install -y postgresql"
if [ "$(id -u)" -eq 0 ]; then
  need id postgres -- "the postgres user (initdb refuses root)" "bash .ci/setup-postgres.sh"
fi
need have_chromium -- "Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}" "sudo apt-get install -y chromium, or set CHROMIUM_PATH"
need command -v npm -- "npm" "sudo apt-get install -y npm"
if command -v node >/dev/null 2>&1; then
  need test "$(node_major)" -ge 20 -- "Node.js 20 or later (found $(node --version))" "a Node.js 20+ package for your distribution"
else
  need false -- "Node.js 20 or later" "sudo apt-get install -y nodejs (20 or later)"
fi
need have_pyjwt -- "PyJWT for /usr/bin/python3" "sudo apt-get install -y python3 python3-jwt"

# The interop client, exactly as package-lock.json pins it (npm ci checks every package's integrity hash).
# npm records what it installed in node_modules/.package-lock.json; a newer lock file means install again.
interop=tests/oauth-interop
if [ "$missing" -eq 0 ] && { [ ! -f "$interop/node_modules/.package-lock.json" ] || [ "$interop/package-lock.json" -nt "$interop/node_modules/.package-lock.json" ]; }; then
  echo "test.sh: npm ci in $interop" >&2
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error) >&2 || true
  need test -d "$interop/node_modules/oauth4webapi" -- "the oauth4webapi interop client in $interop" "(cd $interop && npm ci)"
fi

if [ "${1:-}" = "--prerequisites" ]; then
  [ "$missing" -eq 0 ] && echo "test.sh: every prerequisite is installed" >&2
  exit "$missing"
fi

if [ "$missing" -ne 0 ]; then
  fail "no test was run: install the prerequisites above first"
  echo "0 passed, 0 failed"
  exit 1
fi

# What to test: Framework.sln unless the first argument names a project or solution.
target=Framework.sln
case "${1:-}" in *.sln|*.slnx|*.csproj) target=$1; shift ;; esac

results="${TEST_RESULTS_DIR:-}"
if [ -z "$results" ]; then
  results="$(mktemp -d)"
  trap 'rm -rf "$results"' EXIT
else
  mkdir -p "$results"
  rm -f "$results"/*.trx
fi

dotnet test "$target" --logger trx --results-directory "$results" "$@"
status=$?

passed=0 failed=0 total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  total=$((total + ${t:-0}))
done

if [ "$total" -eq 0 ]; then
  fail "no test was executed"
  [ "$status" -eq 0 ] && status=1
fi

echo "$passed passed, $failed failed"
exit "$status"
