#!/usr/bin/env python3
"""Runs ember's benchmark binaries and the same workloads in PyTorch, and prints two tables of ember
time, torch time and speedup (torch time / ember time, so > 1 means ember is faster): ember's C++ API
against PyTorch's Python front end, and ember's Python front end against PyTorch's.

    python3 bench/compare_torch.py --build build [--threads 2] [--markdown FILE]

The PyTorch side runs in a subprocess of /usr/bin/python3 (Debian's python3-torch) with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment, so PyTorch picks its own kernels.
ember's Python side runs in one subprocess of --ember-python (the repository's .venv) importing the
in-place build from python/ (or, with --installed, the ember that Python has installed). Both sides use
the same thread count. A workload is one `Workload` row in WORKLOADS (C++) or one `PyWorkload` row in
PY_WORKLOADS (the same snippet for both front ends): add rows there without touching the rest.
"""
import argparse
import datetime
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
from dataclasses import dataclass

TORCH_PYTHON = "/usr/bin/python3"
REPO = pathlib.Path(__file__).resolve().parent.parent


@dataclass
class Workload:
    name: str          # row label
    binary: str        # ember benchmark program under <build>/bench/
    benchmark: str     # Google Benchmark name in that program
    torch_setup: str   # Python run once before timing (torch is imported, N = 2**24)
    torch_stmt: str    # Python timed per iteration


BIG = "a = torch.arange(0, N, dtype=torch.float32) * (1.0 / N); b = torch.arange(0, N, dtype=torch.float32) * (2.0 / N)"
# The eight parameter tensors of the Fashion-MNIST CNN with gradients in place (bench/bench_optim.cpp).
CNN_PARAMS = ("ps = [torch.randn(s, requires_grad=True) for s in [(32, 1, 3, 3), (32,), (64, 32, 3, 3), (64,), "
              "(128, 1600), (128,), (10, 128), (10,)]]\n"
              "for p in ps: p.grad = torch.randn(p.shape) * 1e-2\n")
WORKLOADS = [
    Workload("add, 1 element", "bench_core", "BM_add_1elem",
             "a = torch.ones(1); b = torch.ones(1)", "a + b"),
    Workload("add, 1 element, requires_grad", "bench_core", "BM_add_1elem_requires_grad",
             "a = torch.ones(1, requires_grad=True); b = torch.ones(1)", "a + b"),
    Workload("tiny fwd+bwd (x*x).sum() 16x16, zero grad", "bench_core", "BM_tiny_fwd_bwd_16x16",
             "x = torch.ones(16, 16, requires_grad=True); (x * x).sum().backward()",
             "(x * x).sum().backward(); x.grad.zero_()"),
    Workload("add 16M float32", "bench_core", "BM_add_16M_f32", BIG, "a + b"),
    Workload("mul 16M float32", "bench_core", "BM_mul_16M_f32", BIG, "a * b"),
    Workload("exp 16M float32", "bench_core", "BM_exp_16M_f32", BIG, "a.exp()"),
    Workload("sum 16M float32", "bench_core", "BM_sum_16M_f32", BIG, "a.sum()"),
    Workload("mm float32 1024^3", "bench_core", "BM_mm_f32_1024",
             "a = torch.ones(1024, 1024); b = torch.ones(1024, 1024)", "torch.mm(a, b)"),
    Workload("mm float32 2048^3", "bench_core", "BM_mm_f32_2048",
             "a = torch.ones(2048, 2048); b = torch.ones(2048, 2048)", "torch.mm(a, b)"),
    Workload("mm float64 1024^3", "bench_core", "BM_mm_f64_1024",
             "a = torch.ones(1024, 1024, dtype=torch.float64); b = torch.ones(1024, 1024, dtype=torch.float64)",
             "torch.mm(a, b)"),
    Workload("Adam.step, Fashion-MNIST CNN parameters (torch default)", "bench_optim", "BM_adam_step_fmnist_cnn",
             CNN_PARAMS + "opt = torch.optim.Adam(ps, lr=1e-3); opt.step()", "opt.step()"),
    Workload("Adam.step, Fashion-MNIST CNN parameters (torch foreach=True)", "bench_optim",
             "BM_adam_step_fmnist_cnn",
             CNN_PARAMS + "opt = torch.optim.Adam(ps, lr=1e-3, foreach=True); opt.step()", "opt.step()"),
    Workload("SGD(momentum=0.9).step, Fashion-MNIST CNN parameters", "bench_optim",
             "BM_sgd_momentum_step_fmnist_cnn",
             CNN_PARAMS + "opt = torch.optim.SGD(ps, lr=1e-2, momentum=0.9); opt.step()", "opt.step()"),
    Workload("max_pool2d 2x2 fwd 64x32x26x26", "bench_pool", "BM_max_pool2d/64x32x26x26",
             "x = torch.randn(64, 32, 26, 26)", "torch.nn.functional.max_pool2d(x, 2, return_indices=True)"),
    Workload("max_pool2d 2x2 fwd 64x64x11x11", "bench_pool", "BM_max_pool2d/64x64x11x11",
             "x = torch.randn(64, 64, 11, 11)", "torch.nn.functional.max_pool2d(x, 2, return_indices=True)"),
    Workload("max_pool2d 2x2 fwd+bwd 64x32x26x26", "bench_pool", "BM_max_pool2d_fwd_bwd/64x32x26x26",
             "x = torch.randn(64, 32, 26, 26, requires_grad=True); g = torch.randn(64, 32, 13, 13)",
             "torch.autograd.grad(torch.nn.functional.max_pool2d(x, 2), x, g)"),
    Workload("max_pool2d 2x2 fwd+bwd 64x64x11x11", "bench_pool", "BM_max_pool2d_fwd_bwd/64x64x11x11",
             "x = torch.randn(64, 64, 11, 11, requires_grad=True); g = torch.randn(64, 64, 5, 5)",
             "torch.autograd.grad(torch.nn.functional.max_pool2d(x, 2), x, g)"),
]


