#!/usr/bin/python3
"""Fails when an include points up the layers (README "Layout").

Top-level folders are layers: sim (core) < models (SystemC) < rtl (RTL, co-simulation) < app < python.
Inside the core, folders are ordered too; folders on one line share a rank. A file may include
its own folder, anything of a lower rank, and system headers.
"""
import pathlib
import re
import sys

LAYERS = [
    ["sim/ir", "sim/pe"],
    ["sim/io"],
    ["sim/lowering"],
    ["sim/values"],
    ["sim/plan"],
    ["sim/fidelity"],
    ["sim/timing"],
    ["sim/engine"],
    ["sim/cost"],
    ["models"],
    ["rtl"],
    ["app"],
    ["python"],
]


def rank(path):
    for i, group in enumerate(LAYERS):
        for prefix in group:
            if path == prefix or path.startswith(prefix + "/"):
                return i
    return None


def main(root):
    root = pathlib.Path(root)
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
    errors = []
    for f in sorted(root.glob("*/**/*")):
        if f.suffix not in (".h", ".cpp", ".hpp", ".cc") or "build" in f.relative_to(root).parts[:1]:
            continue
        rel = f.relative_to(root).as_posix()
        mine = rank(rel)
        if mine is None:
            continue  # tests and tools may include anything
        for target in include.findall(f.read_text(errors="replace")):
            theirs = rank(target)
            if theirs is not None and theirs > mine:
                errors.append(f"{rel}: includes {target}, a higher layer ({LAYERS[theirs][0]} above {LAYERS[mine][0]})")
    for e in errors:
        print(e)
    print(f"{len(errors)} upward include(s)" if errors else "every include points down the layers")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent))
