#!/usr/bin/env bash
# Installs what building and testing ember needs from Debian's packages. Idempotent: when everything is
# present it only checks and returns.
set -euo pipefail
pkgs=(cmake ninja-build g++ make ccache libgtest-dev libgmock-dev libbenchmark-dev libopenblas-dev libomp-dev
      nlohmann-json3-dev
      python3-torch)
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
