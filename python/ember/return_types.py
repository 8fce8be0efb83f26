"""Named tuples for ops that return several tensors, as torch.return_types: `ember.sort(x)` returns
`ember.return_types.sort(values, indices)`, a tuple whose fields are also attributes. The bindings look
these classes up by the op's name (see `_make`)."""
from collections import namedtuple

__all__ = []


def _make(name, fields):
    base = namedtuple(name, fields)

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"ember.return_types.{name}(\n{body})"

    cls = type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": __name__})
    globals()[name] = cls
    __all__.append(name)


for _name in ("max", "min", "median", "nanmedian", "mode", "kthvalue", "sort", "topk", "cummax", "cummin"):
    _make(_name, ("values", "indices"))
_make("aminmax", ("min", "max"))
_make("frexp", ("mantissa", "exponent"))
_make("histogram", ("hist", "bin_edges"))
