#!/usr/bin/python3
"""Plots of a bitsys study (bitsys study writes study.json, then runs this). Every figure is written
as PNG and as SVG with the same base name:

  speedup_by_task.png   speed-up over each task's baseline network, bars grouped by task, with the
                        paper's claimed value (marker) or range (band) beside the bar it is about
  csq_speedup.png       CSQ speed-up against average weight bits, per network and array
  study_tornado.png     sensitivity: each assumption's low/high effect on each claim's cycle ratio,
                        around bitsys's value, with the paper's value or range marked
  energy_breakdown.png  every case's energy per inference split by component (PE compute, array
                        registers and clock, SRAM, DRAM, vector unit, leakage), with its total
  layers_<case>.png     cycles per layer (or per stage, or the top layers plus the rest, for deep
                        networks), stacked by kind of work: array, vector unit, stalls; the task's
                        baseline network is overlaid where layer names match

usage: /usr/bin/python3 analysis/plot_study.py STUDY.json OUT_DIR
"""
import json
import multiprocessing
import os
import re
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from plot_style import InputError, kind_color, run, save  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

KINDS = (("array", "array", "#56B4E9", None), ("vector", "vector unit", "#009E73", None), ("stall", "stalls", "#D55E00", "///"))
LOW, HIGH, OTHER = "#0072B2", "#D55E00", "#009E73"
PAPER = "#000000"
BAND = "#BBBBBB"
GHOST, GHOST_EDGE = "#EBEBEB", "#555555"

MAX_ROWS = 40  # per-layer plots: more layers than this are aggregated
TOP_N = 30  # layers shown when aggregating by stage is not possible


def num(v, default=0.0):
    try:
        return float(v)
    except (TypeError, ValueError):
        return default


def fmt_cycles(v, _pos=None):
    v = float(v)
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            s = "%.3g" % (v / div)
            return s + suf
    return "%.0f" % v


def fmt_x(v):
    return ("%.2g" % v if v < 10 else "%.3g" % v) + "×"


def wrap(s, width):
    return "\n".join(textwrap.wrap(s, width, break_on_hyphens=False)) or s


def baselines(cases):
    """task -> its baseline case (the first case flagged baseline)."""
    b = {}
    for c in cases:
        if c.get("baseline") and c.get("task") not in b:
            b[c.get("task")] = c
    return b


def paper_range(cl):
    lo, hi = cl.get("paper_low"), cl.get("paper_high")
    if lo is None and hi is None:
        return None
    lo = num(lo if lo is not None else hi, None)
    hi = num(hi if hi is not None else lo, None)
    if lo is None or hi is None:
        return None
    return min(lo, hi), max(lo, hi)


def tolerance(cl):
    """The claim's agreement tolerance as a fraction, when study.json gives one."""
    t = cl.get("tolerance")
    if t is None:
        return None
    t = num(t, None)
    if t is None or t <= 0:
        return None
    return t / 100 if t >= 1 else t


def paper_text(r):
    lo, hi = r
    return "paper " + (fmt_x(lo) if lo == hi else "%s–%s" % (("%.2g" % lo), fmt_x(hi)))


# ---------------------------------------------------------------- speed-up per task


