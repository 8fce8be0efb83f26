#!/usr/bin/env bash
# Packs a CUDA build of ember's GPU test and benchmark programs (and the Python package, where
# scripts/gpu_python.sh built its module for the GPU machine's Python), with the shared libraries they need
# that a bare GPU machine may lack (OpenBLAS, libpng, Google Benchmark ...), into one archive for
# scripts/gpu_check.sh to run on a machine with a GPU (docs/GPU.md). CUDA's own libraries are not
# packed: the GPU machine has them.
#   scripts/gpu_pack.sh [BUILD] [OUT.tar.xz]
set -euo pipefail
build=${1:-build}
out=${2:-gpu-pack.tar.xz}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib"
# Every GPU test program (tests/cpp/test_cuda*.cpp) and the GPU benchmark.
for prog in "$build"/tests/cpp/test_cuda* "$build"/bench/bench_cuda; do
  case "$prog" in *.cmake) continue ;; esac
  [ -x "$prog" ] && [ -f "$prog" ] && cp "$prog" "$stage/bin/"
done
# The Python package with a module built for the GPU machine's Python by scripts/gpu_python.sh, if any.
gpu_modules=(python/ember/_C.cpython-312*.so)
if [ -f "${gpu_modules[0]}" ]; then
  mkdir -p "$stage/python"
  (cd python && find ember -name '*.py' -o -name py.typed) | tar -C python -cf - -T - | tar -C "$stage/python" -xf -
  cp "${gpu_modules[0]}" "$stage/python/ember/"
fi
# Every library the programs load that a GPU machine may lack, resolved on this machine; not the C and
# C++ runtimes (the GPU machine's own are newer) nor CUDA's (it has them, with cuDNN's sub-libraries).
ldd "$stage"/bin/* "$stage"/python/ember/_C*.so 2>/dev/null | awk '/=> \// {print $3}' | sort -u | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so*|libm.so*|libdl.so*|librt.so*|libpthread.so*|ld-linux*|libmvec*|libz.so*|libstdc++*|libgcc_s*) ;;
    libcuda.so*|libcublas*|libcudart*|libcudnn*) ;;
    *) cp -L "$lib" "$stage/lib/" ;;
  esac
done
strip --strip-unneeded "$stage"/lib/* "$stage"/bin/* "$stage"/python/ember/_C*.so 2>/dev/null || true
tar -C "$stage" -cJf "$out" bin lib $( [ -d "$stage/python" ] && echo python )
ls -la "$out"
