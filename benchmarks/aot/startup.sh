#!/usr/bin/env bash
# Start-up time to the first successful request and working set of samples/Orders: the Native AOT
# binary against the JIT build (dotnet Orders.dll), median of several interleaved starts.
#
#   benchmarks/aot/startup.sh [starts, default 7]
#
# Builds the JIT version (bin/Release/net10.0/Orders.dll) and publishes the AOT one into a temporary
# folder, then runs startup.py; its JSON goes to benchmarks/aot/results/startup.json.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
STARTS="${1:-7}"
case "$(uname -m)" in x86_64) RID=linux-x64 ;; aarch64|arm64) RID=linux-arm64 ;; *) echo "unsupported machine" >&2; exit 1 ;; esac

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "building the JIT version and publishing the Native AOT one (Release)" >&2
dotnet build samples/Orders/Orders.csproj -c Release -v q -nologo -clp:ErrorsOnly >&2
dotnet publish samples/Orders/Orders.csproj -c Release -r "$RID" -o "$OUT/aot" -v q -nologo -clp:ErrorsOnly >&2
mkdir -p "$HERE/results"
python3 "$HERE/startup.py" --aot "$OUT/aot/Orders" --jit samples/Orders/bin/Release/net10.0/Orders.dll \
  --starts "$STARTS" --out "$HERE/results/startup.json"
