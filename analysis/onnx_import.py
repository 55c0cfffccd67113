#!/usr/bin/python3
"""Turns a quantized ONNX graph into a bitsys workload, its integer weights and its trained
per-channel parameters, so `bitsys run --fidelity systemc --tensors DIR` computes what the graph
computes (`bitsys import-onnx` runs this; analysis/README.md has the mapping in full).

What it reads (Debian's python3-onnx):
- QDQ graphs: QuantizeLinear / DequantizeLinear around Conv, Gemm and MatMul, and around the float
  ops between them (BatchNormalization, PRelu, Relu, Add/Sub/Mul by a constant, residual Add,
  MaxPool, AveragePool, GlobalAveragePool, Resize (nearest), Concat, Flatten, Reshape, Pad);
- integer ops: QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger (then Cast / Mul / Add);
- binary networks: Sign on weights (1-bit +-1 weights) and on activations (a per-channel threshold).

How values map (every quantized tensor an integer map at a power-of-two-free scale s, zero point 0):
- a GEMM's accumulator becomes its output through (acc * scale_c + bias_c) / 2^shift_c rounded half
  to even (ONNX's rounding) and saturated: the multipliers are exact when the graph's scale ratios
  are dyadic (2^-k times an integer), else the closest with 22-bit multipliers (a warning says so);
- a chain of float elementwise ops between a DequantizeLinear and the next QuantizeLinear is
  evaluated in float32 over every value its integer input can take (at most 256) and fitted to
  bitsys's op with supplied parameters, then checked on all of them;
- Sign of x becomes +1 where x * scale_c + bias_c >= 0: a graph where Sign would see exactly 0 is
  refused (a +-1 map cannot hold ONNX's Sign(0) = 0), as is a padded conv on a +-1 map (ONNX pads
  with 0; bitsys's +-1 maps pad with -1: write Pad(value=-1) before the conv);
- weight precision from the integers: +-1 only -> 1 bit; magnitudes using a contiguous run of low
  bit planes -> the fewest two's-complement bits; other plane sets -> CSQ sign-magnitude with the
  plane mask.

usage: /usr/bin/python3 analysis/onnx_import.py MODEL.onnx --out NET.json [--tensors DIR] [--input X.npy]
Bad input: one line naming the file, the node, its op type and what is wrong; exit code 2; nothing
written.
"""
import argparse
import json
import math
import os
import re
import sys
import tempfile

import numpy as np

SUPPORTED = ("QuantizeLinear, DequantizeLinear, Conv, Gemm, MatMul, QLinearConv, QLinearMatMul, ConvInteger, "
             "MatMulInteger, Cast, BatchNormalization, PRelu, Relu, Sign, Add, Sub, Mul, MaxPool, AveragePool, "
             "GlobalAveragePool, Resize, Concat, Flatten, Reshape, Pad, Identity, Dropout, Constant")


class ImportError_(Exception):
    pass


def fail(msg):
    raise ImportError_(msg)


# ---- values ---------------------------------------------------------------------------------------


class QTensor:
    """An integer map bitsys holds: the tensor (network input or layer) that produces it."""

    def __init__(self, name, shape, bits, signed, scale):
        self.name, self.shape, self.bits, self.signed, self.scale = name, tuple(shape), bits, signed, scale

    def domain(self):
        if self.bits == 1:
            return np.array([-1, 1], dtype=np.int64)
        lo, hi = (-(1 << (self.bits - 1)), (1 << (self.bits - 1)) - 1) if self.signed else (0, (1 << self.bits) - 1)
        return np.arange(lo, hi + 1, dtype=np.int64)


class Float:
    """f(DequantizeLinear(src)): a float tensor that is a per-channel function of an integer map.
    chain: [(kind, node name, fn(x float32 (C, D)) -> float32 (C, D))]."""

    def __init__(self, src, chain=(), pad=0):
        self.src, self.chain, self.pad = src, list(chain), pad


class Acc:
    """A GEMM's accumulator as a float: acc * a_c + b_c (float64, one entry a channel), then the
    elementwise ops after it (relu)."""

    def __init__(self, layer, a, b, bound, post=()):
        self.layer, self.a, self.b, self.bound, self.post = layer, a, b, bound, list(post)


class Sum:
    """Sum of dequantized maps (a residual add), waiting for its QuantizeLinear."""

    def __init__(self, node, terms, post=()):
        self.node, self.terms, self.post = node, terms, list(post)


class Pool:
    """An average pool of a dequantized map, waiting for its QuantizeLinear."""

    def __init__(self, layer, src):
        self.layer, self.src = layer, src


class ConstQ:
    """Integer constants with their scale (weights, biases)."""

    def __init__(self, q, scale):
        self.q, self.scale = q, scale


# ---- the importer ---------------------------------------------------------------------------------


def sanitize(name):
    s = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.")
    return s or "node"


def attr(node, name, default=None):
    import onnx

    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def is_pow2_ratio(x):
    m, e = math.frexp(x)
    return x > 0 and m == 0.5