def speedup_by_task(cases, claims, out):
    base = baselines(cases)
    by_key = {c.get("key"): c for c in cases}
    tasks = [t for t in dict.fromkeys(c.get("task") for c in cases) if t is not None and not str(t).startswith("CSQ")]
    # claims drawn here: the faster network against its task's baseline
    claim_of = {}
    other_claims = 0
    for cl in claims:
        f, s = by_key.get(cl.get("faster")), by_key.get(cl.get("slower"))
        r = paper_range(cl)
        if f is None or s is None or r is None:
            continue
        if s.get("baseline") and s.get("task") == f.get("task") and f.get("task") in tasks:
            claim_of.setdefault(f.get("key"), []).append(cl)
        else:
            other_claims += 1

    slot, gap_net, gap_task, pslot = 0.8, 0.5, 1.2, 0.45
    x = 0.0
    bars, paper_items, net_ticks, task_spans = [], [], [], []
    archs_used = []
    for t in tasks:
        group = [c for c in cases if c.get("task") == t and not c.get("baseline")]
        if not group:
            continue
        start = x
        for label in dict.fromkeys(c.get("label", c.get("key")) for c in group):
            nstart = x
            for c in [c for c in group if c.get("label", c.get("key")) == label]:
                bars.append((x + slot / 2, num(c.get("speedup")), c.get("arch", "?")))
                if c.get("arch") not in archs_used:
                    archs_used.append(c.get("arch"))
                x += slot
                for cl in claim_of.get(c.get("key"), []):
                    paper_items.append((x + pslot / 2, paper_range(cl), tolerance(cl)))
                    x += pslot
            net_ticks.append(((nstart + x) / 2, label))
            x += gap_net
        x -= gap_net
        b = base.get(t)
        task_spans.append((start, x, t, b.get("label") if b else None))
        x += gap_task
    if not bars:
        return []

    width = max(7.0, 0.55 * len(bars) + 0.3 * len(paper_items) + 0.3 * len(net_ticks) + 1.5)
    fig, ax = plt.subplots(figsize=(min(width, 13), 5.2))
    top = max([b[1] for b in bars] + [r[1] * (1 + (tl or 0)) for _, r, tl in paper_items] + [1.0])
    for i, (s, e, t, bl) in enumerate(task_spans):
        if i % 2 == 0:
            ax.axvspan(s - gap_task / 2, e + gap_task / 2, color="#F2F2F2", zorder=0, lw=0)
        tr = ax.get_xaxis_transform()
        ax.text((s + e) / 2, 0.985, wrap(t, 22), ha="center", va="top", fontsize=10, fontweight="bold", transform=tr)
        if bl:
            ax.text((s + e) / 2, 0.985 - 0.06 * (1 + wrap(t, 22).count("\n")), wrap("vs " + bl, 24), ha="center", va="top",
                    fontsize=8, color="#444444", transform=tr)
        if i:
            ax.axvline(s - gap_task / 2, color="#777777", lw=0.8, ls=":", zorder=1)
    for xc, v, arch in bars:
        ax.bar(xc, v, width=slot * 0.92, color=kind_color(arch), zorder=2)
        ax.text(xc, v + top * 0.01, "%.1f" % v, ha="center", va="bottom", fontsize=8, zorder=3)
    for xc, (lo, hi), tl in paper_items:
        if tl:
            ax.bar(xc, hi * (1 + tl) - lo * (1 - tl), bottom=lo * (1 - tl), width=pslot * 0.8, color="none", edgecolor="#777777",
                   hatch="....", lw=0.6, zorder=2)
        if hi > lo:
            ax.bar(xc, hi - lo, bottom=lo, width=pslot * 0.8, color=BAND, lw=0, zorder=3)
            ax.plot([xc, xc], [lo, hi], color=PAPER, lw=1.2, zorder=4)
            ax.plot([xc - pslot * 0.3, xc + pslot * 0.3], [lo, lo], color=PAPER, lw=1.2, zorder=4)
            ax.plot([xc - pslot * 0.3, xc + pslot * 0.3], [hi, hi], color=PAPER, lw=1.2, zorder=4)
            lab = "%.2g–%.2g" % (lo, hi)
        else:
            ax.plot(xc, lo, marker="D", color=PAPER, markersize=6, zorder=4)
            lab = "%.2g" % lo
        ax.text(xc, hi * (1 + (tl or 0)) + top * (0.012 if hi > lo else 0.03), lab, ha="center", va="bottom", fontsize=7, style="italic", zorder=4)
    ax.axhline(1, color="black", lw=0.9, zorder=1)
    ax.set_ylim(0, top * 1.24)
    ax.set_xlim(-gap_task / 2 - 0.1, x - gap_task / 2 + 0.1)
    ax.set_xticks([t for t, _ in net_ticks])
    ax.set_xticklabels([wrap(l, 13) for _, l in net_ticks], fontsize=8)
    ax.tick_params(axis="x", length=0)
    ax.set_ylabel("speed-up over the task's baseline\n(cycle ratio, ×)")
    ax.set_title("Speed-up over each task's baseline network", pad=8)
    handles = [Patch(color=kind_color(a), label="bitsys, %s PEs" % a) for a in archs_used]
    if any(r[0] < r[1] for _, r, _ in paper_items):
        handles.append(Patch(facecolor=BAND, label="paper's claimed range"))
    if any(r[0] == r[1] for _, r, _ in paper_items):
        handles.append(Line2D([], [], marker="D", color=PAPER, ls="none", label="paper's claimed value"))
    if any(tl for _, _, tl in paper_items):
        handles.append(Patch(facecolor="none", edgecolor="#777777", hatch="....", label="paper ± agreement tolerance"))
    handles.append(Line2D([], [], color="black", lw=0.9, label="1× (as fast as the baseline)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, -0.13), ncol=min(len(handles), 3), frameon=False, fontsize=8)
    notes = ["The paper's figure sits beside the bitsys bar it is compared with."]
    if other_claims:
        notes.append("%d claim%s against other binary networks: see study_tornado.png." % (other_claims, "s" if other_claims > 1 else ""))
    fig.text(0.995, 0.01, " ".join(notes), ha="right", va="bottom", fontsize=7, color="#444444")
    fig.tight_layout()
    return save(fig, out, "speedup_by_task.png")


# ---------------------------------------------------------------- CSQ


def csq_speedup(cases, out):
    base = baselines(cases)
    csq = [c for c in cases if num(c.get("avg_bits")) > 0]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    if not csq:
        ax.text(0.5, 0.5, "no CSQ (mixed-precision) case in this study", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return save(fig, out, "csq_speedup.png")
    tasks = list(dict.fromkeys(c.get("task") for c in csq))
    markers, styles = "os^vDP", ["-", "--", ":", "-."]
    bits = set()
    for key in dict.fromkeys((c.get("task"), c.get("arch")) for c in csq):
        pts = sorted((num(c.get("avg_bits")), num(c.get("speedup"))) for c in csq if (c.get("task"), c.get("arch")) == key)
        bits.update(p[0] for p in pts)
        ti = tasks.index(key[0])
        b = base.get(key[0])
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=markers[ti % len(markers)], ls=styles[ti % len(styles)],
                color=kind_color(key[1]), lw=1.6, markersize=6,
                label="%s, %s PEs%s" % (str(key[0]).replace("CSQ ", ""), key[1], " (vs %s)" % b.get("label") if b else ""))
    ax.axhline(1, color="black", lw=0.8)
    ax.set_xlabel("average weight bits (kept bit planes)")
    ax.set_ylabel("speed-up over the baseline network (×)")
    ax.set_xticks(sorted(bits))
    ax.set_ylim(0, None)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("CSQ mixed precision (4-bit activations)")
    fig.tight_layout()
    return save(fig, out, "csq_speedup.png")


# ---------------------------------------------------------------- energy breakdown

ENERGY_GROUPS = (
    ("PE compute", ("pe_compute",), "#0072B2"),
    ("array registers, clock", ("array_movement", "array_clock"), "#56B4E9"),
    ("SRAM", ("sram_read_ifmap", "sram_read_filter", "sram_read_ofmap", "sram_write_ifmap", "sram_write_filter",
              "sram_write_ofmap"), "#009E73"),
    ("DRAM", ("dram",), "#D55E00"),
    ("vector unit", ("vector_unit",), "#CC79A7"),
    ("leakage", ("leakage",), "#999999"),
)


def energy_breakdown(cases, out):
    rows = [c for c in cases if isinstance(c.get("energy_pj"), dict)]
    fig, ax = plt.subplots(figsize=(8.4, 0.32 * max(len(rows), 4) + 1.6))
    if not rows:
        ax.text(0.5, 0.5, "no energy figures in this study", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return save(fig, out, "energy_breakdown.png")
    y = list(range(len(rows)))[::-1]
    left = [0.0] * len(rows)
    for name, parts, color in ENERGY_GROUPS:
        widths = []
        for c in rows:
            total = sum(num(v) for v in c["energy_pj"].values()) or 1.0
            widths.append(100.0 * sum(num(c["energy_pj"].get(p)) for p in parts) / total)
        ax.barh(y, widths, left=left, color=color, label=name, height=0.7)
        left = [a + b for a, b in zip(left, widths)]
    for yi, c in zip(y, rows):  # the total beside each bar
        ax.text(101, yi, "%.3g mJ" % (num(c.get("energy_j")) * 1e3), va="center", fontsize=7)
    ax.set_yticks(y)
    ax.set_yticklabels(["%s (%s)" % (c.get("label"), c.get("arch")) for c in rows], fontsize=7)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_xlabel("share of the energy per inference (%); the total at the right")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=6, frameon=False)
    ax.set_title("Energy per inference by component (%s)" % (rows[0].get("tech") or "technology file"), pad=22)
    fig.tight_layout()
    return save(fig, out, "energy_breakdown.png")


# ---------------------------------------------------------------- sensitivity tornado


def variant_factor(v):
    f = v.get("factor")
    if f is not None:
        f = num(f, None)
        if f is not None:
            return f
    m = re.match(r"^\s*[x×*]\s*([0-9]*\.?[0-9]+)\s*$", str(v.get("variant", "")))
    return float(m.group(1)) if m else None


def tornado(claims, sens, out):
    if not claims or not sens:
        return []
    n = len(claims)
    ncol = 2 if n > 1 else 1
    nrow = (n + ncol - 1) // ncol
    rows_per = max(1, len(sens))
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.2 * ncol, 1.1 + (0.42 * rows_per + 1.25) * nrow), squeeze=False)
    any_tol = False
    for i, cl in enumerate(claims):
        ax = axes[i // ncol][i % ncol]
        b = num(cl.get("bitsys"), None)
        if b is None:
            ax.set_axis_off()
            continue
        rows = []
        for s in sens:
            bars = []
            for v in s.get("variants", []) or []:
                rs = v.get("ratios", []) or []
                if i >= len(rs) or rs[i] is None:
                    continue
                f = variant_factor(v)
                kind = "other" if f is None or f == 1 else ("low" if f < 1 else "high")
                bars.append((kind, str(v.get("variant", "")), num(rs[i])))
            if not bars:
                continue
            label = s.get("assumption", "?")
            if s.get("base") not in (None, ""):
                label += " (%s)" % s.get("base")
            label = wrap(label, 30)
            if s.get("field"):
                label += "\n[%s]" % s.get("field")
            rows.append((max(abs(r - b) for _, _, r in bars), label, bars))
        rows.sort(key=lambda r: r[0])  # largest swing on top
        vals = [b] + [r for _, _, bars in rows for _, _, r in bars]
        pr = paper_range(cl)
        tl = tolerance(cl)
        if pr:
            vals += [pr[0] * (1 - (tl or 0)), pr[1] * (1 + (tl or 0))]
        lo_x, hi_x = min(vals), max(vals)
        span = (hi_x - lo_x) or max(b, 1) * 0.1
        if pr:
            if tl:
                any_tol = True
                ax.axvspan(pr[0] * (1 - tl), pr[1] * (1 + tl), color="none", ec="#888888", hatch="....", lw=0, zorder=0)
            if pr[1] > pr[0]:
                ax.axvspan(pr[0], pr[1], color=BAND, alpha=0.55, lw=0, zorder=0)
            else:
                ax.axvline(pr[0], color=PAPER, ls="--", lw=1.2, zorder=1)
        ax.axvline(b, color="black", lw=1.2, zorder=3)
        for y, (swing, label, bars) in enumerate(rows):
            if swing < 1e-9:
                ax.text(b + span * 0.02, y, "no effect", va="center", ha="left", fontsize=7, color="#555555")
                continue
            h = 0.8 / len(bars)
            for j, (kind, name, r) in enumerate(bars):
                yc = y + 0.4 - h * (j + 0.5)
                col = {"low": LOW, "high": HIGH}.get(kind, OTHER)
                ax.barh(yc, r - b, left=b, height=h * 0.9, color=col, zorder=2)
                right = r >= b
                ax.text(r + (span * 0.012 if right else -span * 0.012), yc, "%s: %.2f" % (name, r), va="center",
                        ha="left" if right else "right", fontsize=7, zorder=4)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r[1] for r in rows], fontsize=7.5)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlim(lo_x - span * 0.22, hi_x + span * 0.22)
        ax.tick_params(axis="y", length=0)
        ax.grid(axis="x", alpha=0.3)
        head = wrap(str(cl.get("claim", "claim %d" % (i + 1))), 60)
        sub = "bitsys %s" % fmt_x(b)
        if pr:
            sub = paper_text(pr) + ", " + sub
        if cl.get("verdict"):
            sub += " (%s)" % cl.get("verdict")
        ax.set_title(head + "\n" + sub, fontsize=9, loc="left")
        ax.set_xlabel("cycle ratio, slower / faster network (×)", fontsize=8.5)
    for j in range(n, nrow * ncol):
        axes[j // ncol][j % ncol].set_axis_off()
    handles = [Line2D([], [], color="black", lw=1.2, label="bitsys as modelled"),
               Patch(color=LOW, label="assumption lowered (e.g. x0.5)"),
               Patch(color=HIGH, label="assumption raised (e.g. x2)")]
    if any(variant_factor(v) is None for s in sens for v in s.get("variants", []) or []):
        handles.append(Patch(color=OTHER, label="alternative setting"))
    handles += [Patch(color=BAND, label="paper's claimed range"), Line2D([], [], color=PAPER, ls="--", label="paper's claimed value")]
    if any_tol:
        handles.append(Patch(facecolor="none", edgecolor="#888888", hatch="....", label="paper ± agreement tolerance"))
    H = fig.get_figheight()
    fig.suptitle("Sensitivity of the papers' claims to bitsys's assumptions (one assumption changed at a time)", y=1 - 0.12 / H,
                 va="top", fontsize=12)
    fig.legend(handles=handles, loc="upper center", ncol=min(len(handles), 4), frameon=False, fontsize=9,
               bbox_to_anchor=(0.5, 1 - 0.45 / H))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.9 / H), h_pad=1.5)
    return save(fig, out, "study_tornado.png")


