#!/usr/bin/python3
"""Plots of a bitsys sweep's results (JSON Lines from `bitsys sweep` or `bitsys merge`):

  sweep_heatmap.png   best cycles over rows x cols, per workload and PE kind (best over the other parameters)
  sweep_speedup.png   speed-up over the int8 configuration with every other parameter equal, per PE kind
  sweep_pareto.png    cycles against PE count, every point and the Pareto front, per workload
  sweep_summary.csv   the Pareto-optimal points

usage: /usr/bin/python3 analysis/plot_sweep.py RESULTS.jsonl OUT_DIR
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if "error" in r:
                continue
            flat = {k: v for k, v in r.items() if k != "params"}
            flat.update({"param." + k: v for k, v in r["params"].items()})
            rows.append(flat)
    if not rows:
        sys.exit("plot_sweep: %s holds no successful point" % path)
    return pd.DataFrame(rows)


def heatmap(df, out):
    if "param.rows" not in df or "param.cols" not in df:
        return
    groups = list(df.groupby(["workload", "pe_kind"]))
    fig, axes = plt.subplots(1, len(groups), figsize=(4.2 * len(groups), 3.8), squeeze=False)
    for ax, ((workload, kind), g) in zip(axes[0], groups):
        best = g.groupby(["param.rows", "param.cols"])["cycles"].min().unstack()
        im = ax.imshow(np.log10(best.values.astype(float)), origin="lower", cmap="viridis", aspect="auto")
        ax.set_xticks(range(len(best.columns)))
        ax.set_xticklabels(best.columns)
        ax.set_yticks(range(len(best.index)))
        ax.set_yticklabels(best.index)
        ax.set_xlabel("cols")
        ax.set_ylabel("rows")
        ax.set_title("%s, %s PEs" % (workload, kind), fontsize=9)
        fig.colorbar(im, ax=ax, label="log10 best cycles")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep_heatmap.png"), dpi=110)
    plt.close(fig)


def speedup(df, out):
    if "param.pe.kind" not in df:
        return
    keys = ["workload"] + [c for c in df.columns if c.startswith("param.") and c != "param.pe.kind"]
    base = df[df["param.pe.kind"] == "int8"][keys + ["cycles"]].rename(columns={"cycles": "int8_cycles"})
    m = df.merge(base, on=keys)
    m["speedup"] = m["int8_cycles"] / m["cycles"]
    groups = [(k, g["speedup"].values) for k, g in m.groupby(["workload", "pe_kind"])]
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(groups)), 4))
    ax.boxplot([v for _, v in groups], labels=["%s\n%s" % k for k, _ in groups], showfliers=False)
    ax.axhline(1, color="black", linewidth=0.8)
    ax.set_ylabel("speed-up over the same configuration with int8 PEs")
    ax.set_title("Speed-up across the sweep")
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep_speedup.png"), dpi=110)
    plt.close(fig)


def pareto(df, out):
    fronts = []
    workloads = list(df["workload"].unique())
    fig, axes = plt.subplots(1, len(workloads), figsize=(5.5 * len(workloads), 4), squeeze=False)
    for ax, w in zip(axes[0], workloads):
        g = df[df["workload"] == w].sort_values(["pes", "cycles"])
        front, best = [], float("inf")
        for _, r in g.iterrows():
            if r["cycles"] < best:
                best = r["cycles"]
                front.append(r)
        f = pd.DataFrame(front)
        fronts.append(f)
        for kind, k in g.groupby("pe_kind"):
            ax.scatter(k["pes"], k["cycles"], s=3, alpha=0.3, label=kind)
        ax.plot(f["pes"], f["cycles"], color="black", marker="o", markersize=3, label="Pareto front")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("PEs (rows x cols)")
        ax.set_ylabel("cycles")
        ax.set_title(w)
        ax.legend(fontsize=7, markerscale=3)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "sweep_pareto.png"), dpi=110)
    plt.close(fig)
    pd.concat(fronts).drop(columns=[c for c in ("macs",) if c in fronts[0]]).to_csv(os.path.join(out, "sweep_summary.csv"), index=False)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    df = load(sys.argv[1])
    os.makedirs(sys.argv[2], exist_ok=True)
    heatmap(df, sys.argv[2])
    speedup(df, sys.argv[2])
    pareto(df, sys.argv[2])
    print("plot_sweep: %d points -> %s" % (len(df), sys.argv[2]))


if __name__ == "__main__":
    main()
