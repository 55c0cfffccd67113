"""An ONNX interpreter in NumPy for the ops the import tests use, written from the ONNX operator
specification and sharing nothing with bitsys or its importer: float ops in float32 as ONNX
defines them, QuantizeLinear rounding half to even and saturating, integer ops in int64.
It is the independent reference the imported networks' outputs are held to, bit for bit."""
import numpy as np
import onnx
from onnx import helper, numpy_helper


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _axis_shape(scale, x, axis):
    if scale.size == 1:
        return scale.reshape(())
    sh = [1] * x.ndim
    sh[axis] = -1
    return scale.reshape(sh)


def _pad4(x, p, value):
    return np.pad(x, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])), constant_values=value)


def _conv(x, w, pads, strides, group, acc_dtype):
    x = _pad4(x, pads, 0)
    n, c, h, wd = x.shape
    co, cig, kh, kw = w.shape
    sh, sw = strides
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    out = np.zeros((n, co, oh, ow), acc_dtype)
    cog = co // group
    for g in range(group):
        xs = x[:, g * cig:(g + 1) * cig].astype(acc_dtype)
        ws = w[g * cog:(g + 1) * cog].astype(acc_dtype)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw]
                out[:, g * cog:(g + 1) * cog] += np.einsum("nchw,oc->nohw", patch, ws[:, :, i, j])
    return out


def _pool(x, k, s, pads, kind, count_include_pad=0):
    n, c, h, w = x.shape
    oh, ow = (h + pads[0] + pads[2] - k[0]) // s[0] + 1, (w + pads[1] + pads[3] - k[1]) // s[1] + 1
    out = np.zeros((n, c, oh, ow), x.dtype)
    for y in range(oh):
        for xx in range(ow):
            y0, x0 = y * s[0] - pads[0], xx * s[1] - pads[1]
            ys, xs = max(y0, 0), max(x0, 0)
            ye, xe = min(y0 + k[0], h), min(x0 + k[1], w)
            win = x[:, :, ys:ye, xs:xe]
            if kind == "max":
                out[:, :, y, xx] = win.max(axis=(2, 3))
            else:
                cnt = k[0] * k[1] if count_include_pad else win.shape[2] * win.shape[3]
                out[:, :, y, xx] = (win.sum(axis=(2, 3), dtype=np.float32) / np.float32(cnt)).astype(np.float32)
    return out


def _quantize(x, s, zp, axis):
    info = np.iinfo(zp.dtype)
    q = np.rint(x.astype(np.float32) / _axis_shape(s.astype(np.float32), x, axis)) + \
        _axis_shape(zp.astype(np.float32), x, axis)
    return np.clip(q, info.min, info.max).astype(zp.dtype)


def _dequantize(q, s, zp, axis):
    return ((q.astype(np.int64) - _axis_shape(zp.astype(np.int64), q, axis)).astype(np.float32) *
            _axis_shape(s.astype(np.float32), q, axis)).astype(np.float32)


