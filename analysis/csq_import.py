#!/usr/bin/python3
"""Turns a CSQ checkpoint into a bitsys workload with each layer's exact bit-plane mask.

CSQ (arXiv 2212.02770, github.com/lawsonX/CSQ) keeps, per BitConv2d / BitLinear module, a
`mask_weight` of Nbits entries (MSB first; a plane is kept where the entry is > 0), the bit
planes `pweight` / `nweight` ([out, in/groups, kh, kw, Nbits] or [out, in, Nbits]) and a `scale`.
The importer reads those with PyTorch, matches each quantized module, in order, to the next conv
or fc layer of a base bitsys workload with the same output channels and kernel (layers it skips,
such as CSQ's full-precision 1x1 shortcuts, keep their precision), and writes the base workload
with `{"format": "sign_magnitude", "mask": ...}` on every matched layer.

usage: /usr/bin/python3 analysis/csq_import.py CHECKPOINT BASE.json OUT.json [--act-bits 4] [--map MODULE=LAYER ...]
"""
import argparse
import json
import os
import sys
import tempfile


def fail(msg):
    sys.stderr.write("csq_import: error: %s\n" % msg)
    sys.exit(2)


def load_state_dict(path):
    try:
        import torch
    except ImportError:
        fail("PyTorch is missing (Debian package python3-torch; scripts/setup.sh installs it)")
    if not os.path.isfile(path):
        fail("%s: no such file" % path)
    try:
        sd = torch.load(path, map_location="cpu")
    except Exception as e:  # a truncated or foreign file
        fail("%s: not a PyTorch checkpoint (%s)" % (path, str(e).splitlines()[0] if str(e) else type(e).__name__))
    for key in ("state_dict", "net", "model"):
        if isinstance(sd, dict) and key in sd and isinstance(sd[key], dict):
            sd = sd[key]
    if not isinstance(sd, dict):
        fail("%s: expected a state dict" % path)
    return sd


def quantized_modules(sd, path):
    """[(module, mask string over 8 planes MSB first, out channels, kernel or None)] in checkpoint order."""
    mods = []
    for key in sd:
        if not key.endswith("mask_weight"):
            continue
        prefix = key[: -len("mask_weight")].rstrip(".")
        mask = [float(x) > 0 for x in sd[key].flatten().tolist()]
        n = len(mask)
        if not 1 <= n <= 8:
            fail("%s: module '%s': field 'mask_weight': %d planes, bitsys takes 1..8" % (path, prefix, n))
        pkey = (prefix + "." if prefix else "") + "pweight"
        if pkey not in sd:
            fail("%s: module '%s': field 'pweight': missing" % (path, prefix))
        shape = list(sd[pkey].shape)
        if shape[-1] != n:
            fail("%s: module '%s': field 'pweight': last dimension %d, expected Nbits = %d" % (path, prefix, shape[-1], n))
        # Plane i (MSB first) of an Nbits layer has weight 2^(Nbits-1-i): bitsys plane Nbits-1-i.
        planes = ["0"] * 8
        for i, keep in enumerate(mask):
            if keep:
                planes[7 - (n - 1 - i)] = "1"
        kernel = shape[2] if len(shape) == 5 else None
        mods.append((prefix, "".join(planes), shape[0], kernel))
    if not mods:
        fail("%s: no CSQ module (no key ending in 'mask_weight')" % path)
    return mods


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint")
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("--act-bits", type=int, default=0, help="set every ReLU output to this many unsigned bits (CSQ: 4)")
    ap.add_argument("--map", action="append", default=[], metavar="MODULE=LAYER", help="pair a module with a layer explicitly")
    args = ap.parse_args()
    if args.act_bits and not 1 <= args.act_bits <= 8:
        fail("--act-bits must be in 1..8")

    sd = load_state_dict(args.checkpoint)
    mods = quantized_modules(sd, args.checkpoint)
    try:
        with open(args.base) as f:
            base = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (args.base, e))
    layers = {l["name"]: l for l in base.get("layers", [])}
    gemms = [l for l in base.get("layers", []) if l.get("type") in ("conv2d", "fc")]

    explicit = {}
    for m in args.map:
        if "=" not in m:
            fail("--map '%s': expected MODULE=LAYER" % m)
        mod, layer = m.split("=", 1)
        if layer not in layers:
            fail("--map '%s': no layer '%s' in %s" % (m, layer, args.base))
        explicit[mod] = layer

    assigned, pos, report = {}, 0, []
    for prefix, mask, out, kernel in mods:
        if prefix in explicit:
            name = explicit[prefix]
        else:
            while pos < len(gemms):
                l = gemms[pos]
                pos += 1
                l_out = l.get("out_channels", l.get("out_features"))
                l_kernel = l.get("kernel") if l["type"] == "conv2d" else None
                if l_out == out and (kernel is None) == (l_kernel is None) and (kernel is None or l_kernel == kernel):
                    name = l["name"]
                    break
            else:
                fail("%s: module '%s' (%d outputs, kernel %s) matches no remaining conv/fc layer of %s; pair it with --map"
                     % (args.checkpoint, prefix, out, kernel, args.base))
        if "1" not in mask:
            fail("%s: module '%s': field 'mask_weight': keeps no bit plane (the layer is pruned away); bitsys cannot run a layer "
                 "without weights" % (args.checkpoint, prefix))
        layers[name]["weights"] = {"format": "sign_magnitude", "mask": mask}
        assigned[name] = prefix
        report.append("%s <- %s: %s (%d planes)" % (name, prefix, mask, mask.count("1")))
    if args.act_bits:
        for l in base["layers"]:
            if l["type"] == "relu":
                l["output"] = {"bits": args.act_bits, "signed": False}

    base["name"] = os.path.splitext(os.path.basename(args.out))[0]
    base["source"] = "CSQ checkpoint %s imported onto %s" % (args.checkpoint, args.base)
    base["notes"] = "Exact per-layer plane masks from the checkpoint: " + "; ".join(report)
    out_dir = os.path.dirname(os.path.abspath(args.out))
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump(base, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.out)  # never a half-written workload
    print("wrote %s: %d CSQ layers" % (args.out, len(report)))
    for line in report:
        print("  " + line)


if __name__ == "__main__":
    main()
