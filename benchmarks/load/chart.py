#!/usr/bin/env python3
"""Draws the load comparison as SVG bar charts, one per scenario, from run.sh's summary.json.

    python3 benchmarks/load/chart.py [benchmarks/load/results/summary.json] [docs/img] [--note TEXT]

Writes load-<scenario>.svg into the output folder: requests/s (median of the rounds, whiskers from the
slowest to the fastest round) on the left, p99 latency on the right, Rampart's bar highlighted, and the
ratio of Rampart to each other implementation printed beside its bar. Standard library only; the output
is deterministic for a given summary (no timestamps), so regenerated charts diff cleanly.
"""
import json
import os
import sys
from xml.sax.saxutils import escape

ORDER = ["rampart", "rampart-baseline", "fastendpoints", "minimal", "bare"]
COLORS = {"rampart": "#1f6feb", "rampart-baseline": "#9ecbff", "fastendpoints": "#8b949e", "minimal": "#6e7781", "bare": "#c9d1d9"}
WIDTH, ROW, TOP, LEFT, PANEL, GAP, RIGHT_PANEL = 1090, 44, 78, 230, 330, 190, 250


def nice_max(value):
    """A round axis maximum at or above value (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def fmt(value, unit):
    return f"{value / 1000:.1f}k" if unit == "rps" and value >= 1000 else (f"{value:.0f}" if unit == "rps" else f"{value:.1f} ms")


def panel(x0, size, title, targets, key, low, high, unit, rampart_value):
    parts = [f'<text x="{x0}" y="{TOP - 30}" class="h">{escape(title)}</text>']
    maximum = nice_max(max(max(t.get(high, t[key]) for _, t in targets), 1e-9))
    for i in range(5):
        value = maximum * i / 4
        x = x0 + size * i / 4
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 12}" x2="{x:.1f}" y2="{TOP + ROW * len(targets) - 8}" class="grid"/>')
        parts.append(f'<text x="{x:.1f}" y="{TOP + ROW * len(targets) + 8}" class="tick">{fmt(value, unit)}</text>')
    for row, (name, t) in enumerate(targets):
        y = TOP + row * ROW
        width = size * t[key] / maximum
        parts.append(f'<rect x="{x0}" y="{y - 10}" width="{width:.1f}" height="24" fill="{COLORS.get(name, "#999")}" rx="2"/>')
        if low in t and high in t:
            a, b = x0 + size * t[low] / maximum, x0 + size * t[high] / maximum
            parts.append(f'<line x1="{a:.1f}" y1="{y + 2}" x2="{b:.1f}" y2="{y + 2}" class="whisker"/>')
        label = fmt(t[key], unit)
        if unit == "rps" and name != "rampart" and rampart_value:
            label += f"   (Rampart {rampart_value / t[key]:.2f}x)"
        parts.append(f'<text x="{x0 + width + 6:.1f}" y="{y + 7}" class="v">{escape(label)}</text>')
    return parts


def chart(name, scenario, note):
    targets = [(n, scenario["targets"][n]) for n in ORDER if n in scenario["targets"]]
    rampart = scenario["targets"].get("rampart", {}).get("rps_median")
    height = TOP + ROW * len(targets) + 56
    rounds = max(t["rounds"] for _, t in targets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="Helvetica, Arial, sans-serif" role="img" aria-label="{escape(scenario["title"])}">',
        "<style>.t{font-size:17px;font-weight:bold}.h{font-size:13px;font-weight:bold;fill:#24292f}"
        ".n{font-size:13px;fill:#24292f;text-anchor:end}.v{font-size:12px;fill:#24292f}"
        ".tick{font-size:11px;fill:#57606a;text-anchor:middle}.grid{stroke:#d0d7de;stroke-width:1}"
        ".whisker{stroke:#24292f;stroke-width:1.5}.note{font-size:11px;fill:#57606a}</style>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="16" y="26" class="t">{escape(scenario["title"])}</text>',
    ]
    for row, (_, t) in enumerate(targets):
        parts.append(f'<text x="{LEFT - 12}" y="{TOP + row * ROW + 7}" class="n">{escape(t["label"])}</text>')
    parts += panel(LEFT, PANEL, "requests/s (median, whiskers: slowest–fastest round) — higher is better",
                   targets, "rps_median", "rps_min", "rps_max", "rps", rampart)
    parts += panel(LEFT + PANEL + GAP, RIGHT_PANEL, "p99 latency (median) — lower is better",
                   targets, "p99_ms_median", "", "", "ms", None)
    caption = f"wrk on 127.0.0.1, {rounds} interleaved round(s) per implementation"
    if note:
        caption += " — " + note
    parts.append(f'<text x="16" y="{height - 12}" class="note">{escape(caption)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    args = [a for a in sys.argv[1:]]
    note = ""
    if "--note" in args:
        i = args.index("--note")
        note = args[i + 1]
        del args[i:i + 2]
    here = os.path.dirname(os.path.abspath(__file__))
    source = args[0] if args else os.path.join(here, "results", "summary.json")
    out = os.path.normpath(args[1] if len(args) > 1 else os.path.join(here, "..", "..", "docs", "img"))
    with open(source) as f:
        summary = json.load(f)
    os.makedirs(out, exist_ok=True)
    for name, scenario in summary.items():
        path = os.path.join(out, f"load-{name}.svg")
        with open(path, "w") as f:
            f.write(chart(name, scenario, note))
        print(path)


if __name__ == "__main__":
    main()
