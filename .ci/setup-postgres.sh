#!/usr/bin/env bash
# Makes the PostgreSQL server binaries available for the integration tests (tests/Rampart.Data.Tests,
# tests/Orders.Tests). The tests start their own private cluster (initdb into a temporary folder, a free
# loopback port, trust authentication; as root they run it as the postgres user, since initdb refuses
# root) and delete it afterwards, so nothing is started here and no system service is needed.
set -uo pipefail

have_binaries() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

if ! have_binaries; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq postgresql) >&2 || { echo "could not install postgresql" >&2; exit 1; }
  # The package's own cluster is not used; the tests run private ones.
  (service postgresql stop || true) >/dev/null 2>&1
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

have_binaries && echo "postgresql binaries: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1)" >&2
