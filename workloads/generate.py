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
    x = basic_blocks(n, int8_stem(n, a_u=U), a_u=U, a_s=S)
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
    x = basic_blocks(n, x, stages=(16, 32, 64), blocks=3, cin=16, shortcut="shortcut")
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=U8)
    n.add("fc", "fc", out_features=10, weights=W8, output=S8)
    n.write("resnet20-int8.json")


def bineal_trunk(n, mult, x):
    """BiNeal body on a ResNet-18 layout from the 1-bit map x (64m channels at stride 4)."""
    c = lambda ch: int(round(ch * mult))
    for stage, cout in enumerate([64, 128, 256, 512], start=1):
        for blk in range(2):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            n.conv(f"{p}.conv1", c(cout), 3, s, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.threshold", "sign", output=B1)
            n.conv(f"{p}.conv2", c(cout), 3, w=W1, out=S8)
            n.add(f"{p}.conv2.requant", "requantize", output=I4)
            n.conv(f"{p}.shortcut", c(cout), 1, s, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.shortcut.requant", "requantize", output=I4)
            x = n.add(f"{p}.add", "add", inputs=[f"{p}.conv2.requant", f"{p}.shortcut.requant"], output=B1)
    return x, c(512)


def bineal_stem(n, mult):
    n.conv("stem", int(round(64 * mult)), 7, 2, out=S8)
    n.add("stem.threshold", "sign", output=B1)
    return n.add("maxpool", "maxpool", kernel=3, stride=2, padding=1, output=B1)


BINEAL_NOTES = ("Binary weights and 1-bit activations in every block; all gains and BN fold into one per-channel threshold "
                "applied by the output stage (sign, fused). Every shortcut is a binary 1x1 conv (stride s); both branch "
                "outputs enter the add as INT4 and the sum is emitted as 1 bit. Stem 7x7 s2 and the last layer are 8-bit. "
                "Choice made here: the stem's threshold is fused before the maxpool (max-pool commutes with a monotone "
                "threshold), so the maxpool runs on a 1-bit map.")
BINEAL_SOURCE = ("BiNeal (arXiv 2202.03716) on a ResNet-18 body, channel multiplier %sx; block structure from "
                 "../shared/reference/networks.md (paper, GiantPandaCV summary, shekhovt/TNet BiNealNet)")


def bineal_resnet18(mult, filename):
    n = Net(f"bineal-resnet18-{mult}x", BINEAL_SOURCE % mult, BINEAL_NOTES, image(224))
    x, ch = bineal_trunk(n, mult, bineal_stem(n, mult))
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=S8)
    n.add("fc", "fc", out_features=1000, weights=W8, output=S8)
    n.write(filename)


def basic_blocks(n, x, a_u=U8, a_s=S8, stages=(64, 128, 256, 512), blocks=2, cin=64, shortcut="downsample"):
    """8-bit ResNet basic blocks from x; the first block of every stage after the first has stride 2
    and a 1x1 conv on its shortcut. Returns the last block's output."""
    for stage, cout in enumerate(stages, start=1):
        for blk in range(blocks):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            n.conv(f"{p}.conv1", cout, 3, s, inputs=[x], out=a_s)
            n.add(f"{p}.relu1", "relu", output=a_u)
            main = n.conv(f"{p}.conv2", cout, 3, out=a_s)
            short = x
            if s != 1 or cin != cout:
                short = n.conv(f"{p}.{shortcut}", cout, 1, s, inputs=[x], out=a_s)
            n.add(f"{p}.add", "add", inputs=[main, short], output=a_s)
            x = n.add(f"{p}.relu2", "relu", output=a_u)
            cin = cout
    return x


def int8_stem(n, a_u=U8):
    n.conv("conv1", 64, 7, 2, out=S8)
    n.add("conv1.relu", "relu", output=a_u)
    return n.add("maxpool", "maxpool", kernel=3, stride=2, padding=1, output=a_u)


# ---- alternative BNNs ------------------------------------------------------------------------

ALT_NOTES = ("Every real-valued op these networks run at inference is kept, as 8-bit integer work on the vector unit: "
             "learnable bias shifts, BatchNorm with the binary conv's per-channel scale (scale_bias, not folded), "
             "RPReLU (bias, PReLU, bias), residual adds, average pools on downsampling shortcuts. Binary convs take 1-bit "
             "activations from a sign whose input is a bias shift, so the sign runs on the vector unit too. Real convs "
             "(stem, downsample 1x1, FC) are 8-bit with BN folded into their requantize.")


def react_block_tail(n, p, x_conv, shortcut, out_name):
    """BN + shortcut add + RPReLU (bias, PReLU, bias): the real-valued tail of every ReActNet/Bi-Real block."""
    bn = n.add(f"{p}.bn", "scale_bias", inputs=[x_conv], output=S8)
    add = n.add(f"{p}.add", "add", inputs=[bn, shortcut], output=S8)
    n.add(f"{p}.bias1", "bias_shift", output=S8)
    n.add(f"{p}.prelu", "prelu", output=S8)
    return n.add(out_name, "bias_shift", output=S8)


def binary_conv_in(n, p, x, cout, k, s):
    n.add(f"{p}.move", "bias_shift", inputs=[x], output=S8)
    n.add(f"{p}.sign", "sign", output=B1)
    return n.conv(f"{p}.conv", cout, k, s, w=W1, out=S8)


def reactnet_a():
    n = Net("reactnet-a", "ReActNet-A (liuzechun/ReActNet mobilenet/2_step2/reactnet.py); ../shared/reference/networks.md",
            ALT_NOTES + " Stage channels 32, 64, 128, 128, 256, 256, 512 x6, 1024, 1024; stride 2 where channels change "
            "except into 64; when a block doubles channels its 1x1 part is two Cin->Cin binary convs, each with BN and the "
            "block input as shortcut, concatenated.", image(224))
    n.conv("stem", 32, 3, 2, out=S8)
    x = n.add("stem.bn", "requantize", output=S8)
    chans = [32, 64, 128, 128, 256, 256] + [512] * 6 + [1024, 1024]
    for i in range(1, len(chans)):
        cin, cout = chans[i - 1], chans[i]
        s = 2 if cout != cin and cin != 32 else 1
        p = f"block{i}"
        conv3 = binary_conv_in(n, f"{p}.3x3", x, cin, 3, s)
        short = x
        if s == 2:
            short = n.add(f"{p}.pool", "avgpool", inputs=[x], kernel=2, stride=2, output=S8)
        y = react_block_tail(n, f"{p}.3x3", conv3, short, f"{p}.3x3.out")
        if cout == cin:
            conv1 = binary_conv_in(n, f"{p}.1x1", y, cout, 1, 1)
            x = react_block_tail(n, f"{p}.1x1", conv1, y, f"{p}.out")
        else:
            n.add(f"{p}.1x1.move", "bias_shift", inputs=[y], output=S8)
            sgn = n.add(f"{p}.1x1.sign", "sign", output=B1)
            halves = []
            for h in ("a", "b"):
                conv1 = n.conv(f"{p}.1x1{h}.conv", cin, 1, 1, w=W1, out=S8, inputs=[sgn])
                halves.append(react_block_tail(n, f"{p}.1x1{h}", conv1, y, f"{p}.1x1{h}.out"))
            x = n.add(f"{p}.out", "concat", inputs=halves, output=S8)
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=S8)
    n.add("fc", "fc", out_features=1000, weights=W8, output=S8)
    n.write("reactnet-a.json")


