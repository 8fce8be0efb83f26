#!/usr/bin/env bash
# Builds the Python module (ember._C) with CUDA for another Python than this machine's, by default the
# GPU machine's 3.12 (docs/GPU.md), so that scripts/gpu_pack.sh can carry it there instead of building
# libember again on the GPU's time. The module lands in python/ember/ beside this machine's own (the
# file names differ by Python version); libember's objects come from ccache when `make build` ran first.
#   scripts/gpu_python.sh [PYTHON] [BUILD]
# PYTHON: a Python 3.12 interpreter (default: pyenv's newest 3.12, else python3.12 on the PATH).
set -euo pipefail
# The first candidate that really is a 3.12 (a pyenv shim on the PATH may only say it is not installed).
py=""
for p in ${1:-} $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 2>/dev/null | sort -rV) \
         $(command -v python3.12); do
  if "$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then py=$p; break; fi
done
build=${2:-build-gpu-py}
[ -n "$py" ] || { echo "gpu_python: no Python 3.12 found (pass one as the first argument)" >&2; exit 1; }
venv=.venv-gpu-py
[ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-build.txt
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE="$PWD/$venv/bin/python" -DEMBER_PYTHON=ON -DEMBER_CUDA=ON "${launcher[@]}"
cmake --build "$build" --target _C -j "$(nproc)"
ls python/ember/_C.cpython-312*.so
