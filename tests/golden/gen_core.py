"""Golden values for tests/cpp/test_core.cpp: dtype conversion rounding, the promotion table,
result_type with numbers and 0-dim tensors, and output layouts of pointwise ops on permuted inputs."""
import torch

from golden import save, DTYPES

ORDER = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16, torch.float32,
         torch.float64, torch.bool, torch.bfloat16]
CODE = {t: i for i, t in enumerate(ORDER)}

# Values that exercise float -> half / bfloat16 rounding: ties, subnormals, overflow, nan, inf.
vals = torch.tensor([0.0, -0.0, 1.0, 1.0009765625, 1.00048828125, 1.000732421875, 65504.0, 65519.0, 65520.0,
                     1e6, -1e6, 6.1e-5, 5.96e-8, 2.98e-8, 2.99e-8, 1e-9, 3.14159265, -2.71828,
                     float("inf"), float("-inf"), float("nan"), 1.00390625, 1.005859375, 3.0e38, 1e-40],
                    dtype=torch.float32)
tensors = {"conv_in": vals, "conv_f16": vals.to(torch.float16), "conv_bf16": vals.to(torch.bfloat16)}

promote = torch.zeros(len(ORDER), len(ORDER), dtype=torch.int64)
for a in ORDER:
    for b in ORDER:
        promote[CODE[a], CODE[b]] = CODE[torch.promote_types(a, b)]
tensors["promote"] = promote

# result_type(tensor of dtype a with ndim 1 / 0, number of kind k): k = bool, int, float
numbers = [True, 3, 2.5]
rt_dim = torch.zeros(len(ORDER), 3, dtype=torch.int64)
rt_zero = torch.zeros(len(ORDER), 3, dtype=torch.int64)
for a in ORDER:
    for k, n in enumerate(numbers):
        rt_dim[CODE[a], k] = CODE[torch.result_type(torch.ones(2, dtype=a), n)]
        rt_zero[CODE[a], k] = CODE[torch.result_type(torch.ones((), dtype=a), n)]
tensors["result_type_dim_number"] = rt_dim
tensors["result_type_zero_number"] = rt_zero
# result_type(dimensioned tensor of dtype a, 0-dim tensor of dtype b)
rt_tz = torch.zeros(len(ORDER), len(ORDER), dtype=torch.int64)
for a in ORDER:
    for b in ORDER:
        rt_tz[CODE[a], CODE[b]] = CODE[torch.result_type(torch.ones(2, dtype=a), torch.ones((), dtype=b))]
tensors["result_type_dim_zero"] = rt_tz

# Output strides of pointwise ops on permuted / broadcast inputs.
x = torch.zeros(2, 3, 4)
tensors["layout_exp_permuted"] = torch.tensor(x.permute(2, 0, 1).exp().stride())
tensors["layout_add_t_plus_row"] = torch.tensor((x[0].t() + torch.zeros(3)).stride())
tensors["layout_add_t_plus_t"] = torch.tensor((x[0].t() + x[0].t()).stride())
tensors["layout_mul_permuted_contig"] = torch.tensor((x.permute(2, 0, 1) * torch.zeros(4, 2, 3)).stride())
tensors["layout_clone_t"] = torch.tensor(x[0].t().clone().stride())
tensors["layout_to_double_permuted"] = torch.tensor(x.permute(2, 0, 1).to(torch.float64).stride())
tensors["layout_clone_expanded"] = torch.tensor(torch.zeros(3, 1).expand(3, 4).clone().stride())
save("core", tensors)
