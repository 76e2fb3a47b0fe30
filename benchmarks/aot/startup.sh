#!/usr/bin/env bash
# Start-up time to the first successful request and working set of samples/Orders: the Native AOT
# binary against the JIT build (dotnet Orders.dll), median of several interleaved starts.
#
#   benchmarks/aot/startup.sh [starts, default 7] [--no-build]
#
# Builds the JIT version (bin/Release/net10.0/Orders.dll) and publishes the AOT one into
# benchmarks/aot/results/publish (not committed), then runs startup.py; its JSON goes to
# benchmarks/aot/results/startup.json. --no-build measures what the last run built.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STARTS=7 BUILD=1
for arg in "$@"; do
  case "$arg" in --no-build) BUILD=0 ;; *) STARTS="$arg" ;; esac
done
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64|arm64) RID=linux-arm64 ;; *) echo "unsupported machine" >&2; exit 1 ;; esac

mkdir -p "$HERE/results"
if [ "$BUILD" = 1 ]; then
  echo "building the JIT version and publishing the Native AOT one (Release)" >&2
  dotnet build samples/Orders/Orders.csproj -c Release -v q -nologo -clp:ErrorsOnly >&2
  rm -rf "$HERE/results/publish"
  dotnet publish samples/Orders/Orders.csproj -c Release -r "$RID" -o "$HERE/results/publish" -v q -nologo -clp:ErrorsOnly >&2
fi
python3 "$HERE/startup.py" --aot "$HERE/results/publish/Orders" --jit samples/Orders/bin/Release/net10.0/Orders.dll \
  --starts "$STARTS" --out "$HERE/results/startup.json"
