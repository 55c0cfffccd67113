"""What every bitsys figure shares: the Okabe-Ito colour-blind-safe palette (a PE kind has the same
colour in every figure), matplotlib settings for print, one error type and PNG + SVG output."""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

KIND_COLORS = {"int8": "#999999", "binary": "#0072B2", "bitserial": "#E69F00"}
EXTRA_COLORS = ["#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

plt.rcParams.update({
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "figure.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text in the SVG
    "hatch.linewidth": 0.6,
})


class InputError(Exception):
    """Bad input: the script prints it as one line and exits 2."""


def kind_color(kind, _seen={}):
    if kind in KIND_COLORS:
        return KIND_COLORS[kind]
    return _seen.setdefault(kind, EXTRA_COLORS[len(_seen) % len(EXTRA_COLORS)])


def save(fig, out, name):
    """Writes NAME (a .png) and the SVG beside it; returns both paths."""
    base = os.path.join(out, name[:-4] if name.endswith(".png") else name)
    fig.savefig(base + ".png", dpi=150)
    fig.savefig(base + ".svg")
    plt.close(fig)
    return [base + ".png", base + ".svg"]


def run(script, usage, load, draw):
    """A plot script's main: SCRIPT INPUT OUTDIR; bad input, an output folder that cannot be
    made or a plot that cannot be written is one line on stderr and exit code 2."""
    if len(sys.argv) != 3:
        sys.stderr.write(usage)
        sys.exit(2)
    path, out = sys.argv[1], sys.argv[2]
    try:
        data = load(path)
        os.makedirs(out, exist_ok=True)
        draw(data, out)
    except InputError as e:
        print("%s: %s" % (script, e), file=sys.stderr)
        sys.exit(2)
    except OSError as e:
        print("%s: %s: cannot write (%s)" % (script, out, e.strerror or e), file=sys.stderr)
        sys.exit(2)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        print("%s: %s: malformed input (%s: %s)" % (script, path, type(e).__name__, e), file=sys.stderr)
        sys.exit(2)