# ---------------------------------------------------------------- per-layer


def stage_of(name):
    return re.split(r"[./]", name, maxsplit=1)[0] if name else name


def layer_vals(l):
    return num(l.get("array")), num(l.get("vector")), num(l.get("stall"))


def aggregate(layers):
    """-> (mode, items, keyfn); items are (key, label, (array, vector, stall)) in network order."""
    ls = [l for l in layers if isinstance(l, dict)]
    if len(ls) <= MAX_ROWS:
        return "layer", [(l.get("name", "?"), l.get("name", "?"), layer_vals(l)) for l in ls], lambda n: n
    stages = {}
    for l in ls:
        st = stage_of(l.get("name", "?"))
        a, v, s = layer_vals(l)
        e = stages.setdefault(st, [0, 0.0, 0.0, 0.0])
        e[0] += 1
        e[1] += a
        e[2] += v
        e[3] += s
    if 1 < len(stages) <= MAX_ROWS:
        items = [(k, "%s (%d layers)" % (k, e[0]) if e[0] > 1 else k, tuple(e[1:])) for k, e in stages.items()]
        return "stage", items, stage_of
    tot = sorted(range(len(ls)), key=lambda i: -sum(layer_vals(ls[i])))
    keep = set(tot[:TOP_N])
    items = [(ls[i].get("name", "?"), ls[i].get("name", "?"), layer_vals(ls[i])) for i in range(len(ls)) if i in keep]
    rest = [layer_vals(ls[i]) for i in range(len(ls)) if i not in keep]
    if rest:
        items.append((None, "other %d layers" % len(rest), tuple(sum(r[k] for r in rest) for k in range(3))))
    return "top", items, lambda n: n


