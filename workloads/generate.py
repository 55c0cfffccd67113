#!/usr/bin/env python3
"""Writes the network descriptions in workloads/ (bitsys JSON, format in workloads/README.md).

The JSON files are the source of truth that bitsys reads; this script is how they were made,
so a change of convention is made once here and re-generated: `python3 workloads/generate.py`.
Shapes follow ../shared/reference/networks.md.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

U8 = {"bits": 8, "signed": False}
S8 = {"bits": 8, "signed": True}
B1 = {"bits": 1}
I4 = {"bits": 4, "signed": True}
W8 = {"bits": 8}
W1 = {"bits": 1}


class Net:
    def __init__(self, name, source, notes, inputs):
        self.doc = {"name": name, "source": source, "notes": notes, "batch": 1,
                    "inputs": inputs, "layers": []}
        self.last = inputs[0]["name"]

    def add(self, name, type_, inputs=None, **fields):
        layer = {"name": name, "type": type_}
        layer["inputs"] = inputs if inputs is not None else [self.last]
        layer.update(fields)
        self.doc["layers"].append(layer)
        self.last = name
        return name

    def conv(self, name, cout, k, s=1, w=W8, out=S8, inputs=None, groups=1):
        fields = {"out_channels": cout, "kernel": k, "stride": s, "padding": k // 2, "weights": w, "output": out}
        if groups != 1:
            fields["groups"] = groups
        return self.add(name, "conv2d", inputs, **fields)

    def write(self, filename):
        path = os.path.join(HERE, filename)
        with open(path, "w") as f:
            json.dump(self.doc, f, indent=1)
            f.write("\n")
        print("wrote", os.path.relpath(path))


def image(h, w=None):
    return [{"name": "image", "shape": [3, h, w or h], "bits": 8, "signed": True}]


def resnet18_int8(act_bits=8, filename="resnet18-int8.json"):
    """ResNet-18; act_bits < 8 gives every activation map after the stem that width (same
    weights, same compute on an int8 array): a controlled experiment on data movement."""
    U = {"bits": act_bits, "signed": False} if act_bits > 1 else B1
    S = {"bits": act_bits, "signed": True} if act_bits > 1 else B1
    name = "resnet18-int8" if act_bits == 8 else "resnet18-a%dw8" % act_bits
    notes = ("8-bit weights and activations. BatchNorm is folded into each conv's per-channel requantize, applied by the "
             "array's output stage with the ReLU that follows; residual adds (and the ReLU after them) run on the vector unit.")
    if act_bits != 8:
        notes = ("ResNet-18 with 8-bit weights and %d-bit activation maps after the stem: not a trained network, a "
                 "controlled experiment in data movement against resnet18-int8 (same layers, same compute on an int8 "
                 "array, activation tensors %dx smaller)." % (act_bits, 8 // act_bits))
    n = Net(name, "torchvision resnet.py (ResNet-18, ImageNet 224x224); ../shared/reference/networks.md", notes, image(224))
    n.conv("conv1", 64, 7, 2, out=S8)
    n.add("conv1.relu", "relu", output=U)
    x = n.add("maxpool", "maxpool", kernel=3, stride=2, padding=1, output=U)
    cin = 64
    for stage, cout in enumerate([64, 128, 256, 512], start=1):
        for blk in range(2):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            n.conv(f"{p}.conv1", cout, 3, s, inputs=[x], out=S)
            n.add(f"{p}.relu1", "relu", output=U)
            main = n.conv(f"{p}.conv2", cout, 3, out=S)
            short = x
            if s != 1 or cin != cout:
                short = n.conv(f"{p}.downsample", cout, 1, s, inputs=[x], out=S)
            n.add(f"{p}.add", "add", inputs=[main, short], output=S)
            x = n.add(f"{p}.relu2", "relu", output=U)
            cin = cout
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=U8)
    n.add("fc", "fc", out_features=1000, weights=W8, output=S8)
    n.write(filename)


def resnet20_int8():
    n = Net("resnet20-int8", "He et al. 2016 ResNet-20 for CIFAR-10 (32x32), 1x1 stride-2 shortcut convs as in "
            "lawsonX/CSQ; ../shared/reference/networks.md",
            "8-bit weights and activations; BN folded into requantize, ReLU fused; residual adds on the vector unit.",
            image(32))
    n.conv("conv1", 16, 3)
    x = n.add("conv1.relu", "relu", output=U8)
    cin = 16
    for stage, cout in enumerate([16, 32, 64], start=1):
        for blk in range(3):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            n.conv(f"{p}.conv1", cout, 3, s, inputs=[x])
            n.add(f"{p}.relu1", "relu", output=U8)
            main = n.conv(f"{p}.conv2", cout, 3)
            short = x
            if s != 1 or cin != cout:
                short = n.conv(f"{p}.shortcut", cout, 1, s, inputs=[x])
            n.add(f"{p}.add", "add", inputs=[main, short], output=S8)
            x = n.add(f"{p}.relu2", "relu", output=U8)
            cin = cout
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=U8)
    n.add("fc", "fc", out_features=10, weights=W8, output=S8)
    n.write("resnet20-int8.json")


def bineal_resnet18(mult, filename):
    c = lambda ch: int(round(ch * mult))
    n = Net(f"bineal-resnet18-{mult}x",
            "BiNeal (arXiv 2202.03716) on a ResNet-18 body, channel multiplier %sx; block structure from "
            "../shared/reference/networks.md (paper, GiantPandaCV summary, shekhovt/TNet BiNealNet)" % mult,
            "Binary weights and 1-bit activations in every block; all gains and BN fold into one per-channel threshold "
            "applied by the output stage (sign, fused). Every shortcut is a binary 1x1 conv (stride s); both branch "
            "outputs enter the add as INT4 and the sum is emitted as 1 bit. Stem 7x7 s2 and FC are 8-bit. Choice made "
            "here: the stem's threshold is fused before the maxpool (max-pool commutes with a monotone threshold), "
            "so the maxpool runs on a 1-bit map.",
            image(224))
    n.conv("stem", c(64), 7, 2, out=S8)
    n.add("stem.threshold", "sign", output=B1)
    x = n.add("maxpool", "maxpool", kernel=3, stride=2, padding=1, output=B1)
    for stage, cout in enumerate([64, 128, 256, 512], start=1):
        for blk in range(2):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            n.conv(f"{p}.conv1", c(cout), 3, s, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.threshold", "sign", output=B1)
            main = n.conv(f"{p}.conv2", c(cout), 3, w=W1, out=S8)
            n.add(f"{p}.conv2.requant", "requantize", output=I4)
            short = n.conv(f"{p}.shortcut", c(cout), 1, s, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.shortcut.requant", "requantize", output=I4)
            x = n.add(f"{p}.add", "add", inputs=[f"{p}.conv2.requant", f"{p}.shortcut.requant"], output=B1)
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=S8)
    n.add("fc", "fc", out_features=1000, weights=W8, output=S8)
    n.write(filename)


if __name__ == "__main__":
    resnet18_int8()
    resnet18_int8(1, "resnet18-a1w8.json")
    resnet20_int8()
    bineal_resnet18(1, "bineal-resnet18-1x.json")
    bineal_resnet18(1.5, "bineal-resnet18-1.5x.json")
    bineal_resnet18(2, "bineal-resnet18-2x.json")
