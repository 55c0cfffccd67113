#!/usr/bin/python3
"""Writes a CSQ checkpoint in CSQ's own layout (BitConv2d/BitLinear modules with mask_weight,
pweight/nweight and scale) for ResNet-20, with made-up weights and per-layer plane masks, so that
csq_import.py can be tried without training a network. Not a trained model.

usage: csq_example_checkpoint.py OUT.pth
"""
import sys

import torch

# One mask per layer in turn (8 planes, MSB first); non-contiguous ones included.
EXAMPLE_MASKS = ["10110010", "01000000", "11111111", "00000001", "01101000"]


def resnet20_layers():
    """(name, out, in, kernel or None) of CSQ's ResNet-20: BitConv2d everywhere but the 1x1
    shortcuts (plain nn.Conv2d, no mask), a BitLinear classifier."""
    layers = [("conv1", 16, 3, 3)]
    cin = 16
    for stage, cout in enumerate([16, 32, 64], start=1):
        for blk in range(3):
            layers.append(("layer%d.%d.conv1" % (stage, blk), cout, cin, 3))
            layers.append(("layer%d.%d.conv2" % (stage, blk), cout, cout, 3))
            cin = cout
    layers.append(("linear", 10, 64, None))
    return layers


def state_dict(masks=EXAMPLE_MASKS, seed=0):
    """The checkpoint's state dict and each masked layer's mask."""
    gen = torch.Generator().manual_seed(seed)
    sd, used = {}, {}
    for i, (name, out, inp, k) in enumerate(resnet20_layers()):
        mask = masks[i % len(masks)]
        shape = (out, inp, k, k, 8) if k else (out, inp, 8)
        sd[name + ".mask_weight"] = torch.tensor([1.0 if m == "1" else -1.0 for m in mask])
        sd[name + ".pweight"] = torch.randn(shape, generator=gen)
        sd[name + ".nweight"] = torch.randn(shape, generator=gen)
        sd[name + ".scale"] = torch.tensor([0.1])
        used[name] = mask
    sd["layer2.0.shortcut.0.weight"] = torch.randn((32, 16, 1, 1), generator=gen)  # full precision: no mask
    return sd, used


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__.split("\n\n")[-1].strip() + "\n")
        return 2
    sd, _ = state_dict()
    torch.save({"state_dict": sd, "epoch": 0}, argv[1])
    print("wrote %s: CSQ ResNet-20 layout, %d masked layers (example masks, not a trained model)" % (argv[1], len(resnet20_layers())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
