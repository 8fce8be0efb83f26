"""Golden repr strings for tests/cpp/test_print.cpp: repr(torch_tensor) with PyTorch's default print
options for many dtypes, magnitudes, shapes and layouts. Writes print.json with the input tensors (in
golden.py's format, under "tensors"), how to view each input ("views": size/stride/offset over the
contiguous input, for non-contiguous cases; "autograd": none, requires_grad or mul2) and the expected
strings ("reprs"). The C++ test replaces "torch." by "ember." before comparing.
"""
import json

import numpy as np
import torch

from golden import HERE, encode

torch.manual_seed(0)
cases = {}


def encode_short(t):
    """golden.encode, with float32/16 values written as their shortest float32 repr (they read back
    exactly after rounding to float32) to keep the file small."""
    e = encode(t)
    if t.dtype in (torch.float32, torch.float16, torch.bfloat16):
        e["data"] = [float(str(np.float32(v))) if isinstance(v, float) else v for v in e["data"]]
    return e


def case(name, t, view=None, autograd="none"):
    """t: the contiguous input; view: a function making the printed tensor from it."""
    shown = view(t) if view else t
    entry = {"input": encode_short(t), "autograd": autograd}
    if view:
        entry["view"] = {"size": list(shown.shape), "stride": list(shown.stride()), "offset": shown.storage_offset()}
    if autograd == "requires_grad":
        shown = shown.detach().requires_grad_(True)
    elif autograd == "mul2":
        shown = shown.detach().requires_grad_(True) * 2
    entry["repr"] = repr(shown)
    cases[name] = entry


nan, inf = float("nan"), float("inf")
F = torch.float32
case("f32_2x2", torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
case("f32_randn_3x4", torch.randn(3, 4))
case("f32_fixed", torch.tensor([1.5, -2.25, 3.0]))
case("f32_small_sci", torch.tensor([1e-5, 2.5e-3, 0.1]))
case("f32_large_sci", torch.tensor([1e10, -3.5, 2.0]))
case("f32_int_ratio_sci", torch.tensor([1.0, 1e5]))
case("f32_int_big_sci", torch.tensor([2e8, 3.0]))
case("f32_int_mode", torch.tensor([1.0, 2.0, 100.0, -7.0]))
case("f32_nan_inf", torch.tensor([1.5, nan, inf, -inf]))
case("f32_only_nan_inf", torch.tensor([nan, inf, -inf]))
case("f32_int_nan", torch.tensor([1.0, nan, 300.0]))
case("f32_sci_nan", torch.tensor([1e-7, nan, -inf, 1.0]))
case("f32_zeros", torch.zeros(2, 3))
case("f32_neg_zero", torch.tensor([0.0, -0.0, 1.5]))
case("f32_neg_zero_int", torch.tensor([-0.0, 2.0]))
case("f32_tiny_round", torch.tensor([0.00012, 0.5]))
case("f32_0d", torch.tensor(3.5))
case("f32_0d_int", torch.tensor(3.0))
case("f32_0d_nan", torch.tensor(nan))
case("f32_0d_sci", torch.tensor(1.25e-6))
case("f32_0d_neg", torch.tensor(-0.0))
case("f32_long_row", torch.randn(30))
case("f32_wide_sci", torch.randn(25) * 1e6)
case("f32_3d", torch.randn(2, 3, 4))
case("f32_4d", torch.randn(2, 1, 2, 3))
case("f32_summarised_1d", torch.randn(1100))
case("f32_summarised_2d", torch.randn(30, 40))
case("f32_summarised_3d", torch.randn(8, 10, 15))
case("f32_summarised_narrow", torch.randn(1001, 1))
case("f32_summarised_sci", torch.randn(30, 40) * torch.logspace(-6, 6, 40))
case("f64_randn", torch.randn(2, 3, dtype=torch.float64))
case("f64_precise", torch.tensor([1 / 3, 2 / 3, 12345.678901], dtype=torch.float64))
case("f16", torch.tensor([0.1, 1.5, -65504.0, 6e-5], dtype=torch.float16))
case("f16_int", torch.tensor([[1.0, 2.0], [3.0, 2048.0]], dtype=torch.float16))
case("bf16", torch.tensor([0.1, 1.5, -3e38, 1e-3], dtype=torch.bfloat16))
case("bf16_randn", torch.randn(3, 3).to(torch.bfloat16))
case("i64_arange", torch.arange(10))
case("i64_neg", torch.tensor([[-5, 100], [3, -12345]]))
case("i64_big", torch.tensor([2 ** 62, -(2 ** 63), 7]))
case("i64_long_row", torch.arange(-20, 40))
case("i64_summarised", torch.arange(1200).reshape(4, 300))
case("i64_0d", torch.tensor(42))
case("i32", torch.tensor([-5, 100, 3], dtype=torch.int32))
case("i16", torch.tensor([-32768, 32767], dtype=torch.int16))
case("i8", torch.tensor([-128, 0, 127], dtype=torch.int8))
case("u8", torch.tensor([[0, 255], [17, 3]], dtype=torch.uint8))
case("bool", torch.tensor([[True, False], [False, True]]))
case("bool_0d", torch.tensor(False))
case("bool_summarised", torch.arange(1100) % 3 == 0)
case("empty_0x3", torch.zeros(0, 3))
case("empty_0", torch.zeros(0))
case("empty_i64", torch.zeros(0, dtype=torch.int64))
case("empty_2x0x3_f64", torch.zeros(2, 0, 3, dtype=torch.float64))
case("empty_bool_0x2", torch.zeros(0, 2, dtype=torch.bool))
case("nc_transposed", torch.randn(4, 5), view=lambda t: t.t())
case("nc_stepped", torch.randn(6, 8), view=lambda t: t[::2, 1::3])
case("nc_expanded", torch.randn(3, 1), view=lambda t: t.expand(3, 4))
case("nc_summarised_t", torch.randn(30, 35), view=lambda t: t.t())
case("nc_int_t", torch.arange(12).reshape(3, 4), view=lambda t: t.t())
case("grad_leaf", torch.randn(3), autograd="requires_grad")
case("grad_leaf_f64", torch.randn(2, 2, dtype=torch.float64), autograd="requires_grad")
case("grad_fn_mul", torch.tensor([1.0, 2.0]), autograd="mul2")
case("grad_fn_f64_wide", torch.randn(2, 7, dtype=torch.float64), autograd="mul2")
case("grad_suffix_wraps", torch.randn(9, dtype=torch.float64) * 1e-9, autograd="mul2")
case("grad_0d", torch.tensor(2.5), autograd="requires_grad")

out = {
    "generator": "gen_print.py", "torch": torch.__version__,
    "tensors": {k: v["input"] for k, v in cases.items()},
    "views": {k: v["view"] for k, v in cases.items() if "view" in v},
    "autograd": {k: v["autograd"] for k, v in cases.items()},
    "reprs": {k: v["repr"] for k, v in cases.items()},
}
(HERE / "print.json").write_text(json.dumps(out, separators=(",", ":")))
print(f"wrote print.json: {len(cases)} cases")