def run(model, feeds):
    """Every tensor of the graph, by name."""
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        a = _attrs(node)
        i = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "QuantizeLinear":
            y = _quantize(i[0], i[1], i[2] if len(i) > 2 else np.zeros((), np.uint8), a.get("axis", 1))
        elif op == "DequantizeLinear":
            y = _dequantize(i[0], i[1], i[2] if len(i) > 2 else np.zeros((), i[0].dtype), a.get("axis", 1))
        elif op in ("Conv", "ConvInteger", "QLinearConv"):
            if op == "QLinearConv":
                x, w = i[0].astype(np.int64) - i[2].astype(np.int64), i[3].astype(np.int64)
            else:
                x, w = i[0], i[1]
            k = w.shape[2:]
            pads, strides = a.get("pads", [0, 0, 0, 0]), a.get("strides", [1, 1])
            if op == "Conv":
                y = _conv(x, w, pads, strides, a.get("group", 1), np.float64).astype(np.float32)
                if len(i) > 2 and i[2] is not None:
                    y = (y + i[2].reshape(1, -1, 1, 1)).astype(np.float32)
            else:
                y = _conv(x.astype(np.int64), w.astype(np.int64), pads, strides, a.get("group", 1), np.int64)
                if op == "ConvInteger":
                    y = y.astype(np.int32)
                else:
                    if len(i) > 8 and i[8] is not None:
                        y = y + i[8].reshape(1, -1, 1, 1)
                    m = (np.float32(i[1]) * i[4].astype(np.float32) / np.float32(i[6])).astype(np.float32)
                    y = _quantize((y.astype(np.float32) * m.reshape(1, -1, 1, 1) if m.size > 1 else
                                   y.astype(np.float32) * m).astype(np.float32), np.ones((), np.float32), i[7], 1)
            del k
        elif op in ("MatMul", "MatMulInteger", "QLinearMatMul"):
            if op == "MatMul":
                y = (i[0].astype(np.float64) @ i[1].astype(np.float64)).astype(np.float32)
            elif op == "MatMulInteger":
                y = (i[0].astype(np.int64) @ i[1].astype(np.int64)).astype(np.int32)
            else:
                acc = i[0].astype(np.int64) @ i[3].astype(np.int64)
                m = (np.float32(i[1]) * i[4].astype(np.float32) / np.float32(i[6])).astype(np.float32)
                y = _quantize((acc.astype(np.float32) * m).astype(np.float32), np.ones((), np.float32), i[7], 1)
        elif op == "Gemm":
            b = i[1].T if a.get("transB", 0) else i[1]
            y = (i[0].astype(np.float64) @ b.astype(np.float64)).astype(np.float32)
            if len(i) > 2 and i[2] is not None:
                y = (y + i[2]).astype(np.float32)
        elif op == "Cast":
            y = i[0].astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])
        elif op == "Relu":
            y = np.maximum(i[0], 0).astype(i[0].dtype)
        elif op == "Sign":
            y = np.sign(i[0]).astype(i[0].dtype)
        elif op == "Add":
            y = (i[0] + i[1]).astype(np.float32)
        elif op == "Sub":
            y = (i[0] - i[1]).astype(np.float32)
        elif op == "Mul":
            y = (i[0] * i[1]).astype(i[0].dtype)
        elif op == "PRelu":
            y = np.where(i[0] < 0, i[0] * i[1], i[0]).astype(np.float32)
        elif op == "BatchNormalization":
            sh = (1, -1, 1, 1)
            eps = np.float32(a.get("epsilon", 1e-5))
            y = ((i[0] - i[3].reshape(sh)) / np.sqrt(i[4].reshape(sh) + eps) * i[1].reshape(sh) +
                 i[2].reshape(sh)).astype(np.float32)
        elif op == "MaxPool":
            y = _pool(i[0], a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]), "max")
        elif op == "AveragePool":
            y = _pool(i[0], a["kernel_shape"], a.get("strides", [1, 1]), a.get("pads", [0, 0, 0, 0]), "avg",
                      a.get("count_include_pad", 0))
        elif op == "GlobalAveragePool":
            y = (i[0].sum(axis=(2, 3), keepdims=True, dtype=np.float32) /
                 np.float32(i[0].shape[2] * i[0].shape[3])).astype(np.float32)
        elif op == "Flatten":
            y = i[0].reshape(i[0].shape[0], -1)
        elif op == "Reshape":
            y = i[0].reshape(tuple(int(d) for d in i[1]))
        elif op == "Pad":
            p = i[1].tolist()
            y = np.pad(i[0], [(p[k], p[k + 4]) for k in range(4)], constant_values=i[2].reshape(-1)[0] if
                       len(i) > 2 else 0).astype(i[0].dtype)
        elif op == "Concat":
            y = np.concatenate(i, axis=a["axis"])
        elif op == "Resize":
            s = i[2].astype(int)
            y = i[0].repeat(s[2], axis=2).repeat(s[3], axis=3)
        elif op == "Identity":
            y = i[0]
        else:
            raise NotImplementedError(op)
        env[node.output[0]] = y
    return env
