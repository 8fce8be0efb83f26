"""Golden values for tests/cpp/test_shape_views.cpp and test_shape_join.cpp from PyTorch.

Every view case saves the result, its stride() and storage_offset() (int64), so the C++ tests check
the geometry as well as the values. Inputs are saved too and rebuilt the same way on the C++ side
(a transposed or stepped slice of a saved contiguous tensor has the same strides in both).
"""
import torch

from golden import save

torch.manual_seed(0)
T = {}
a = torch.randn(3, 4, 5, dtype=torch.float64)
m = torch.randn(4, 6, dtype=torch.float64)
v = torch.randn(7, dtype=torch.float64)
s = torch.tensor(2.5, dtype=torch.float64)
ints = torch.randint(-5, 6, (4, 6)).to(torch.float64)
T.update(a=a, m=m, v=v, s=s, ints=ints)

at = a.transpose(0, 2)          # non-contiguous: (5, 4, 3)
ms = m[:, ::2]                  # stepped slice: (4, 3)
me = v[:4].unsqueeze(1).expand(4, 3)  # expanded: stride 0


def view(name, t):
    T[name] = t
    T[name + "_stride"] = torch.tensor(t.stride(), dtype=torch.int64)
    T[name + "_offset"] = torch.tensor(t.storage_offset(), dtype=torch.int64)
    T[name + "_contig"] = torch.tensor(t.is_contiguous())


view("flatten_a", a.flatten())
view("flatten_a_1_2", a.flatten(1, 2))
view("flatten_s", s.flatten())
view("unflatten_a", a.unflatten(2, (5, 1)))
view("unflatten_m_infer", m.unflatten(1, (-1, 3)))
view("narrow_a", a.narrow(1, 1, 2))
view("narrow_a_neg", a.narrow(-1, -3, 2))
view("narrow_at", at.narrow(0, 2, 3))
view("narrow_end_empty", a.narrow(1, 4, 0))
view("slice_a_step", a[:, 1:4:2])
view("slice_at", at[1:100:3])
view("slice_neg", a[:, -3:-1])
view("slice_clamp", a[:, -100:100])
view("slice_empty", a[:, 3:1])
view("select_a", a.select(1, 2))
view("select_neg", a.select(-1, -1))
view("select_at", at.select(0, 4))
view("select_ms", ms.select(1, 1))
view("unfold_m", m.unfold(1, 2, 2))
view("unfold_m_overlap", m.unfold(1, 3, 1))
view("unfold_at", at.unfold(0, 2, 3))
view("unfold_s", s.unfold(0, 1, 1))
view("diagonal_m", m.diagonal())
view("diagonal_m_off", m.diagonal(2))
view("diagonal_m_negoff", m.diagonal(-1))
view("diagonal_m_far", m.diagonal(10))
view("diagonal_a", a.diagonal(1, 0, 2))
view("diagonal_at", at.diagonal(0, -1, 0))
view("movedim_a", a.movedim(0, 2))
view("movedim_a_list", a.movedim((0, 1), (2, 0)))
view("moveaxis_at", at.moveaxis(-1, 0))
view("swapaxes_a", a.swapaxes(0, 1))
view("mT_a", a.mT)
view("transpose_s", s.transpose(0, -1))
view("permute_s", s.permute(()))
view("permute_at", at.permute(2, 0, 1))
view("squeeze_u", a.unsqueeze(1).unsqueeze(-1).squeeze())
view("squeeze_u1", a.unsqueeze(1).squeeze(1))
view("squeeze_keep", a.squeeze(0))
view("unsqueeze_at", at.unsqueeze(1))
view("expand_v", v.unsqueeze(0).expand(3, 7))
view("view_a", a.view(12, 5))
view("view_at_ok", at.view(5, 4, 3, 1))
view("view_s", s.view(1, 1))
view("reshape_ms", ms.reshape(2, 2, 3))
view("reshape_at_view", at.reshape(5, 2, 2, 3))
view("as_strided_m", m.as_strided((3, 2), (1, 6), 2))
view("view_as_a", a.view_as(torch.empty(4, 15)))
view("reshape_as_m", m.reshape_as(torch.empty(24)))
view("atleast_2d_v", torch.atleast_2d(v))
view("atleast_3d_m", torch.atleast_3d(m))
view("atleast_3d_v", torch.atleast_3d(v))
view("atleast_1d_s", torch.atleast_1d(s))
for i, p in enumerate(a.split(2, 1)):
    view(f"split_a_{i}", p)
for i, p in enumerate(a.split([1, 3, 1], 2)):
    view(f"split_sizes_a_{i}", p)
for i, p in enumerate(at.chunk(2, 0)):
    view(f"chunk_at_{i}", p)
for i, p in enumerate(v.chunk(3)):
    view(f"chunk_v_{i}", p)
for i, p in enumerate(m.unbind(1)):
    view(f"unbind_m_{i}", p)
for i, p in enumerate(v.tensor_split(3)):
    view(f"tsplit_v_{i}", p)
for i, p in enumerate(m.tensor_split((1, 5, 2), 1)):
    view(f"tsplit_idx_{i}", p)
for i, p in enumerate(torch.meshgrid(v[:3], v[3:5], indexing="ij")):
    view(f"meshgrid_ij_{i}", p)
for i, p in enumerate(torch.meshgrid(v[:3], v[3:5], indexing="xy")):
    view(f"meshgrid_xy_{i}", p)
T["reshape_at_copy"] = at.reshape(60)
view("view_ms_flat", ms.view(12))
view("T_a", a.T)
view("T_m", m.T)
view("T_v", v.T)
view("H_ms", ms.H)
view("mH_a", a.mH)
view("adjoint_at", at.adjoint())
view("mT_s", s.mT)
view("ravel_a", a.ravel())
T["ravel_at_copy"] = at.ravel()
for i, p in enumerate(a.hsplit(2)):
    view(f"hsplit_a_{i}", p)
