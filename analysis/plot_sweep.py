#!/usr/bin/python3
"""Plots of a bitsys sweep's results (JSON Lines from `bitsys sweep` or `bitsys merge`). Every figure is
written as PNG and as SVG with the same base name:

  sweep_heatmap.png   best cycles over rows x cols, per workload and PE kind (best over the other
                      parameters); blank cells are explained: hatched = every point there failed
                      (e.g. a tile never fits), white = not in the sweep
  sweep_speedup.png   speed-up over the int8 configuration with every other parameter equal, per
                      workload and PE kind
  sweep_pareto.png    cycles against PE count, every point and the Pareto front, per workload
  sweep_pareto_area.png    cycles against silicon area (area_mm2), every point and the Pareto front
  sweep_pareto_energy.png  energy per inference against cycles, every point and the Pareto front
  sweep_cost_summary.csv   per workload: the points of both cost Pareto fronts and the ten lowest-EDP points
  sweep_summary.csv   the Pareto-optimal points

usage: /usr/bin/python3 analysis/plot_sweep.py RESULTS.jsonl OUT_DIR
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_style import InputError, kind_color, run, save  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

FAILED_HATCH = "xxx"


def fmt_num(v, _pos=None):
    v = float(v)
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return ("%.3g" % (v / div)) + suf
    return "%.3g" % v


def sort_key(v):
    try:
        return (0, float(v), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(v))


def load(path):
    """-> (successful points, failed points) as DataFrames with params flattened to param.<name>."""
    rows, errors = [], []
    try:
        f = open(path)
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror or e))
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except ValueError as e:
                    raise InputError("%s:%d: not a JSON line (%s)" % (path, n, e))
                if not isinstance(r, dict) or not isinstance(r.get("params", {}), dict):
                    raise InputError("%s:%d: not a sweep result (an object with \"params\")" % (path, n))
                flat = {k: v for k, v in r.items() if k != "params"}
                flat.update({"param." + k: v for k, v in r.get("params", {}).items()})
                if "error" in r:
                    errors.append(flat)
                    continue
                for k in ("workload", "cycles", "pes"):
                    if k not in r:
                        raise InputError("%s:%d: a result without \"%s\"" % (path, n, k))
                if "pe_kind" not in flat:
                    flat["pe_kind"] = flat.get("param.pe.kind", "?")
                rows.append(flat)
        except UnicodeDecodeError as e:
            raise InputError("%s: not text (%s)" % (path, e))
    if not rows:
        raise InputError("%s: holds no successful point (%d failed)" % (path, len(errors)))
    df = pd.DataFrame(rows)
    for k in ("cycles", "pes"):
        df[k] = pd.to_numeric(df[k], errors="coerce")
    bad = df["cycles"].isna() | df["pes"].isna()
    if bad.any():
        raise InputError("%s: %d result(s) with a non-numeric \"cycles\" or \"pes\"" % (path, int(bad.sum())))
    return df, pd.DataFrame(errors)


def log_ticks(lo, hi):
    """1-2-5 ticks between lo and hi (at least the two ends)."""
    t = []
    for e in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1):
        t += [m * 10.0 ** e for m in (1, 2, 5) if lo <= m * 10.0 ** e <= hi]
    if len(t) > 7:
        t = [v for v in t if str(v).startswith("1")] or t
    if len(t) < 3:
        t = sorted(set(t + [lo, hi]))
    return t


def note_figure(out, name, text):
    """A figure that says why there is nothing to draw (so links to it still work)."""
    fig, ax = plt.subplots(figsize=(6, 2))
    ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True)
    ax.set_axis_off()
    save(fig, out, name)


# ---------------------------------------------------------------- heatmap


def heatmap(df, err, out):
    if "param.rows" not in df or "param.cols" not in df:
        note_figure(out, "sweep_heatmap.png", "rows and cols are not both swept: no rows x cols heatmap")
        return
    ok = df.dropna(subset=["param.rows", "param.cols"])
    er = err.dropna(subset=["param.rows", "param.cols"]) if len(err) and "param.rows" in err and "param.cols" in err else pd.DataFrame()
    rows_v = sorted(set(ok["param.rows"]) | set(er["param.rows"] if len(er) else []), key=sort_key)
    cols_v = sorted(set(ok["param.cols"]) | set(er["param.cols"] if len(er) else []), key=sort_key)
    workloads = list(dict.fromkeys(ok["workload"]))
    kinds = list(dict.fromkeys(ok["pe_kind"]))
    single_kind = {w: (list(dict.fromkeys(ok[ok["workload"] == w]["pe_kind"])) + [None])[0] for w in workloads}
    if len(er):
        if "param.pe.kind" in er:
            er = er.assign(kind=er["param.pe.kind"])
        else:
            er = er.assign(kind=None)
        # a failed point without pe.kind belongs to the workload's only PE kind (pe.kind not swept)
        er["kind"] = [k if isinstance(k, str) else (single_kind.get(w) if len(set(ok[ok["workload"] == w]["pe_kind"])) == 1 else None)
                      for k, w in zip(er["kind"], er.get("workload", pd.Series([None] * len(er))))]

    best = ok.groupby(["workload", "pe_kind", "param.rows", "param.cols"])["cycles"].min()
    cells = {}
    for (w, k, r, c), v in best.items():
        cells.setdefault((w, k), {})[(r, c)] = v
    vmin, vmax = float(best.min()), float(best.max())
    norm = LogNorm(vmin=vmin, vmax=vmax if vmax > vmin else vmin * 1.01)
    cmap = plt.get_cmap("viridis")
    nr, nc = len(workloads), len(kinds)
    cell_w, cell_h = 0.48, 0.42
    pw = max(2.6, cell_w * len(cols_v) + 1.0)
    ph = max(2.2, cell_h * len(rows_v) + 1.0)
    fig, axes = plt.subplots(nr, nc, figsize=(pw * nc + 1.4, ph * nr + 1.3), squeeze=False)
    annotate = len(rows_v) * len(cols_v) <= 100
    seen_failed = seen_absent = seen_partial = False
    im = None
    for i, w in enumerate(workloads):
        for j, k in enumerate(kinds):
            ax = axes[i][j]
            grid = np.full((len(rows_v), len(cols_v)), np.nan)
            for (r, c), v in cells.get((w, k), {}).items():
                grid[rows_v.index(r), cols_v.index(c)] = v
            failed, partial = set(), set()
            if len(er):
                e = er[(er["workload"] == w) & (er["kind"].isna() | (er["kind"] == k))]
                for r, c in set(zip(e["param.rows"], e["param.cols"])):
                    (partial if not np.isnan(grid[rows_v.index(r), cols_v.index(c)]) else failed).add((rows_v.index(r), cols_v.index(c)))
            ax.set_facecolor("white")
            im = ax.imshow(np.ma.masked_invalid(grid), origin="lower", cmap=cmap, norm=norm, aspect="auto")
            for (y, x) in failed:
                ax.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor="#F4F4F4", edgecolor="#666666", hatch=FAILED_HATCH, lw=0))
            seen_failed |= bool(failed)
            seen_partial |= bool(partial)
            absent = np.isnan(grid).sum() - len(failed)
            seen_absent |= absent > 0
            if annotate:
                for y in range(len(rows_v)):
                    for x in range(len(cols_v)):
                        v = grid[y, x]
                        if np.isnan(v):
                            continue
                        col = "white" if norm(v) < 0.6 else "black"
                        ax.text(x, y, fmt_num(v) + ("*" if (y, x) in partial else ""), ha="center", va="center", fontsize=7, color=col)
            ax.set_xticks(range(len(cols_v)))
            ax.set_xticklabels([fmt_num(c) for c in cols_v])
            ax.set_yticks(range(len(rows_v)))
            ax.set_yticklabels([fmt_num(r) for r in rows_v])
            ax.set_xticks(np.arange(-0.5, len(cols_v)), minor=True)
            ax.set_yticks(np.arange(-0.5, len(rows_v)), minor=True)
            ax.grid(which="minor", color="#DDDDDD", lw=0.5)
            ax.tick_params(which="minor", length=0)
            ax.set_xlabel("array columns (PEs)")
            ax.set_ylabel("array rows (PEs)" if j == 0 else "")
            ax.set_title("%s, %s PEs" % (w, k))
    fig.suptitle("Best cycles per array shape (best over every other swept parameter)", y=1 - 0.1 / fig.get_figheight(), va="top")
    handles = []
    if seen_absent:
        handles.append(Patch(facecolor="white", edgecolor="#999999", label="blank: not in the sweep (not a swept value, or excluded by a constraint)"))
    if seen_failed:
        handles.append(Patch(facecolor="#F4F4F4", edgecolor="#666666", hatch=FAILED_HATCH,
                             label="hatched: no valid configuration (every point failed, e.g. a tile never fits)"))
    if seen_partial and annotate:
        handles.append(Line2D([], [], ls="none", label="*: some configurations at this shape failed; best of the rest"))
    bottom = 0.0
    if handles:
        bottom = (0.12 + 0.2 * len(handles)) / fig.get_figheight()
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=1, frameon=False, fontsize=8.5)
    fig.tight_layout(rect=(0, bottom, 0.9, 1 - 0.3 / fig.get_figheight()))
    boxes = [a.get_position() for a in axes.ravel()]
    y0, y1 = min(b.y0 for b in boxes), max(b.y1 for b in boxes)
    x1 = max(b.x1 for b in boxes)
    cax = fig.add_axes([x1 + 0.25 / fig.get_figwidth(), y0, 0.16 / fig.get_figwidth(), y1 - y0])
    cb = fig.colorbar(im, cax=cax)
    cb.set_label("best cycles (log scale)")
    cb.set_ticks(log_ticks(norm.vmin, norm.vmax))
    cb.ax.yaxis.set_major_formatter(FuncFormatter(fmt_num))
    cb.ax.yaxis.set_minor_formatter(NullFormatter())
    save(fig, out, "sweep_heatmap.png")


# ---------------------------------------------------------------- speed-up


def speedup(df, out):
    if "param.pe.kind" not in df or "int8" not in set(df["param.pe.kind"]):
        note_figure(out, "sweep_speedup.png", "no int8 points in this sweep: no speed-up over int8")
        return
    keys = ["workload"] + [c for c in df.columns if c.startswith("param.") and c != "param.pe.kind"]
    base = df[df["param.pe.kind"] == "int8"][keys + ["cycles"]].rename(columns={"cycles": "int8_cycles"})
    m = df[df["param.pe.kind"] != "int8"].merge(base, on=keys)
    m["speedup"] = m["int8_cycles"] / m["cycles"]
    if m.empty:
        note_figure(out, "sweep_speedup.png", "no point has an int8 twin with every other parameter equal")
        return
    workloads = list(dict.fromkeys(m["workload"]))
    kinds = list(dict.fromkeys(m["pe_kind"]))
    fig, ax = plt.subplots(figsize=(max(5.5, 1.1 * len(workloads) * len(kinds) + 2.2), 4.6))
    pos, ticks = 0.0, []
    rng = np.random.default_rng(0)
    dots = False
    for w in workloads:
        start = pos
        for k in kinds:
            v = m[(m["workload"] == w) & (m["pe_kind"] == k)]["speedup"].values
            if len(v):
                bp = ax.boxplot([v], positions=[pos], widths=0.65, showfliers=False, patch_artist=True,
                                medianprops={"color": "black", "lw": 1.4}, whiskerprops={"lw": 1}, capprops={"lw": 1})
                bp["boxes"][0].set(facecolor=kind_color(k), alpha=0.85, edgecolor="black", lw=0.8)
                if len(v) <= 400:
                    dots = True
                    ax.scatter(pos + rng.uniform(-0.22, 0.22, len(v)), v, s=6, color="black", alpha=0.35, lw=0, zorder=3)
                top = np.max(v) if len(v) <= 400 else bp["caps"][1].get_ydata()[0]
                ax.text(pos, top * 1.015 + 0.01, "median %.2f×\n(n=%d)" % (np.median(v), len(v)), ha="center", va="bottom", fontsize=7.5)
            pos += 1
        ticks.append(((start + pos - 1) / 2, w))
        pos += 0.6
    ax.axhline(1, color="black", lw=0.8, ls="--")
    ax.set_xticks([t for t, _ in ticks])
    ax.set_xticklabels([w for _, w in ticks])
    ax.set_xlim(-0.7, pos - 0.9)
    lo, hi = ax.get_ylim()
    ax.set_ylim(min(0, lo), hi + (hi - min(0, lo)) * 0.12)
    ax.set_ylabel("speed-up over int8 PEs (×)\n(every other parameter equal)")
    ax.set_xlabel("workload")
    ax.set_title("Speed-up over the same configuration with int8 PEs")
    ax.grid(axis="y", alpha=0.3)
    handles = [Patch(facecolor=kind_color(k), edgecolor="black", label="%s PEs" % k) for k in kinds]
    handles.append(Line2D([], [], color="black", ls="--", lw=0.8, label="1× (as fast as int8)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8.5)
    fig.text(0.99, 0.01, "boxes: quartiles and median; whiskers: 1.5 IQR" + ("; dots: points" if dots else ""), ha="right", va="bottom",
             fontsize=7, color="#444444")
    fig.tight_layout()
    save(fig, out, "sweep_speedup.png")


# ---------------------------------------------------------------- Pareto


def pareto(df, out):
    fronts = []
    workloads = list(dict.fromkeys(df["workload"]))
    kinds = list(dict.fromkeys(df["pe_kind"]))
    fig, axes = plt.subplots(1, len(workloads), figsize=(5.4 * len(workloads), 4.4), squeeze=False)
    for ax, w in zip(axes[0], workloads):
        g = df[df["workload"] == w].sort_values(["pes", "cycles"])
        front, best = [], float("inf")
        for _, r in g.iterrows():
            if r["cycles"] < best:
                best = r["cycles"]
                front.append(r)
        f = pd.DataFrame(front)
        fronts.append(f)
        handles = []
        xs = sorted(set(g["pes"]))
        dodge = len(xs) <= 20 and len(kinds) > 1  # discrete PE counts: set the kinds side by side
        present = [kd for kd in kinds if (g["pe_kind"] == kd).any()]
        for kind in kinds:
            k = g[g["pe_kind"] == kind]
            if len(k):
                shift = 2 ** (0.09 * (present.index(kind) - (len(present) - 1) / 2)) if dodge else 1
                ax.scatter(k["pes"] * shift, k["cycles"], s=10 if len(g) < 5000 else 2, alpha=0.6 if len(g) < 5000 else 0.15, color=kind_color(kind),
                           lw=0, rasterized=True)
                handles.append(Line2D([], [], ls="none", marker="o", markersize=5, color=kind_color(kind),
                                      label="%s PEs (%d points)" % (kind, len(k))))
        ax.step(f["pes"], f["cycles"], where="post", color="black", lw=1.2, zorder=3)
        ax.scatter(f["pes"], f["cycles"], s=28, c=[kind_color(k) for k in f["pe_kind"]], edgecolors="black", lw=0.8, zorder=4)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        if len(xs) <= 14:
            ax.set_xticks(xs)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: "%d" % v if v >= 1 else "%g" % v))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(FuncFormatter(fmt_num))
        ax.tick_params(axis="x", labelrotation=45 if len(xs) > 8 else 0)
        ax.set_xlabel("processing elements (rows × cols, log scale)" + ("\npoints of each PE kind set side by side" if dodge else ""))
        ax.set_ylabel("cycles (log scale)")
        ax.set_title(w)
        ax.grid(alpha=0.3, which="major")
        handles.append(Line2D([], [], color="black", marker="o", markerfacecolor="white", markersize=6,
                              label="Pareto front (%d points; fill: PE kind)" % len(f)))
        ax.legend(handles=handles, fontsize=7.5, loc="upper right", framealpha=0.9)
    fig.suptitle("Cycles against array size: every point and the Pareto front", y=1 - 0.08 / fig.get_figheight(), va="top", fontsize=11)
    fig.tight_layout()
    save(fig, out, "sweep_pareto.png")
    pd.concat(fronts).drop(columns=[c for c in ("macs",) if c in fronts[0]]).to_csv(os.path.join(out, "sweep_summary.csv"), index=False)


# ---------------------------------------------------------------- cost Pareto fronts


def front_2d(g, x, y):
    """The points no other point beats on both x and y (both minimized), by increasing x."""
    front, best = [], float("inf")
    for _, r in g.sort_values([x, y]).iterrows():
        if r[y] < best:
            best = r[y]
            front.append(r)
    return pd.DataFrame(front)


def cost_pareto(df, out, x, y, xlabel, ylabel, name, title):
    """Draws the front of (x, y); returns its points (None when the results carry no cost)."""
    if x not in df.columns or y not in df.columns or df[x].isna().all() or df[y].isna().all():
        note_figure(out, name, "these results carry no %s / %s\n(a sweep made before bitsys priced energy and area)" % (x, y))
        return None
    fronts = []
    workloads = list(dict.fromkeys(df["workload"]))
    kinds = list(dict.fromkeys(df["pe_kind"]))
    fig, axes = plt.subplots(1, len(workloads), figsize=(5.4 * len(workloads), 4.4), squeeze=False)
    for ax, w in zip(axes[0], workloads):
        g = df[(df["workload"] == w) & df[x].notna() & df[y].notna()]
        f = front_2d(g, x, y)
        fronts.append(f)
        handles = []
        for kind in kinds:
            k = g[g["pe_kind"] == kind]
            if len(k):
                ax.scatter(k[x], k[y], s=10 if len(g) < 5000 else 2, alpha=0.6 if len(g) < 5000 else 0.15,
                           color=kind_color(kind), lw=0, rasterized=True)
                handles.append(Line2D([], [], ls="none", marker="o", markersize=5, color=kind_color(kind),
                                      label="%s PEs (%d points)" % (kind, len(k))))
        ax.step(f[x], f[y], where="post", color="black", lw=1.2, zorder=3)
        ax.scatter(f[x], f[y], s=28, c=[kind_color(k) for k in f["pe_kind"]], edgecolors="black", lw=0.8, zorder=4)
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis, v in ((ax.xaxis, g[x]), (ax.yaxis, g[y])):
            axis.set_ticks(log_ticks(float(v.min()), float(v.max())))  # 1-2-5 ticks, labelled even within a decade
            axis.set_major_formatter(FuncFormatter(fmt_num))
            axis.set_minor_formatter(NullFormatter())
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(w)
        ax.grid(alpha=0.3, which="major")
        handles.append(Line2D([], [], color="black", marker="o", markerfacecolor="white", markersize=6,
                              label="Pareto front (%d points; fill: PE kind)" % len(f)))
        ax.legend(handles=handles, fontsize=7.5, loc="upper right", framealpha=0.9)
    fig.suptitle(title, y=1 - 0.08 / fig.get_figheight(), va="top", fontsize=11)
    fig.tight_layout()
    save(fig, out, name)
    return pd.concat(fronts)


def cost_summary(df, area_front, energy_front, out):
    """One CSV ranking by cost: each front's points, then the ten lowest-EDP points per workload."""
    if area_front is None or energy_front is None or "edp_js" not in df.columns:
        return
    parts = [area_front.assign(rank_by="pareto cycles-area"), energy_front.assign(rank_by="pareto energy-cycles")]
    for w in dict.fromkeys(df["workload"]):
        parts.append(df[df["workload"] == w].nsmallest(10, "edp_js").assign(rank_by="lowest EDP"))
    cols = ["rank_by", "workload", "pe_kind", "pes", "cycles", "area_mm2", "energy_per_inference_j", "power_w", "edp_js"]
    t = pd.concat(parts)
    t[[c for c in cols if c in t.columns] + sorted(c for c in t.columns if c.startswith("param."))].to_csv(
        os.path.join(out, "sweep_cost_summary.csv"), index=False)


def draw(loaded, out):
    df, err = loaded
    heatmap(df, err, out)
    speedup(df, out)
    pareto(df, out)
    area_front = cost_pareto(df, out, "area_mm2", "cycles", "silicon area, mm² (log scale; technology: %s)" % ", ".join(
        sorted(set(str(t) for t in df.get("tech", pd.Series(["?"])).dropna()))), "cycles (log scale)",
                "sweep_pareto_area.png", "Cycles against silicon area: every point and the Pareto front")
    if "energy_per_inference_j" in df.columns:
        df = df.assign(energy_per_inference_mj=df["energy_per_inference_j"] * 1e3)
    energy_front = cost_pareto(df, out, "cycles", "energy_per_inference_mj", "cycles (log scale)",
                               "energy per inference, mJ (log scale)", "sweep_pareto_energy.png",
                               "Energy against cycles: every point and the Pareto front")
    cost_summary(df, area_front, energy_front, out)
    print("plot_sweep: %d points (%d failed) -> %s" % (len(df), len(err), out))


if __name__ == "__main__":
    run("plot_sweep", __doc__, load, draw)
