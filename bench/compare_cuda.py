#!/usr/bin/env python3
"""ember's GPU benchmarks (bench/bench_cuda.cpp) side by side with the same workloads in PyTorch, on one
machine in one run. Both sides time an iteration as "run the op, synchronise the device" with a host
clock, after warm-up, on random inputs; the median over repeats is reported.

    python3 bench/compare_cuda.py --build build [--markdown FILE]

The ratio column is torch time / ember time: > 1 means ember is faster. Needs a CUDA GPU and a CUDA
build of PyTorch for the reference side.
"""
import argparse
import datetime
import json
import pathlib
import statistics
import subprocess
import time

import torch

N = 256 << 20
WORKLOADS = [  # (ember benchmark, label, setup, statement, bytes moved or flops, unit)
    ("BM_cuda_add_256M_f32", "add 256M float32", "a = torch.rand(N, device='cuda'); b = torch.rand(N, device='cuda')",
     "a + b", 3 * 4 * N, "GB/s"),
    ("BM_cuda_sum_256M_f32", "sum 256M float32", "a = torch.rand(N, device='cuda')", "a.sum()", 4 * N, "GB/s"),
    ("BM_cuda_clone_256M_f32", "clone 256M float32 (copy bandwidth)", "a = torch.rand(N, device='cuda')",
     "a.clone()", 2 * 4 * N, "GB/s"),
    ("BM_cuda_mm_bf16_8192", "matmul bfloat16 8192^3",
     "a = torch.rand(8192, 8192, device='cuda').bfloat16(); b = torch.rand(8192, 8192, device='cuda').bfloat16()",
     "torch.matmul(a, b)", 2 * 8192 ** 3, "TFLOP/s"),
    ("BM_cuda_mm_f32_4096", "matmul float32 4096^3 (no TF32)",
     "a = torch.rand(4096, 4096, device='cuda'); b = torch.rand(4096, 4096, device='cuda')",
     "torch.matmul(a, b)", 2 * 4096 ** 3, "TFLOP/s"),
    ("BM_cuda_add_1K_f32", "add 1K float32 (launch + sync)",
     "a = torch.rand(1024, device='cuda'); b = torch.rand(1024, device='cuda')", "a + b", 0, ""),
]


def torch_time(setup, stmt, min_time=1.0):
    env = {"torch": torch, "N": N}
    exec(setup, env)
    code = compile(stmt, "<stmt>", "eval")
    for _ in range(3):
        eval(code, env)
    torch.cuda.synchronize()
    times, start = [], time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < 5:
        t0 = time.perf_counter()
        eval(code, env)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    env.clear()
    torch.cuda.empty_cache()
    return statistics.median(times)


def ember_times(build, quick):
    reps = ["--benchmark_min_time=0.3"] if quick else ["--benchmark_min_time=1", "--benchmark_repetitions=3",
                                                       "--benchmark_report_aggregates_only=true"]
    out = subprocess.run([str(pathlib.Path(build) / "bench" / "bench_cuda"), "--benchmark_format=json", *reps],
                         check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name", "median") == "median" and not b.get("error_occurred"):
            scale = {"ms": 1e-3, "us": 1e-6, "ns": 1e-9}[b["time_unit"]]
            # UseManualTime() names the run "<benchmark>/manual_time".
            res[b["run_name"].removesuffix("/manual_time")] = b["real_time"] * scale
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--markdown")
    ap.add_argument("--quick", action="store_true", help="one short run per workload instead of three")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    ember = ember_times(args.build, args.quick)
    rows = []
    for name, label, setup, stmt, work, unit in WORKLOADS:
        t = torch_time(setup, stmt, 0.3 if args.quick else 1.0)
        e = ember.get(name)
        rate = (lambda s: f"{work / s / (1e9 if unit == 'GB/s' else 1e12):.0f} {unit}") if work else (lambda s: "")
        rows.append((label, f"{e * 1e3:.3f}" if e else "n/a", f"{t * 1e3:.3f}", f"{t / e:.2f}x" if e else "n/a",
                     rate(e) if e else "", rate(t)))
    head = ("workload", "ember ms", "torch ms", "torch/ember", "ember rate", "torch rate")
    lines = [f"{torch.cuda.get_device_name()}, torch {torch.__version__}, {datetime.date.today()}",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    print("\n".join(lines))
    if args.markdown:
        pathlib.Path(args.markdown).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
