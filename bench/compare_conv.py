#!/usr/bin/env python3
"""Times the Fashion-MNIST CNN's convolutions (bench/bench_conv.cpp) in ember and in PyTorch side by side
and prints torch time / ember time (> 1: ember is faster), for wall time and for the CPU time of the whole
process (all threads). The two alternate for --rounds rounds, since the machine is shared and its load
drifts; each side's best round counts. On a loaded machine wall time mostly measures the other processes;
CPU time then compares the work done (including threads that spin while waiting).

    python3 bench/compare_conv.py --build build [--threads 2] [--rounds 3]

PyTorch is Debian's python3-torch (/usr/bin/python3) with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed
from its environment, at the same thread count as ember (OMP_NUM_THREADS).
"""
import argparse
import json
import os
import pathlib
import subprocess

TORCH_PYTHON = "/usr/bin/python3"
LAYERS = [(1, 32, 28), (32, 64, 13)]

TORCH_SCRIPT = r"""
import sys, time, json, torch, torch.nn.functional as F
torch.set_num_threads(int(sys.argv[1]))
torch.manual_seed(0)
def best(f, seconds=0.5):
    for _ in range(3): f()
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds: f(); n += 1
    k = max(n // 3, 1)
    wall, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        for _ in range(k): f()
        wall.append((time.perf_counter() - t) / k); cpu.append((time.process_time() - c) / k)
    return [min(wall) * 1e3, min(cpu) * 1e3]
out = {}
for i, (cin, cout, s) in enumerate(%s):
    x = torch.randn(64, cin, s, s); w = torch.randn(cout, cin, 3, 3); b = torch.randn(cout)
    out[f"BM_conv2d_forward/{i}"] = best(lambda: F.conv2d(x, w, b))
    xg = x.clone().requires_grad_(cin > 1); wg = w.clone().requires_grad_(); bg = b.clone().requires_grad_()
    g = torch.randn(64, cout, s - 2, s - 2)
    def step():
        F.conv2d(xg, wg, bg).backward(g); wg.grad = None; bg.grad = None; xg.grad = None
    out[f"BM_conv2d_train/{i}"] = best(step)
print(json.dumps(out))
""" % (LAYERS,)


def ember_times(binary, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    r = subprocess.run([binary, "--benchmark_format=json", "--benchmark_min_time=0.5", "--benchmark_repetitions=3",
                        "--benchmark_report_aggregates_only=false"], env=env, capture_output=True, text=True, check=True)
    times = {}
    for b in json.loads(r.stdout)["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        name = "/".join(b["run_name"].split("/")[:2])  # without the "/process_time" suffix
        scale = {"ms": 1, "us": 1e-3, "ns": 1e-6}[b["time_unit"]]
        t = [b["real_time"] * scale, b["cpu_time"] * scale]
        old = times.get(name, t)
        times[name] = [min(old[0], t[0]), min(old[1], t[1])]
    return times


def torch_times(threads):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    r = subprocess.run([TORCH_PYTHON, "-c", TORCH_SCRIPT, str(threads)], env=env, capture_output=True, text=True,
                       check=True)
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    binary = str(pathlib.Path(a.build) / "bench" / "bench_conv")
    best_e, best_t = {}, {}
    for _ in range(a.rounds):
        for src, dst in ((ember_times(binary, a.threads), best_e), (torch_times(a.threads), best_t)):
            for k, v in src.items():
                old = dst.get(k, v)
                dst[k] = [min(old[0], v[0]), min(old[1], v[1])]
    labels = {"BM_conv2d_forward": "forward", "BM_conv2d_train": "forward+backward"}
    print(f"threads {a.threads}, best of {a.rounds} rounds; ms per call")
    print(f"{'workload (batch 64, 3x3)':40} {'ember wall':>10} {'torch wall':>10} {'ratio':>6}"
          f" {'ember cpu':>10} {'torch cpu':>10} {'ratio':>6}")
    for k in sorted(best_e):
        kind, layer = k.split("/")
        cin, cout, s = LAYERS[int(layer)]
        name = f"conv {cin}->{cout} on {s}x{s} {labels[kind]}"
        (ew, ec), (tw, tc) = best_e[k], best_t[k]
        print(f"{name:40} {ew:10.3f} {tw:10.3f} {tw / ew:6.2f} {ec:10.3f} {tc:10.3f} {tc / ec:6.2f}")


if __name__ == "__main__":
    main()
