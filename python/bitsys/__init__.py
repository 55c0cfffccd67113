"""bitsys from Python: architectures and workloads, runs at any fidelity with per-layer results as
pandas DataFrames (the JSON report's fields), sweeps with a progress callback, and ONNX import.

    import bitsys
    r = bitsys.run("configs/int8-32x32.json", "workloads/resnet20-int8.json")
    r.total_cycles, r.layers[["name", "cycles", "stall_cycles"]]

Paths are taken relative to the current folder, then to bitsys's data folder (bitsys.data_dir()).
Bad input raises bitsys.InputError (a ValueError) with the command line's one-line message.
"""
import json
import os
import sys
import tempfile


def _find_data_dir():
    """The built tree names the source folder in <build>/bitsys-data-dir; an installed package
    sits in <prefix>/lib/python3/dist-packages/bitsys beside <prefix>/share/bitsys."""
    here = os.path.dirname(os.path.abspath(__file__))
    marker = os.path.join(here, "..", "..", "bitsys-data-dir")
    if os.path.isfile(marker):
        with open(marker) as f:
            d = f.readline().strip()
        if os.path.isdir(os.path.join(d, "workloads")):
            return d
    d = os.path.normpath(os.path.join(here, "..", "..", "..", "..", "share", "bitsys"))
    return d if os.path.isdir(os.path.join(d, "workloads")) else ""


if not os.environ.get("BITSYS_DATA_DIR") and _find_data_dir():
    os.environ["BITSYS_DATA_DIR"] = _find_data_dir()

from ._bitsys import Arch, InputError, Workload, data_dir  # noqa: E402
from . import _bitsys  # noqa: E402

__all__ = ["Arch", "Workload", "InputError", "Result", "run", "sweep", "import_onnx", "data_dir", "arch", "workload"]


def _path(p):
    p = os.fspath(p)
    if os.path.exists(p) or os.path.isabs(p):
        return p
    q = os.path.join(data_dir(), p)
    return q if os.path.exists(q) else p


def arch(a):
    """An Arch from an Arch, a path, or a dict of a bitsys JSON architecture."""
    if isinstance(a, Arch):
        return a
    if isinstance(a, dict):
        return Arch.from_json(json.dumps(a))
    return Arch.load(_path(a))


def workload(w):
    """A Workload from a Workload, a path, or a dict in the workload JSON format."""
    if isinstance(w, Workload):
        return w
    if isinstance(w, dict):
        return Workload.from_json(json.dumps(w), w.get("name", "<python>"))
    return Workload.load(_path(w))


class Result:
    """A run's report: `report` is the JSON report as a dict, `layers` its per-layer rows as a
    DataFrame (nested fields flattened with dots: gemm.M, stall_by.ifmap, ...), and the totals as
    attributes (total_cycles, array_cycles, vector_cycles, stall_cycles, dram_bytes_read, ...)."""

    def __init__(self, report):
        import pandas as pd

        self.report = report
        self.layers = pd.json_normalize(report["layers"]).convert_dtypes()  # integers stay integers beside gaps

    def __getattr__(self, name):
        if name in ("report", "layers"):
            raise AttributeError(name)
        try:
            return self.report[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self):
        return "<bitsys.Result %s on %s (%s): %s cycles>" % (self.report.get("workload"), self.report["arch"].get(
            "name", "?") if isinstance(self.report.get("arch"), dict) else self.report.get("arch"),
            self.report.get("fidelity"), format(self.report.get("total_cycles", 0), ","))


def run(arch_, workload_, fidelity="analytic", verify=False, seed=1, tensors=None, write_outputs=False,
        progress=None):
    """One workload on one architecture at a fidelity (analytic, systemc, rtl). progress(done,
    total, layer) is called as layers start."""
    text = _bitsys._run(arch(arch_), workload(workload_), fidelity, verify, seed, os.fspath(tensors) if tensors else "",
                        write_outputs, progress)
    return Result(json.loads(text))


def sweep(spec, out=None, jobs=1, progress=None):
    """Runs a sweep spec (README "Sweeps") and returns its points as a DataFrame, one row a point
    (parameters flattened as params.<path>). With `out`, results go there and a rerun resumes;
    progress(done, total, seconds) is called about five times a second."""
    import pandas as pd

    tmp = None
    if out is None:
        tmp = tempfile.mkdtemp(prefix="bitsys-sweep-")
        out = os.path.join(tmp, "sweep.jsonl")
    try:
        summary = _bitsys._sweep(_path(spec), os.fspath(out), jobs, progress)
        with open(out) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    finally:
        if tmp:
            for name in os.listdir(tmp):
                os.remove(os.path.join(tmp, name))
            os.rmdir(tmp)
    df = pd.json_normalize(rows).sort_values("index").reset_index(drop=True) if rows else pd.DataFrame()
    df.attrs["summary"] = dict(summary)
    return df


def import_onnx(model, out, tensors=None, input=None):
    """`bitsys import-onnx` from Python: writes the workload (and with `tensors`, the weights and
    trained parameters) and returns the Workload. A refused graph raises InputError with the same
    one line."""
    sys.path.insert(0, os.path.join(data_dir(), "analysis"))
    try:
        import onnx_import
    finally:
        sys.path.pop(0)
    import numpy as np

    try:
        x = np.load(os.fspath(input)) if input is not None else None
        doc, arrays, input_q = onnx_import.import_model(os.fspath(model), x)
        onnx_import.write_outputs(doc, arrays if tensors else {}, os.fspath(out), os.fspath(tensors) if tensors else "",
                                  input_q)
    except onnx_import.ImportError_ as e:
        raise InputError(str(e)) from None
    return Workload.load(os.fspath(out))
