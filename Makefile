# Quick start: `make demo` and `make test`. Both install what is missing, build, and run; both are quick
# on a second run.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
VENV_PY := $(CURDIR)/.venv/bin/python
# Expanded when a configure runs (`=`, not `:=`), so on a fresh machine it sees the ccache that `deps`
# installed a moment before.
LAUNCHER = $(shell command -v ccache >/dev/null 2>&1 && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
# ccache keys on paths relative to the checkout, so the wheel's build tree (test-pip) reuses build/'s objects
# instead of compiling libember a second time.
export CCACHE_BASEDIR ?= $(CURDIR)

.PHONY: deps build demo test test-release test-python test-cli test-asan test-install test-pip check-layers bench install clean golden

deps:
	@bash scripts/install_deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DPython_EXECUTABLE=$(VENV_PY) $(LAUNCHER) $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The main job: `ember train` with its defaults (the Fashion-MNIST CNN, 3 epochs).
demo: build
	./$(BUILD)/bin/ember train

check-layers:
	python3 scripts/check_layers.py

test-release: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

$(ASAN_BUILD)/build.ninja: | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DEMBER_SANITIZE=ON \
	  -DEMBER_BUILD_BENCH=OFF -DEMBER_BUILD_APPS=OFF -DEMBER_CPU_KERNELS=native -DEMBER_CUDA=OFF $(LAUNCHER) $(CMAKE_FLAGS)

# The unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900

# The Python front end, built in place by `build`, against Debian's PyTorch (the venv sees it).
test-python: build
	PYTHONPATH=$(CURDIR)/python $(VENV_PY) -m pytest tests/python -q -p no:cacheprovider

# The `ember` command as users run it; the files it writes are read back with safetensors, PyTorch and
# TensorBoard's reader from the venv.
test-cli: build
	EMBER_BIN=$(CURDIR)/$(BUILD)/bin/ember $(VENV_PY) -m pytest tests/cli -q -p no:cacheprovider

test: check-layers test-release test-python test-cli test-asan test-install test-pip

# An outside CMake project finds the installed package and links against it.
test-install: build
	rm -rf $(BUILD)/install-check
	cmake --install $(BUILD) --prefix $(BUILD)/install-check/prefix >/dev/null
	cmake -S tests/install -B $(BUILD)/install-check/app -G Ninja -DCMAKE_PREFIX_PATH=$(CURDIR)/$(BUILD)/install-check/prefix >/dev/null
	cmake --build $(BUILD)/install-check/app >/dev/null
	./$(BUILD)/install-check/app/ember_install_check

# `pip install .` into a venv of Debian's python3 that also sees python3-torch, then the installed
# package (and its stubs) checked from outside the repository, where python/ember is not on the path.
# The build requirements are installed into that venv once and used without build isolation, so the
# wheel's build tree (pyproject's build-dir) stays valid between runs; the compiler is the one `build`
# uses (c++, where scikit-build-core would take Python's x86_64-linux-gnu-g++) and so is nanobind (the
# .venv's, whose headers and sources the module's objects name), so ccache reuses build/'s objects.
PIP_VENV := $(BUILD)/pip-venv
test-pip: deps
	[ -x $(PIP_VENV)/bin/python ] || /usr/bin/python3 -m venv --system-site-packages $(PIP_VENV)
	$(PIP_VENV)/bin/python -m pip install -q --disable-pip-version-check -r python/requirements-build.txt
	CXX=$${CXX:-c++} $(PIP_VENV)/bin/python -m pip install -q --disable-pip-version-check \
	  --no-build-isolation $(if $(LAUNCHER),--config-settings=cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache \
	  --config-settings=cmake.define.CMAKE_CUDA_COMPILER_LAUNCHER=ccache) \
	  --config-settings=cmake.define.nanobind_DIR=$$($(VENV_PY) -m nanobind --cmake_dir) .
	cd / && $(abspath $(PIP_VENV))/bin/python $(CURDIR)/tests/pip/check_installed.py
	cd / && $(abspath $(PIP_VENV))/bin/python -m pytest $(CURDIR)/tests/python/test_stubs.py -q -p no:cacheprovider

bench: build
	python3 bench/compare_torch.py --build $(BUILD)

install: build
	cmake --install $(BUILD) --prefix $(or $(PREFIX),/usr/local)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-cp*
golden:
	for g in tests/golden/gen_*.py; do /usr/bin/python3 $$g; done

