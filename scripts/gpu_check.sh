#!/usr/bin/env bash
# Runs on a machine with an NVIDIA GPU, from the repository root, over an archive made by
# scripts/gpu_pack.sh: the CUDA unit tests (ember-CUDA against ember-CPU), the Python conformance suite
# on the GPU against the machine's PyTorch (when the archive has the Python package), the side-by-side
# benchmarks against the machine's PyTorch (bench/compare_cuda.py), and the unit tests again under
# compute-sanitizer's memcheck (skipped with `quick`; MEMCHECK_FILTER narrows it to some tests).
# Logs go to $OUT (or ./gpu-out).
#   scripts/gpu_check.sh gpu-pack.tar.xz [quick]
set -uo pipefail
pack=$1
out=${OUT:-gpu-out}
mkdir -p "$out"
root=$(mktemp -d)
tar -C "$root" -xJf "$pack"
cublas=$(find /usr/local/cuda*/lib64 /usr/local/cuda*/targets /usr/lib /opt -name 'libcublasLt.so.1*' 2>/dev/null | head -1)
cudnn=$(find /usr/local/cuda*/lib64 /usr/lib /opt -name 'libcudnn.so.9*' 2>/dev/null | head -1)
# Only ember's programs see the packed libraries (PyTorch keeps its own).
libs="$root/lib:$(dirname "${cublas:-/x/x}"):$(dirname "${cudnn:-/x/x}"):${LD_LIBRARY_PATH:-}"
mkdir -p "$root/build/bench"
printf '#!/bin/sh\nLD_LIBRARY_PATH="%s" exec "%s" "$@"\n' "$libs" "$root/bin/bench_cuda" > "$root/build/bench/bench_cuda"
chmod +x "$root/build/bench/bench_cuda"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv,noheader | tee "$out/gpu.txt"
tests=$(cd "$root/bin" && ls test_cuda*)
status=0
for t in $tests; do
  LD_LIBRARY_PATH="$libs" "$root/bin/$t" --gtest_brief=1 > "$out/$t.log" 2>&1 || status=1
  echo "== $t: $(grep -E '^\[  (PASSED|FAILED) ' "$out/$t.log" | tr '\n' ' ')"
  grep -B1 -A5 "Failure$" "$out/$t.log" | head -60
done
if [ -d "$root/python" ]; then
  # The Python conformance suite and the nn.functional comparisons with ember and PyTorch both on the GPU.
  PYTHONPATH="$root/python" LD_LIBRARY_PATH="$libs" EMBER_TEST_DEVICE=cuda timeout "${PYTEST_TIMEOUT:-420}" \
    python3 -m pytest -q -p no:cacheprovider tests/python/conformance tests/python/nn/test_functional_*.py \
    tests/python/test_cuda.py > "$out/python_cuda.log" 2>&1 || status=1
  echo "== python on cuda: $(tail -1 "$out/python_cuda.log")"
  grep -E "^FAILED" "$out/python_cuda.log" | head -40
fi
echo "== benchmarks against PyTorch"
python3 bench/compare_cuda.py --build "$root/build" ${2:+--quick} --markdown "$out/bench.md" 2>&1 | tail -12
if [ "${2:-}" != quick ]; then
  for t in $tests; do
    LD_LIBRARY_PATH="$libs" timeout "${MEMCHECK_TIMEOUT:-300}" compute-sanitizer --tool memcheck --leak-check no --error-exitcode 3 \
      "$root/bin/$t" --gtest_brief=1 --gtest_filter="${MEMCHECK_FILTER:-*}" > "$out/memcheck_$t.log" 2>&1
    echo "== memcheck $t: exit $?; $(grep -E 'ERROR SUMMARY' "$out/memcheck_$t.log")"
  done
fi
exit $status
