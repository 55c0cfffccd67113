#!/usr/bin/python3
"""Plots of a bitsys study (bitsys study writes study.json, then runs this):

  speedup_by_task.png   speed-up over each task's 8-bit baseline, per network and array
  csq_speedup.png       CSQ speed-up against average weight bits, per network and array
  layers_<case>.png     cycles per layer, stacked by kind of work: array, vector unit, stalls

usage: /usr/bin/python3 analysis/plot_study.py STUDY.json OUT_DIR
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"array": "#4C72B0", "vector": "#DD8452", "stall": "#C44E52"}


def speedup_by_task(cases, out):
    tasks = [t for t in dict.fromkeys(c["task"] for c in cases) if not t.startswith("CSQ")]
    groups = [(t, [c for c in cases if c["task"] == t and not c["baseline"]]) for t in tasks]
    width = max(len(g) for _, g in groups)
    fig, ax = plt.subplots(figsize=(12, 5))
    x = 0
    ticks, labels = [], []
    for task, group in groups:
        for i, c in enumerate(group):
            color = "#55A868" if c["arch"] == "binary" else "#8172B3"
            ax.bar(x + i, c["speedup"], color=color)
            ax.text(x + i, c["speedup"], "%.1f" % c["speedup"], ha="center", va="bottom", fontsize=7)
            ticks.append(x + i)
            labels.append("%s\n(%s)" % (c["label"], c["arch"]))
        x += width + 1
    ax.axhline(1, color="black", linewidth=0.8)
    ax.set_xticks(ticks)
    ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("speed-up over the task's 8-bit network (cycles)")
    ax.set_title("Speed-up per task (green: binary PEs, purple: bit-serial PEs)")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "speedup_by_task.png"), dpi=120)
    plt.close(fig)


def csq_speedup(cases, out):
    csq = [c for c in cases if c["avg_bits"] > 0]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key in dict.fromkeys((c["task"], c["arch"]) for c in csq):
        pts = sorted((c["avg_bits"], c["speedup"]) for c in csq if (c["task"], c["arch"]) == key)
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label="%s, %s PEs" % key)
    ax.set_xlabel("average weight bits (kept planes)")
    ax.set_ylabel("speed-up over the 8-bit network")
    ax.set_xticks([2, 3, 4])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title("CSQ mixed precision, 4-bit activations")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "csq_speedup.png"), dpi=120)
    plt.close(fig)


def layers(case, out):
    ls = case["layers"]
    fig, ax = plt.subplots(figsize=(min(30, max(6, 0.18 * len(ls))), 4))
    bottom = [0] * len(ls)
    for kind in ("array", "vector", "stall"):
        vals = [l[kind] for l in ls]
        ax.bar(range(len(ls)), vals, bottom=bottom, color=COLORS[kind], label=kind if kind != "vector" else "vector unit")
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(range(len(ls)))
    ax.set_xticklabels([l["name"] for l in ls], rotation=90, fontsize=5)
    ax.set_ylabel("cycles")
    ax.set_title("%s on the %s array: %d cycles" % (case["label"], case["arch"], case["total_cycles"]))
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, case["plot"]), dpi=100)
    plt.close(fig)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        study = json.load(f)
    out = sys.argv[2]
    cases = study["cases"]
    speedup_by_task(cases, out)
    csq_speedup(cases, out)
    for c in cases:
        layers(c, out)


if __name__ == "__main__":
    main()