@dataclass
class PyWorkload:
    name: str   # row label
    setup: str  # Python run once before timing, with T bound to the module (ember or torch), np to numpy
    stmt: str   # Python timed per iteration


MB100 = 25 * 2 ** 20  # float32 elements in 100 MiB
PY_WORKLOADS = [
    PyWorkload("x + y, 1 element", "x = T.ones(1); y = T.ones(1)", "x + y"),
    PyWorkload("x + y, 1 element, requires_grad", "x = T.ones(1, requires_grad=True); y = T.ones(1)", "x + y"),
    PyWorkload("tiny fwd+bwd (x*x).sum() 16x16, zero grad",
               "x = T.ones(16, 16, requires_grad=True); (x * x).sum().backward()",
               "(x * x).sum().backward(); x.grad.zero_()"),
    PyWorkload("tiny fwd+bwd (x*x).sum() 16x16, grad = None",
               "x = T.ones(16, 16, requires_grad=True)", "(x * x).sum().backward(); x.grad = None"),
    PyWorkload("from_numpy, 100 MB", f"a = np.ones({MB100}, dtype=np.float32)", "T.from_numpy(a)"),
    PyWorkload("from_numpy, 4 bytes", "a = np.ones(1, dtype=np.float32)", "T.from_numpy(a)"),
    PyWorkload(".numpy(), 100 MB", f"t = T.ones({MB100})", "t.numpy()"),
    PyWorkload(".numpy(), 4 bytes", "t = T.ones(1)", "t.numpy()"),
]
# O(1) checks: (label, large row, small row). The large/small time ratio is near 1 when nothing is
# copied; the runner also checks that the array and tensor share memory.
PY_CONSTANT_TIME = [
    ("from_numpy", "from_numpy, 100 MB", "from_numpy, 4 bytes"),
    (".numpy()", ".numpy(), 100 MB", ".numpy(), 4 bytes"),
]
# Runs in both front ends' processes: a write through the result must show in the source.
PY_SHARING_CHECK = f"""
a = np.zeros({MB100}, dtype=np.float32)
T.from_numpy(a).numpy()[-1] = 7.0
t = T.from_numpy(a)
shared = bool(a[-1] == 7.0 and np.shares_memory(t.numpy(), a))
"""

# Rows that report counters rather than a time comparison: (label, binary, benchmark, counters).
MEMORY_CHECKS = [
    ("100k fwd+bwd steps: live CPU bytes before / after", "bench_core", "BM_memory_100k_fwd_bwd/iterations:100000",
     ("alloc_before", "alloc_after")),
]

