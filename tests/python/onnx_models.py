"""Small networks trained for a few steps with Debian's PyTorch, then written as quantized ONNX graphs
with onnx.helper: torch 1.13's exporter writes float graphs (and fake-quant ops only for eager-mode
quantized modules, which have no binary weights), so the quantized graphs are written directly from
the trained weights, the way a deployment flow would write them.

Quantization is symmetric with power-of-two scales (weights per output channel, activations per
tensor), and BatchNorm, PReLU and bias constants are rounded to dyadic values, so every float op of
the graph is exact in float32 and the graph's integer meaning is unambiguous; thresholds before a
Sign sit half-way between integers (ONNX's Sign(0) = 0 never arises). Each builder returns
(model, input, float output of the trained PyTorch model)."""
import math

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper


def pow2_scale(maxabs, qmax):
    return 2.0 ** math.ceil(math.log2(max(maxabs, 1e-8) / qmax))


def dyadic(x, frac_bits=5):
    return np.round(np.asarray(x, np.float64) * 2**frac_bits) / 2**frac_bits


class Graph:
    def __init__(self, name):
        self.name, self.nodes, self.inits, self.n = name, [], [], 0

    def uid(self, base):
        self.n += 1
        return "%s_%d" % (base, self.n)

    def const(self, arr, base="c"):
        name = self.uid(base)
        self.inits.append(numpy_helper.from_array(np.asarray(arr), name))
        return name

    def node(self, op, inputs, name=None, **attrs):
        name = name or self.uid(op.lower())
        out = name + "_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def q(self, x, scale, signed=True, name=None):
        zp = np.zeros((), np.int8 if signed else np.uint8)
        return self.node("QuantizeLinear", [x, self.const(np.float32(scale), "s"), self.const(zp, "zp")], name)

    def dq(self, x, scale, signed=True):
        zp = np.zeros((), np.int8 if signed else np.uint8)
        return self.node("DequantizeLinear", [x, self.const(np.float32(scale), "s"), self.const(zp, "zp")])

    def qdq(self, x, scale, signed=True, name=None):
        return self.dq(self.q(x, scale, signed, name), scale, signed)

    def weights(self, w, bits=8):
        """Per-output-channel power-of-two scales: (integers, scales)."""
        w = w.detach().numpy().astype(np.float64)
        qmax = (1 << (bits - 1)) - 1
        s = np.array([pow2_scale(np.abs(w[c]).max(), qmax) for c in range(w.shape[0])])
        q = np.clip(np.rint(w / s.reshape((-1,) + (1,) * (w.ndim - 1))), -qmax - 1, qmax).astype(np.int8)
        return q, s

    def dq_weights(self, q, s):
        zp = np.zeros(len(s), np.int8)
        return self.node("DequantizeLinear", [self.const(q, "w"), self.const(s.astype(np.float32), "ws"),
                                              self.const(zp, "wzp")], axis=0)

    def model(self, x_shape, out):
        g = helper.make_graph(self.nodes, self.name,
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, 10])], self.inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
        m.ir_version = 7
        onnx.checker.check_model(m)
        return m


def train(model, x_shape, steps=25, seed=0):
    """A few Adam steps on a synthetic task (a random linear teacher on the inputs)."""
    g = torch.Generator().manual_seed(seed)
    teacher = torch.randn(int(np.prod(x_shape)), 10, generator=g)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(steps):
        x = torch.randn((16,) + tuple(x_shape), generator=g)
        loss = F.mse_loss(model(x), x.flatten(1) @ teacher / 20)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return model


def sign_ste(x):
    return x + (torch.where(x >= 0, 1.0, -1.0) - x).detach()


# ---- 8-bit residual CNN -------------------------------------------------------------------------


class ResCNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.c2 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.c3 = torch.nn.Conv2d(8, 8, 3, padding=1)
        self.c4 = torch.nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = torch.nn.Linear(16, 10)

    def forward(self, x):
        a = F.relu(self.c1(x))
        b = self.c3(F.relu(self.c2(a)))
        y = F.max_pool2d(F.relu(a + b), 2)
        y = F.relu(self.c4(y))
        return self.fc(F.adaptive_avg_pool2d(y, 1).flatten(1))


def calibrate(model, x, names):
    """max |activation| at each named point of a forward pass (hooks on modules)."""
    acts = {}
    hooks = [getattr(model, n).register_forward_hook(lambda m, i, o, n=n: acts.__setitem__(n, o.detach()))
             for n in names]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return acts


