"""Shape ops: views (view, reshape, expand, transpose, permute, squeeze, narrow, select, unfold, diagonal,
movedim, split/chunk/unbind/tensor_split ...) and the copies that join, reorder or repeat (cat, stack, flip,
roll, rot90, repeat, tile, repeat_interleave, cartesian_prod, diff). The runner also checks that an output
shares memory with the input exactly when PyTorch's does."""
from .opinfo import ALL, OpInfo, S, make

OPS = []
FM = ("function", "method")


def op(name, overload, samples, *, dtypes=ALL, variants=FM, errors=None, **kw):
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, errors=errors,
                      check_strides=name in VIEWS, **kw))


def prop(name, samples, **kw):
    OPS.append(OpInfo(name, dtypes=ALL, op=lambda M, x: getattr(x, name), variant="property", samples=samples,
                      check_strides=True, **kw))


VIEWS = {"view", "view_as", "reshape", "reshape_as", "as_strided", "expand", "expand_as", "transpose", "swapaxes",
         "swapdims", "t", "permute", "squeeze", "unsqueeze", "flatten", "unflatten", "narrow", "select", "unfold",
         "diagonal", "movedim", "moveaxis", "split", "split_with_sizes", "chunk", "unbind", "tensor_split",
         "meshgrid", "atleast_1d", "atleast_2d", "atleast_3d"}


def x234(dt, rng, layout="contig"):
    return make(rng, (2, 3, 4), dt, layout)


# ---- views ----
def _view(dt, rng):
    yield S(x234(dt, rng), 4, 6)
    yield S(x234(dt, rng), (6, 4))
    yield S(x234(dt, rng), -1)
    yield S(x234(dt, rng), [2, -1, 2])
    yield S(make(rng, (3, 4), dt, "T"), 3, 2, 2)
    yield S(make(rng, (), dt), 1)
    yield S(make(rng, (0, 3), dt), 3, 0)
    yield S(make(rng, (2, 3), dt, "expand"), 2, 3, 1)


op("view", "", _view, variants=("method",),
   errors=lambda rng: (S(make(rng, (3, 4), "float32", "T"), 12), S(make(rng, (3, 4), "float32"), 5),
                       S(make(rng, (3, 4), "float32"), -1, -1)))
op("view_as", "", lambda dt, rng: (S(x234(dt, rng), make(rng, (4, 6), "float32", grad=False)),
                                   S(make(rng, (1,), dt), make(rng, (), "int64"))), variants=("method",))


def _reshape(dt, rng):
    yield S(x234(dt, rng), (4, 6))
    yield S(x234(dt, rng), (-1,))
    yield S(make(rng, (3, 4), dt, "T"), (12,))
    yield S(make(rng, (3, 4), dt, "T"), (4, 3))
    yield S(make(rng, (3, 4), dt, "T"), (3, 2, 2))
    yield S(make(rng, (3, 4), dt, "expand"), (2, 6))
    yield S(make(rng, (2, 5), dt, "step"), (5, 2))
    yield S(make(rng, (), dt), (1, 1))
    yield S(make(rng, (0, 3), dt), (3, -1))


op("reshape", "", _reshape, errors=lambda rng: (S(make(rng, (3, 4), "float32"), (5, -1)),))
op("reshape", "varargs", lambda dt, rng: (S(x234(dt, rng), 4, 6), S(make(rng, (3, 4), dt, "T"), -1)),
   variants=("method",))
op("reshape_as", "", lambda dt, rng: (S(make(rng, (3, 4), dt, "T"), make(rng, (2, 6), "int64")),),
   variants=("method",))
op("as_strided", "", lambda dt, rng: (S(x234(dt, rng), (2, 2), (1, 2)), S(x234(dt, rng), (3, 3), (4, 1), 2),
                                      S(x234(dt, rng), (2,), (0,), storage_offset=5)))


def _expand(dt, rng):
    yield S(make(rng, (3, 1), dt), 3, 4)
    yield S(make(rng, (3, 1), dt), (2, 3, 4))
    yield S(make(rng, (3, 1), dt), -1, 5)
    yield S(make(rng, (), dt), 2, 3)
    yield S(make(rng, (1, 4), dt, "step"), 3, -1)
    yield S(make(rng, (2, 1), dt, "expand"), 2, 3)
    yield S(make(rng, (0, 1), dt), 0, 3)