class Importer:
    def __init__(self, path, model, input_values):
        import onnx
        from onnx import numpy_helper

        self.path, self.model = path, model
        self.numpy_helper = numpy_helper
        self.onnx = onnx
        g = model.graph
        self.consts = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.vals = {}
        self.layers, self.inputs, self.tensors, self.notes = [], [], {}, []
        self.names = set()
        self.input_values = input_values
        self.node = None

        for vi in g.input:
            if vi.name in self.consts:
                continue
            dims = []
            for d in vi.type.tensor_type.shape.dim:
                if not d.HasField("dim_value") or d.dim_value <= 0:
                    fail("%s: input '%s': dynamic shape (dimension '%s'); bitsys needs fixed sizes" %
                         (path, vi.name, d.dim_param or "?"))
                dims.append(d.dim_value)
            if not dims or dims[0] != 1:
                fail("%s: input '%s': batch %s; bitsys imports batch 1" % (path, vi.name, dims[0] if dims else "?"))
            self.vals[vi.name] = ("input", vi.name, tuple(dims[1:]))

    # -- helpers
    def where(self):
        n = self.node
        return "%s: node '%s' (%s)" % (self.path, n.name or n.output[0], n.op_type)

    def err(self, what):
        fail("%s: %s" % (self.where(), what))

    def get(self, name):
        if name == "":
            return None
        if name in self.consts:
            return self.consts[name]
        if name not in self.vals:
            self.err("input '%s' is neither an initializer nor produced by an earlier node" % name)
        return self.vals[name]

    def const(self, name, what):
        v = self.get(name)
        if not isinstance(v, np.ndarray):
            self.err("%s '%s' must be a constant (initializer)" % (what, name))
        return v

    def layer_name(self, base=None):
        n = sanitize(base or self.node.name or (self.node.op_type + "_" + self.node.output[0]))
        name, k = n, 1
        while name in self.names:
            k += 1
            name = "%s_%d" % (n, k)
        self.names.add(name)
        return name

    def add_layer(self, layer):
        self.layers.append(layer)
        return layer

    def float_of(self, name, what="input"):
        v = self.get(name)
        if isinstance(v, Float):
            return v
        self.err("%s '%s' must be a dequantized integer tensor (DequantizeLinear of a QuantizeLinear output)" %
                 (what, name))

    def plain(self, name, what="input"):
        f = self.float_of(name, what)
        if f.chain:
            self.err("%s '%s' goes through %s first: put a QuantizeLinear between" %
                     (what, name, ", ".join(k for k, _, _ in f.chain)))
        if f.pad:
            self.err("a Pad must feed a Conv directly")
        return f.src

    def qparams(self, scale_name, zp_name, what):
        s = self.const(scale_name, what + " scale")
        zp = self.const(zp_name, what + " zero point") if zp_name else np.zeros((), np.uint8)
        if np.any(zp != 0):
            self.err("%s zero point %s: bitsys maps are symmetric (zero point 0)" % (what, zp.flatten()[:4].tolist()))
        if np.any(s <= 0):
            self.err("%s scale must be positive" % what)
        if zp.dtype == np.uint8:
            return s.astype(np.float32), 8, False
        if zp.dtype == np.int8:
            return s.astype(np.float32), 8, True
        self.err("%s zero point of type %s: bitsys imports int8 and uint8" % (what, zp.dtype))

    # -- weights
    def weight_spec(self, q):
        q = q.astype(np.int64)
        vals = set(np.unique(q).tolist())
        if vals <= {-1, 1}:
            return {"bits": 1}
        mags = np.abs(q)
        if mags.max() > 255:
            self.err("weights beyond 8 bits")
        mask = int(np.bitwise_or.reduce(mags.flatten()))
        if mask == 0:
            self.err("weights all zero")
        if mask & (mask + 1) == 0:  # planes 0..k-1: two's complement
            lo, hi = int(q.min()), int(q.max())
            for b in range(2, 9):
                if -(1 << (b - 1)) <= lo and hi <= (1 << (b - 1)) - 1:
                    return {"bits": b}
            return {"format": "sign_magnitude", "bits": mask.bit_length()}
        return {"format": "sign_magnitude", "mask": "".join("1" if mask >> (7 - i) & 1 else "0" for i in range(8))}

    def weight_q(self, name, w_out_axis_len):
        """Integer weights and per-output-channel scale of a GEMM's weight input."""
        v = self.get(name)
        if isinstance(v, ConstQ):
            q, s = v.q, np.asarray(v.scale, np.float64)
        elif isinstance(v, np.ndarray):
            if v.dtype.kind in "iu":
                q, s = v, np.ones(1)
            elif np.all((v == 1) | (v == -1)):
                q, s = v.astype(np.int64), np.ones(1)
            else:
                self.err("weights '%s' are float: quantize them (DequantizeLinear of integers, or Sign)" % name)
        else:
            self.err("weights '%s' must be constant (an initializer, its DequantizeLinear or its Sign)" % name)
        s = np.broadcast_to(s.reshape(-1), (w_out_axis_len,)) if s.size in (1, w_out_axis_len) else None
        if s is None:
            self.err("weight scale must be per tensor or per output channel")
        return q.astype(np.int64), s.astype(np.float64)

    # -- fitting
    def fit_gemm_quant(self, acc, sy, bits, signed, layer):
        """(acc * a + b) / sy rounded half to even -> supplied scale/bias/shift."""
        a = acc.a / float(sy)
        b = acc.b / float(sy)
        scale, bias, shift, approx = [], [], [], 0
        for c in range(len(a)):
            for s in range(0, 41):
                m, bb = a[c] * 2.0**s, b[c] * 2.0**s
                if abs(m) > (1 << 22) or abs(bb) > 2**31 - 1:
                    s = None
                    break
                if m == round(m) and bb == round(bb):
                    break
            else:
                s = None
            if s is None:  # not dyadic: the closest 22-bit multiplier
                approx += 1
                top = max(abs(a[c]), 1e-30)
                s = max(0, min(40, 21 - math.frexp(top)[1]))
                while s > 0 and abs(b[c]) * 2.0**s > 2**31 - 1:
                    s -= 1
            scale.append(int(round(a[c] * 2.0**s)))
            bias.append(int(round(b[c] * 2.0**s)))
            shift.append(s)
        if approx:
            self.warn("%d of %d channels' requantization is not a dyadic ratio: approximated with 22-bit "
                      "multipliers (outputs may differ from the graph by 1)" % (approx, len(a)))
        self.tensors[layer["name"] + ".scale"] = np.array(scale, np.int64)
        self.tensors[layer["name"] + ".bias"] = np.array(bias, np.int64)
        self.tensors[layer["name"] + ".shift"] = np.array(shift, np.int64)

    def warn(self, what):
        line = "%s: warning: %s" % (self.where(), what)
        sys.stderr.write(line + "\n")
        self.notes.append(line)

    def table(self, f, sy=None, sign=False):
        """The chain over every value of f.src, per channel: float32 as ONNX computes it."""
        src = f.src
        C = src.shape[0] if src.shape else 1
        d = src.domain()
        x = np.broadcast_to((d.astype(np.float32) * np.float32(src.scale)), (C, len(d))).astype(np.float32)
        for _, _, fn in f.chain:
            x = fn(x).astype(np.float32)
        return d, x

    def emit_chain(self, f, sy, bits, signed):
        """A Float chain quantized with scale sy: one bitsys layer (or none) on f.src."""
        src = f.src
        kinds = [k for k, _, _ in f.chain]
        lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
        if not kinds and np.float32(sy) == np.float32(src.scale) and (bits, signed) == (src.bits, src.signed):
            return src  # the same map
        d, y = self.table(f)
        want = np.clip(np.rint(y / np.float32(sy)), lo, hi).astype(np.int64)
        if "PRelu" in kinds:
            typ = "prelu"
        elif kinds == ["Relu"] and np.float32(sy) == np.float32(src.scale):
            typ = "relu"
        elif "Relu" in kinds:
            typ = "prelu"  # a rescaling relu: slope 0
        elif "BatchNormalization" in kinds or "Mul" in kinds:
            typ = "scale_bias"
        elif kinds:
            typ = "bias_shift"
        else:
            typ = "requantize"
        name = self.layer_name(f.chain[-1][1] if f.chain else None)
        layer = {"name": name, "type": typ, "inputs": [src.name], "output": {"bits": bits, "signed": signed}}
        if typ == "relu":
            got = np.clip(np.maximum(d, 0), lo, hi)
            if not np.array_equal(np.broadcast_to(got, want.shape), want):
                self.err("cannot be expressed as bitsys's relu")
        else:
            self.fit_table(name, typ, d, want, y / np.float32(sy), lo, hi)
        self.add_layer(layer)
        return QTensor(name, src.shape, bits, signed, float(sy))

    def fit_table(self, name, typ, d, want, real, lo, hi):
        """Per channel: the smallest shift whose (x * m(x) + b) / 2^s, rounded half to even and
        saturated, equals the table for every input value (m = scale for x >= 0, slope below)."""
        C = want.shape[0]
        scale, slope, bias, shift = [], [], [], []
        neg = d < 0
        pos_i = np.where(~neg)[0]
        neg_i = np.where(neg)[0]
        i0 = int(np.where(d == 0)[0][0]) if 0 in d else None
        mismatched = 0
        for c in range(C):
            r = real[c].astype(np.float64)
            b0 = r[i0] if i0 is not None else (r[0] - d[0] * (r[-1] - r[0]) / (d[-1] - d[0]))
            xp = d[pos_i[-1]] if len(pos_i) else 0
            mp = (r[pos_i[-1]] - b0) / xp if len(pos_i) and xp else 0.0
            xn = d[neg_i[0]] if len(neg_i) else 0
            mn = (r[neg_i[0]] - b0) / xn if len(neg_i) and xn else mp
            if typ != "prelu":
                mn = mp
            best = None
            for s in range(0, 31):
                m1, m2, bb = (int(round(v * 2.0**s)) for v in (mp, mn, b0))
                if max(abs(m1), abs(m2)) > (1 << 22) or abs(bb) > 2**31 - 1:
                    break
                mult = np.where(d >= 0, m1, m2)
                got = np.clip(round_div_even(d * mult + bb, 1 << s), lo, hi)
                bad = int(np.sum(got != want[c]))
                if best is None or bad < best[0]:
                    best = (bad, m1, m2, bb, s)
                if bad == 0:
                    break
            mismatched += best[0] > 0
            scale.append(best[1])
            slope.append(best[2])
            bias.append(best[3])
            shift.append(best[4])
        if mismatched:
            self.warn("%d of %d channels cannot be expressed exactly as bitsys's %s (some input values differ by 1)"
                      % (mismatched, C, typ))
        self.tensors[name + ".scale"] = np.array(scale, np.int64)
        if typ == "prelu":
            self.tensors[name + ".slope"] = np.array(slope, np.int64)
        self.tensors[name + ".bias"] = np.array(bias, np.int64)
        self.tensors[name + ".shift"] = np.array(shift, np.int64)

    def threshold_table(self, name, d, y):
        """Sign of a per-channel table: +1 where x * scale + bias >= 0."""
        scale, bias = [], []
        for c in range(y.shape[0]):
            if np.any(y[c] == 0):
                x = int(d[np.where(y[c] == 0)[0][0]])
                self.err("Sign's input is exactly 0 for the integer input %d (channel %d): ONNX gives 0 there, a "
                         "+-1 map cannot hold it (shift the threshold off the integer grid)" % (x, c))
            up = d[y[c] > 0]
            if len(up) == 0:
                scale.append(0), bias.append(-1)
            elif len(up) == len(d):
                scale.append(0), bias.append(0)
            elif np.array_equal(up, d[d >= up.min()]):
                scale.append(1), bias.append(-int(up.min()))
            elif np.array_equal(up, d[d <= up.max()]):
                scale.append(-1), bias.append(int(up.max()))
            else:
                self.err("Sign's input is not monotonic in its integer input (channel %d)" % c)
        self.tensors[name + ".scale"] = np.array(scale, np.int64)
        self.tensors[name + ".bias"] = np.array(bias, np.int64)

    def quantize(self, v, sy, bits, signed, out_name):
        if isinstance(v, tuple) and v[0] == "input":
            name = self.layer_name(v[1])
            self.names.add(name)
            self.inputs.append({"name": name, "shape": list(v[2]), "bits": bits, "signed": signed})
            if self.input_values is not None:
                x = self.input_values
                if tuple(x.shape[-len(v[2]):]) != tuple(v[2]):
                    fail("%s: input '%s': --input has shape %s, the graph %s" % (self.path, v[1], x.shape, v[2]))
                lo, hi = (-128, 127) if signed else (0, 255)
                q = np.clip(np.rint(x.astype(np.float32) / np.float32(sy)), lo, hi).astype(np.int64)
                self.input_q = (name, q.reshape((1,) + tuple(v[2])))
            return QTensor(name, v[2], bits, signed, float(sy))
        if isinstance(v, Acc):
            layer = v.layer
            layer["output"] = {"bits": bits, "signed": signed}
            self.fit_gemm_quant(v, sy, bits, signed, layer)
            self.add_layer(layer)
            q = QTensor(layer["name"], layer["_shape"], bits, signed, float(sy))
            for kind, node_name in v.post:
                name = self.layer_name(node_name)
                self.add_layer({"name": name, "type": "relu", "inputs": [q.name], "output": {"bits": bits,
                                                                                             "signed": signed}})
                q = QTensor(name, q.shape, bits, signed, float(sy))
            return q
        if isinstance(v, Sum):
            srcs = [t.src for t in v.terms]
            name = self.layer_name(v.node)
            layer = {"name": name, "type": "add", "inputs": [s.name for s in srcs],
                     "output": {"bits": bits, "signed": signed}}
            if any(s.shape != srcs[0].shape for s in srcs):
                self.err("residual Add of maps of different shapes")
            ratios = [s.scale / float(sy) for s in srcs]
            if any(r != 1.0 for r in ratios):
                for s in range(0, 31):
                    if all(r * 2.0**s == round(r * 2.0**s) for r in ratios):
                        break
                else:
                    self.warn("the Add's input scales are not dyadic multiples of its output scale: approximated")
                    s = 16
                C = srcs[0].shape[0]
                self.tensors[name + ".scale"] = np.array([int(round(r * 2.0**s)) for r in ratios], np.int64)
                self.tensors[name + ".shift"] = np.full(C, s, np.int64)
            self.add_layer(layer)
            q = QTensor(name, srcs[0].shape, bits, signed, float(sy))
            for node_name in v.post:  # saturating to the output already clips what relu removes; kept as a layer
                name = self.layer_name(node_name)
                self.add_layer({"name": name, "type": "relu", "inputs": [q.name],
                                "output": {"bits": bits, "signed": signed}})
                q = QTensor(name, q.shape, bits, signed, float(sy))
            return q
        if isinstance(v, Pool):
            layer, src = v.layer, v.src
            layer["output"] = {"bits": bits, "signed": signed}
            r = src.scale / float(sy)
            for s in range(0, 31):
                if r * 2.0**s == round(r * 2.0**s):
                    break
            else:
                self.warn("the pool's scale ratio is not dyadic: approximated")
                s = 16
            self.tensors[layer["name"] + ".scale"] = np.array([int(round(r * 2.0**s))], np.int64)
            self.tensors[layer["name"] + ".shift"] = np.array([s], np.int64)
            self.add_layer(layer)
            return QTensor(layer["name"], layer["_shape"], bits, signed, float(sy))
        if isinstance(v, Float):
            if v.pad:
                self.err("a Pad must feed a Conv directly")
            return self.emit_chain(v, sy, bits, signed)
        self.err("QuantizeLinear of '%s': not a float tensor bitsys can produce" % out_name)

    # -- GEMMs
    def gemm(self, x_src, q, ws, kind, geom, bias_float=None, bias_q=None):
        if x_src.bits == 1 and geom.get("padding", 0) and not geom.get("pad_minus_one"):
            self.err("a conv with padding on a +-1 map: ONNX pads with 0, bitsys's +-1 maps pad with -1 (write "
                     "Pad(mode=constant, value=-1) before the conv, with pads 0 on the conv)")
        name = self.layer_name()
        spec = self.weight_spec(q)
        if kind == "conv2d":
            cout, cin_g, kh, kw = q.shape
            C, H, W = x_src.shape
            p, st = geom["padding"], geom["stride"]
            oh, ow = (H + 2 * p - kh) // st + 1, (W + 2 * p - kw) // st + 1
            layer = {"name": name, "type": "conv2d", "inputs": [x_src.name], "out_channels": int(cout),
                     "kernel": [int(kh), int(kw)] if kh != kw else int(kh), "stride": st, "padding": p,
                     "groups": geom["groups"], "weights": spec, "_shape": (int(cout), oh, ow)}
            if C != cin_g * geom["groups"]:
                self.err("input has %d channels, the weights %d x %d groups" % (C, cin_g, geom["groups"]))
            K = cin_g * kh * kw
        else:
            cout, K = q.shape
            feat = int(np.prod(x_src.shape))
            if feat != K:
                self.err("input has %d features, the weights %d" % (feat, K))
            layer = {"name": name, "type": "fc", "inputs": [x_src.name], "out_features": int(cout), "weights": spec,
                     "_shape": (int(cout),)}
        self.tensors[name + ".weights"] = q
        amax = 1 if x_src.bits == 1 else (1 << x_src.bits)
        bound = K * amax * int(np.abs(q).max())
        a = float(x_src.scale) * ws
        b = np.zeros(cout)
        if bias_float is not None:
            b = b + bias_float.astype(np.float64).reshape(-1)
        return Acc(layer, a, b, bound)

    def conv_geom(self, pads_extra=0):
        n = self.node
        pads = list(attr(n, "pads", [0, 0, 0, 0]))
        strides = list(attr(n, "strides", [1, 1]))
        dil = list(attr(n, "dilations", [1, 1]))
        if attr(n, "auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            self.err("auto_pad: write explicit pads")
        if any(d != 1 for d in dil):
            self.err("dilations %s: bitsys convs are not dilated" % dil)
        if len(set(pads)) != 1:
            self.err("pads %s: bitsys pads every side equally" % pads)
        if len(set(strides)) != 1:
            self.err("strides %s: bitsys strides both axes equally" % strides)
        if pads_extra and pads[0]:
            self.err("a Pad before a padded conv")
        return {"padding": int(pads[0]) + pads_extra, "stride": int(strides[0]), "groups": int(attr(n, "group", 1)),
                "pad_minus_one": bool(pads_extra)}

    # -- nodes
    def run(self):
        for node in self.model.graph.node:
            self.node = node
            handler = getattr(self, "op_" + node.op_type, None)
            if handler is None or node.domain not in ("", "ai.onnx"):
                self.err("unsupported op type; bitsys imports %s" % SUPPORTED)
            out = handler(node)
            if out is not None:
                self.vals[node.output[0]] = out
        outs = [o.name for o in self.model.graph.output]
        for o in outs:
            v = self.vals.get(o)
            if isinstance(v, Float) and not v.chain:
                continue
            if isinstance(v, QTensor):
                continue
            fail("%s: output '%s' is not an integer map (end the graph with QuantizeLinear, or its "
                 "DequantizeLinear)" % (self.path, o))

    def op_Constant(self, n):
        v = attr(n, "value")
        self.consts[n.output[0]] = self.numpy_helper.to_array(v)

    def op_Identity(self, n):
        return self.get(n.input[0])

    op_Dropout = op_Identity

    def op_QuantizeLinear(self, n):
        x = self.get(n.input[0])
        if isinstance(x, np.ndarray):  # constant folding of weights / biases
            s = self.const(n.input[1], "scale")
            zp = self.const(n.input[2], "zero point") if len(n.input) > 2 and n.input[2] else np.zeros((), np.uint8)
            ax = attr(n, "axis", 1)
            sh = [1] * x.ndim
            if s.size > 1:
                sh[ax] = -1
            info = np.iinfo(zp.dtype)
            q = np.clip(np.rint(x / s.reshape(sh)) + zp.reshape(sh if zp.size > 1 else ()), info.min, info.max)
            self.consts[n.output[0]] = q.astype(zp.dtype)
            return None
        s, bits, signed = self.qparams(n.input[1], n.input[2] if len(n.input) > 2 else "", "output")
        if s.size != 1:
            self.err("per-channel activation scales: bitsys maps have one scale")
        return self.quantize(x, float(s.reshape(-1)[0]), bits, signed, n.output[0])

    def op_DequantizeLinear(self, n):
        x = self.get(n.input[0])
        s = self.const(n.input[1], "scale")
        zp_name = n.input[2] if len(n.input) > 2 else ""
        if isinstance(x, np.ndarray):
            zp = self.const(zp_name, "zero point") if zp_name else np.zeros((), x.dtype)
            if np.any(zp != 0):
                self.err("weight zero point must be 0 (symmetric)")
            if x.dtype == np.int32:  # a bias: its float value
                return x.astype(np.float64) * s.astype(np.float64).reshape(-1 if s.size > 1 else ())
            return ConstQ(x.astype(np.int64), s.astype(np.float64).reshape(-1))
        if isinstance(x, QTensor):
            sc, _, _ = self.qparams(n.input[1], zp_name, "input") if zp_name else (s, 0, 0)
            if np.float32(sc.reshape(-1)[0]) != np.float32(x.scale) or sc.size != 1:
                self.err("scale %s differs from the QuantizeLinear's %s" % (sc.reshape(-1)[0], x.scale))
            return Float(x)
        self.err("input '%s' is not a quantized tensor" % n.input[0])

    def op_Sign(self, n):
        x = self.get(n.input[0])
        if isinstance(x, np.ndarray):
            if np.any(x == 0):
                self.err("weights with zeros: Sign gives 0, 1-bit weights are +-1")
            return ConstQ(np.sign(x).astype(np.int64), np.ones(1))
        if isinstance(x, Acc):
            return self.sign_acc(x)
        f = self.float_of(n.input[0])
        if f.pad:
            self.err("a Pad must feed a Conv directly")
        if f.src.bits == 1 and not f.chain:
            return f
        name = self.layer_name()
        d, y = self.table(f)
        self.threshold_table(name, d, y)
        self.add_layer({"name": name, "type": "sign", "inputs": [f.src.name], "output": {"bits": 1}})
        return Float(QTensor(name, f.src.shape, 1, True, 1.0))

    def sign_acc(self, acc):
        """Sign(acc * a + b): the GEMM's output stage keeps acc * (+-1) + threshold, a fused sign
        makes it +-1."""
        layer = acc.layer
        if acc.post:
            self.err("Sign after Relu")
        scale, bias = [], []
        for c in range(len(acc.a)):
            a, b = acc.a[c], acc.b[c]
            if a == 0:
                if b == 0:
                    self.err("Sign of a constant 0 (channel %d)" % c)
                scale.append(0), bias.append(0 if b > 0 else -1)
                continue
            t = -b / a
            if t == math.floor(t) and abs(t) <= acc.bound:
                self.err("Sign's input is exactly 0 when the accumulator is %d (channel %d): ONNX gives 0 there, a "
                         "+-1 map cannot hold it" % (int(t), c))
            if a > 0:
                scale.append(1), bias.append(-int(math.ceil(t)))
            else:
                scale.append(-1), bias.append(int(math.floor(t)))
        bias = np.clip(bias, -(2**31 - 1), 2**31 - 1)
        layer["output"] = {"bits": 8, "signed": True}  # saturating keeps the sign
        self.tensors[layer["name"] + ".scale"] = np.array(scale, np.int64)
        self.tensors[layer["name"] + ".bias"] = np.array(bias, np.int64)
        self.add_layer(layer)
        name = self.layer_name()
        self.add_layer({"name": name, "type": "sign", "inputs": [layer["name"]], "output": {"bits": 1}})
        return Float(QTensor(name, layer["_shape"], 1, True, 1.0))

    def op_Pad(self, n):
        f = self.float_of(n.input[0])
        mode = attr(n, "mode", b"constant")
        pads = self.const(n.input[1], "pads").tolist() if len(n.input) > 1 else list(attr(n, "pads", []))
        value = float(self.const(n.input[2], "constant value").reshape(-1)[0]) if len(n.input) > 2 and n.input[2] \
            else float(attr(n, "value", 0.0))
        if mode not in (b"constant", "constant") or f.chain or f.src.bits != 1 or value != -1.0:
            self.err("bitsys imports Pad only as value -1 on a +-1 map (how its binary convs pad)")
        if len(pads) != 8 or any(pads[i] for i in (0, 1, 4, 5)) or len(set(pads[2:4] + pads[6:8])) != 1:
            self.err("pads %s: only equal spatial padding" % pads)
        return Float(f.src, [], pad=int(pads[2]))

    def op_Conv(self, n):
        f = self.float_of(n.input[0])
        if f.chain:
            self.plain(n.input[0])
        x = f.src
        w = self.get(n.input[1])
        cout = (w.q if isinstance(w, ConstQ) else w).shape[0]
        q, ws = self.weight_q(n.input[1], cout)
        bias = self.get(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        if bias is not None and not isinstance(bias, np.ndarray):
            self.err("bias must be constant")
        return self.gemm(x, q, ws, "conv2d", self.conv_geom(f.pad), bias_float=bias)

    def op_Gemm(self, n):
        x = self.plain(n.input[0])
        if attr(n, "alpha", 1.0) != 1.0 or attr(n, "beta", 1.0) != 1.0 or attr(n, "transA", 0):
            self.err("alpha, beta or transA: bitsys imports Gemm(A, B, C) with transB only")
        w = self.get(n.input[1])
        if isinstance(w, ConstQ):
            q, s = w.q, w.scale.reshape(-1)
        elif isinstance(w, np.ndarray) and (w.dtype.kind in "iu" or np.all(np.abs(w) == 1)):
            q, s = w.astype(np.int64), np.ones(1)
        else:
            self.err("weights '%s' must be quantized constants" % n.input[1])
        if not attr(n, "transB", 0):
            q = q.T
        cout = q.shape[0]
        if s.size not in (1, cout):
            self.err("weight scale must be per tensor or per output feature")
        bias = self.get(n.input[2]) if len(n.input) > 2 and n.input[2] else None
        if bias is not None and not isinstance(bias, np.ndarray):
            self.err("bias must be constant")
        return self.gemm(x, q, np.broadcast_to(s, (cout,)).astype(np.float64), "fc", {}, bias_float=bias)

    def op_MatMul(self, n):
        x = self.plain(n.input[0])
        w = self.get(n.input[1])
        if isinstance(w, ConstQ):
            if w.scale.size > 1:
                ws = w.scale.reshape(-1)
            else:
                ws = np.full(w.q.shape[1], float(w.scale.reshape(-1)[0]))
            return self.gemm(x, w.q.T, ws, "fc", {})
        if isinstance(w, np.ndarray) and np.all(np.abs(w) == 1):
            return self.gemm(x, w.T.astype(np.int64), np.ones(w.shape[1]), "fc", {})
        self.err("MatMul weights must be quantized constants")

    def integer_input(self, name):
        v = self.get(name)
        if not isinstance(v, QTensor):
            self.err("input '%s' must be a QuantizeLinear output" % name)
        return v

    def op_QLinearConv(self, n):
        x = self.integer_input(n.input[0])
        xs, _, _ = self.qparams(n.input[1], n.input[2], "input")
        if np.float32(xs.reshape(-1)[0]) != np.float32(x.scale):
            self.err("input scale differs from the tensor's")
        q = self.const(n.input[3], "weights")
        ws, _, _ = self.qparams(n.input[4], n.input[5], "weight")
        ys, bits, signed = self.qparams(n.input[6], n.input[7], "output")
        acc = self.gemm(x, q.astype(np.int64), np.broadcast_to(ws.reshape(-1), (q.shape[0],)).astype(np.float64),
                        "conv2d", self.conv_geom())
        if len(n.input) > 8 and n.input[8]:
            acc.b = acc.b + self.const(n.input[8], "bias").astype(np.float64) * acc.a
        return self.quantize(acc, float(ys.reshape(-1)[0]), bits, signed, n.output[0])

    def op_QLinearMatMul(self, n):
        x = self.integer_input(n.input[0])
        q = self.const(n.input[3], "weights").T
        ws, _, _ = self.qparams(n.input[4], n.input[5], "weight")
        ys, bits, signed = self.qparams(n.input[6], n.input[7], "output")
        acc = self.gemm(x, q.astype(np.int64), np.broadcast_to(ws.reshape(-1), (q.shape[0],)).astype(np.float64),
                        "fc", {})
        return self.quantize(acc, float(ys.reshape(-1)[0]), bits, signed, n.output[0])

    def op_ConvInteger(self, n):
        x = self.integer_input(n.input[0])
        for i in (2, 3):
            if len(n.input) > i and n.input[i] and np.any(self.const(n.input[i], "zero point") != 0):
                self.err("zero points must be 0 (symmetric)")
        q = self.const(n.input[1], "weights").astype(np.int64)
        acc = self.gemm(x, q, np.ones(q.shape[0]), "conv2d", self.conv_geom())
        acc.a = np.ones(q.shape[0])  # the integer accumulator itself
        return acc

    def op_MatMulInteger(self, n):
        x = self.integer_input(n.input[0])
        q = self.const(n.input[1], "weights").astype(np.int64).T
        acc = self.gemm(x, q, np.ones(q.shape[0]), "fc", {})
        acc.a = np.ones(q.shape[0])
        return acc

    def op_Cast(self, n):
        v = self.get(n.input[0])
        if isinstance(v, Acc):
            return v
        self.err("Cast only of a ConvInteger / MatMulInteger accumulator")

    def channel_const(self, name, C):
        c = np.asarray(self.const(name, "constant"), np.float32)
        if c.size == 1:
            return c.reshape(()), np.full(C, float(c.reshape(-1)[0]))
        if c.size == C and (c.ndim == 1 or c.shape[-2:] == (1, 1) or c.ndim == 4 and c.shape[1] == C):
            return c.reshape(C, 1), c.reshape(-1).astype(np.float64)
        self.err("constant of shape %s: per channel (C, 1, 1) or a scalar" % (c.shape,))

    def op_BatchNormalization(self, n):
        v = self.get(n.input[0])
        eps = np.float32(attr(n, "epsilon", 1e-5))
        g, b, m, var = (np.asarray(self.const(i, "BatchNormalization parameter"), np.float32).reshape(-1)
                        for i in n.input[1:5])
        C = g.size
        if isinstance(v, Acc):
            gd, bd, md, vd = (x.astype(np.float64) for x in (g, b, m, var))
            k = gd / np.sqrt(vd + float(eps))
            return Acc(v.layer, v.a * k, (v.b - md) * k + bd, v.bound, v.post)
        f = self.float_of(n.input[0])
        fn = lambda x: ((x - m.reshape(C, 1)) / np.sqrt(var.reshape(C, 1) + eps) * g.reshape(C, 1) +  # noqa: E731
                        b.reshape(C, 1))
        return Float(f.src, f.chain + [("BatchNormalization", n.name or n.output[0], fn)])

    def op_PRelu(self, n):
        f = self.float_of(n.input[0])
        C = f.src.shape[0]
        sl, _ = self.channel_const(n.input[1], C)
        fn = lambda x: np.where(x < 0, x * sl, x)  # noqa: E731
        return Float(f.src, f.chain + [("PRelu", n.name or n.output[0], fn)])

    def op_Relu(self, n):
        v = self.get(n.input[0])
        if isinstance(v, Acc):
            return Acc(v.layer, v.a, v.b, v.bound, v.post + [("Relu", n.name or n.output[0])])
        if isinstance(v, Sum):
            return Sum(v.node, v.terms, v.post + [n.name or n.output[0]])
        if isinstance(v, QTensor):
            name = self.layer_name()
            self.add_layer({"name": name, "type": "relu", "inputs": [v.name],
                            "output": {"bits": v.bits, "signed": v.signed}})
            return QTensor(name, v.shape, v.bits, v.signed, v.scale)
        f = self.float_of(n.input[0])
        return Float(f.src, f.chain + [("Relu", n.name or n.output[0], lambda x: np.maximum(x, np.float32(0)))])

    def arith(self, n, kind):
        a, b = self.get(n.input[0]), self.get(n.input[1])
        if isinstance(a, np.ndarray) and not isinstance(b, np.ndarray) and kind != "Sub":
            a, b = b, a
        if isinstance(a, np.ndarray):
            self.err("constant first operand of Sub")
        if isinstance(b, np.ndarray):
            C = a.layer["_shape"][0] if isinstance(a, Acc) else a.src.shape[0] if isinstance(a, Float) else None
            if C is None:
                self.err("operand '%s' is not a dequantized tensor" % n.input[0])
            cname = n.input[1] if isinstance(self.get(n.input[1]), np.ndarray) else n.input[0]
            cb, cd = self.channel_const(cname, C)
            if isinstance(a, Acc):
                if a.post:
                    self.err("arithmetic after Relu on an accumulator: quantize first")
                if kind == "Mul":
                    return Acc(a.layer, a.a * cd, a.b * cd, a.bound)
                return Acc(a.layer, a.a, a.b + (cd if kind == "Add" else -cd), a.bound)
            fn = {"Add": lambda x: x + cb, "Sub": lambda x: x - cb, "Mul": lambda x: x * cb}[kind]
            return Float(a.src, a.chain + [(kind, n.name or n.output[0], fn)])
        if kind != "Add":
            self.err("%s of two tensors: bitsys adds tensors, it does not subtract or multiply them" % kind)
        terms = []
        for i in n.input:
            v = self.get(i)
            if isinstance(v, Sum):
                terms += v.terms
            else:
                self.plain(i)
                terms.append(v)
        return Sum(n.name or n.output[0], terms)

    def op_Add(self, n):
        return self.arith(n, "Add")

    def op_Sub(self, n):
        return self.arith(n, "Sub")

    def op_Mul(self, n):
        return self.arith(n, "Mul")

    def pool_geom(self, n):
        k = list(attr(n, "kernel_shape"))
        st = list(attr(n, "strides", [1, 1]))
        pads = list(attr(n, "pads", [0, 0, 0, 0]))
        if attr(n, "ceil_mode", 0) or len(set(k)) != 1 or len(set(st)) != 1 or len(set(pads)) != 1:
            self.err("bitsys pools have square kernels, equal strides and pads, and no ceil_mode")
        if list(attr(n, "dilations", [1, 1])) != [1, 1]:
            self.err("dilated pools")
        return int(k[0]), int(st[0]), int(pads[0])

    def pool_out(self, shape, k, s, p):
        C, H, W = shape
        return (C, (H + 2 * p - k) // s + 1, (W + 2 * p - k) // s + 1)

    def op_MaxPool(self, n):
        v = self.get(n.input[0])
        src = v if isinstance(v, QTensor) else self.plain(n.input[0])
        k, s, p = self.pool_geom(n)
        name = self.layer_name()
        self.add_layer({"name": name, "type": "maxpool", "inputs": [src.name], "kernel": k, "stride": s, "padding": p,
                        "output": {"bits": src.bits, "signed": src.signed}})
        q = QTensor(name, self.pool_out(src.shape, k, s, p), src.bits, src.signed, src.scale)
        return q if isinstance(v, QTensor) else Float(q)

    def op_AveragePool(self, n):
        src = self.plain(n.input[0])
        k, s, p = self.pool_geom(n)
        if p and attr(n, "count_include_pad", 0):
            self.err("count_include_pad: bitsys averages over the positions inside the map")
        name = self.layer_name()
        layer = {"name": name, "type": "avgpool", "inputs": [src.name], "kernel": k, "stride": s, "padding": p,
                 "_shape": self.pool_out(src.shape, k, s, p)}
        return Pool(layer, src)

    def op_GlobalAveragePool(self, n):
        src = self.plain(n.input[0])
        name = self.layer_name()
        layer = {"name": name, "type": "avgpool", "inputs": [src.name], "global": True, "_shape": (src.shape[0], 1, 1)}
        return Pool(layer, src)

    def op_Resize(self, n):
        src = self.plain(n.input[0])
        mode = attr(n, "mode", b"nearest")
        ctm = attr(n, "coordinate_transformation_mode", b"half_pixel")
        nm = attr(n, "nearest_mode", b"round_prefer_floor")
        if mode not in (b"nearest", "nearest") or ctm not in (b"asymmetric", "asymmetric") or \
                nm not in (b"floor", "floor"):
            self.err("bitsys imports Resize as nearest upsampling (mode nearest, coordinate_transformation_mode "
                     "asymmetric, nearest_mode floor)")
        scales = self.const(n.input[2], "scales") if len(n.input) > 2 and n.input[2] else None
        if scales is None or scales.size != 4:
            sizes = self.const(n.input[3], "sizes")
            scales = sizes.astype(np.float64) / np.array((1,) + src.shape)
        s = scales.reshape(-1)
        if s[0] != 1 or s[1] != 1 or s[2] != s[3] or s[2] != int(s[2]) or s[2] < 1:
            self.err("scales %s: bitsys upsamples by one integer factor" % s.tolist())
        name = self.layer_name()
        f = int(s[2])
        self.add_layer({"name": name, "type": "upsample", "inputs": [src.name], "scale": f, "mode": "nearest",
                        "output": {"bits": src.bits, "signed": src.signed}})
        C, H, W = src.shape
        return Float(QTensor(name, (C, H * f, W * f), src.bits, src.signed, src.scale))

    def op_Concat(self, n):
        if attr(n, "axis") != 1:
            self.err("bitsys concatenates channels (axis 1)")
        srcs = [self.plain(i) for i in n.input]
        if len({(s.scale, s.bits, s.signed) for s in srcs}) != 1:
            self.err("inputs at different scales or precisions: requantize them first")
        name = self.layer_name()
        self.add_layer({"name": name, "type": "concat", "inputs": [s.name for s in srcs],
                        "output": {"bits": srcs[0].bits, "signed": srcs[0].signed}})
        s0 = srcs[0]
        return Float(QTensor(name, (sum(s.shape[0] for s in srcs),) + tuple(s0.shape[1:]), s0.bits, s0.signed,
                             s0.scale))

    def op_Flatten(self, n):
        v = self.get(n.input[0])
        if isinstance(v, QTensor):  # bitsys's fc reads its input flattened
            return v
        f = self.float_of(n.input[0])
        if attr(n, "axis", 1) != 1:
            self.err("bitsys flattens from axis 1")
        return f

    def op_Reshape(self, n):
        f = self.float_of(n.input[0])
        shape = self.const(n.input[1], "shape").tolist()
        feats = int(np.prod(f.src.shape))
        if not (len(shape) == 2 and shape[0] in (1, 0, -1) and shape[1] in (-1, feats)):
            self.err("shape %s: bitsys reshapes only to (batch, features) before a Gemm or MatMul" % shape)
        return f


def round_div_even(num, den):
    q, r = np.divmod(num, den)
    up = (2 * r > den) | ((2 * r == den) & (q % 2 == 1))
    return q + up


def write_outputs(doc, tensors, out, tdir, input_q):
    """Everything or nothing: every file goes to a temporary beside it, renamed once all are written."""
    pending = []
    try:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        files = [(out, json.dumps(doc, indent=1).encode() + b"\n")]
        if tdir:
            os.makedirs(tdir, exist_ok=True)
            import io
            for name, arr in sorted(tensors.items()):
                b = io.BytesIO()
                np.save(b, np.ascontiguousarray(arr.astype(np.int64)))
                files.append((os.path.join(tdir, name + ".npy"), b.getvalue()))
            if input_q is not None:
                b = io.BytesIO()
                np.save(b, input_q[1])
                for layer in doc["layers"]:
                    if layer.get("type") in ("conv2d", "fc") and input_q[0] in layer["inputs"]:
                        files.append((os.path.join(tdir, layer["name"] + ".input.npy"), b.getvalue()))
        for path, data in files:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".import-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            pending.append((tmp, path))
        for tmp, path in pending:
            os.replace(tmp, path)
        pending = []
    except OSError as e:
        fail("%s: cannot write (%s)" % (e.filename or out, e.strerror))
    finally:
        for tmp, _ in pending:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def import_model(path, input_values=None):
    """(workload dict, {file stem: int array}, (input layer, quantized input) or None)."""
    try:
        import onnx
    except ImportError:
        fail("onnx is missing (Debian package python3-onnx; scripts/setup.sh installs it)")
    if not os.path.isfile(path):
        fail("%s: no such file" % path)
    def invalid(e):
        msg = str(e).strip().splitlines()
        fail("%s: not a valid ONNX model (%s)" % (path, msg[0] if msg else type(e).__name__))

    try:
        model = onnx.load(path)
    except Exception as e:
        invalid(e)
    quant_ops = {"QuantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger"}
    imp = Importer(path, model, input_values)
    if not any(n.op_type in quant_ops for n in model.graph.node):
        fail("%s: no QuantizeLinear, QLinear or Integer op: a float-only graph; bitsys imports quantized graphs "
             "(QDQ or integer ops)" % path)
    imp.input_q = None
    imp.run()  # names the node first; the checker then catches what the walk does not read
    try:
        onnx.checker.check_model(model)
    except Exception as e:
        invalid(e)
    layers = []
    for l in imp.layers:
        layers.append({k: v for k, v in l.items() if not k.startswith("_")})
    name = os.path.splitext(os.path.basename(path))[0]
    doc = {"name": model.graph.name or name, "source": "imported from %s by bitsys import-onnx" % os.path.basename(path),
           "notes": "; ".join(imp.notes) or "every requantization exact (dyadic scale ratios)", "batch": 1,
           "inputs": imp.inputs, "layers": layers}
    if not layers:
        fail("%s: no layer to import" % path)
    return doc, imp.tensors, imp.input_q


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--out", required=True, help="the workload JSON to write")
    ap.add_argument("--tensors", default="", help="folder for <layer>.weights.npy and the supplied parameters")
    ap.add_argument("--input", default="", help="a float .npy for the graph's input: quantized as the graph does "
                                                "and written as <layer>.input.npy for the layers reading it")
    a = ap.parse_args(argv)
    try:
        x = None
        if a.input:
            if not a.tensors:
                fail("--input: needs --tensors (where the quantized input goes)")
            try:
                x = np.load(a.input)
            except Exception as e:
                fail("%s: not a .npy file (%s)" % (a.input, e))
        doc, tensors, input_q = import_model(a.model, x)
        write_outputs(doc, tensors if a.tensors else {}, a.out, a.tensors, input_q)
    except ImportError_ as e:
        sys.stderr.write("%s\n" % e)
        return 2
    print("imported %s: %d layers, %d inputs -> %s%s" % (a.model, len(doc["layers"]), len(doc["inputs"]), a.out,
                                                           (" and %d tensors in %s" % (len(tensors), a.tensors))
                                                           if a.tensors else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
