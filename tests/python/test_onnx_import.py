"""ONNX import, end to end: four small networks trained with Debian's PyTorch and written as
quantized ONNX graphs (tests/python/onnx_models.py) are imported with `bitsys import-onnx`, run at
--fidelity systemc on their own weights, trained parameters and input, and their final output is
held bit for bit to an independent NumPy interpreter of the ONNX graph (onnx_reference.py), and
within the quantization error to the float PyTorch model. Bad graphs fail with one line naming the
node, exit code 2, and write nothing.

Run by ctest (`onnx_import`): BITSYS_EXE and BITSYS_SOURCE_DIR name the binary and the tree."""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
import pytest
import torch
from onnx import TensorProto, helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_models  # noqa: E402
import onnx_reference  # noqa: E402

SRC = os.environ.get("BITSYS_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EXE = os.environ.get("BITSYS_EXE", os.path.join(SRC, "build", "bitsys"))


def bitsys(*args):
    return subprocess.run([EXE] + [str(a) for a in args], capture_output=True, text=True)


def final_q(model, env):
    """The integer tensor the graph's output dequantizes."""
    out = model.graph.output[0].name
    node = next(n for n in model.graph.node if n.output[0] == out)
    return env[node.input[0]] if node.op_type == "DequantizeLinear" else env[out]


# network, architecture, float tolerance in output LSBs (measured worst case x ~2: binary nets flip
# signs where the stem's quantization moves a value across a threshold)
NETWORKS = [
    ("residual_cnn", "int8-32x32.json", 4),
    ("bineal", "binary-32x32.json", 40),
    ("reactnet", "binary-32x32.json", 24),
    ("csq_net", "bitserial-32x32.json", 4),
]


@pytest.fixture(scope="module")
def built():
    return {}


def import_and_run(tmp_path, name, arch):
    model, x, y_float, s_y = getattr(onnx_models, name)()
    path, xin, tdir, net = tmp_path / "m.onnx", tmp_path / "x.npy", tmp_path / "t", tmp_path / "net.json"
    onnx.save(model, str(path))
    np.save(xin, x)
    r = bitsys("import-onnx", path, "--out", net, "--tensors", tdir, "--input", xin)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr, r.stderr  # every requantization exact
    r = bitsys("run", "-q", "--arch", os.path.join(SRC, "configs", arch), "--workload", net, "--fidelity", "systemc",
               "--verify", "--tensors", tdir, "--write-outputs", "--json", tmp_path / "r.json")
    assert r.returncode == 0, r.stdout + r.stderr
    return model, x, y_float, s_y, json.load(open(net)), tdir


@pytest.mark.parametrize("name,arch,lsb", NETWORKS)
def test_imported_network_equals_the_onnx_graph_bit_for_bit(tmp_path, name, arch, lsb):
    model, x, y_float, s_y, net, tdir = import_and_run(tmp_path, name, arch)
    want = final_q(model, onnx_reference.run(model, {"x": x}))
    last = net["layers"][-1]["name"]
    got = np.load(tdir / (last + ".output.npy"))
    assert got.shape == want.shape
    assert np.array_equal(got, want.astype(np.int64)), (got, want)
    assert len(np.unique(want)) > 5  # a spread of values, not a saturated or constant output
    # Whole-network --write-outputs: every layer's output is there (a fused op's is its GEMM's file).
    report = json.load(open(tmp_path / "r.json"))
    for layer in report["layers"]:
        if layer["placement"] != "fused":
            assert (tdir / (layer["name"] + ".output.npy")).exists(), layer["name"]
    # The float model, within the quantization error.
    err = np.abs(got * s_y - y_float).max() / s_y
    assert err <= lsb, "%s: %.1f output LSBs from the float model" % (name, err)


def test_precisions_follow_the_graphs_integers(tmp_path):
    _, _, _, _, net, _ = import_and_run(tmp_path, "csq_net", "bitserial-32x32.json")
    w = {l["name"]: l.get("weights") for l in net["layers"]}
    for layer, planes in onnx_models.CSQ_PLANES.items():
        mask = onnx_models.csq_mask(planes)
        if mask.endswith("1" * len(planes)) and mask.count("1") == len(planes):  # planes 0..k-1: two's complement
            assert w[layer] == {"bits": len(planes) + 1}, (layer, w[layer])
        else:
            assert w[layer] == {"format": "sign_magnitude", "mask": mask}, (layer, w[layer])
    (tmp_path / "b").mkdir()
    _, _, _, _, net, _ = import_and_run(tmp_path / "b", "bineal", "binary-32x32.json")
    by = {l["name"]: l for l in net["layers"]}
    assert by["stem"]["weights"] == {"bits": 8} and by["fc"]["weights"] == {"bits": 8}
    for layer in ("bconv1", "bconv2", "shortcut"):
        assert by[layer]["weights"] == {"bits": 1}
        assert by[layer]["padding"] == (1 if layer != "shortcut" else 0)
    assert by["sign2"]["output"] == {"bits": 1}


HAND_WRITTEN = {
    "name": "residual-cnn-by-hand", "batch": 1,
    "inputs": [{"name": "image", "shape": [3, 16, 16], "bits": 8, "signed": True}],
    "layers": [
        {"name": "c1", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "output": {"bits": 8, "signed": False}},
        {"name": "c1.relu", "type": "relu", "output": {"bits": 8, "signed": False}},
        {"name": "c2", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1, "output": {"bits": 8, "signed": False}},
        {"name": "c2.relu", "type": "relu", "output": {"bits": 8, "signed": False}},
        {"name": "c3", "type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
        {"name": "add", "type": "add", "inputs": ["c1.relu", "c3"], "output": {"bits": 8, "signed": False}},
        {"name": "add.relu", "type": "relu", "output": {"bits": 8, "signed": False}},
        {"name": "pool", "type": "maxpool", "kernel": 2, "stride": 2, "output": {"bits": 8, "signed": False}},
        {"name": "c4", "type": "conv2d", "out_channels": 16, "kernel": 3, "stride": 2, "padding": 1, "output": {"bits": 8, "signed": False}},
        {"name": "c4.relu", "type": "relu", "output": {"bits": 8, "signed": False}},
        {"name": "gap", "type": "avgpool", "global": True, "output": {"bits": 8, "signed": False}},
        {"name": "fc", "type": "fc", "out_features": 10},
    ],
}


def test_cycles_equal_the_hand_written_workload(tmp_path):
    model, _, _, _ = onnx_models.residual_cnn()
    onnx.save(model, str(tmp_path / "m.onnx"))
    assert bitsys("import-onnx", tmp_path / "m.onnx", "--out", tmp_path / "net.json").returncode == 0
    (tmp_path / "hand.json").write_text(json.dumps(HAND_WRITTEN))
    reports = []
    for net in ("net.json", "hand.json"):
        for fid in ("analytic", "systemc"):
            r = bitsys("run", "-q", "--arch", os.path.join(SRC, "configs", "int8-32x32.json"), "--workload",
                       tmp_path / net, "--fidelity", fid, "--json", tmp_path / "r.json")
            assert r.returncode == 0, r.stderr
            doc = json.load(open(tmp_path / "r.json"))
            reports.append((doc["total_cycles"], [l.get("cycles", 0) for l in doc["layers"]]))
    assert reports[0] == reports[1] == reports[2] == reports[3], reports


# ---- bad graphs -----------------------------------------------------------------------------------


def refused(tmp_path, model_or_path, *needles):
    path = model_or_path if isinstance(model_or_path, (str, os.PathLike)) else tmp_path / "bad.onnx"
    if not isinstance(model_or_path, (str, os.PathLike)):
        onnx.save(model_or_path, str(path))
    out, tdir = tmp_path / "out" / "net.json", tmp_path / "out" / "t"
    r = bitsys("import-onnx", path, "--out", out, "--tensors", tdir)
    assert r.returncode == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    for n in needles:
        assert n in lines[0], (n, lines[0])
    assert not out.exists() and not (tdir.exists() and os.listdir(tdir)), "partial output"
    return lines[0]


def test_an_unsupported_node_is_named_with_its_op_type_and_what_is_supported(tmp_path):
    model, _, _, _ = onnx_models.residual_cnn()
    g = model.graph
    i = next(k for k, n in enumerate(g.node) if n.name == "conv2")
    conv = g.node[i]
    g.node.insert(i + 1, helper.make_node("Sigmoid", [conv.output[0]], ["sig_out"], name="squash"))
    for n in g.node[i + 2:]:
        for k, name in enumerate(n.input):
            if name == conv.output[0]:
                n.input[k] = "sig_out"
    refused(tmp_path, model, "node 'squash' (Sigmoid)", "unsupported op type", "bitsys imports", "QLinearConv")


def test_a_missing_initializer_is_named(tmp_path):
    model, _, _, _ = onnx_models.residual_cnn()
    conv = next(n for n in model.graph.node if n.name == "conv3")
    wq = next(n for n in model.graph.node if n.output[0] == conv.input[1])
    victim = wq.input[0]
    keep = [t for t in model.graph.initializer if t.name != victim]
    del model.graph.initializer[:]
    model.graph.initializer.extend(keep)
    refused(tmp_path, model, "(DequantizeLinear)", victim, "neither an initializer nor produced")


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c = torch.nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return torch.relu(self.c(x))


def test_a_float_only_graph_from_torch_onnx_export_is_refused(tmp_path):
    path = tmp_path / "float.onnx"
    torch.onnx.export(Tiny(), torch.randn(1, 3, 8, 8), str(path), opset_version=13)
    refused(tmp_path, path, "float-only graph", "QDQ or integer ops")


def test_dynamic_shapes_are_refused(tmp_path):
    path = tmp_path / "dyn.onnx"
    torch.onnx.export(Tiny(), torch.randn(1, 3, 8, 8), str(path), opset_version=13, input_names=["x"],
                      dynamic_axes={"x": {0: "batch", 2: "height"}})
    refused(tmp_path, path, "input 'x'", "dynamic shape", "batch")


def test_a_file_that_is_not_onnx_is_refused(tmp_path):
    path = tmp_path / "junk.onnx"
    path.write_bytes(b"\x08\x07garbage that protobuf cannot parse \xff\xff\xff")
    refused(tmp_path, path, "junk.onnx", "not a valid ONNX model")


def binary_graph(pad_on_conv, threshold):
    """QDQ input -> Sign (with a threshold) -> binary conv: the two +-1 corner cases."""
    g = onnx_models.Graph("corner")
    x = g.qdq("x", 1.0)
    a = g.node("Sign", [g.node("Add", [x, g.const(np.float32(threshold))], name="shift")], name="binarize")
    w = g.node("Sign", [g.const(np.ones((4, 3, 3, 3), np.float32))])
    y = g.node("Conv", [a, w], name="bconv", pads=[1] * 4 if pad_on_conv else [0] * 4)
    return g.model((1, 3, 8, 8), g.qdq(y, 1.0))


def test_sign_of_exactly_zero_is_refused(tmp_path):
    refused(tmp_path, binary_graph(False, 1.0), "node 'binarize' (Sign)", "exactly 0", "ONNX gives 0")


def test_a_zero_padded_conv_on_a_binary_map_is_refused(tmp_path):
    refused(tmp_path, binary_graph(True, 0.5), "node 'bconv' (Conv)", "pads with 0", "Pad(mode=constant, value=-1)")


def test_bad_supplied_parameters_are_refused_with_one_line(tmp_path):
    model, _, _, _ = onnx_models.residual_cnn()
    onnx.save(model, str(tmp_path / "m.onnx"))
    tdir = tmp_path / "t"
    assert bitsys("import-onnx", tmp_path / "m.onnx", "--out", tmp_path / "net.json", "--tensors", tdir).returncode == 0
    base = ["run", "--arch", os.path.join(SRC, "configs", "int8-32x32.json"), "--workload", tmp_path / "net.json",
            "--fidelity", "systemc", "--tensors", tdir]
    np.save(tdir / "conv1.slope.npy", np.zeros(8, np.int64))
    r = bitsys(*base)
    assert r.returncode == 2 and "conv1.slope.npy: layer 'conv1': a conv2d layer takes no supplied slope" in r.stderr, \
        r.stderr
    os.remove(tdir / "conv1.slope.npy")
    np.save(tdir / "conv2.bias.npy", np.zeros(5, np.int64))
    r = bitsys(*base)
    assert r.returncode == 2 and "conv2.bias.npy: field 'shape': a bias must be a scalar or hold 8 entries" in r.stderr, \
        r.stderr