op("expand", "", _expand, variants=("method",),
   errors=lambda rng: (S(make(rng, (3, 2), "float32"), 3, 4), S(make(rng, (3, 1), "float32"), 4)))
op("expand_as", "", lambda dt, rng: (S(make(rng, (3, 1), dt), make(rng, (2, 3, 4), "int64")),), variants=("method",))


def _transpose(dt, rng):
    yield S(x234(dt, rng), 0, 1)
    yield S(x234(dt, rng), -1, 0)
    yield S(make(rng, (3, 4), dt, "T"), 0, 1)
    yield S(make(rng, (2, 5), dt, "step"), 1, 1)
    yield S(make(rng, (), dt), 0, -1)
    yield S(make(rng, (0, 3), dt), 0, 1)


op("transpose", "int", _transpose, errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, 2),))
op("swapaxes", "", _transpose)
op("swapdims", "", _transpose)
op("t", "", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(make(rng, (3, 4), dt, "T")), S(make(rng, (5,), dt)),
                             S(make(rng, (), dt)), S(make(rng, (0, 2), dt))),
   errors=lambda rng: (S(make(rng, (2, 3, 4), "float32")),))
prop("T", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(make(rng, (3, 4), dt, "step")), S(make(rng, (5,), dt))))
prop("mT", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(x234(dt, rng, "T")), S(make(rng, (2, 0, 3), dt))),
     errors=lambda rng: (S(make(rng, (3,), "float32")),))
op("permute", "", lambda dt, rng: (S(x234(dt, rng), (2, 0, 1)), S(x234(dt, rng, "T"), [1, 2, 0]),
                                   S(x234(dt, rng), (-1, -3, -2)), S(make(rng, (), dt), ())),
   errors=lambda rng: (S(x234("float32", rng), (0, 0, 1)), S(x234("float32", rng), (0, 1))))
op("permute", "varargs", lambda dt, rng: (S(x234(dt, rng), 2, 0, 1), S(make(rng, (3, 4), dt, "T"), 1, 0)),
   variants=("method",))
op("squeeze", "", lambda dt, rng: (S(make(rng, (1, 3, 1, 2), dt)), S(make(rng, (3, 1), dt, "T")),
                                   S(make(rng, (), dt)), S(make(rng, (0, 1), dt))))
op("squeeze", "dim", lambda dt, rng: (S(make(rng, (1, 3, 1, 2), dt), 2), S(make(rng, (1, 3, 1, 2), dt), 1),
                                      S(make(rng, (3, 1), dt, "T"), -2), S(make(rng, (), dt), 0)),
   errors=lambda rng: (S(make(rng, (1, 3), "float32"), 2),))
op("unsqueeze", "", lambda dt, rng: (S(x234(dt, rng), 0), S(x234(dt, rng), -1), S(make(rng, (3, 4), dt, "T"), 1),
                                     S(make(rng, (), dt), 0), S(make(rng, (0, 3), dt), 2)),
   errors=lambda rng: (S(make(rng, (3,), "float32"), 3),))
op("flatten", "", lambda dt, rng: (S(x234(dt, rng)), S(x234(dt, rng), 1), S(x234(dt, rng, "T"), 0, 1),
                                   S(x234(dt, rng), start_dim=-2, end_dim=-1), S(make(rng, (), dt)),
                                   S(make(rng, (3, 4), dt, "T")), S(make(rng, (0, 3), dt))),
   errors=lambda rng: (S(x234("float32", rng), 2, 1),))
op("unflatten", "", lambda dt, rng: (S(x234(dt, rng), 2, (2, 2)), S(x234(dt, rng, "T"), 2, (2, 2)),
                                     S(make(rng, (6,), dt), 0, (-1, 3))),
   errors=lambda rng: (S(x234("float32", rng), 2, (3, 2)),))
op("narrow", "", lambda dt, rng: (S(x234(dt, rng), 1, 1, 2), S(x234(dt, rng, "T"), -1, 0, 1),
                                  S(make(rng, (5,), dt, "step"), 0, 2, 3), S(make(rng, (0, 3), dt), 1, 1, 2)),
   errors=lambda rng: (S(x234("float32", rng), 1, 2, 5), S(make(rng, (), "float32"), 0, 0, 1)))