def bireal_18():
    n = Net("bireal-18", "Bi-Real Net 18 (ReActNet repo resnet/2_step2/birealnet.py); ../shared/reference/networks.md",
            ALT_NOTES + " 16 binary 3x3 convs, each its own block with a shortcut; downsampling shortcuts are AvgPool 2x2 s2 "
            "then a real 1x1 conv.", image(224))
    x = int8_stem(n, a_u=S8)
    cin = 64
    for stage, cout in enumerate([64, 128, 256, 512], start=1):
        for blk in range(4):
            s = 2 if (stage > 1 and blk == 0) else 1
            p = f"layer{stage}.{blk}"
            conv = binary_conv_in(n, p, x, cout, 3, s)
            short = x
            if s == 2 or cin != cout:
                pool = n.add(f"{p}.down.pool", "avgpool", inputs=[x], kernel=2, stride=2, output=S8)
                short = n.conv(f"{p}.down.conv", cout, 1, 1, inputs=[pool], out=S8)
            x = react_block_tail(n, p, conv, short, f"{p}.out")
            cin = cout
    n.add("avgpool", "avgpool", inputs=[x], **{"global": True}, output=S8)
    n.add("fc", "fc", out_features=1000, weights=W8, output=S8)
    n.write("bireal-18.json")


