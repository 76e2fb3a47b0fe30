#!/usr/bin/env bash
# Load comparison of Rampart with FastEndpoints 8.3.0, a hand-written .NET 10 minimal API and a bare
# endpoint, under wrk on 127.0.0.1 (docs/benchmarks.md, "Load").
#
#   benchmarks/load/run.sh [--rounds 3] [--seconds 10] [--warmup 5] [--connections 64] [--threads 1]
#                          [--scenarios "fe orders"] [--out benchmarks/load/results] [--max-minutes 30]
#                          [--targets "rampart fastendpoints minimal bare"]   (default: all of a scenario;
#                           rampart-no-token-cache|-log|-rate-limit|-headers|-revocation-store: Rampart without one protection)
#                          [--tokens 1]   (secured scenario: N distinct clients' tokens, used in turn)
#                          [--baseline DIR]   (a checkout of an earlier commit: its Rampart.Load runs as the
#                           extra target rampart-baseline in every scenario, to show a change in the same run)
#
# Builds the three apps in Release, starts every app of a scenario on its own free loopback port, checks
# that each answers the scenario's valid and invalid requests as expected (200/201, 400, and for the
# secured scenario 401 without a token and 403 without the scope), warms each up, then runs the measured
# rounds interleaved (the order rotates every round, so no app always runs first or last), recording
# each server's CPU time per request as well. Writes results.csv (one row per run) and summary.json
# (medians and ratios) to --out and prints a table.
# Everything it starts is stopped by PID on exit; the whole run is bounded by --max-minutes.
set -euo pipefail

ROUNDS=3 SECONDS_PER_RUN=10 WARMUP=5 CONNECTIONS=64 THREADS=1 SCENARIOS="fe orders" MAX_MINUTES=30 TARGETS="" TOKENS=1 BASELINE=""
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/results"

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --max-minutes) MAX_MINUTES="$2"; shift 2 ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --tokens) TOKENS="$2"; shift 2 ;;
    --baseline) BASELINE="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

DEADLINE=$(( $(date +%s) + MAX_MINUTES * 60 ))
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ASPNETCORE_ENVIRONMENT=Production
PIDS=()
WORK="$(mktemp -d)"

stop_pid() {
  local pid="$1"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local pid
  if [ -n "${WRK_PID:-}" ]; then stop_pid "$WRK_PID"; fi
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  PIDS=()
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

check_deadline() {
  if [ "$(date +%s)" -ge "$DEADLINE" ]; then
    echo "time limit of $MAX_MINUTES minutes reached: stopping (partial results kept in $OUT)" >&2
    exit 3
  fi
}

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >&2 || { apt-get update -qq && apt-get install -y -qq wrk >&2; }
fi

echo "building the load apps (Release)" >&2
for project in Rampart.Load FastEndpoints.Load MinimalApi.Load; do
  dotnet build "$HERE/$project/$project.csproj" -c Release -v q -nologo -clp:ErrorsOnly >&2
done
if [ -n "$BASELINE" ]; then
  dotnet build "$BASELINE/benchmarks/load/Rampart.Load/Rampart.Load.csproj" -c Release -v q -nologo -clp:ErrorsOnly >&2
fi
dll() {
  if [ "$1" = Rampart.Load.Baseline ]; then echo "$BASELINE/benchmarks/load/Rampart.Load/bin/Release/net10.0/Rampart.Load.dll"
  else echo "$HERE/$1/bin/Release/net10.0/$1.dll"; fi
}

TOKEN="$(dotnet "$(dll Rampart.Load)" token)"
TOKEN_NO_SCOPE="$(dotnet "$(dll Rampart.Load)" token orders:read)"
TOKENS_FILE=""
if [ "$TOKENS" -gt 1 ]; then
  TOKENS_FILE="$WORK/tokens.txt"
  dotnet "$(dll Rampart.Load)" tokens "$TOKENS" >"$TOKENS_FILE"
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# status METHOD URL BODYFILE [TOKEN] -> prints the HTTP status code
status() {
  local auth=()
  [ -n "${4:-}" ] && auth=(-H "Authorization: Bearer $4")
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 -X "$1" "$2" -H 'Content-Type: application/json' \
    "${auth[@]}" --data-binary "@$3" || echo 000
}

# Targets: name -> project (and extra arguments). The rampart-no-* targets are Rampart with one
# protection switched off, to see what each costs (--targets "rampart rampart-no-token-cache ..."); they
# are diagnostics, never part of a comparison.
declare -A PROJECT=([rampart]=Rampart.Load [fastendpoints]=FastEndpoints.Load [minimal]=MinimalApi.Load [bare]=MinimalApi.Load
  [rampart-no-token-cache]=Rampart.Load [rampart-no-log]=Rampart.Load [rampart-no-rate-limit]=Rampart.Load [rampart-no-headers]=Rampart.Load [rampart-no-revocation-store]=Rampart.Load [rampart-baseline]=Rampart.Load.Baseline)
targets_of() {
  if [ -n "$TARGETS" ]; then
    local t
    for t in $TARGETS; do
      [ -n "${PROJECT[$t]:-}" ] || { echo "unknown target: $t (${!PROJECT[*]})" >&2; exit 2; }
      [ "$1" = fe ] && [ "$t" = bare ] && continue
      echo -n "$t "
    done
    echo
    return
  fi
  case "$1" in
    fe) echo "rampart fastendpoints minimal${BASELINE:+ rampart-baseline}" ;;
    orders) echo "rampart fastendpoints minimal bare${BASELINE:+ rampart-baseline}" ;;
    *) echo "unknown scenario: $1 (fe, orders)" >&2; exit 2 ;;
  esac
}
extra_args() { case "$1" in rampart-no-*) echo "--without ${1#rampart-no-}" ;; esac; }