def residual_cnn(seed=0):
    torch.manual_seed(seed)
    m = train(ResCNN(), (3, 16, 16), seed=seed)
    x = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        y = m(x).numpy()
        a = F.relu(m.c1(x))
        b = m.c3(F.relu(m.c2(a)))
        r = F.relu(a + b)
        p4 = F.relu(m.c4(F.max_pool2d(r, 2)))
        gp = F.adaptive_avg_pool2d(p4, 1)
    s_in = pow2_scale(x.abs().max().item(), 127)
    s_a = pow2_scale(a.max().item(), 255)
    s_2 = pow2_scale(F.relu(m.c2(a)).max().item(), 255)
    s_b = s_a  # the residual branch at the shortcut's scale: a plain integer add
    s_r = pow2_scale(r.max().item(), 255)
    s_4 = pow2_scale(p4.max().item(), 255)
    s_g = pow2_scale(gp.max().item(), 255)
    s_y = pow2_scale(np.abs(y).max(), 127)
    g = Graph("residual_cnn")

    def conv(x, s_x, mod, name, **kw):
        q, s = g.weights(mod.weight)
        bias = np.rint(mod.bias.detach().numpy() / (s_x * s)).astype(np.int32)
        b = g.node("DequantizeLinear", [g.const(bias, "b"), g.const((s_x * s).astype(np.float32), "bs"),
                                        g.const(np.zeros(len(s), np.int32), "bzp")], axis=0)
        return g.node("Conv", [x, g.dq_weights(q, s), b], name=name, **kw)

    xi = g.qdq("x", s_in)
    a_ = g.qdq(g.node("Relu", [conv(xi, s_in, m.c1, "conv1", pads=[1] * 4)]), s_a, False)
    h = g.qdq(g.node("Relu", [conv(a_, s_a, m.c2, "conv2", pads=[1] * 4)]), s_2, False)
    b_ = g.qdq(conv(h, s_2, m.c3, "conv3", pads=[1] * 4), s_b, True)
    r_ = g.qdq(g.node("Relu", [g.node("Add", [a_, b_], name="add")]), s_r, False)
    p = g.node("MaxPool", [r_], name="pool", kernel_shape=[2, 2], strides=[2, 2])
    c4 = g.qdq(g.node("Relu", [conv(p, s_r, m.c4, "conv4", pads=[1] * 4, strides=[2, 2])]), s_4, False)
    gp_ = g.qdq(g.node("GlobalAveragePool", [c4], name="gap"), s_g, False)
    fl = g.node("Flatten", [gp_], axis=1)
    q, s = g.weights(m.fc.weight)
    bias = np.rint(m.fc.bias.detach().numpy() / (s_g * s)).astype(np.int32)
    b = g.node("DequantizeLinear", [g.const(bias, "b"), g.const((s_g * s).astype(np.float32), "bs"),
                                    g.const(np.zeros(len(s), np.int32), "bzp")], axis=0)
    out = g.qdq(g.node("Gemm", [fl, g.dq_weights(q, s), b], name="fc", transB=1), s_y)
    return g.model((1, 3, 16, 16), out), x.numpy(), y, s_y


# ---- BiNeal-style binary net --------------------------------------------------------------------


