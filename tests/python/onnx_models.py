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


def train(model, x_shape, steps=25, seed=0, lr=1e-2):
    """A few Adam steps on a synthetic task (a random linear teacher on the inputs)."""
    g = torch.Generator().manual_seed(seed)
    teacher = torch.randn(int(np.prod(x_shape)), 10, generator=g)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
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


# ---- ReActNet-style net -------------------------------------------------------------------------


class ReAct(torch.nn.Module):
    """8-bit stem; two blocks of RSign (learned shift, sign) -> binary 3x3 conv -> BN -> + real
    shortcut (a 2x2 average pool when the block strides) -> RPReLU (bias, PReLU, bias); global
    average pool; 8-bit fc."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 16, 3, padding=1)
        self.convs = torch.nn.ModuleList([torch.nn.Conv2d(16, 16, 3, stride=s, bias=False) for s in (1, 2)])
        self.bns = torch.nn.ModuleList([torch.nn.BatchNorm2d(16) for _ in range(2)])
        self.alpha = torch.nn.Parameter(torch.zeros(2, 16))
        self.b1 = torch.nn.Parameter(torch.zeros(2, 16))
        self.slope = torch.nn.Parameter(torch.full((2, 16), 0.25))
        self.b2 = torch.nn.Parameter(torch.zeros(2, 16))
        self.fc = torch.nn.Linear(16, 10)

    def block(self, h, i):
        c = lambda v: v.view(1, -1, 1, 1)  # noqa: E731
        conv = self.convs[i]
        s = sign_ste(h - c(self.alpha[i]))
        y = self.bns[i](F.conv2d(F.pad(s, [1] * 4, value=-1.0), sign_ste(conv.weight), stride=conv.stride))
        h = y + (h if conv.stride[0] == 1 else F.avg_pool2d(h, 2))
        h = h + c(self.b1[i])
        h = torch.where(h < 0, h * c(self.slope[i]), h)
        return h + c(self.b2[i])

    def forward(self, x, trace=None):
        h = self.stem(x)
        for i in range(2):
            h = self.block(h, i)
            if trace is not None:
                trace.append(h)
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def reactnet(seed=0):
    torch.manual_seed(seed)
    m = train(ReAct(), (3, 16, 16), seed=seed)
    x = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        trace = [m.stem(x)]
        m(x, trace)
    s_in = pow2_scale(x.abs().max().item(), 127)
    s0 = pow2_scale(max(t.abs().max().item() for t in trace), 127)
    g = Graph("reactnet_style")
    with torch.no_grad():  # the graph's constants, dyadic, written back so the float model uses them
        m.alpha.copy_(torch.tensor((np.floor(m.alpha.numpy() / s0) + 0.5) * s0))  # thresholds off the grid
        m.b1.copy_(torch.tensor(dyadic(m.b1.numpy() / s0, 2) * s0))
        m.b2.copy_(torch.tensor(dyadic(m.b2.numpy() / s0, 2) * s0))
        m.slope.copy_(torch.tensor(np.clip(dyadic(m.slope.numpy(), 3), 0, 1)))
        for bn in m.bns:
            bn.weight.copy_(torch.tensor(dyadic(bn.weight.numpy() / bn.running_var.add(bn.eps).sqrt().numpy(), 4)))
            bn.bias.copy_(torch.tensor(dyadic(bn.bias.numpy() - bn.running_mean.numpy() * 0, 4)))
            bn.running_mean.zero_(), bn.running_var.fill_(1.0)
            bn.eps = 0.0
        y = m(x).numpy()
    xi = g.qdq("x", s_in)
    q, s = g.weights(m.stem.weight)
    bias = np.rint(m.stem.bias.detach().numpy() / (s_in * s)).astype(np.int32)
    b = g.node("DequantizeLinear", [g.const(bias, "b"), g.const((s_in * s).astype(np.float32), "bs"),
                                    g.const(np.zeros(16, np.int32), "bzp")], axis=0)
    h = g.qdq(g.node("Conv", [xi, g.dq_weights(q, s), b], name="stem", pads=[1] * 4), s0)

    def col(v):
        return g.const(v.detach().numpy().reshape(-1, 1, 1).astype(np.float32))

    for i in range(2):
        conv, bn = m.convs[i], m.bns[i]
        st = conv.stride[0]
        rs = g.node("Sign", [g.node("Sub", [h, col(m.alpha[i])], name="b%d.rsign_shift" % i)], name="b%d.rsign" % i)
        rs = g.node("Pad", [rs, g.const(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)), g.const(np.float32(-1.0))])
        w = g.node("Sign", [g.const(conv.weight.detach().numpy().astype(np.float32), "wf")])
        c = g.node("Conv", [rs, w], name="b%d.conv" % i, strides=[st, st])
        c = g.node("BatchNormalization", [c, col(bn.weight), col(bn.bias), col(bn.running_mean),
                                          col(bn.running_var)], name="b%d.bn" % i, epsilon=0.0)
        c = g.qdq(c, s0)
        sc = h if st == 1 else g.qdq(g.node("AveragePool", [h], name="b%d.pool" % i, kernel_shape=[2, 2],
                                            strides=[2, 2]), s0)
        h = g.qdq(g.node("Add", [c, sc], name="b%d.add" % i), s0)
        h = g.qdq(g.node("Add", [h, col(m.b1[i])], name="b%d.bias1" % i), s0)
        h = g.qdq(g.node("PRelu", [h, col(m.slope[i])], name="b%d.prelu" % i), s0)
        h = g.qdq(g.node("Add", [h, col(m.b2[i])], name="b%d.bias2" % i), s0)
    s_g = pow2_scale(max(t.abs().max().item() for t in trace), 127)
    gp = g.qdq(g.node("GlobalAveragePool", [h], name="gap"), s_g)
    q, s = g.weights(m.fc.weight)
    bias = np.rint(m.fc.bias.detach().numpy() / (s_g * s)).astype(np.int32)
    b = g.node("DequantizeLinear", [g.const(bias, "b"), g.const((s_g * s).astype(np.float32), "bs"),
                                    g.const(np.zeros(10, np.int32), "bzp")], axis=0)
    s_y = pow2_scale(np.abs(y).max(), 127)
    out = g.qdq(g.node("Gemm", [g.node("Flatten", [gp]), g.dq_weights(q, s), b], name="fc", transB=1), s_y)
    return g.model((1, 3, 16, 16), out), x.numpy(), y, s_y


# ---- CSQ-masked conv net, integer ops -----------------------------------------------------------

CSQ_PLANES = {"conv1": (1, 3, 4), "conv2": (0, 2, 5), "conv3": (2, 3), "fc": (0, 1, 2, 3)}


def csq_mask(planes):
    return "".join("1" if 7 - i in planes else "0" for i in range(8))


def csq_weights(w, planes):
    """Sign-magnitude integers using only `planes`, nearest to w / s, with s per output channel a
    power of two: CSQ's bit-level sparsity."""
    w = w.detach().numpy().astype(np.float64)
    mags = np.array(sorted({sum(1 << p for j, p in enumerate(planes) if k >> j & 1) for k in range(1 << len(planes))}))
    top = mags.max()
    q = np.zeros(w.shape, np.int64)
    s = np.zeros(w.shape[0])
    for c in range(w.shape[0]):
        s[c] = pow2_scale(np.abs(w[c]).max(), top)
        r = np.abs(w[c]) / s[c]
        q[c] = np.sign(w[c]) * mags[np.abs(r[..., None] - mags).argmin(-1)]
    return q.astype(np.int8), s


class CSQNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.c2 = torch.nn.Conv2d(16, 16, 3, stride=2, padding=1, bias=False)
        self.c3 = torch.nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.fc = torch.nn.Linear(16, 10, bias=False)

    def forward(self, x):
        h = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x))))))
        return self.fc(F.adaptive_avg_pool2d(h, 1).flatten(1))


def csq_net(seed=0):
    """QLinearConv, ConvInteger (+ Cast, Mul, Relu, QuantizeLinear), a QDQ Conv and QLinearMatMul,
    each with a CSQ plane mask."""
    torch.manual_seed(seed)
    m = train(CSQNet(), (3, 16, 16), seed=seed, steps=10, lr=3e-3)  # no biases: longer training kills the ReLUs
    x = torch.randn(1, 3, 16, 16, generator=torch.Generator().manual_seed(seed + 1))
    module = {"conv1": m.c1, "conv2": m.c2, "conv3": m.c3, "fc": m.fc}
    qw = {n: csq_weights(module[n].weight, CSQ_PLANES[n]) for n in CSQ_PLANES}
    with torch.no_grad():  # the float model with the masked weights
        for n, (q, s) in qw.items():
            module[n].weight.copy_(torch.tensor(q * s.reshape((-1,) + (1,) * (q.ndim - 1)), dtype=torch.float32))
        y = m(x).numpy()
        h1 = F.relu(m.c1(x))
        h2 = F.relu(m.c2(h1))
        h3 = F.relu(m.c3(h2))
    s_in = pow2_scale(x.abs().max().item(), 127)
    s1, s2, s3 = (pow2_scale(h.max().item(), 255) for h in (h1, h2, h3))
    s_g = pow2_scale(F.adaptive_avg_pool2d(h3, 1).max().item(), 255)
    s_y = pow2_scale(np.abs(y).max(), 127)
    g = Graph("csq_masked")
    f32 = np.float32
    xq = g.q("x", s_in)
    q, s = qw["conv1"]
    h = g.node("QLinearConv", [xq, g.const(f32(s_in)), g.const(np.int8(0)), g.const(q, "w"),
                               g.const(s.astype(f32)), g.const(np.zeros(16, np.int8)), g.const(f32(s1)),
                               g.const(np.uint8(0))], name="conv1", pads=[1] * 4)  # uint8 output: the ReLU
    q, s = qw["conv2"]
    acc = g.node("ConvInteger", [h, g.const(q, "w")], name="conv2", pads=[1] * 4, strides=[2, 2])
    fl = g.node("Cast", [acc], to=TensorProto.FLOAT)
    fl = g.node("Mul", [fl, g.const((s1 * s).reshape(-1, 1, 1).astype(f32))])
    h = g.q(g.node("Relu", [fl]), s2, False)
    q, s = qw["conv3"]
    h = g.qdq(g.node("Relu", [g.node("Conv", [g.dq(h, s2, False), g.dq_weights(q, s)], name="conv3",
                                     pads=[1] * 4)]), s3, False)
    gp = g.q(g.node("GlobalAveragePool", [h], name="gap"), s_g, False)
    gp = g.node("Flatten", [gp])
    q, s = qw["fc"]
    out = g.node("QLinearMatMul", [gp, g.const(f32(s_g)), g.const(np.uint8(0)), g.const(q.T.copy(), "w"),
                                   g.const(f32(s[0]) if len(set(s)) == 1 else s.astype(f32)),
                                   g.const(np.int8(0)), g.const(f32(s_y)), g.const(np.int8(0))], name="fc")
    out = g.dq(out, s_y)
    return g.model((1, 3, 16, 16), out), x.numpy(), y, s_y


if __name__ == "__main__":
    # Writes the four networks as <name>.onnx with their float input <name>.input.npy into a folder.
    import os
    import sys

    out = sys.argv[1] if len(sys.argv) > 1 else "out/onnx"
    os.makedirs(out, exist_ok=True)
    for name in ("residual_cnn", "bineal", "reactnet", "csq_net"):
        model, x, _, _ = globals()[name]()
        onnx.save(model, os.path.join(out, name + ".onnx"))
        np.save(os.path.join(out, name + ".input.npy"), x)
        print("wrote %s/%s.onnx and %s.input.npy" % (out, name, name))