op("narrow", "Tensor", lambda dt, rng: (S(x234(dt, rng), 1, make(rng, (), "int64", values=1), 2),))
op("select", "int", lambda dt, rng: (S(x234(dt, rng), 1, 2), S(x234(dt, rng, "T"), -1, -1),
                                     S(make(rng, (5,), dt, "step"), 0, 3), S(make(rng, (0, 3), dt), 1, 0)),
   errors=lambda rng: (S(x234("float32", rng), 1, 3), S(make(rng, (), "float32"), 0, 0)))
op("unfold", "", lambda dt, rng: (S(x234(dt, rng), 2, 2, 1), S(x234(dt, rng, "T"), 1, 2, 2),
                                  S(make(rng, (7,), dt), 0, 3, 2), S(make(rng, (), dt), 0, 1, 1)),
   variants=("method",), errors=lambda rng: (S(make(rng, (3,), "float32"), 0, 4, 1),))
op("diagonal", "", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(make(rng, (3, 4), dt, "T"), 1),
                                    S(x234(dt, rng), -1, 1, 2), S(x234(dt, rng), offset=1, dim1=2, dim2=0),
                                    S(make(rng, (3, 4), dt), 5)),
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, 1, 1),))
for _name in ("movedim", "moveaxis"):
    op(_name, "int", lambda dt, rng: (S(x234(dt, rng), 0, 2), S(x234(dt, rng, "T"), -1, 0),
                                      S(make(rng, (), dt), 0, 0)),
       errors=lambda rng: (S(x234("float32", rng), 0, 3),))
    op(_name, "intlist", lambda dt, rng: (S(x234(dt, rng), (0, 1), (2, 0)), S(x234(dt, rng, "T"), [2], [0])),
       errors=lambda rng: (S(x234("float32", rng), (0, 0), (1, 2)),))


# ---- splits ----
op("split", "int", lambda dt, rng: (S(make(rng, (5, 4), dt), 2), S(make(rng, (3, 4), dt, "T"), 3, 1),
                                    S(x234(dt, rng), 1, dim=-1), S(make(rng, (0, 3), dt), 2, 1),
                                    S(make(rng, (4,), dt), 4)))
op("split", "sizes", lambda dt, rng: (S(make(rng, (5, 4), dt), [2, 3]), S(make(rng, (3, 4), dt, "T"), (1, 0, 3), 1),
                                      S(x234(dt, rng, "T"), [2, 1], dim=1)),
   errors=lambda rng: (S(make(rng, (5, 4), "float32"), [2, 2]),))
op("split_with_sizes", "", lambda dt, rng: (S(make(rng, (5, 4), dt), [2, 3]), S(x234(dt, rng), (1, 3), 2)))
op("chunk", "", lambda dt, rng: (S(make(rng, (5, 4), dt), 2), S(make(rng, (3, 4), dt, "T"), 3, 1),
                                 S(x234(dt, rng), 5, dim=-1), S(make(rng, (0, 3), dt), 2, 1)),
   errors=lambda rng: (S(make(rng, (5, 4), "float32"), 0),))
op("unbind", "", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(make(rng, (3, 4), dt, "T"), 1), S(x234(dt, rng), -1),
                                  S(make(rng, (0, 3), dt), 1)),
   errors=lambda rng: (S(make(rng, (), "float32")),))
op("tensor_split", "sections", lambda dt, rng: (S(make(rng, (7, 4), dt), 3), S(make(rng, (3, 4), dt, "T"), 3, 1),
                                                S(x234(dt, rng), 5, dim=-1)),
   errors=lambda rng: (S(make(rng, (5, 4), "float32"), 0),))
op("tensor_split", "indices", lambda dt, rng: (S(make(rng, (7, 4), dt), [1, 5]), S(make(rng, (3, 4), dt, "T"), (0, 2, 9), 1),
                                               S(x234(dt, rng), [3, 1], dim=2)))
op("tensor_split", "tensor", lambda dt, rng: (S(make(rng, (7, 4), dt), make(rng, (2,), "int64", values=(1, 5))),
                                              S(make(rng, (7, 4), dt), make(rng, (), "int64", values=3)),
                                              S(make(rng, (3, 4), dt, "T"), make(rng, (1,), "int64", values=(2,)), 1)))


