"""Golden values for tests/cpp/test_index.cpp and test_indexing.cpp: index ops over every dtype, with
duplicate and negative indices, zero-size and 0-dim inputs, and the indexing syntax's patterns."""
import warnings

import torch

from golden import save

warnings.filterwarnings("ignore")
torch.manual_seed(0)
T = {}

DTYPES = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
          "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8,
          "bool": torch.bool}


def base(dt, shape, seed):
    g = torch.Generator().manual_seed(seed)
    v = torch.randint(0, 9, shape, generator=g)
    if dt == torch.bool:
        return (v % 2).bool()
    if dt.is_floating_point:
        return (v.to(torch.float64) / 4 - 1).to(dt)
    return v.to(dt)


# Shared index tensors (the C++ test builds the same ones).
i_sel = torch.tensor([2, 0, 2])                       # duplicates
i_gather = torch.tensor([[0, 2, 1, 0], [2, 2, 0, 1]])  # (2, 4) into (3, 4) along dim 0
i_scatter = torch.tensor([[0, 2, 0, 0], [0, 2, 1, 0]])
i_put0 = torch.tensor([0, -1, 0])
i_put1 = torch.tensor([1, 3, 1])
mask = torch.tensor([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
i_take = torch.tensor([[0, -1], [5, 5]])

for name, dt in DTYPES.items():
    x = base(dt, (3, 4), 1)
    xt = base(dt, (4, 3), 2).t()           # non-contiguous input
    src = base(dt, (2, 4), 3)
    T[f"x_{name}"] = x
    T[f"xt_{name}"] = xt
    T[f"src_{name}"] = src
    T[f"index_select0_{name}"] = x.index_select(0, i_sel)
    T[f"index_select1_t_{name}"] = xt.index_select(1, i_sel)
    T[f"gather0_{name}"] = x.gather(0, i_gather)
    T[f"gather1_t_{name}"] = xt.gather(1, torch.tensor([[3, 0], [1, 1], [2, 3]]))
    T[f"scatter_{name}"] = x.scatter(0, i_scatter, src)
    T[f"scatter_value_{name}"] = x.scatter(0, i_scatter, 1)
    T[f"scatter_add_{name}"] = x.scatter_add(0, i_scatter, src)
    T[f"index_copy_src_{name}"] = base(dt, (2, 4), 4)
    T[f"index_copy_{name}"] = x.index_copy(0, torch.tensor([2, 0]), base(dt, (2, 4), 4))
    T[f"put_values_{name}"] = base(dt, (3,), 5)
    T[f"masked_source_{name}"] = base(dt, (8,), 6)
    T[f"index_add_src_{name}"] = base(dt, (3, 4), 7)
    T[f"index_fill_{name}"] = x.index_fill(1, torch.tensor([1, -1]), 1)
    T[f"index_put_{name}"] = x.index_put((i_put0, i_put1), base(dt, (3,), 5))
    T[f"index_get_{name}"] = x[i_put0, i_put1]
    T[f"masked_select_{name}"] = x.masked_select(mask)
    T[f"masked_scatter_{name}"] = x.masked_scatter(mask, base(dt, (8,), 6))
    T[f"nonzero_{name}"] = x.nonzero()
    T[f"take_{name}"] = xt.take(i_take)
    T[f"take_along_dim_{name}"] = x.take_along_dim(torch.tensor([[0], [2], [1]]), 1)
    T[f"take_along_dim_flat_{name}"] = x.take_along_dim(torch.tensor([[0, 11], [5, 5]]))
    if dt != torch.bool:
        T[f"scatter_add_reduce_{name}"] = x.scatter(0, i_scatter, src, reduce="add")
        T[f"scatter_mul_reduce_{name}"] = x.scatter(0, i_scatter, src, reduce="multiply")
        T[f"index_add_{name}"] = x.index_add(0, i_sel, base(dt, (3, 4), 7), alpha=2)
        T[f"index_put_acc_{name}"] = x.index_put((i_put0, i_put1), base(dt, (3,), 5), accumulate=True)
        for red in ["sum", "prod", "mean", "amax", "amin"]:
            for inc in [True, False]:
                T[f"scatter_reduce_{red}_{int(inc)}_{name}"] = x.scatter_reduce(0, i_scatter, src, red, include_self=inc)

# Float-only details: alpha as a fraction, NaN in amax, float16 accumulation.
xf = base(torch.float32, (3, 4), 1)
T["index_add_alpha_src"] = base(torch.float32, (3, 3), 8)
T["index_add_alpha_half"] = xf.index_add(1, torch.tensor([0, 0, 3]), base(torch.float32, (3, 3), 8), alpha=0.5)
xn = torch.tensor([1.0, 2.0, 3.0])
T["scatter_amax_nan"] = xn.scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([5.0, float("nan"), -1.0]), "amax")
T["index_put_acc_f16"] = torch.zeros(2, dtype=torch.float16).index_put(
    (torch.tensor([0, 0, 0, 1]),), torch.tensor([0.1, 0.2, 0.3, 1000.0], dtype=torch.float16), accumulate=True)

# Zero-size and 0-dim.
e = torch.zeros(0, 3)
T["e_index_select"] = e.index_select(1, torch.tensor([2, 2]))
T["e_nonzero"] = e.nonzero()
z = torch.tensor(2.5)
T["z_index_select"] = z.index_select(0, torch.tensor([0]))
T["z_gather"] = z.gather(0, torch.tensor(0))
T["z_scatter"] = z.scatter(0, torch.tensor(0), torch.tensor(7.0))
T["z_nonzero"] = z.nonzero()
T["z_take"] = z.take(torch.tensor([0, 0]))
T["z_masked_select"] = z.masked_select(torch.tensor([True, False, True]))
T["e_gather"] = e.gather(0, torch.zeros(0, 2, dtype=torch.long))
T["e_scatter_add"] = torch.ones(2, 3).scatter_add(0, torch.zeros(0, 3, dtype=torch.long), torch.ones(0, 3))
T["e_index_put"] = torch.ones(2, 3).index_put((torch.zeros(0, dtype=torch.long),), torch.tensor(5.0))
T["e_masked_select"] = e.masked_select(torch.zeros(0, 3, dtype=torch.bool))
T["take_along_bcast"] = base(torch.float32, (3, 4), 1).take_along_dim(torch.tensor([[3, 0]]), 1)
T["argwhere"] = torch.tensor([[0, 1], [2, 0]]).argwhere()

# one_hot.
oh = torch.tensor([[0, 3], [1, 1]])
T["one_hot_infer"] = torch.nn.functional.one_hot(oh)
T["one_hot_5"] = torch.nn.functional.one_hot(oh, 5)
T["one_hot_empty"] = torch.nn.functional.one_hot(torch.zeros(0, dtype=torch.long), 3)

# Indexing syntax: the same patterns are spelled in C++ in test_indexing.cpp (by number).
X = torch.arange(2 * 3 * 4 * 5, dtype=torch.float64).view(2, 3, 4, 5)
XPbase = torch.arange(120, dtype=torch.float64).view(5, 4, 3, 2) * -1
XP = XPbase.permute(3, 2, 1, 0)  # (2, 3, 4, 5), non-contiguous
T["X"] = X
T["XPbase"] = XPbase
m3 = torch.tensor([True, False, True])
m34 = torch.tensor([[True, False, True, False], [False, False, False, True], [True, True, False, False]])
i2 = torch.tensor([1, 0, 1])
i22 = torch.tensor([[0, 1], [1, 1]])
PATTERNS = [
    (slice(None), 0),
    (slice(1, None, 2),),
    (0, slice(None), slice(1, 3)),
    (Ellipsis, 1),
    (None, 0, None, Ellipsis, None),
    (slice(-2, None), slice(None, -1), slice(None, None, 3)),
    (i2,),
    (slice(None), i2),
    (i2, slice(None), i2[:2].repeat(2)[:3]),
    (slice(None), m3),
    (0, m34),
    (m34[:2, :3].any(1),),
    (i22, None, slice(None), i22),
    (Ellipsis, i2, slice(None, None, 2)),
    (1, slice(None), i22, None),
    (slice(None), slice(None), i2[:, None], torch.tensor([0, 4, -1])),
    (torch.tensor(1), slice(0, 2)),
    (True, 0),
    (False,),
    (slice(None), i2, 0, torch.tensor([-1, 2, 3])),
    (slice(5, 1),),
    (slice(-100, 100), Ellipsis, torch.tensor([], dtype=torch.long)),
]
for k, p in enumerate(PATTERNS):
    for tag, src in [("c", X), ("p", XP)]:
        r = src[p]
        T[f"pat{k}_{tag}"] = r
        y = src.clone()
        y[p] = -1.0
        T[f"pat{k}_{tag}_put_scalar"] = y
        v = torch.arange(r.numel(), dtype=torch.float64).view(r.shape) * 10 + 0.5
        y = src.clone()
        y[p] = v
        T[f"pat{k}_{tag}_put_value"] = y
        T[f"pat{k}_{tag}_value"] = v
        y = src.clone()
        if r.dim() > 0:
            vb = torch.arange(r.shape[-1], dtype=torch.float64) + 100
            y[p] = vb
            T[f"pat{k}_{tag}_put_bcast"] = y
            T[f"pat{k}_{tag}_bcast"] = vb

# aten::index_put with accumulate through a list of optional indices (None skips a dim).
acc = torch.zeros(3, 4, dtype=torch.float64)
torch.ops.aten.index_put_(acc, [None, torch.tensor([1, 1, 3])], torch.ones(3, 3, dtype=torch.float64) * torch.arange(1.0, 4.0), True)
T["index_put_none_acc"] = acc
T["index_none"] = X[:, torch.tensor([2, 0])]

# put: flat indices into the tensor in its logical order (xt is non-contiguous), distinct ones so the
# result does not depend on the write order; accumulate with duplicates.
i_flat = torch.tensor([[1, -1], [5, 0]])
for name, dt in DTYPES.items():
    xt = base(dt, (4, 3), 2).t()
    T[f"put_source_{name}"] = base(dt, (2, 2), 8)
    T[f"put_{name}"] = xt.put(i_flat, base(dt, (2, 2), 8))
    if dt != torch.bool:
        T[f"put_acc_{name}"] = xt.put(torch.tensor([3, -1, 3, 0]), base(dt, (2, 2), 8).flatten(), accumulate=True)

save("index", T)
