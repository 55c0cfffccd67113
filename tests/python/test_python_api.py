"""`import bitsys` from the build tree (PYTHONPATH=<build>/python, set by ctest `python_api`): runs
at every fidelity agree with the command line's JSON report field for field, sweeps report
progress and match `bitsys sweep`, ONNX import works from Python, and bad input raises
bitsys.InputError with the command line's one-line message."""
import json
import os
import subprocess

import pandas as pd
import pytest

import bitsys

SRC = os.environ.get("BITSYS_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
EXE = os.environ.get("BITSYS_EXE", os.path.join(SRC, "build", "bitsys"))
ARCH = os.path.join(SRC, "configs", "int8-32x32.json")
TINY = os.path.join(SRC, "workloads", "tiny-cnn.json")


def cli_report(tmp_path, *args):
    out = tmp_path / "cli.json"
    r = subprocess.run([EXE, "run", "-q", "--json", str(out)] + [str(a) for a in args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return json.load(open(out))


@pytest.mark.parametrize("fidelity", ["analytic", "systemc", "rtl"])
def test_a_run_equals_the_command_lines_report(tmp_path, fidelity):
    arch = ARCH if fidelity != "rtl" else os.path.join(SRC, "configs", "bitserial-8x8.json")
    seen = []
    r = bitsys.run(arch, TINY, fidelity=fidelity, verify=fidelity != "analytic",
                   progress=lambda done, total, layer: seen.append((done, total)))
    want = cli_report(tmp_path, "--arch", arch, "--workload", TINY, "--fidelity", fidelity)
    assert r.total_cycles == want["total_cycles"] > 0
    assert isinstance(r.layers, pd.DataFrame)
    assert list(r.layers["name"]) == [l["name"] for l in want["layers"]]
    assert list(r.layers["cycles"].fillna(0)) == [l.get("cycles", 0) for l in want["layers"]]
    # Same fields as the JSON report (nested ones flattened with dots).
    assert set(pd.json_normalize(want["layers"]).columns) == set(r.layers.columns)
    assert seen and seen[-1][0] == seen[-1][1]
    if fidelity != "analytic":
        assert r.verified


def write_arch(tmp_path, arch):
    path = tmp_path / "arch.json"
    path.write_text(arch.to_json())
    return path


def test_objects_paths_and_dicts(tmp_path):
    a = bitsys.Arch.load(ARCH)
    assert (a.rows, a.cols) == (32, 32)
    b = a.with_value("rows", "16")
    assert b.rows == 16 and a.rows == 32
    w = bitsys.workload(json.load(open(TINY)))
    assert w.layers[0] == "conv1" and w.total_macs > 0
    # Relative paths fall back to bitsys's data folder.
    assert bitsys.run("configs/int8-32x32.json", "workloads/tiny-cnn.json").total_cycles == \
        bitsys.run(a, w).total_cycles
    assert bitsys.run(b, w).total_cycles != bitsys.run(a, w).total_cycles
    # An architecture whose output stage fuses other post-ops, or that overlaps folds, runs the
    # workload lowered for it, as the command line does.
    c = a.with_value("output_stage.fuse", '["requantize"]').with_value("schedule", '"overlapped"')
    want = cli_report(tmp_path, "--arch", write_arch(tmp_path, c), "--workload", TINY)
    assert bitsys.run(c, w).total_cycles == want["total_cycles"]


def test_bad_input_raises_input_error_with_the_same_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"name": "t", "inputs": [{"name": "x", "shape": [3, 8, 8]}], "layers": '
                   '[{"name": "c", "type": "conv2d", "out_channels": 4, "kernel": 0}]}')
    with pytest.raises(bitsys.InputError) as e:
        bitsys.workload(bad)
    cli = subprocess.run([EXE, "run", "--arch", ARCH, "--workload", str(bad)], capture_output=True, text=True)
    assert cli.returncode == 2
    assert cli.stderr.strip() == "bitsys: error: " + str(e.value)
    with pytest.raises(ValueError):  # InputError is a ValueError
        bitsys.run(ARCH, TINY, fidelity="quantum")


def test_a_sweep_reports_progress_and_equals_the_command_line(tmp_path):
    spec = os.path.join(SRC, "workloads", "sweeps", "resnet20-small.json")
    calls = []
    df = bitsys.sweep(spec, jobs=2, progress=lambda done, total, s: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1] == len(df)
    out = tmp_path / "cli.jsonl"
    assert subprocess.run([EXE, "sweep", spec, "--out", str(out), "-q"], capture_output=True).returncode == 0
    cli = pd.json_normalize([json.loads(l) for l in open(out)]).sort_values("index").reset_index(drop=True)
    assert list(df["id"]) == list(cli["id"])
    assert list(df["cycles"].fillna(-1)) == list(cli["cycles"].fillna(-1))  # invalid points have none


def test_import_onnx_from_python(tmp_path):
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import numpy as np
    import onnx
    import onnx_models

    model, x, _, _ = onnx_models.residual_cnn()
    onnx.save(model, str(tmp_path / "m.onnx"))
    np.save(tmp_path / "x.npy", x)
    w = bitsys.import_onnx(tmp_path / "m.onnx", tmp_path / "net.json", tensors=tmp_path / "t", input=tmp_path / "x.npy")
    assert "conv1" in w.layers
    r = bitsys.run(ARCH, w, fidelity="systemc", verify=True, tensors=tmp_path / "t", write_outputs=True)
    assert r.verified and (tmp_path / "t" / "fc.output.npy").exists()
    model.graph.node[3].op_type = "Sigmoid"
    onnx.save(model, str(tmp_path / "bad.onnx"))
    with pytest.raises(bitsys.InputError, match=r"\(Sigmoid\): unsupported op type"):
        bitsys.import_onnx(tmp_path / "bad.onnx", tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()