def _meshgrid(dt, rng):
    a, b, c = make(rng, (3,), dt), make(rng, (4,), dt, "step"), make(rng, (), dt)
    yield S(a, b)
    yield S(a, b, indexing="xy")
    yield S(a, b, c, indexing="ij")
    yield S([a, b], indexing="xy")
    yield S((a, make(rng, (0,), dt)), indexing="ij")


OPS.append(OpInfo("meshgrid", dtypes=ALL, variants=("function",), samples=_meshgrid, check_strides=True))
for _name, _n in (("atleast_1d", 1), ("atleast_2d", 2), ("atleast_3d", 3)):
    op(_name, "", lambda dt, rng: (S(make(rng, (), dt)), S(make(rng, (3,), dt)), S(make(rng, (3, 4), dt, "T")),
                                   S(x234(dt, rng)), S(make(rng, (0,), dt))), variants=("function",))
    op(_name, "Sequence", lambda dt, rng: (S([make(rng, (), dt), make(rng, (3,), dt), make(rng, (3, 4), dt, "T")]),
                                           S((make(rng, (2,), dt),))), variants=("function",))


# ---- joins ----
def _cat(dt, rng):
    yield S([make(rng, (2, 3), dt), make(rng, (4, 3), dt, "T")])
    yield S([make(rng, (3, 4), dt, "T"), make(rng, (3, 2), dt, "step"), make(rng, (3, 1), dt)], 1)
    yield S((x234(dt, rng), x234(dt, rng, "T")), dim=-1)
    yield S([make(rng, (2, 3), dt), make(rng, (0, 3), dt)])
    yield S([make(rng, (2, 3), dt), make(rng, (0,), dt)])
    yield S([make(rng, (2, 3), dt, "expand"), make(rng, (2, 3), "float64")], 0)
    yield S([make(rng, (2, 3), dt), make(rng, (2, 3), "bool")], 1)
    yield S([make(rng, (3,), dt)])


def _cat_errors(rng):
    yield S([make(rng, (2, 3), "float32"), make(rng, (2, 4), "float32")])
    yield S([make(rng, (), "float32"), make(rng, (), "float32")])
    yield S([])
    yield S([make(rng, (2, 3), "float32")], 2)


for _name in ("cat", "concat", "concatenate"):
    op(_name, "", _cat, variants=("function",), errors=_cat_errors if _name == "cat" else None)


def _stack(dt, rng):
    yield S([make(rng, (2, 3), dt), make(rng, (2, 3), dt, "expand")])
    yield S((make(rng, (3, 4), dt, "T"), make(rng, (3, 4), dt, "step")), 1)
    yield S([make(rng, (2, 3), dt), make(rng, (2, 3), dt)], dim=-1)
    yield S([make(rng, (), dt), make(rng, (), dt)])
    yield S([make(rng, (0, 3), dt)], 2)
    yield S([make(rng, (3,), dt), make(rng, (3,), "int64")])


op("stack", "", _stack, variants=("function",),
   errors=lambda rng: (S([make(rng, (2, 3), "float32"), make(rng, (3, 2), "float32")]), S([]),
                       S([make(rng, (2,), "float32")], 2)))
for _name in ("hstack", "vstack", "dstack"):
    op(_name, "", lambda dt, rng: (S([make(rng, (2, 3), dt), make(rng, (2, 3), dt, "step")]),
                                   S([make(rng, (3,), dt), make(rng, (3,), dt)]),
                                   S([make(rng, (), dt), make(rng, (), dt)]),
                                   S((x234(dt, rng), x234(dt, rng, "T"))),
                                   S([make(rng, (2, 3), dt), make(rng, (2, 3), "float64")])),
       variants=("function",))


# ---- reorders and repeats ----
op("flip", "", lambda dt, rng: (S(x234(dt, rng), (0, 2)), S(make(rng, (3, 4), dt, "T"), [1]),
                                S(make(rng, (3, 4), dt, "expand"), (0, 1)), S(make(rng, (), dt), ()),
                                S(make(rng, (0, 3), dt), (0,)), S(x234(dt, rng), (-1,))),
   errors=lambda rng: (S(x234("float32", rng), (0, 0)),))
op("flip", "varargs", lambda dt, rng: (S(x234(dt, rng), 0, 2),), variants=("method",))
op("fliplr", "", lambda dt, rng: (S(make(rng, (3, 4), dt, "T")), S(x234(dt, rng))),
   errors=lambda rng: (S(make(rng, (3,), "float32")),))
