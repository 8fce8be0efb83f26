"""pytest setup for the Python front end: ember from the in-place build, PyTorch (python3-torch) as the
reference. EMBER_TEST_DEVICE=cuda moves the conformance suite and the nn.functional comparisons to the GPU
(docs/GPU.md), with PyTorch's TF32 switched off, as ember computes float32 in full precision there."""
import os

import pytest
import torch

import ember

if os.environ.get("EMBER_TEST_DEVICE", "cpu") != "cpu":
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


@pytest.fixture(autouse=True)
def _default_state():
    ember.set_default_dtype(ember.float32)
    yield
    ember.set_default_dtype(ember.float32)
