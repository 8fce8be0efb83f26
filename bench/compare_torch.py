#!/usr/bin/env python3
"""Runs ember's benchmark binaries and the same workloads in PyTorch, and prints one table: ember time,
torch time and speedup (torch time / ember time, so > 1 means ember is faster).

    python3 bench/compare_torch.py --build build [--threads 2] [--markdown FILE]

The PyTorch side runs in a subprocess of /usr/bin/python3 (Debian's python3-torch) with
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment, so PyTorch picks its own kernels.
Both sides use the same thread count. A workload is one `Workload` row in WORKLOADS: add rows there
(for example GEMM, with the benchmark binary that holds them) without touching the rest.
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


@dataclass
class Workload:
    name: str          # row label
    binary: str        # ember benchmark program under <build>/bench/
    benchmark: str     # Google Benchmark name in that program
    torch_setup: str   # Python run once before timing (torch is imported, N = 2**24)
    torch_stmt: str    # Python timed per iteration


BIG = "a = torch.arange(0, N, dtype=torch.float32) * (1.0 / N); b = torch.arange(0, N, dtype=torch.float32) * (2.0 / N)"
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
]
# Rows that report counters rather than a time comparison: (label, binary, benchmark, counters).
MEMORY_CHECKS = [
    ("100k fwd+bwd steps: live CPU bytes before / after", "bench_core", "BM_memory_100k_fwd_bwd",
     ("alloc_before", "alloc_after")),
]

# Runs in the torch subprocess: reads [{name, setup, stmt}] and writes {name: seconds per iteration}.
TORCH_RUNNER = r"""
import json, sys, timeit
import torch
cfg = json.load(sys.stdin)
torch.set_num_threads(cfg["threads"])
out = {}
for w in cfg["workloads"]:
    env = {"torch": torch, "N": 2 ** 24}
    try:
        exec(w["setup"], env)
        timer = timeit.Timer(w["stmt"], globals=env)
        number, _ = timer.autorange()
        number = max(1, int(number * cfg["min_time"] / 0.2))
        runs = sorted(timer.timeit(number) / number for _ in range(cfg["repetitions"]))
        out[w["name"]] = runs[len(runs) // 2]
    except Exception as e:  # one broken snippet must not lose the other rows
        print(f"torch workload {w['name']!r} failed: {e}", file=sys.stderr)
print(json.dumps({"times": out, "version": torch.__version__, "threads": torch.get_num_threads()}))
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
        name = b.get("run_name", b["name"]).split("/")[0]
        counters = {k: v for k, v in b.items() if k.startswith("alloc_")}
        per_name.setdefault(name, []).append((b["real_time"] * scale[b["time_unit"]], counters))
    return {n: (statistics.median(t for t, _ in runs), runs[-1][1]) for n, runs in per_name.items()}


def run_torch(threads, repetitions, min_time):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    cfg = {"threads": threads, "repetitions": repetitions, "min_time": min_time,
           "workloads": [{"name": w.name, "setup": w.torch_setup, "stmt": w.torch_stmt} for w in WORKLOADS]}
    res = subprocess.run([TORCH_PYTHON, "-c", TORCH_RUNNER], input=json.dumps(cfg), env=env, check=True,
                         stdout=subprocess.PIPE, text=True)
    return json.loads(res.stdout)


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
    ap.add_argument("--markdown", help="also write the table as Markdown to this file")
    args = ap.parse_args()

    ember = {}
    for binary in sorted({w.binary for w in WORKLOADS} | {m[1] for m in MEMORY_CHECKS}):
        ember[binary] = run_ember(args.build, binary, args.threads, args.repetitions, args.min_time)
    torch = run_torch(args.threads, args.repetitions, args.min_time)

    header = ["workload", "ember", "torch", "speedup (torch/ember)"]
    rows = []
    for w in WORKLOADS:
        e = ember[w.binary].get(w.benchmark)
        t = torch["times"].get(w.name)
        rows.append([w.name, fmt_time(e[0]) if e else "missing", fmt_time(t) if t else "missing",
                     f"{t / e[0]:.2f}x" if e and t else "-"])
    notes = []
    for label, binary, bench, counters in MEMORY_CHECKS:
        c = ember[binary].get(bench, (0, {}))[1]
        vals = " / ".join(f"{int(c[k])}" if k in c else "missing" for k in counters)
        flat = len(c) == len(counters) and len({c[k] for k in counters}) == 1
        notes.append(f"{label}: {vals} ({'flat' if flat else 'NOT flat'})")
    meta = [f"machine: {machine()}",
            f"date: {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}",
            f"threads: {args.threads} (ember and torch {torch['version']}, torch reports {torch['threads']})",
            f"timing: wall clock, median of {args.repetitions} runs of >= {args.min_time}s each"]

    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(widths[i]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    print("\n".join(meta))
    print()
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print()
    print("\n".join(notes))

    if args.markdown:
        md = [f"- {m}" for m in meta] + ["", "| " + " | ".join(header) + " |",
                                           "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
        md += ["| " + " | ".join(r) + " |" for r in rows]
        md += [""] + [f"- {n}" for n in notes]
        pathlib.Path(args.markdown).write_text("\n".join(md) + "\n")
        print(f"\nwrote {args.markdown}")


if __name__ == "__main__":
    main()
