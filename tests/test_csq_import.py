#!/usr/bin/python3
"""CSQ checkpoint import, end to end: a checkpoint made here with the real PyTorch (CSQ's module
layout, a non-contiguous mask among them) becomes a bitsys workload whose masks are exactly the
checkpoint's, and bitsys runs it. Bad checkpoints fail with one line.

usage: test_csq_import.py BITSYS_EXE SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

import torch

bitsys, src = sys.argv[1], sys.argv[2]
importer = os.path.join(src, "analysis", "csq_import.py")
base = os.path.join(src, "workloads", "resnet20-int8.json")
work = tempfile.mkdtemp(prefix="bitsys-csq-")


sys.path.insert(0, os.path.join(src, "analysis"))
from csq_example_checkpoint import state_dict  # noqa: E402  (CSQ's module layout, one place)

sd, expected = state_dict()
ckpt = os.path.join(work, "csq.pth")
torch.save({"state_dict": sd, "epoch": 3}, ckpt)

out = os.path.join(work, "imported.json")
r = subprocess.run([sys.executable, importer, ckpt, base, out, "--act-bits", "4"], capture_output=True, text=True)
assert r.returncode == 0, r.stderr
doc = json.load(open(out))
by_name = {l["name"]: l for l in doc["layers"]}
bitsys_name = {"linear": "fc"}
for name, mask in expected.items():
    w = by_name[bitsys_name.get(name, name)]["weights"]
    assert w == {"format": "sign_magnitude", "mask": mask}, (name, w, mask)
assert by_name["layer2.0.shortcut"].get("weights", {"bits": 8}) == {"bits": 8}, by_name["layer2.0.shortcut"]
assert by_name["layer1.0.relu1"]["output"] == {"bits": 4, "signed": False}
r = subprocess.run([bitsys, "run", "-q", "--arch", os.path.join(src, "configs", "bitserial-32x32.json"), "--workload", out,
                    "--json", os.path.join(work, "run.json")], capture_output=True, text=True)
assert r.returncode == 0, r.stderr
run = json.load(open(os.path.join(work, "run.json")))
weights = {l["name"]: l.get("weights") for l in run["layers"]}
assert weights["conv1"] == "sm[10110010]", weights["conv1"]  # non-contiguous planes survive to the simulator

# Bad input: one clear line, exit 2, no output file.
bad_cases = [
    ("missing.pth", "no such file"),
    (os.path.join(work, "garbage.pth"), "not a PyTorch checkpoint"),
    (os.path.join(work, "pruned.pth"), "keeps no bit plane"),
]
open(os.path.join(work, "garbage.pth"), "wb").write(b"\x00not a checkpoint")
pruned = dict(sd)
pruned["conv1.mask_weight"] = torch.full((8,), -1.0)
torch.save(pruned, os.path.join(work, "pruned.pth"))
for path, fragment in bad_cases:
    target = os.path.join(work, "bad.json")
    r = subprocess.run([sys.executable, importer, path, base, target], capture_output=True, text=True)
    assert r.returncode == 2, (path, r.returncode, r.stderr)
    assert fragment in r.stderr and r.stderr.count("\n") == 1, (path, r.stderr)
    assert not os.path.exists(target), target
print("csq import: %d layers imported exactly, bad checkpoints refused" % len(expected))