# ---- other tasks -----------------------------------------------------------------------------

def task_backbone(n, binary, mult=2):
    if binary:
        return bineal_trunk(n, mult, bineal_stem(n, mult))
    return basic_blocks(n, int8_stem(n)), 512


def segmentation(binary):
    name = "fcn-seg-bineal" if binary else "fcn-seg-int8"
    n = Net(name, "FCN-style segmentation on a ResNet-18 backbone, 512x1024 input (arXiv 2202.03716 task list; "
            "../shared/reference/networks.md)",
            ("BiNeal 2x backbone, binary 3x3 head conv, 8-bit classifier. " if binary else "8-bit throughout. ") +
            "Sizes chosen here (the source leaves them open): FCN-32s head = 3x3 conv to 128 channels, 1x1 conv to 19 "
            "classes (Cityscapes), bilinear x32 upsampling on the vector unit.", image(512, 1024))
    x, ch = task_backbone(n, binary)
    if binary:
        n.conv("head.conv", 128, 3, w=W1, out=S8, inputs=[x])
        n.add("head.requant", "requantize", output=U8)
    else:
        n.conv("head.conv", 128, 3, inputs=[x], out=S8)
        n.add("head.relu", "relu", output=U8)
    n.conv("head.classifier", 19, 1, out=S8)
    n.add("upsample", "upsample", scale=32, mode="bilinear", output=S8)
    n.write(name + ".json")


def detection(variant):
    """variant: int8, bineal (backbone binary), bineal-star (backbone and head binary)."""
    name = "centernet-det-" + variant
    binary_backbone, binary_head = variant != "int8", variant == "bineal-star"
    n = Net(name, "CenterNet on a ResNet-18 backbone, 448x672 input (arXiv 2202.03716: 'ours' binarizes the backbone, "
            "'ours*' backbone and head; ../shared/reference/networks.md)",
            {"int8": "8-bit throughout. ", "bineal": "BiNeal 2x backbone, 8-bit head. ",
             "bineal-star": "BiNeal 2x backbone, binary head convs with thresholds, 8-bit output 1x1 convs. "}[variant] +
            "Choices made here: each of the three 2x deconvolutions (256, 128, 64 channels) is modelled as nearest 2x "
            "upsampling then a 3x3 conv; heads (heatmap 80, size 2, offset 2) are 3x3 conv 64->64 + 1x1 conv.",
            image(448, 672))
    x, ch = task_backbone(n, binary_backbone)
    for i, cout in enumerate([256, 128, 64]):
        # Upsampling keeps its input's precision: 1 bit out of a binary backbone or binary head conv.
        one_bit = binary_head or (binary_backbone and i == 0)
        up = n.add(f"deconv{i}.up", "upsample", inputs=[x], scale=2, mode="nearest", output=B1 if one_bit else U8)
        if binary_head:
            n.conv(f"deconv{i}.conv", cout, 3, w=W1, out=S8, inputs=[up])
            x = n.add(f"deconv{i}.threshold", "sign", output=B1)
        else:
            n.conv(f"deconv{i}.conv", cout, 3, inputs=[up], out=S8)
            x = n.add(f"deconv{i}.relu", "relu", output=U8)
    for head, cout in (("heatmap", 80), ("size", 2), ("offset", 2)):
        if binary_head:
            n.conv(f"{head}.conv", 64, 3, w=W1, out=S8, inputs=[x])
            n.add(f"{head}.requant", "requantize", output=U8)
        else:
            n.conv(f"{head}.conv", 64, 3, inputs=[x], out=S8)
            n.add(f"{head}.relu", "relu", output=U8)
        n.conv(f"{head}.out", cout, 1, out=S8)
    n.write(name + ".json")