mkdir -p "$OUT"
CSV="$OUT/results.csv"
echo "scenario,target,round,requests,duration_s,rps,p50_ms,p90_ms,p99_ms,max_ms,non2xx,socket_errors,server_cpu_us_per_request" > "$CSV"
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "rounds=$ROUNDS seconds=$SECONDS_PER_RUN warmup=$WARMUP connections=$CONNECTIONS threads=$THREADS tokens=$TOKENS"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -n1) cores=$(nproc)"
  echo "dotnet=$(dotnet --version) wrk=$(wrk -v 2>&1 | head -n1 | cut -d' ' -f2)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/run-info.txt"

# CPU time (user + system) a process has used, in clock ticks (fields 14 and 15 of /proc/PID/stat).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS_PER_SECOND="$(getconf CLK_TCK)"

# wrk_run URL BODYFILE TOKEN SECONDS -> sets LINE to wrk's RESULT line. wrk runs in the background and is
# waited for, so an interruption stops it at once (bash defers traps while a foreground command runs).
WRK_PID=""
wrk_run() {
  LOAD_BODY_FILE="$2" LOAD_TOKEN="$3" LOAD_TOKENS_FILE="$TOKENS_FILE" timeout $(( $4 + 20 )) \
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "${4}s" --timeout 5s -s "$HERE/post.lua" "$1" >"$WORK/wrk.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  LINE="$(grep '^RESULT' "$WORK/wrk.out" || echo "RESULT failed")"
}