class BinNet(torch.nn.Module):
    """8-bit stem -> BN -> sign; a binary block (3x3 binary conv -> BN -> sign -> 3x3 binary conv,
    plus a binary 1x1 shortcut conv, their sum -> sign); global average pool; 8-bit fc."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn0 = torch.nn.BatchNorm2d(16)
        self.b1 = torch.nn.Conv2d(16, 16, 3, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(16)
        self.b2 = torch.nn.Conv2d(16, 16, 3, bias=False)
        self.sc = torch.nn.Conv2d(16, 16, 1, bias=False)
        self.fc = torch.nn.Linear(16, 10)

    def bconv(self, x, conv):
        return F.conv2d(F.pad(x, [conv.kernel_size[0] // 2] * 4, value=-1.0), sign_ste(conv.weight))

    def forward(self, x):
        a0 = sign_ste(self.bn0(self.stem(x)))
        a1 = sign_ste(self.bn1(self.bconv(a0, self.b1)))
        s = self.bconv(a1, self.b2) + self.bconv(a0, self.sc)
        a2 = sign_ste(s + 0.5)
        return self.fc(F.adaptive_avg_pool2d(a2, 1).flatten(1))


def binary_threshold_bn(g, bn, a, b, acc_name):
    """BatchNormalization whose Sign threshold lies half-way between two accumulator values, from
    the trained BN: gamma and beta kept (dyadic), the mean moved so that the threshold in
    accumulator units (acc * a + b) is k + 1/2."""
    gamma = dyadic(bn.weight.detach().numpy(), 4)
    gamma[gamma == 0] = 1 / 16
    beta = dyadic(bn.bias.detach().numpy(), 4)
    mean = bn.running_mean.detach().numpy()
    # BN(x) = (x - mean) * gamma + beta with var 1, eps 0: zero at x = mean - beta / gamma (x = acc * a + b).
    t_acc = ((mean - beta / gamma) - b) / a
    t_acc = np.floor(t_acc) + 0.5
    mean = t_acc * a + b + beta / gamma
    return g.node("BatchNormalization", [acc_name, g.const(gamma.astype(np.float32)), g.const(beta.astype(np.float32)),
                                         g.const(mean.astype(np.float32)), g.const(np.ones(len(gamma), np.float32))],
                  epsilon=0.0), (gamma, beta, mean)


def bineal(seed=0):
    torch.manual_seed(seed)
    m = train(BinNet(), (3, 16, 16), seed=seed)
    x = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(seed + 1))
    g = Graph("bineal_style")
    s_in = pow2_scale(x.abs().max().item(), 127)
    xi = g.qdq("x", s_in)
    q, s = g.weights(m.stem.weight)
    bn0, p0 = binary_threshold_bn(g, m.bn0, s_in * s, 0.0, g.node("Conv", [xi, g.dq_weights(q, s)], name="stem",
                                                                   pads=[1] * 4))
    bn0_in = g.nodes[-1].input[0]
    del bn0_in
    a0 = g.node("Sign", [bn0], name="sign0")

    def bconv(a, conv, name):
        k = conv.kernel_size[0]
        if k > 1:
            a = g.node("Pad", [a, g.const(np.array([0, 0, k // 2, k // 2, 0, 0, k // 2, k // 2], np.int64)),
                               g.const(np.float32(-1.0))], mode="constant")
        w = g.node("Sign", [g.const(conv.weight.detach().numpy().astype(np.float32), "wf")])
        return g.node("Conv", [a, w], name=name)

    c1 = bconv(a0, m.b1, "bconv1")
    bn1, p1 = binary_threshold_bn(g, m.bn1, np.ones(16), 0.0, c1)
    a1 = g.node("Sign", [bn1], name="sign1")
    s_b = 1.0  # binary conv outputs are integers (|acc| <= 144)
    main = g.qdq(bconv(a1, m.b2, "bconv2"), s_b)
    short = g.qdq(bconv(a0, m.sc, "shortcut"), s_b)
    s_sum = g.qdq(g.node("Add", [main, short], name="add"), s_b)
    a2 = g.node("Sign", [g.node("Add", [s_sum, g.const(np.float32(0.5))], name="threshold")], name="sign2")
    s_g = 2.0**-6
    gp = g.qdq(g.node("GlobalAveragePool", [a2], name="gap"), s_g)
    q, s = g.weights(m.fc.weight)
    with torch.no_grad():
        # The float model with the graph's (dyadic, threshold-moved) BatchNorms.
        for bn, (gamma, beta, mean) in ((m.bn0, p0), (m.bn1, p1)):
            bn.weight.copy_(torch.tensor(gamma)), bn.bias.copy_(torch.tensor(beta))
            bn.running_mean.copy_(torch.tensor(mean)), bn.running_var.fill_(1.0)
            bn.eps = 0.0
        y = m(x).numpy()
    bias = np.rint(m.fc.bias.detach().numpy() / (s_g * s)).astype(np.int32)
    b = g.node("DequantizeLinear", [g.const(bias, "b"), g.const((s_g * s).astype(np.float32), "bs"),
                                    g.const(np.zeros(len(s), np.int32), "bzp")], axis=0)
    s_y = pow2_scale(np.abs(y).max(), 127)
    out = g.qdq(g.node("Gemm", [g.node("Flatten", [gp]), g.dq_weights(q, s), b], name="fc", transB=1), s_y)
    return g.model((1, 3, 16, 16), out), x.numpy(), y, s_y
