"""Makes nanobind's generated stub for ember._C resolve its annotations as meant. Type checkers look an
annotation's names up in the enclosing class first, then the module, then builtins, and ember shadows
along that chain: `ember.bool`, `ember.float`, `ember.int` are dtypes, `Tensor.bool()`, `Tensor.float()`
are methods, and `Tensor.device` is a property hiding the class `ember.device`. Each shadowed name in an
annotation is qualified: `builtins.bool` (as in PyTorch's own stubs) or `ember._C.device`. Parameters
named like Python keywords get a trailing underscore.

    python stub_builtins.py MODULE IN.pyi OUT.pyi
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


def main(module, src_path, out_path):
    text = KEYWORD_PARAM.sub(r"\1\2_\3", open(src_path, encoding="utf-8").read())
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