def layers(case, base, out):
    name = case.get("plot") or "layers_%s.png" % re.sub(r"[^A-Za-z0-9]", "-", str(case.get("key", "case")))
    mode, items, keyfn = aggregate(case.get("layers") or [])
    if base is case:
        base = None
    bvals = {}
    if base:
        for l in base.get("layers") or []:
            if isinstance(l, dict):
                k = keyfn(l.get("name", "?"))
                bvals[k] = bvals.get(k, 0.0) + sum(layer_vals(l))
    matched = [(y, bvals[k]) for y, (k, _, _) in enumerate(reversed(items)) if k is not None and k in bvals]

    nrows = max(1, len(items))
    n_sum = 2 if base else 1
    h_main = 0.24 * nrows + 0.5
    h_sum = 0.3 * n_sum + 0.1
    fig = plt.figure(figsize=(8.2, h_main + h_sum + 2.5))
    gs = fig.add_gridspec(2, 1, height_ratios=[h_sum, h_main])
    axs = fig.add_subplot(gs[0])
    ax = fig.add_subplot(gs[1])

    # totals: this case (and its baseline), split by kind
    srows = [("%s (%s PEs)" % (case.get("label", case.get("key")), case.get("arch", "?")), case)]
    if base:
        srows.append(("baseline: %s (%s PEs)" % (base.get("label", base.get("key")), base.get("arch", "?")), base))
    srows.reverse()
    for y, (lab, c) in enumerate(srows):
        tots = [num(c.get(k + "_cycles")) for k, _, _, _ in KINDS]
        if not any(tots) and c.get("layers"):
            tots = [sum(layer_vals(l)[i] for l in c["layers"] if isinstance(l, dict)) for i in range(3)]
        left = 0.0
        for (k, lbl, col, hatch), v in zip(KINDS, tots):
            axs.barh(y, v, left=left, color=col, hatch=hatch, edgecolor="white", lw=0.3, height=0.7)
            left += v
        total = num(c.get("total_cycles"), left) or left
        axs.text(left, y, "  " + fmt_cycles(total), va="center", ha="left", fontsize=8)
    axs.set_yticks(range(len(srows)))
    axs.set_yticklabels([wrap(s, 50) for s, _ in srows], fontsize=8)
    axs.xaxis.set_major_formatter(FuncFormatter(fmt_cycles))
    axs.set_xlim(0, max(num(c.get("total_cycles")) for _, c in srows) * 1.13 or 1)
    axs.set_xlabel("total clock cycles", fontsize=8.5)
    axs.tick_params(axis="both", labelsize=8)
    axs.tick_params(axis="y", length=0)

    # per layer / stage
    rev = list(reversed(items))  # network order top to bottom
    if matched:  # the baseline's same-named layer, as a hollow bar behind this case's
        ax.barh([y for y, _ in matched], [v for _, v in matched], height=0.92, color=GHOST, edgecolor=GHOST_EDGE, lw=0.7, zorder=1)
    left = [0.0] * len(rev)
    for idx, (k, lbl, col, hatch) in enumerate(KINDS):
        vals = [it[2][idx] for it in rev]
        ax.barh(range(len(rev)), vals, left=left, color=col, hatch=hatch, edgecolor="white", lw=0.3, height=0.62, label=lbl, zorder=2)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(range(len(rev)))
    ax.set_yticklabels([it[1] for it in rev], fontsize=7.5 if nrows > 25 else 8.5)
    ax.set_ylim(-0.6, len(rev) - 0.4)
    xmax = max(left + [v for _, v in matched] + [1])
    ax.set_xlim(0, xmax * 1.04)
    ax.xaxis.set_major_formatter(FuncFormatter(fmt_cycles))
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.tick_params(axis="y", length=0)
    unit = {"layer": "clock cycles per layer",
            "stage": "clock cycles per stage (layers summed by name prefix)",
            "top": "clock cycles per layer (the %d layers with most cycles, plus the rest)" % TOP_N}[mode]
    ax.set_xlabel(unit)
    ax.set_ylabel({"layer": "layer (network order)", "stage": "stage (network order)", "top": "layer (network order)"}[mode])

    handles = [Patch(facecolor=col, hatch=hatch, edgecolor="white", label=lbl) for _, lbl, col, hatch in KINDS]
    if base:
        if matched:
            handles.append(Patch(facecolor=GHOST, edgecolor=GHOST_EDGE,
                                 label="baseline, same-named %s (%d of %d)" % ("stage" if mode == "stage" else "layer", len(matched),
                                                                             sum(1 for it in items if it[0] is not None))))
        else:
            handles.append(Line2D([], [], ls="none", label="baseline: no %s name in common" % ("stage" if mode == "stage" else "layer")))
    legend = fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1 - 0.42 / fig.get_figheight()), ncol=len(handles),
               frameon=False, fontsize=8, handlelength=1.6, columnspacing=1.0)
    sp = num(case.get("speedup"), None)
    title = "%s on the %s array: %s cycles" % (case.get("label", case.get("key")), case.get("arch", "?"),
                                               fmt_cycles(num(case.get("total_cycles"))))
    if case.get("baseline"):
        title += " (the %s baseline)" % case.get("task", "task's")
    elif base and sp:
        title += ", %s faster than %s" % (fmt_x(sp), base.get("label", base.get("key"))) if sp >= 1 else \
            ", %s slower than %s" % (fmt_x(1 / sp), base.get("label", base.get("key")))
    title = wrap(title, 78)
    extra = 0.2 * title.count("\n")
    legend.set_bbox_to_anchor((0.5, 1 - (0.42 + extra) / fig.get_figheight()))
    fig.suptitle(title, y=1 - 0.12 / fig.get_figheight(), va="top", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 1 - (0.3 + extra) / fig.get_figheight()), h_pad=1.2)
    return save(fig, out, name)


