"""Makes nanobind's generated stub for ember._C resolve its annotations as meant. Type checkers look an
annotation's names up in the enclosing class first, then the module, then builtins, and ember shadows
along that chain: `ember.bool`, `ember.float`, `ember.int` are dtypes, `Tensor.bool()`, `Tensor.float()`
are methods, and `Tensor.device` is a property hiding the class `ember.device`. Each shadowed name in an
annotation is qualified: `builtins.bool` (as in PyTorch's own stubs) or `ember._C.device`. Parameters
named like Python keywords get a trailing underscore.

A submodule of the extension (`_C._nn`, PyTorch's torch._C._nn) cannot have a stub of its own next to
a single-file _C.pyi, so its stub is folded into _C.pyi as a class of static methods of the same name,
which type checkers resolve for `_C._nn.one_hot(...)` as for the module.

    python stub_builtins.py MODULE IN.pyi OUT.pyi [SUBMODULE=SUB.pyi ...]
"""
import ast
import builtins
import keyword
import re
import sys

BUILTINS = set(dir(builtins))


def defined_names(body):
    names = set()
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def annotations(node):
    """The annotations of a function or annotated assignment (not of anything nested in it)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        a = node.args
        args = a.posonlyargs + a.args + a.kwonlyargs + [x for x in (a.vararg, a.kwarg) if x]
        yield from (x.annotation for x in args if x.annotation)
        if node.returns:
            yield node.returns
    elif isinstance(node, ast.AnnAssign):
        yield node.annotation


def edits(body, module, module_names, class_names):
    """(line, start, end, qualifier) for each shadowed name in the annotations of `body`'s members."""
    for node in body:
        if isinstance(node, ast.ClassDef):
            yield from edits(node.body, module, module_names, defined_names(node.body))
            continue
        for ann in annotations(node):
            for n in ast.walk(ann):
                if not isinstance(n, ast.Name):
                    continue
                if n.id in BUILTINS and n.id in module_names | class_names:
                    yield n.lineno, n.col_offset, n.end_col_offset, "builtins."
                elif n.id in class_names and n.id in module_names:
                    yield n.lineno, n.col_offset, n.end_col_offset, module + "."


# A parameter named like a Python keyword (torch's `uniform_(from, to)`) is spelled with a trailing
# underscore, as PyTorch's own stubs do; it is still passed positionally.
KEYWORD_PARAM = re.compile(r"([(,]\s*)(" + "|".join(keyword.kwlist) + r")(\s*[:=,)])")


def fold_submodule(text, module, name, sub_path):
    """Replaces `from MODULE import NAME as NAME` by a class NAME holding the submodule's functions."""
    sub = open(sub_path, encoding="utf-8").read().replace(module + ".", "")
    tree = ast.parse(sub)
    lines = sub.splitlines(keepends=True)
    body = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            src = "".join(lines[first - 1:node.end_lineno])
            src = re.sub(r"^(def )", r"@staticmethod\n\1", src, count=1, flags=re.M)
            body.append("".join("    " + line if line.strip() else line for line in src.splitlines(keepends=True)))
    doc = ast.get_docstring(tree)
    cls = f"class {name}:\n" + (f'    """{doc}"""\n\n' if doc else "") + "\n".join(body)
    import_line = f"from {module} import {name} as {name}\n"
    assert import_line in text, f"{import_line!r} not in the stub"
    return text.replace(import_line, "") + "\n\n" + cls


def main(module, src_path, out_path, *submodules):
    text = open(src_path, encoding="utf-8").read()
    for arg in submodules:
        name, sub_path = arg.split("=", 1)
        text = fold_submodule(text, module, name, sub_path)
    text = KEYWORD_PARAM.sub(r"\1\2_\3", text)
    tree = ast.parse(text)
    spots = sorted(set(edits(tree.body, module, defined_names(tree.body), set())), reverse=True)
    lines = text.splitlines(keepends=True)
    for lineno, start, end, qualifier in spots:  # from the end, so earlier offsets stay valid
        line = lines[lineno - 1].encode()  # ast's offsets count UTF-8 bytes
        lines[lineno - 1] = (line[:start] + qualifier.encode() + line[start:end] + line[end:]).decode()
    imports = {q[:-1].split(".")[0] for *_, q in spots} - {
        a.asname or a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    if imports:  # before the stub's first import, so after any module docstring
        first = next((n.lineno for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))), 1)
        lines[first - 1:first - 1] = [f"import {name}\n" for name in sorted(imports)]
    out = "".join(lines)
    # Tensor's comparisons return tensors, as PyTorch's stubs say with the same ignore.
    # (mypy reports an overloaded method at its first decorator).
    out = re.sub(r"(\n    @overload)(\n    def __(?:eq|ne)__\()", r"\1  # type: ignore[override]\2", out)
    ast.parse(out)
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(out)


if __name__ == "__main__":
    main(*sys.argv[1:])