# Runs in each front end's subprocess: reads {module, threads, workloads: [{name, setup, stmt}], ...}
# and writes {name: seconds per iteration}. Snippets see the module as T and under its own name.
RUNNER = r"""
import importlib, json, sys, timeit
import numpy as np
cfg = json.load(sys.stdin)
T = importlib.import_module(cfg["module"])
if hasattr(T, "set_num_threads"):
    T.set_num_threads(cfg["threads"])
out = {}
shared = None
try:
    env = {"T": T, "np": np}
    exec(cfg["sharing_check"], env)
    shared = env["shared"]
except Exception as e:
    print(f"{cfg['module']}: memory-sharing check failed: {e!r}", file=sys.stderr)
for w in cfg["workloads"]:
    env = {cfg["module"]: T, "T": T, "np": np, "N": 2 ** 24}
    try:
        exec(w["setup"], env)
        timer = timeit.Timer(w["stmt"], globals=env)
        number, _ = timer.autorange()
        number = max(1, int(number * cfg["min_time"] / 0.2))
        runs = sorted(timer.timeit(number) / number for _ in range(cfg["repetitions"]))
        out[w["name"]] = runs[len(runs) // 2]
    except Exception as e:  # one broken snippet must not lose the other rows
        print(f"{cfg['module']} workload {w['name']!r} failed: {e!r}", file=sys.stderr)
threads = T.get_num_threads() if hasattr(T, "get_num_threads") else None
print(json.dumps({"times": out, "version": T.__version__, "threads": threads, "shared": shared}))
"""


def run_ember(build, binary, threads, repetitions, min_time):
    """{benchmark name: (median real seconds, counters)} from one benchmark program."""
    exe = pathlib.Path(build) / "bench" / binary
    if not exe.exists():
        print(f"compare_torch: {exe} not found (build with -DEMBER_BUILD_BENCH=ON); its rows show 'missing'",
              file=sys.stderr)
        return {}
    cmd = [str(exe), f"--threads={threads}", "--benchmark_format=json",
           f"--benchmark_repetitions={repetitions}", f"--benchmark_min_time={min_time}"]
    res = subprocess.run(cmd, check=True, capture_output=True, text=True)
    per_name = {}
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    for b in json.loads(res.stdout)["benchmarks"]:
        if b.get("run_type") == "aggregate":
            continue
        # "BM_x/arg/real_time": the timing suffix goes, an argument stays part of the name.
        name = b.get("run_name", b["name"]).removesuffix("/real_time").removesuffix("/manual_time")
        counters = {k: v for k, v in b.items() if k.startswith("alloc_")}
        per_name.setdefault(name, []).append((b["real_time"] * scale[b["time_unit"]], counters))
    return {n: (statistics.median(t for t, _ in runs), runs[-1][1]) for n, runs in per_name.items()}


def run_python(module, python, env, workloads, threads, repetitions, min_time):
    """One process of `python` timing `workloads` ([(name, setup, stmt)]) with `module` imported as T."""
    cfg = {"module": module, "threads": threads, "repetitions": repetitions, "min_time": min_time,
           "sharing_check": PY_SHARING_CHECK,
           "workloads": [{"name": n, "setup": s, "stmt": st} for n, s, st in workloads]}
    res = subprocess.run([python, "-c", RUNNER], input=json.dumps(cfg), env=env, stdout=subprocess.PIPE,
                         text=True)
    if res.returncode != 0:
        print(f"compare_torch: the {module} process failed (exit {res.returncode}); its rows show 'missing'",
              file=sys.stderr)
        return {"times": {}, "version": "?", "threads": None, "shared": None}
    return json.loads(res.stdout)


def run_torch(threads, repetitions, min_time, cpp):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    workloads = [(w.name, w.torch_setup, w.torch_stmt) for w in WORKLOADS] if cpp else []
    workloads += [("py:" + w.name, w.setup, w.stmt) for w in PY_WORKLOADS]
    return run_python("torch", TORCH_PYTHON, env, workloads, threads, repetitions, min_time)


def run_ember_python(python, installed, threads, repetitions, min_time):
    env = dict(os.environ)
    if not installed:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "python"), env.get("PYTHONPATH")]))
    workloads = [("py:" + w.name, w.setup, w.stmt) for w in PY_WORKLOADS]
    return run_python("ember", python, env, workloads, threads, repetitions, min_time)


