#!/usr/bin/python3
"""One of the study's claims from Python: BiNeal-18 (1x) on the binary 32x32 array against the
8-bit ResNet-18 on the int8 array (README: 6.32x), with the layers that cost BiNeal most.

usage: PYTHONPATH=build/python /usr/bin/python3 analysis/python_claim.py"""
import bitsys

base = bitsys.run("configs/int8-32x32.json", "workloads/resnet18-int8.json")
bnn = bitsys.run("configs/binary-32x32.json", "workloads/bineal-resnet18-1x.json")
print("BiNeal-18 1x: %s cycles, ResNet-18 8-bit: %s cycles -> %.2fx" %
      (format(bnn.total_cycles, ","), format(base.total_cycles, ","), base.total_cycles / bnn.total_cycles))
top = bnn.layers.nlargest(5, "cycles")[["name", "placement", "act", "weights", "cycles", "stall_cycles"]]
print(top.to_string(index=False))
