#!/usr/bin/env python3
"""Summarises benchmarks/load results: medians per scenario and target, ratios, a printed table.

    python3 benchmarks/load/report.py results.csv summary.json

Standard library only. The ratios the issue's targets are stated in are computed from the medians of
the interleaved rounds: Rampart over each peer in requests/s, and Rampart over the bare endpoint.
"""
import csv
import json
import statistics
import sys

LABELS = {
    "rampart": "Rampart",
    "fastendpoints": "FastEndpoints 8.3.0",
    "minimal": "minimal API (hand-written)",
    "bare": "bare endpoint (no security)",
    "rampart-baseline": "Rampart at the --baseline commit",
}
SCENARIOS = {
    "fe": "FastEndpoints scenario: POST /benchmark/ok/{id}",
    "orders": "secured create order: POST /api/v1/orders",
}


def summarise(rows):
    summary = {}
    for row in rows:
        scenario = summary.setdefault(row["scenario"], {})
        target = scenario.setdefault(row["target"], {"rps": [], "p99_ms": [], "cpu_us": [], "non2xx": 0, "socket_errors": 0})
        target["rps"].append(float(row["rps"]))
        target["p99_ms"].append(float(row["p99_ms"]))
        if row.get("server_cpu_us_per_request"):
            target["cpu_us"].append(float(row["server_cpu_us_per_request"]))
        target["non2xx"] += int(row["non2xx"])
        target["socket_errors"] += int(row["socket_errors"])
    result = {}
    for name, targets in summary.items():
        entries = {}
        for target, values in targets.items():
            entries[target] = {
                "label": LABELS.get(target, target),
                "rounds": len(values["rps"]),
                "rps_median": statistics.median(values["rps"]),
                "rps_min": min(values["rps"]),
                "rps_max": max(values["rps"]),
                "p99_ms_median": statistics.median(values["p99_ms"]),
                "server_cpu_us_per_request_median": statistics.median(values["cpu_us"]) if values["cpu_us"] else None,
                "non2xx": values["non2xx"],
                "socket_errors": values["socket_errors"],
            }
        ratios, cpu_ratios = {}, {}
        if "rampart" in entries:
            mine = entries["rampart"]
            for other, theirs in entries.items():
                if other != "rampart":
                    ratios["rampart/" + other] = mine["rps_median"] / theirs["rps_median"]
                    if mine["server_cpu_us_per_request_median"] and theirs["server_cpu_us_per_request_median"]:
                        cpu_ratios["rampart/" + other] = mine["server_cpu_us_per_request_median"] / theirs["server_cpu_us_per_request_median"]
        result[name] = {"title": SCENARIOS.get(name, name), "targets": entries, "rps_ratios": ratios,
                        "server_cpu_ratios": cpu_ratios}
    return result


def print_table(result):
    for name, scenario in result.items():
        print()
        print(f"## {scenario['title']}")
        print()
        print("| implementation | requests/s (median) | min – max | p99 ms (median) | Rampart ÷ this (req/s) "
              "| server CPU µs/request (median) | non-2xx |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        targets = scenario["targets"]
        rampart = targets.get("rampart", {}).get("rps_median")
        for target, t in sorted(targets.items(), key=lambda kv: -kv[1]["rps_median"]):
            versus = f"{rampart / t['rps_median']:.2f}x" if rampart and target != "rampart" else "—"
            cpu = t.get("server_cpu_us_per_request_median")
            cpu_text = f"{cpu:.1f}" if cpu else "—"
            print(f"| {t['label']} | {t['rps_median']:,.0f} | {t['rps_min']:,.0f} – {t['rps_max']:,.0f} | "
                  f"{t['p99_ms_median']:.2f} | {versus} | {cpu_text} | {t['non2xx']} |")
        print()
        for key, value in scenario["rps_ratios"].items():
            print(f"- requests/s {key}: {value:.2f}x")
        for key, value in scenario.get("server_cpu_ratios", {}).items():
            print(f"- server CPU per request {key}: {value:.2f}x (lower is cheaper)")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit("no results in " + sys.argv[1])
    result = summarise(rows)
    with open(sys.argv[2], "w") as f:
        json.dump(result, f, indent=2)
    print_table(result)


if __name__ == "__main__":
    main()