def machine():
    model = platform.processor() or "unknown CPU"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def fmt_time(s):
    for unit, f in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= f:
            return f"{s / f:.3g} {unit}"
    return f"{s / 1e-9:.3g} ns"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="ember build directory (holds bench/)")
    ap.add_argument("--threads", type=int, default=2, help="intra-op threads on both sides")
    ap.add_argument("--repetitions", type=int, default=3, help="runs per workload; the median is reported")
    ap.add_argument("--min-time", type=float, default=0.3, help="seconds per run")
    ap.add_argument("--markdown", help="also write the tables as Markdown to this file")
    ap.add_argument("--ember-python", default=str(REPO / ".venv" / "bin" / "python"),
                    help="Python interpreter for ember's Python front end")
    ap.add_argument("--installed", action="store_true",
                    help="import the ember installed in --ember-python instead of the in-place build")
    ap.add_argument("--python-only", action="store_true", help="only the Python front-end table")
    args = ap.parse_args()

    cpp = not args.python_only
    ember = {b: {} for b in {w.binary for w in WORKLOADS} | {m[1] for m in MEMORY_CHECKS}}
    for binary in sorted(ember) if cpp else []:
        ember[binary] = run_ember(args.build, binary, args.threads, args.repetitions, args.min_time)
    ember_py = run_ember_python(args.ember_python, args.installed, args.threads, args.repetitions,
                                args.min_time)
    torch = run_torch(args.threads, args.repetitions, args.min_time, cpp)

    def row(name, e, t):
        return [name, fmt_time(e) if e else "missing", fmt_time(t) if t else "missing",
                f"{t / e:.2f}x" if e and t else "-"]

    header = ["workload (ember C++)", "ember", "torch", "speedup (torch/ember)"]
    rows = [row(w.name, ember[w.binary].get(w.benchmark, (None,))[0], torch["times"].get(w.name))
            for w in WORKLOADS]
    py_header = ["workload (ember Python)", "ember", "torch", "speedup (torch/ember)"]
    py_rows = [row(w.name, ember_py["times"].get("py:" + w.name), torch["times"].get("py:" + w.name))
               for w in PY_WORKLOADS]
    notes = []
    for label, binary, bench, counters in MEMORY_CHECKS if cpp else []:
        c = ember[binary].get(bench, (0, {}))[1]
        vals = " / ".join(f"{int(c[k])}" if k in c else "missing" for k in counters)
        flat = len(c) == len(counters) and len({c[k] for k in counters}) == 1
        notes.append(f"{label}: {vals} ({'flat' if flat else 'NOT flat'})")
    for label, big, small in PY_CONSTANT_TIME:
        parts = []
        for side, res in (("ember", ember_py), ("torch", torch)):
            b, s = res["times"].get("py:" + big), res["times"].get("py:" + small)
            ratio = f"{b / s:.2f}" if b and s else "missing"
            shared = {True: "shares memory", False: "COPIES", None: "sharing unchecked"}[res["shared"]]
            parts.append(f"{side} {ratio} ({shared})")
        notes.append(f"{label} time 100 MB / 4 bytes: " + ", ".join(parts) + " (near 1: O(1))")
    meta = [f"machine: {machine()}",
            f"date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
            f"threads: {args.threads} (ember and torch {torch['version']}, torch reports {torch['threads']})",
            f"ember Python: {args.ember_python} ({'installed' if args.installed else 'in-place build'}), "
            f"ember {ember_py['version']}",
            f"timing: wall clock, median of {args.repetitions} runs of >= {args.min_time}s each"]

    tables = ([(header, rows)] if cpp else []) + [(py_header, py_rows)]
    print("\n".join(meta))
    for head, body in tables:
        widths = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
        line = lambda r: "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i])
                                   for i, c in enumerate(r))
        print()
        print(line(head))
        print("  ".join("-" * w for w in widths))
        for r in body:
            print(line(r))
    print()
    print("\n".join(notes))

    if args.markdown:
        md = [f"- {m}" for m in meta]
        for head, body in tables:
            md += ["", "| " + " | ".join(head) + " |", "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]
            md += ["| " + " | ".join(r) + " |" for r in body]
        md += [""] + [f"- {n}" for n in notes]
        pathlib.Path(args.markdown).write_text("\n".join(md) + "\n")
        print(f"\nwrote {args.markdown}")


if __name__ == "__main__":
    main()
