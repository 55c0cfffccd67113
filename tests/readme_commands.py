#!/usr/bin/python3
"""Runs every command of the README's `sh` blocks as written, from a copy of the project folder
(so outputs land in the copy), and fails on the first that does not exit 0. Skipped: the quick
start's `bash scripts/...` (CI runs those itself) and Slurm submission (`sbatch`).

usage: readme_commands.py SOURCE_DIR BUILD_DIR [SHARED_DIR]   (SHARED_DIR: default SOURCE_DIR/../shared)
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = ("bash scripts/", "sbatch ")


def commands(readme):
    """Each command line of the README's ```sh blocks, comments dropped, continuations joined."""
    out, block, pending = [], False, ""
    for line in open(readme, encoding="utf-8"):
        if line.startswith("```"):
            block = line.strip() == "```sh"
            continue
        if not block:
            continue
        text = pending + re.sub(r"\s+#\s.*$", "", line.rstrip("\n"))
        if text.endswith("\\"):
            pending = text[:-1] + " "
            continue
        pending = ""
        if text.strip():
            out.append(text.strip())
    return out


def main(src, build, shared):
    root = tempfile.mkdtemp(prefix="bitsys-readme-")
    project = os.path.join(root, "project")
    os.mkdir(project)
    # The project as a fresh clone has it, with the build beside it, and ../shared next to it.
    for name in os.listdir(src):
        if name in (".git", "build", "out"):
            continue
        os.symlink(os.path.join(src, name), os.path.join(project, name))
    os.symlink(build, os.path.join(project, "build"))
    os.symlink(os.path.realpath(shared), os.path.join(root, "shared"))
    ran = 0
    try:
        for cmd in commands(os.path.join(src, "README.md")):
            if cmd.startswith(SKIP):
                print("skipped:", cmd)
                continue
            argv = shlex.split(cmd)
            start = time.monotonic()
            r = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=600)
            print("%5.1f s  %s" % (time.monotonic() - start, cmd))
            if r.returncode != 0:
                print("FAILED with exit code %d:\n%s%s" % (r.returncode, r.stdout[-2000:], r.stderr[-2000:]))
                return 1
            ran += 1
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if ran < 10:
        print("only %d README commands found: did the README lose its sh blocks?" % ran)
        return 1
    print("%d README commands ran as written" % ran)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else os.path.join(sys.argv[1], "..", "shared")))