def super_resolution(binary):
    name = "edsr-sr-bineal" if binary else "edsr-sr-int8"
    n = Net(name, "A slim EDSR for 2x super-resolution (arXiv 2202.03716 task list; ../shared/reference/networks.md)",
            ("BiNeal blocks in the body (binary 3x3 convs, threshold, binary 1x1 shortcut, INT4 add emitted as 1 bit), "
             "binary upsampling conv, 8-bit first and last layers. " if binary else "8-bit throughout. ") +
            "Sizes chosen here: 180x320 low-resolution input (to 360x640), 8 residual blocks of 64 channels, global skip, "
            "3x3 conv to 256 channels + pixel shuffle x2, 3x3 tail to 3 channels.", image(180, 320))
    if binary:
        n.conv("head", 64, 3, out=S8)
        x = n.add("head.threshold", "sign", output=B1)
        skip = x
        for b in range(8):
            p = f"body.{b}"
            n.conv(f"{p}.conv1", 64, 3, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.threshold", "sign", output=B1)
            n.conv(f"{p}.conv2", 64, 3, w=W1, out=S8)
            n.add(f"{p}.conv2.requant", "requantize", output=I4)
            n.conv(f"{p}.shortcut", 64, 1, w=W1, out=S8, inputs=[x])
            n.add(f"{p}.shortcut.requant", "requantize", output=I4)
            x = n.add(f"{p}.add", "add", inputs=[f"{p}.conv2.requant", f"{p}.shortcut.requant"], output=B1)
        x = n.add("body.skip", "add", inputs=[x, skip], output=B1)
        n.conv("upsampler.conv", 256, 3, w=W1, out=S8, inputs=[x])
        n.add("upsampler.requant", "requantize", output=U8)
    else:
        x = n.conv("head", 64, 3, out=S8)
        skip = x
        for b in range(8):
            p = f"body.{b}"
            n.conv(f"{p}.conv1", 64, 3, out=S8, inputs=[x])
            n.add(f"{p}.relu", "relu", output=U8)
            n.conv(f"{p}.conv2", 64, 3, out=S8)
            x = n.add(f"{p}.add", "add", inputs=[f"{p}.conv2", x], output=S8)
        n.conv("body.conv", 64, 3, out=S8, inputs=[x])
        x = n.add("body.skip", "add", inputs=["body.conv", skip], output=S8)
        n.conv("upsampler.conv", 256, 3, out=S8, inputs=[x])
    n.add("upsampler.shuffle", "upsample", scale=2, mode="pixel_shuffle", output=U8)
    n.conv("tail", 3, 3, out=S8)
    n.write(name + ".json")


def matching(binary):
    name = "r2d2-match-bineal" if binary else "r2d2-match-int8"
    n = Net(name, "R2D2 (Quad_L2Net) keypoint detector and descriptor, 240x320 input (arXiv 2202.03716 task list; "
            "../shared/reference/networks.md)",
            ("Binarized except the last two output layers; consecutive conv pairs are blocks without skip, each conv "
             "followed by a fused threshold; the first conv has binary weights on the 8-bit image. " if binary else
             "8-bit throughout. ") +
            "Sizes chosen here: 240x320 input; dilations keep full resolution, so every conv is at 240x320: 3x3 convs "
            "32, 32, 64, 64, 128, 128, then three 2x2-like convs modelled as 3x3 at 128 channels, then the two heads: "
            "1x1 128->2 reliability and 1x1 128->2 repeatability (the last two output layers).", image(240, 320))
    chans = [32, 32, 64, 64, 128, 128, 128, 128, 128]
    x = "image"
    for i, cout in enumerate(chans):
        if binary:
            n.conv(f"conv{i}", cout, 3, w=W1, out=S8, inputs=[x])
            x = n.add(f"conv{i}.threshold", "sign", output=B1) if i < len(chans) - 1 else n.add(f"conv{i}.requant", "requantize", output=U8)
        else:
            n.conv(f"conv{i}", cout, 3, inputs=[x], out=S8)
            x = n.add(f"conv{i}.relu", "relu", output=U8)
    n.conv("reliability", 2, 1, out=S8, inputs=[x])
    n.conv("repeatability", 2, 1, out=S8, inputs=[x])
    n.write(name + ".json")


# ---- CSQ mixed precision ----------------------------------------------------------------------

CSQ_PLANES = {1: [6], 2: [6, 4], 3: [6, 5, 3], 4: [6, 5, 4, 2], 5: [7, 6, 5, 4, 2], 6: [7, 6, 5, 4, 3, 1],
              7: [7, 6, 5, 4, 3, 2, 0], 8: list(range(8))}


def csq_mask(k):
    bits = ["0"] * 8
    for p in CSQ_PLANES[k]:
        bits[7 - p] = "1"
    return "".join(bits)


def csq_allocate(params, target):
    """Invented rule (the paper's allocation is not available): start from target + log2(gmean/params)/2,
    rounded and clipped to 1..8 (bigger layers get fewer planes), then move one plane at a time - off the
    largest layer still above 1, or onto the smallest still below 8 - until the unweighted mean is the target."""
    import math
    g = math.exp(sum(math.log(p) for p in params) / len(params))
    bits = [min(8, max(1, round(target + math.log2(g / p) / 2))) for p in params]
    order = sorted(range(len(params)), key=lambda i: -params[i])
    while sum(bits) > target * len(bits):
        i = next(i for i in order if bits[i] > 1)
        bits[i] -= 1
    while sum(bits) < target * len(bits):
        i = next(i for i in reversed(order) if bits[i] < 8)
        bits[i] += 1
    return bits


def csq_network(base, target):
    """CSQ ResNet-18 / ResNet-20: searched layers get sign-magnitude weights with csq_allocate's plane counts
    (masks from CSQ_PLANES, non-contiguous on purpose); 1x1 downsample/shortcut convs stay 8-bit;
    activations 4-bit unsigned after ReLU (ResNet-18's stem output and layer4 8-bit, as in CSQ's code)."""
    import copy
    src = json.load(open(os.path.join(HERE, base + "-int8.json")))
    doc = copy.deepcopy(src)
    searched = [l for l in doc["layers"] if l["type"] in ("conv2d", "fc") and not (
        l["type"] == "conv2d" and l["kernel"] == 1 and ("downsample" in l["name"] or "shortcut" in l["name"]))]
    shapes = {}
    ch = {"image": 3}
    for l in doc["layers"]:
        inp = l["inputs"][0]
        if l["type"] == "conv2d":
            shapes[l["name"]] = ch[inp] * l["kernel"] ** 2 * l["out_channels"]
            ch[l["name"]] = l["out_channels"]
        elif l["type"] == "fc":
            shapes[l["name"]] = ch[inp] * l["out_features"]
            ch[l["name"]] = l["out_features"]
        else:
            ch[l["name"]] = sum(ch[i] for i in l["inputs"]) if l["type"] == "concat" else ch[inp]
    bits = csq_allocate([shapes[l["name"]] for l in searched], target)
    for l, b in zip(searched, bits):
        l["weights"] = {"format": "sign_magnitude", "mask": csq_mask(b)}
    for l in doc["layers"]:
        full = base == "resnet18" and (l["name"].startswith("layer4") or l["name"].startswith("conv1"))
        if l["type"] in ("relu",) and not full:
            l["output"] = {"bits": 4, "signed": False}
    doc["name"] = f"csq-{base}-w{target}a4"
    doc["source"] = src["source"] + "; CSQ weight format (arXiv 2212.02770, lawsonX/CSQ)"
    doc["notes"] = ("NOT the paper's allocation (not available): per-layer plane counts from the rule in "
                    "workloads/generate.py csq_allocate (bigger layers fewer planes, unweighted mean exactly %d bits over "
                    "the %d searched layers: %s); masks %s. 1x1 downsample convs 8-bit. Activations 4-bit after ReLU%s."
                    % (target, len(searched), bits, {k: csq_mask(k) for k in sorted(set(bits))},
                       ", ResNet-18 stem output and layer4 8-bit" if base == "resnet18" else ""))
    path = os.path.join(HERE, doc["name"] + ".json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("wrote", os.path.relpath(path))


if __name__ == "__main__":
    resnet18_int8()
    resnet18_int8(1, "resnet18-a1w8.json")
    resnet20_int8()
    bineal_resnet18(1, "bineal-resnet18-1x.json")
    bineal_resnet18(1.5, "bineal-resnet18-1.5x.json")
    bineal_resnet18(2, "bineal-resnet18-2x.json")
    reactnet_a()
    bireal_18()
    for binary in (False, True):
        segmentation(binary)
        super_resolution(binary)
        matching(binary)
    for variant in ("int8", "bineal", "bineal-star"):
        detection(variant)
    for base in ("resnet18", "resnet20"):
        for target in (2, 3, 4):
            csq_network(base, target)