for i, p in enumerate(v.hsplit([2, 5])):
    view(f"hsplit_v_{i}", p)
for i, p in enumerate(m.vsplit(2)):
    view(f"vsplit_m_{i}", p)
for i, p in enumerate(at.dsplit([1])):
    view(f"dsplit_at_{i}", p)

# ---- copies ----
T["cat_a"] = torch.cat([a, at.permute(2, 1, 0)], 1)
T["cat_legacy"] = torch.cat([torch.zeros(0, dtype=torch.float64), m, ms.t().reshape(3, 4).t()], 1)
T["cat_promote"] = torch.cat([ints.to(torch.int32), ms.to(torch.float32), ints.to(torch.bool)], 1)
T["cat_promote_int"] = torch.cat([ints.to(torch.int8), ints.to(torch.uint8)], 0)
T["cat_zero_size"] = torch.cat([torch.zeros(0, 4, dtype=torch.float64), m[:, :4], torch.zeros(0, 4, dtype=torch.float64)])
T["stack_0"] = torch.stack([ms, me, ms], 0)
T["stack_last"] = torch.stack([ms, me], -1)
T["stack_s"] = torch.stack([s, s * 2])
T["hstack"] = torch.hstack([m, ms, me])
T["hstack_1d"] = torch.hstack([v, s, v])
T["vstack"] = torch.vstack([v[:3], ms, me])
T["dstack"] = torch.dstack([ms, me, ms.t().t()])
T["dstack_1d"] = torch.dstack([v[:3], v[3:6]])
T["column_stack"] = torch.column_stack([v[:4], s.expand(4), ms, me])
T["column_stack_s"] = torch.column_stack([s, v[:1]])
T["row_stack"] = torch.row_stack([v[:3], ms, me])
T["flip_a"] = a.flip(0, 2)
T["flip_at"] = at.flip(1)
T["flip_ms"] = ms.flip(-1)
T["flip_s"] = s.flip(0)
T["fliplr"] = ms.fliplr()
T["flipud"] = me.flipud()
T["roll_flat"] = m.roll(5)
T["roll_dims"] = a.roll((1, -7), (0, 2))
T["roll_ms"] = ms.roll(-1, 1)
T["rot90_1"] = m.rot90()
T["rot90_2"] = ms.rot90(2)
T["rot90_3"] = a.rot90(3, (2, 0))
T["rot90_neg"] = a.rot90(-1, (1, 2))
T["rot90_0"] = m.rot90(4)
T["repeat_m"] = ms.repeat(2, 1, 3)
T["repeat_s"] = s.repeat(2, 2)
T["repeat_me"] = me.repeat(1, 2)
T["tile_a"] = a.tile((2,))
T["tile_v"] = v.tile((2, 2))
T["ri_int"] = m.repeat_interleave(2)
T["ri_int_dim"] = ms.repeat_interleave(3, dim=1)
T["ri_tensor"] = ms.repeat_interleave(torch.tensor([1, 0, 2, 3]), dim=0)
T["ri_tensor_1"] = at.repeat_interleave(torch.tensor([2]), dim=-1)
T["ri_index"] = torch.repeat_interleave(torch.tensor([2, 0, 1, 3]))
T["ri_index_int"] = torch.repeat_interleave(torch.tensor([1, 2], dtype=torch.int32))
T["cart_2"] = torch.cartesian_prod(v[:3], v[3:5])
T["cart_3"] = torch.cartesian_prod(v[:2], v[2:4], v[4:7])
T["diff_m"] = m.diff()
T["diff_a_2"] = a.diff(2, 1)
T["diff_at"] = at.diff(dim=0)
T["diff_big_n"] = m.diff(10)
T["diff_pre_app"] = m.diff(dim=0, prepend=ms[:2].reshape(1, 6), append=m[:2])
T["diff_bool"] = (ints > 0).diff()
T["diff_int"] = ints.to(torch.int32).diff(dim=0)
T["diff_0_pre"] = m.diff(0, prepend=m)
T["ri_s"] = s.repeat_interleave(3)

# Every dtype through a copy op and a view op: values of ints cast to each dtype.
for dt in [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16,
           torch.bfloat16, torch.float32, torch.float64]:
    x = ints.relu().to(dt) if dt == torch.uint8 else ints.to(dt)
    n = str(dt).split(".")[1]
    T[f"dt_{n}_cat"] = torch.cat([x, x.t()[:4]], 1)
    T[f"dt_{n}_flip"] = x.t().flip(0)
    T[f"dt_{n}_roll"] = x.roll(2, 1)
    T[f"dt_{n}_repeat"] = x[:, ::3].repeat(2, 1)
    T[f"dt_{n}_diag"] = x.t().diagonal(1)
    T[f"dt_{n}_stack"] = torch.stack([x[0], x[1]], 1)
    T[f"dt_{n}_ri"] = x[:2].repeat_interleave(torch.tensor([1, 2]), dim=0)
    T[f"dt_{n}_diff"] = x.diff(dim=1, n=1) if dt != torch.bool else x.diff()

# zero-size inputs
z = torch.zeros(0, 3, dtype=torch.float64)
T["z_flip"] = z.flip(0)
T["z_roll"] = z.roll(1, 0)
T["z_repeat"] = z.repeat(2, 2)
T["z_diag"] = z.diagonal()
T["z_cat"] = torch.cat([z, z], 1)
T["repeat_zero"] = ms.repeat(0, 2)
T["tile_zero"] = v.tile((2, 0))
T["ri_zero"] = ms.repeat_interleave(0, dim=1)

save("shape", T)
