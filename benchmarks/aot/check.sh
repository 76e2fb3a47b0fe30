#!/usr/bin/env bash
# Native AOT check: publishes samples/Orders (PublishAot=true in its project) and fails unless the publish succeeds
# with zero warnings (trim and AOT analysis IL2xxx/IL3xxx included) and produces the native binary.
#
#   benchmarks/aot/check.sh [extra dotnet publish arguments]
#
# Prints "aot check: N warning(s)" and keeps the full log in $AOT_LOG (default: a temporary file, shown
# on failure). The ILCompiler step is forced to run again (its previous object file is removed), so
# an incremental publish cannot hide warnings that only a fresh compilation reports. ~30-90 s on 2 cores.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

case "$(uname -m)" in
  x86_64) RID=linux-x64 ;;
  aarch64|arm64) RID=linux-arm64 ;;
  *) echo "aot check: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

# Native AOT links with clang (or gcc) from the system; install the Debian packages when neither is there.
if ! command -v clang >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  echo "aot check: installing clang and zlib1g-dev" >&2
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq clang zlib1g-dev) >&2 || echo "aot check: could not install a native toolchain" >&2
fi

OUT="$(mktemp -d)"
LOG="${AOT_LOG:-$OUT/publish.log}"
trap 'rm -rf "$OUT"' EXIT
rm -rf "samples/Orders/obj/Release/net10.0/$RID/native"

start=$(date +%s)
# The committed lock files record the portable graph only (a runtime graph in them would make every restore
# download the runtime packs), so this runtime-specific restore writes its own, under each project's obj/.
dotnet publish samples/Orders/Orders.csproj -c Release -r "$RID" -o "$OUT/publish" \
  -p:RestoreLockedMode=false -p:NuGetLockFilePath=obj/packages.$RID.lock.json \
  -nologo -clp:NoSummary "$@" >"$LOG" 2>&1
status=$?
elapsed=$(( $(date +%s) - start ))

# Each distinct diagnostic once (MSBuild can repeat a line per project that reports it): compiler and
# analyzer warnings ("file(l,c): warning IL2057: ...") and ILCompiler's own ("Trim analysis warning
# IL2057", "AOT analysis warning IL3050").
# NU1905 (the audit source served no vulnerability data) is about the machine's package source, not the
# publish; restore reports it and .ci/run prints it as its own block.
warnings="$(grep -E '(: warning|analysis warning) [A-Z]+[0-9]+' "$LOG" | grep -v ': warning NU1905:' | sed 's/ \[[^]]*\]$//' | sort -u)"
count=$(grep -c . <<<"$warnings" || true)
[ -z "$warnings" ] && count=0

if [ "$status" -ne 0 ]; then
  echo "aot check: FAILED, dotnet publish exited with $status after ${elapsed}s; last lines of the log:" >&2
  tail -n 40 "$LOG" >&2
  exit 1
fi

if [ ! -x "$OUT/publish/Orders" ]; then
  echo "aot check: FAILED, no native binary at $OUT/publish/Orders" >&2
  exit 1
fi

echo "aot check: $count warning(s), native binary $(du -h "$OUT/publish/Orders" | cut -f1), ${elapsed}s"
if [ "$count" -ne 0 ]; then
  echo "aot check: FAILED, the Native AOT publish must be warning-free:" >&2
  echo "$warnings" >&2
  exit 1
fi
