"""Golden values for tests/cpp/test_factory.cpp: range factories, eye, full/zeros/ones dtypes, tensor()
from lists, and the layouts *_like keeps.

arange's float values depend on PyTorch's vector width (it rounds each 256-bit vector's first element),
so the script pins the AVX2 kernels that ember reproduces.
"""
import os

os.environ["ATEN_CPU_CAPABILITY"] = "avx2"

import warnings  # noqa: E402

import torch  # noqa: E402

from golden import save  # noqa: E402

warnings.filterwarnings("ignore", category=UserWarning)  # torch.range is deprecated

T = {}
DT = {"f32": torch.float32, "f64": torch.float64, "f16": torch.float16, "bf16": torch.bfloat16,
      "i64": torch.int64, "i32": torch.int32, "i16": torch.int16, "u8": torch.uint8, "i8": torch.int8}

# arange: dtype inference and exact values
T["arange_10"] = torch.arange(10)
T["arange_2_20_3"] = torch.arange(2, 20, 3)
T["arange_10_0_m3"] = torch.arange(10, 0, -3)
T["arange_0_1_01"] = torch.arange(0, 1, 0.1)
T["arange_f_end"] = torch.arange(5.5)
T["arange_long_float_step"] = torch.arange(0, 10, 1.5, dtype=torch.int64)
T["arange_empty"] = torch.arange(3, 3)
for name, dt in DT.items():
    T[f"arange_a_{name}"] = torch.arange(0, 10, 0.37, dtype=dt) if dt.is_floating_point else torch.arange(0, 10, 1.5, dtype=dt)
    T[f"arange_b_{name}"] = torch.arange(-5.5, 100.25, 0.731, dtype=dt) if dt.is_floating_point else torch.arange(-5, 100, 7, dtype=dt)
for name in ["f32", "f64", "f16", "bf16"]:
    T[f"arange_c_{name}"] = torch.arange(-3.3, 10.7, 0.0271, dtype=DT[name])
    T[f"arange_d_{name}"] = torch.arange(1e3, -1e3, -3.9, dtype=DT[name])
    T[f"linspace_c_{name}"] = torch.linspace(-7.77, 13.3, 501, dtype=DT[name])
T["arange_1000_f32"] = torch.arange(0, 1, 0.001)
T["arange_neg_f32"] = torch.arange(3.0, -7.3, -0.11)
T["arange_neg_f64"] = torch.arange(3.0, -7.3, -0.11, dtype=torch.float64)

# Above 32768 elements both libraries split the fill across threads at the same boundaries for the same
# thread count; the test pins 2 threads like this script. Samples keep the file small: every 97th element
# and the elements around the split.
torch.set_num_threads(2)
SAMPLE = sorted(set(range(0, 100000, 97)) | set(range(49960, 50040)))
T["big_sample_idx"] = torch.tensor(SAMPLE)
T["arange_big_f32"] = torch.arange(-3.3, 3696.7, 0.037)[SAMPLE]
T["arange_big_f64"] = torch.arange(-3.3, 3696.7, 0.037, dtype=torch.float64)[SAMPLE]
T["linspace_big_f32"] = torch.linspace(-7.77, 13.3, 100000)[SAMPLE]
T["linspace_big_bf16"] = torch.linspace(-7.77, 13.3, 100000, dtype=torch.bfloat16)[SAMPLE]

# torch.range (inclusive, default dtype)
T["range_1_4"] = torch.range(1, 4)
T["range_0_1_01"] = torch.range(0, 1, 0.1)
T["range_i64"] = torch.range(0, 10, 3, dtype=torch.int64)
T["range_f64"] = torch.range(-2, 5, 0.37, dtype=torch.float64)

# linspace / logspace
for name, dt in DT.items():
    if dt.is_floating_point:
        T[f"linspace_{name}"] = torch.linspace(-2.5, 7.1, 100, dtype=dt)
        T[f"linspace_odd_{name}"] = torch.linspace(3, -1, 7, dtype=dt)
        if dt != torch.float16:  # PyTorch 1.13 has no float16 logspace on CPU (ember does)
            T[f"logspace_{name}"] = torch.logspace(-1, 1.5, 9, dtype=dt)
            T[f"logspace_b2_{name}"] = torch.logspace(0, 6, 7, base=2, dtype=dt)
    else:
        T[f"linspace_{name}"] = torch.linspace(-3, 17, 9, dtype=dt) if dt != torch.uint8 else torch.linspace(3, 17, 9, dtype=dt)
        T[f"logspace_{name}"] = torch.logspace(0, 3, 4, dtype=dt)
T["linspace_default"] = torch.linspace(0, 1, 5)
T["linspace_1000"] = torch.linspace(-1, 1, 1001)
T["linspace_steps0"] = torch.linspace(0, 1, 0)
T["linspace_steps1"] = torch.linspace(2.5, 10, 1)
T["logspace_steps1"] = torch.logspace(2, 10, 1)

# eye
T["eye_3"] = torch.eye(3)
T["eye_2_4"] = torch.eye(2, 4)
T["eye_4_2_i64"] = torch.eye(4, 2, dtype=torch.int64)
T["eye_0"] = torch.eye(0)
T["eye_3_bool"] = torch.eye(3, dtype=torch.bool)

# full / zeros / ones
T["full_bool"] = torch.full((2, 3), True)
T["full_int"] = torch.full((2,), 7)
T["full_float"] = torch.full((2,), 2.5)
T["full_f16"] = torch.full((3,), 1.1, dtype=torch.float16)
T["full_bool_as_f32"] = torch.full((2,), True, dtype=torch.float32)
T["zeros_bool"] = torch.zeros(2, 2, dtype=torch.bool)
T["ones_bool"] = torch.ones(3, dtype=torch.bool)
T["ones_f16"] = torch.ones(2, 3, dtype=torch.float16)
T["zeros_0_3"] = torch.zeros(0, 3)
T["scalar_tensor_int"] = torch.scalar_tensor(3)

# *_like keeps the layout: strides of the results
x = torch.zeros(3, 4)
T["like_t_strides"] = torch.tensor(torch.empty_like(x.t()).stride())
T["like_slice_strides"] = torch.tensor(torch.empty_like(x.t()[:, ::2]).stride())
T["like_expand_strides"] = torch.tensor(torch.zeros_like(torch.zeros(3, 1).expand(3, 5)).stride())
y = torch.zeros(2, 3, 4).permute(2, 0, 1)[:, :, 1:]
T["like_perm_slice_strides"] = torch.tensor(torch.ones_like(y).stride())
T["full_like_int"] = torch.full_like(torch.zeros(2, dtype=torch.int32), 2.7)

# torch.tensor from (nested) lists
T["tensor_ints"] = torch.tensor([[1, 2, 3], [4, 5, 6]])
T["tensor_floats"] = torch.tensor([[1.5, -2.25], [3.0, 1e-3]])
T["tensor_bools"] = torch.tensor([True, False, True])
T["tensor_mixed"] = torch.tensor([1, 2.5])
T["tensor_empty"] = torch.tensor([])
T["tensor_empty_2_0"] = torch.tensor([[], []])
T["tensor_scalar_f"] = torch.tensor(3.5)
T["tensor_scalar_i"] = torch.tensor(7)
T["tensor_as_i32"] = torch.tensor([1.9, -2.9, 3], dtype=torch.int32)
T["tensor_as_f16"] = torch.tensor([0.1, 65504, 1e-8], dtype=torch.float16)
T["tensor_as_bool"] = torch.tensor([0, 2, -1], dtype=torch.bool)

save("factory", T)
