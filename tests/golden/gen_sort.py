"""Golden values for tests/cpp/test_sort.cpp: sort, argsort, msort, topk, kthvalue, unique,
unique_consecutive, searchsorted, bucketize, bincount and histc from PyTorch."""
import torch

from golden import save

torch.manual_seed(0)
T = {}
nan = float("nan")

# ---- sort: ties (stable order), NaN, descending, dims, every dtype, non-contiguous, 0-dim, zero-size
ties = torch.tensor([[3., 1., 2., 1., 3., 0.], [2., 2., 2., 1., 1., 5.], [0., -1., 4., 4., -1., 0.]])
T["ties"] = ties
for desc in (False, True):
    for dim in (0, 1, -1):
        v, i = torch.sort(ties, dim=dim, descending=desc, stable=True)
        T[f"sort_ties_d{dim}_{int(desc)}_v"] = v
        T[f"sort_ties_d{dim}_{int(desc)}_i"] = i
withnan = torch.tensor([2., nan, -1., float("inf"), nan, -float("inf"), 0.5, 2.])
T["withnan"] = withnan
for desc in (False, True):
    v, i = torch.sort(withnan, descending=desc, stable=True)
    T[f"sort_nan_{int(desc)}_v"] = v
    T[f"sort_nan_{int(desc)}_i"] = i
ints = torch.tensor([[5, -3, 7, 0, -3], [2, 2, -8, 9, 1]])
for name, dt in [("uint8", torch.uint8), ("int8", torch.int8), ("int16", torch.int16), ("int32", torch.int32),
                 ("int64", torch.int64), ("float16", torch.float16), ("bfloat16", torch.bfloat16),
                 ("float64", torch.float64), ("bool", torch.bool)]:
    x = (ints.abs() if dt == torch.uint8 else ints).to(dt)
    T[f"dt_{name}"] = x
    for desc in (False, True):
        v, i = torch.sort(x, dim=1, descending=desc, stable=True)
        T[f"sort_{name}_{int(desc)}_v"] = v
        T[f"sort_{name}_{int(desc)}_i"] = i
big = torch.randn(4, 7, 5)
T["big"] = big
v, i = torch.sort(big.transpose(0, 2), dim=1)
T["sort_bigT_v"], T["sort_bigT_i"] = v, i
v, i = torch.sort(big[:, ::2, 1::2], dim=0, descending=True)
T["sort_bigstep_v"], T["sort_bigstep_i"] = v, i
v, i = torch.sort(torch.tensor(3.5))
T["sort_0d_v"], T["sort_0d_i"] = v, i
v, i = torch.sort(torch.empty(0, 3), dim=0)
T["sort_empty_v"], T["sort_empty_i"] = v, i
T["argsort_ties_desc"] = torch.argsort(ties, dim=1, descending=True, stable=True)
T["msort_ties"] = torch.msort(ties)
T["msort_0d"] = torch.msort(torch.tensor(2.0))

# ---- topk / kthvalue on distinct values (PyTorch leaves the order of ties unspecified)
distinct = torch.randperm(24).reshape(4, 6).to(torch.float32) - 10
T["distinct"] = distinct
for largest in (True, False):
    for dim in (0, 1):
        v, i = torch.topk(distinct, 3, dim=dim, largest=largest)
        T[f"topk_d{dim}_{int(largest)}_v"], T[f"topk_d{dim}_{int(largest)}_i"] = v, i
v, i = torch.topk(distinct.t(), 2, dim=1)
T["topk_T_v"], T["topk_T_i"] = v, i
v, i = torch.topk(distinct.to(torch.int32), 4)
T["topk_int_v"], T["topk_int_i"] = v, i
v, i = torch.topk(distinct, 0)
T["topk_k0_v"], T["topk_k0_i"] = v, i
v, i = torch.topk(torch.tensor(2.), 1)
T["topk_0d_v"], T["topk_0d_i"] = v, i
v, i = torch.topk(torch.tensor([1., nan, 3., 2.]), 2)
T["topk_nan_v"], T["topk_nan_i"] = v, i
for keep in (False, True):
    for dim in (0, 1):
        v, i = torch.kthvalue(distinct, 2, dim=dim, keepdim=keep)
        T[f"kth_d{dim}_{int(keep)}_v"], T[f"kth_d{dim}_{int(keep)}_i"] = v, i
v, i = torch.kthvalue(distinct.to(torch.int64), 5)
T["kth_int_v"], T["kth_int_i"] = v, i
v, i = torch.kthvalue(torch.tensor(4.), 1)
T["kth_0d_v"], T["kth_0d_i"] = v, i
v, i = torch.kthvalue(torch.tensor([1., nan, 3., 2.]), 4)
T["kth_nan_v"], T["kth_nan_i"] = v, i

# ---- unique / unique_consecutive
u_in = torch.tensor([[2, 1, 3, 1], [2, 2, 7, 0], [2, 1, 3, 1]])
T["u_in"] = u_in
o, inv, cnt = torch.unique(u_in, sorted=True, return_inverse=True, return_counts=True)
T["unique_o"], T["unique_inv"], T["unique_cnt"] = o, inv, cnt
for dim in (0, 1):
    o, inv, cnt = torch.unique(u_in, return_inverse=True, return_counts=True, dim=dim)
    T[f"unique_d{dim}_o"], T[f"unique_d{dim}_inv"], T[f"unique_d{dim}_cnt"] = o, inv, cnt