for scenario in $SCENARIOS; do
  check_deadline
  read -r -a targets <<<"$(targets_of "$scenario")"
  declare -A URL=() PID_OF=()
  if [ "$scenario" = fe ]; then
    path=/benchmark/ok/123 valid="$HERE/bodies/fe-valid.json" invalid="$HERE/bodies/fe-invalid.json" ok=200
  else
    path=/api/v1/orders valid="$HERE/bodies/order-valid.json" invalid="$HERE/bodies/order-invalid.json" ok=201
  fi

  for target in "${targets[@]}"; do
    port="$(free_port)"
    app_scenario="$scenario"; [ "$target" = bare ] && app_scenario=bare
    # shellcheck disable=SC2046 # extra_args is empty or two words
    dotnet "$(dll "${PROJECT[$target]}")" --urls "http://127.0.0.1:$port" --scenario "$app_scenario" $(extra_args "$target") \
      >"$OUT/$scenario-$target.log" 2>&1 &
    PID_OF[$target]=$!
    PIDS+=("$!")
    URL[$target]="http://127.0.0.1:$port$path"
  done

  # Readiness and the protections each app must show before it is measured.
  for target in "${targets[@]}"; do
    token=""; [ "$scenario" = orders ] && [ "$target" != bare ] && token="$TOKEN"
    ready=""
    for _ in $(seq 1 300); do
      if [ "$(status POST "${URL[$target]}" "$valid" "$token")" = "$ok" ]; then ready=1; break; fi
      kill -0 "${PID_OF[$target]}" 2>/dev/null || break
      sleep 0.1
    done
    if [ -z "$ready" ]; then
      echo "$scenario/$target did not answer $ok on ${URL[$target]}; its log:" >&2
      tail -n 30 "$OUT/$scenario-$target.log" >&2
      exit 1
    fi
    checks="valid=$ok"
    if [ "$target" != bare ]; then
      got="$(status POST "${URL[$target]}" "$invalid" "$token")"
      [ "$got" = 400 ] || { echo "$scenario/$target answered $got to an invalid body, not 400" >&2; exit 1; }
      checks="$checks invalid=400"
      if [ "$scenario" = orders ]; then
        got="$(status POST "${URL[$target]}" "$valid" "")"
        [ "$got" = 401 ] || { echo "$scenario/$target answered $got without a token, not 401" >&2; exit 1; }
        got="$(status POST "${URL[$target]}" "$valid" "$TOKEN_NO_SCOPE")"
        [ "$got" = 403 ] || { echo "$scenario/$target answered $got without the scope, not 403" >&2; exit 1; }
        checks="$checks no-token=401 no-scope=403"
      fi
    fi
    echo "$scenario/$target ready on ${URL[$target]} ($checks)" >&2
  done

  for target in "${targets[@]}"; do
    token=""; [ "$scenario" = orders ] && [ "$target" != bare ] && token="$TOKEN"
    echo "$scenario/$target warm-up ${WARMUP}s" >&2
    wrk_run "${URL[$target]}" "$valid" "$token" "$WARMUP"
  done

  for round in $(seq 1 "$ROUNDS"); do
    # Rotate the order each round: A B C, B C A, C A B, ...
    n=${#targets[@]}
    for i in $(seq 0 $(( n - 1 ))); do
      check_deadline
      target="${targets[$(( (i + round - 1) % n ))]}"
      token=""; [ "$scenario" = orders ] && [ "$target" != bare ] && token="$TOKEN"
      # The server's CPU time per request is measured too: it moves less than requests/s when other work
      # competes for the cores (though still a lot under heavy contention), a diagnostic beside the result.
      cpu_before="$(cpu_ticks "${PID_OF[$target]}")"
      wrk_run "${URL[$target]}" "$valid" "$token" "$SECONDS_PER_RUN"
      line="$LINE"
      cpu_after="$(cpu_ticks "${PID_OF[$target]}")"
      if [ "$line" = "RESULT failed" ]; then
        echo "$scenario/$target round $round: wrk failed" >&2
        exit 1
      fi
      # RESULT requests=N duration_us=N non2xx=N socket_errors=N p50_us=N p90_us=N p99_us=N max_us=N
      eval "$(sed 's/^RESULT //' <<<"$line")"
      row="$(awk -v r="$requests" -v d="$duration_us" -v p50="$p50_us" -v p90="$p90_us" -v p99="$p99_us" -v mx="$max_us" \
        'BEGIN { printf "%d,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f", r, d / 1e6, r / (d / 1e6), p50 / 1000, p90 / 1000, p99 / 1000, mx / 1000 }')"
      cpu_us="$(awk -v t=$(( cpu_after - cpu_before )) -v hz="$TICKS_PER_SECOND" -v r="$requests" 'BEGIN { printf "%.1f", (r > 0 ? t * 1e6 / hz / r : 0) }')"
      echo "$scenario,$target,$round,$row,$non2xx,$socket_errors,$cpu_us" >> "$CSV"
      echo "$scenario/$target round $round: $(cut -d, -f3 <<<"$row") req/s, p99 $(cut -d, -f6 <<<"$row") ms, server CPU $cpu_us µs/request, non-2xx $non2xx, socket errors $socket_errors" >&2
      if [ "$non2xx" != 0 ]; then
        echo "warning: $scenario/$target answered $non2xx requests with a non-2xx status (rate limit or error): see its log" >&2
      fi
    done
  done

  for target in "${targets[@]}"; do stop_pid "${PID_OF[$target]}"; done
  PIDS=()
  unset URL PID_OF
done

echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/run-info.txt"
python3 "$HERE/report.py" "$CSV" "$OUT/summary.json"
