#!/usr/bin/env bash
# Installs what building and testing ember needs from Debian's packages. Idempotent: when everything is
# present it only checks and returns.
set -euo pipefail
pkgs=(cmake ninja-build g++ make ccache libgtest-dev libgmock-dev libbenchmark-dev libopenblas-dev libomp-dev libsleef-dev
      nlohmann-json3-dev libcli11-dev libfmt-dev zlib1g-dev libpng-dev protobuf-compiler libprotobuf-dev
      dataset-fashion-mnist
      python3-torch python3-dev python3-venv python3-numpy python3-pytest python3-mypy)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install_deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Python front end builds and tests in a virtual environment over Debian's python3 (which has
# python3-torch, the conformance reference); nanobind comes from PyPI.
VENV="${EMBER_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$VENV"
want=$(cat python/requirements-build.txt python/requirements-test.txt | grep -E '^[a-z]' | tr '_' '-' | sort)
have=$("$VENV/bin/python" -m pip freeze --local 2>/dev/null | tr '_' '-' | grep -ixF -f <(echo "$want") | sort || true)
if [ "$want" != "$have" ]; then
  echo "install_deps: installing $(echo $want) into $VENV"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements-build.txt \
    -r python/requirements-test.txt
fi