uf = torch.tensor([1.5, -2., 1.5, 0., -2., 3.25], dtype=torch.float64)
T["uf"] = uf
T["unique_f_o"], T["unique_f_cnt"] = torch.unique(uf, return_counts=True)
ub = torch.tensor([True, False, True, True])
T["ub"] = ub
T["unique_b_o"], T["unique_b_cnt"] = torch.unique(ub, return_counts=True)
o, inv, cnt = torch.unique(torch.tensor(5), return_inverse=True, return_counts=True)
T["unique_0d_o"], T["unique_0d_inv"], T["unique_0d_cnt"] = o, inv, cnt
o, inv, cnt = torch.unique(torch.empty(0, dtype=torch.int64), return_inverse=True, return_counts=True)
T["unique_empty_o"], T["unique_empty_inv"], T["unique_empty_cnt"] = o, inv, cnt
uc_in = torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])
T["uc_in"] = uc_in
o, inv, cnt = torch.unique_consecutive(uc_in, return_inverse=True, return_counts=True)
T["uc_o"], T["uc_inv"], T["uc_cnt"] = o, inv, cnt
uc2 = torch.tensor([[1, 1, 2, 1], [0, 0, 3, 0]])
T["uc2"] = uc2
o, inv, cnt = torch.unique_consecutive(uc2, return_inverse=True, return_counts=True, dim=1)
T["uc_d1_o"], T["uc_d1_inv"], T["uc_d1_cnt"] = o, inv, cnt

# ---- searchsorted / bucketize
seq = torch.tensor([1., 2., 2., 3., 5., 8.])
vals = torch.tensor([[0., 2., 2.5], [8., 9., 5.]])
T["seq"], T["vals"] = seq, vals
for right in (False, True):
    T[f"ss_{int(right)}"] = torch.searchsorted(seq, vals, right=right)
    T[f"ss_i32_{int(right)}"] = torch.searchsorted(seq, vals, right=right, out_int32=True)
    T[f"buck_{int(right)}"] = torch.bucketize(vals, seq, right=right)
seq2 = torch.tensor([[1, 3, 5, 7], [0, 0, 4, 9]])
vals2 = torch.tensor([[3, 6, 0], [0, 9, 10]])
T["seq2"], T["vals2"] = seq2, vals2
T["ss_nd_left"] = torch.searchsorted(seq2, vals2, side="left")
T["ss_nd_right"] = torch.searchsorted(seq2, vals2, side="right")
unsorted = torch.tensor([5., 1., 8., 2., 3., 2.])
sorter = torch.argsort(unsorted, stable=True)
T["unsorted"], T["sorter"] = unsorted, sorter
T["ss_sorter"] = torch.searchsorted(unsorted, vals, sorter=sorter)
T["ss_scalar"] = torch.searchsorted(seq, 2.0)
T["ss_int_float_scalar"] = torch.searchsorted(torch.tensor([1, 2, 3]), 2.5)
T["ss_mixed"] = torch.searchsorted(seq, torch.tensor([2, 4, 9]))
T["ss_nan"] = torch.searchsorted(torch.tensor([1., 2., nan]), torch.tensor([nan, 1.5, 3.]))
T["ss_f16"] = torch.searchsorted(seq.half(), vals.half())
T["buck_scalar"] = torch.bucketize(3, seq)
T["ss_empty_vals"] = torch.searchsorted(seq, torch.empty(0))

# ---- bincount / histc
bc = torch.tensor([1, 3, 3, 0, 7, 1, 3])
w32 = torch.tensor([0.5, 1., 2., -1., 0.25, 3., 1.])
T["bc"], T["w32"] = bc, w32
T["bc_plain"] = torch.bincount(bc)
T["bc_minlen"] = torch.bincount(bc, minlength=10)
T["bc_w32"] = torch.bincount(bc, weights=w32)
T["bc_w64"] = torch.bincount(bc, weights=w32.double())
T["bc_wint"] = torch.bincount(bc, weights=torch.tensor([1, 2, 3, 4, 5, 6, 7]))
T["bc_u8"] = torch.bincount(bc.to(torch.uint8))
T["bc_empty"] = torch.bincount(torch.tensor([], dtype=torch.int64), minlength=3)
T["bc_empty_w"] = torch.bincount(torch.tensor([], dtype=torch.int64), weights=torch.tensor([]), minlength=2)
hx = torch.tensor([0., 0.5, 1., 1.5, 2., 2.5, 3., -1., 4., 2.999, 1.25])
T["hx"] = hx
T["histc_3"] = torch.histc(hx, bins=3, min=0, max=3)
T["histc_auto"] = torch.histc(hx, bins=5)
T["histc_f64"] = torch.histc(hx.double(), bins=4, min=-1, max=4)
T["histc_bf16"] = torch.histc(hx.bfloat16(), bins=4, min=0, max=4)
T["histc_const"] = torch.histc(torch.tensor([2., 2., 2.]), bins=4)
T["histc_empty"] = torch.histc(torch.empty(0), bins=3)

save("sort", T)
