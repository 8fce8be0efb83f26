#!/usr/bin/env python3
"""Checks the layering rules of docs/ARCHITECTURE.md and the per-file size cap.

Each folder under src/ may include only the folders listed for it (the public headers under include/ are
open to all). A source file over MAX_LINES lines fails the check, so files stay small and single-purpose.
"""
import pathlib
import re
import sys

MAX_LINES = 1500
ROOT = pathlib.Path(__file__).resolve().parent.parent
ALLOWED = {
    "core": {"core"},
    "dispatch": {"core", "dispatch"},
    "ops": {"core", "dispatch", "ops", "backend/common"},
    "autograd": {"core", "dispatch", "ops", "autograd"},
    "backend/common": {"core", "backend/common"},
    "backend/cpu": {"core", "dispatch", "backend/common", "backend/cpu"},
    "backend/cuda": {"core", "dispatch", "backend/common", "backend/cuda"},
    # The libraries users build models with see only the public API, like a user's own code would;
    # each may use the ones listed before it.
    "nn": {"nn"},
    "optim": {"optim"},
    "data": {"data"},
    "io": {"io"},
    "utils": {"utils"},
    # The Python bindings see only the public headers (include/ember), like any user of the library.
    "python": {"python"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    for name in sorted(ALLOWED, key=len, reverse=True):
        if rel == name or rel.startswith(name + "/"):
            return name
    return None


def main():
    errors = []
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in {".h", ".cpp", ".cu", ".cuh", ".def", ".inc"}:
            continue
        rel = path.relative_to(ROOT / "src").as_posix()
        text = path.read_text()
        if text.count("\n") > MAX_LINES:
            errors.append(f"src/{rel}: {text.count(chr(10))} lines, over the cap of {MAX_LINES}")
        layer = layer_of(rel)
        if layer is None:
            errors.append(f"src/{rel}: not in a known layer {sorted(ALLOWED)}")
            continue
        for inc in INCLUDE.findall(text):
            target = layer_of(inc)
            if target is None or target not in ALLOWED[layer]:
                errors.append(f"src/{rel}: layer '{layer}' may not include \"{inc}\"")
    for folder in ("include", "tests", "bench", "examples", "apps", "python"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".h", ".cpp", ".py"} and path.read_text().count("\n") > MAX_LINES:
                errors.append(f"{path.relative_to(ROOT)}: over the cap of {MAX_LINES} lines")
    for e in errors:
        print(e)
    print(f"check_layers: {'FAILED' if errors else 'ok'} ({len(errors)} problems)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