# ---------------------------------------------------------------- main


def for_each_case(jobs):
    """The per-layer plots, on two processes when the machine has them (they are most of the run time)."""
    pool = None
    if len(jobs) > 4 and (os.cpu_count() or 1) > 1:
        try:
            pool = multiprocessing.get_context("fork").Pool(min(2, os.cpu_count()))
        except (OSError, ValueError, ImportError):
            pool = None
    if pool is None:
        for j in jobs:
            layers(*j)
        return
    with pool:
        pool.starmap(layers, jobs, chunksize=1)


def load(path):
    try:
        with open(path) as f:
            study = json.load(f)
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror or e))
    except (ValueError, UnicodeDecodeError) as e:
        raise InputError("%s: not valid JSON (%s)" % (path, str(e).splitlines()[0]))
    if not isinstance(study, dict) or not isinstance(study.get("cases"), list):
        raise InputError("%s: malformed study: no \"cases\" list" % path)
    for i, c in enumerate(study["cases"]):
        if not isinstance(c, dict):
            raise InputError("%s: malformed study: case %d is not an object" % (path, i))
        for k in ("key", "task", "arch", "total_cycles", "speedup"):
            if k not in c:
                raise InputError("%s: malformed study: case %d (%s) has no \"%s\"" % (path, i, c.get("key", "?"), k))
        if not isinstance(c.get("layers", []), list):
            raise InputError("%s: malformed study: case %s: \"layers\" is not a list" % (path, c["key"]))
    for k in ("claims", "sensitivity"):
        if not isinstance(study.get(k, []), list):
            raise InputError("%s: malformed study: \"%s\" is not a list" % (path, k))
    return study


def draw(study, out):
    cases = study["cases"]
    claims = [c for c in study.get("claims", []) if isinstance(c, dict)]
    sens = [s for s in study.get("sensitivity", []) if isinstance(s, dict)]
    base = baselines(cases)
    speedup_by_task(cases, claims, out)
    csq_speedup(cases, out)
    energy_breakdown(cases, out)
    tornado(claims, sens, out)
    for_each_case([(c, base.get(c.get("task")), out) for c in cases])


if __name__ == "__main__":
    run("plot_study", __doc__, load, draw)