op("flipud", "", lambda dt, rng: (S(make(rng, (3, 4), dt, "step")), S(make(rng, (3,), dt))),
   errors=lambda rng: (S(make(rng, (), "float32")),))
op("roll", "", lambda dt, rng: (S(x234(dt, rng), 1), S(x234(dt, rng), -2, 2), S(make(rng, (3, 4), dt, "T"), (1, -1), (0, 1)),
                                S(make(rng, (3, 4), dt, "expand"), shifts=5, dims=1), S(make(rng, (0, 3), dt), 1, 1),
                                S(make(rng, (), dt), 1)),
   errors=lambda rng: (S(x234("float32", rng), (1, 2), (0,)),))
op("rot90", "", lambda dt, rng: (S(make(rng, (3, 4), dt)), S(make(rng, (3, 4), dt, "T"), 2),
                                 S(x234(dt, rng), -1, (1, 2)), S(x234(dt, rng), k=3, dims=[2, 0]),
                                 S(make(rng, (3, 4), dt), 4)),
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 1, (0, 0)), S(make(rng, (3,), "float32"))))
op("repeat", "", lambda dt, rng: (S(make(rng, (2, 3), dt), 2, 1), S(make(rng, (2, 3), dt, "T"), (1, 2, 2)),
                                  S(make(rng, (), dt), 3), S(make(rng, (0, 2), dt), 2, 2),
                                  S(make(rng, (3,), dt, "expand"), (2, 0))),
   variants=("method",), errors=lambda rng: (S(make(rng, (2, 3), "float32"), 2),))
op("tile", "", lambda dt, rng: (S(make(rng, (2, 3), dt), (2, 1)), S(make(rng, (3, 4), dt, "T"), (2,)),
                                S(make(rng, (), dt), (3, 2)), S(make(rng, (2, 3), dt), (1, 2, 2))))
op("repeat_interleave", "self_int", lambda dt, rng: (
    S(make(rng, (2, 3), dt), 2), S(make(rng, (3, 4), dt, "T"), 3, dim=1), S(make(rng, (2, 3), dt), 2, -2),
    S(make(rng, (), dt), 2), S(make(rng, (0, 2), dt), 2, 0), S(make(rng, (2, 3), dt), 2, dim=0, output_size=4)),
   errors=lambda rng: (S(make(rng, (2, 3), "float32"), -1),))
op("repeat_interleave", "self_Tensor", lambda dt, rng: (
    S(make(rng, (2, 3), dt), make(rng, (2,), "int64", values=(1, 3)), 0),
    S(make(rng, (3, 4), dt, "T"), make(rng, (4,), "int64", values=(0, 2, 1, 1)), dim=1),
    S(make(rng, (2, 3), dt), make(rng, (), "int64", values=2)),
    S(make(rng, (3,), dt), make(rng, (1,), "int64", values=(2,)), 0)),
   errors=lambda rng: (S(make(rng, (2, 3), "float32"), make(rng, (3,), "int64", values=(1, 1, 1)), 0),))
op("repeat_interleave", "Tensor", lambda dt, rng: (
    S(make(rng, (3,), dt, values=(1, 0, 2))), S(make(rng, (4,), dt, "step", values=(2, 2, 0, 1))),
    S(make(rng, (0,), dt))), dtypes=("int32", "int64"), variants=("function",),
   errors=lambda rng: (S(make(rng, (3,), "int64", values=(1, -1, 2))),))
op("cartesian_prod", "", lambda dt, rng: (S(make(rng, (2,), dt), make(rng, (3,), dt, "step")),
                                          S(make(rng, (2,), dt), make(rng, (2,), dt), make(rng, (1,), dt)),
                                          S(make(rng, (3,), dt))), variants=("function",))


def _diff(dt, rng):
    yield S(make(rng, (3, 5), dt))
    yield S(make(rng, (3, 5), dt, "T"), 2, 0)
    yield S(x234(dt, rng), dim=1)
    yield S(make(rng, (3, 4), dt), 1, -1, make(rng, (3, 2), dt), make(rng, (3, 1), dt))
    yield S(make(rng, (6,), dt, "step"), append=make(rng, (2,), dt))
    yield S(make(rng, (3,), dt), n=5)
    yield S(make(rng, (0, 3), dt), dim=0)


op("diff", "", _diff, dtypes=ALL, errors=lambda rng: (S(make(rng, (), "float32")),))
