"""Type stubs: ember/_C.pyi, generated at build time by nanobind's stubgen (src/python/CMakeLists.txt), and
py.typed. The stub must be valid Python, name the API, and let a type checker (mypy, from Debian's
python3-mypy) resolve every public name of `ember` and `ember.Tensor` through python/ember/__init__.py's
re-exports, as editors do. mypy runs with --no-implicit-reexport, the rule editors apply to a py.typed
package: a name imported into __init__.py is public only through `from m import *`, `import x as x`,
`from m import x as x`, or __all__."""
import ast
import inspect
import os
import pathlib
import subprocess
import sys
import sysconfig

import ember

PKG = pathlib.Path(ember.__file__).resolve().parent


def public_names(obj):
    names = []
    for name in dir(obj):
        if name.startswith("_"):
            continue
        value = getattr(obj, name)
        if inspect.ismodule(value) and not value.__name__.startswith("ember."):
            continue  # a module __init__ imports for its own use, not part of the API
        names.append(name)
    return names


def test_stub_files_are_next_to_the_module():
    assert (PKG / "py.typed").is_file()
    assert (PKG / "_C.pyi").is_file(), "build the _C_stub target (cmake --build build), or `make build`"


def test_stub_is_valid_python_and_names_the_api():
    text = (PKG / "_C.pyi").read_text()
    tree = ast.parse(text, filename="_C.pyi")
    compile(tree, "_C.pyi", "exec")
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    assert {"zeros", "ones", "randn", "manual_seed"} <= functions
    assert {"Tensor", "dtype", "device"} <= set(classes)
    methods = {n.name for n in classes["Tensor"].body if isinstance(n, ast.FunctionDef)}
    assert {"add", "backward", "shape", "size", "to", "float", "bool"} <= methods
    # Every binding is in the stub: stubgen reads the built module, so nothing can be missing unless
    # the stub is stale (older than the module).
    assert set(public_names(ember._C)) <= functions | set(classes) | {
        t.id for n in tree.body if isinstance(n, ast.AnnAssign) for t in [n.target]} | {
        a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}


def test_type_checker_sees_the_whole_api(tmp_path):
    lines = ["import ember", ""]
    lines += [f"ember.{n}" for n in public_names(ember)]
    lines += [f"ember.Tensor.{n}" for n in public_names(ember.Tensor)]
    lines += [
        "x: ember.Tensor = ember.zeros(2, 3, dtype=ember.float64, requires_grad=True)",
        "y: ember.Tensor = x.double().to(ember.device('cpu'))",
        "flag: bool = x.is_floating_point()",
        "n: int = x.numel() + x.dim()",
        "d: ember.dtype = x.dtype",
    ]
    src = tmp_path / "uses_ember.py"
    src.write_text("\n".join(lines) + "\n")
    env = dict(os.environ)
    root = str(PKG.parent)
    if root not in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]):
        env["MYPYPATH"] = root  # the in-place build; an installed ember is found through site-packages
    res = subprocess.run([sys.executable, "-m", "mypy", "--no-implicit-reexport", "--cache-dir", os.devnull,
                          "--no-error-summary", "--show-error-codes", str(src)],
                         env=env, cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
