"""nn.Parameter against torch.nn.Parameter: construction as a detached alias, subclass behaviour in ops
and autograd, .data assignment, deepcopy, repr; and the Tensor methods Module relies on (zero_, fill_,
copy_, __deepcopy__). Behaviour tests run the same code on torch and ember (parametrized over `lib`)."""
import copy
import gc
import weakref

import numpy as np
import pytest
import torch

import ember

LIBS = [pytest.param(torch, id="torch"), pytest.param(ember, id="ember")]


@pytest.mark.parametrize("lib", LIBS)
def test_parameter_is_a_detached_alias_of_data(lib):
    t = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    p = lib.nn.Parameter(t)
    assert isinstance(p, lib.Tensor) and isinstance(p, lib.nn.Parameter)
    assert p is not t and p.requires_grad and p.is_leaf and p.grad_fn is None
    assert p.data_ptr() == t.data_ptr()
    t.add_(1)  # shares t's storage
    assert p.tolist() == [[2.0, 3.0], [4.0, 5.0]]
    assert not lib.nn.Parameter(t, requires_grad=False).requires_grad
    # From a non-leaf: a leaf with no history.
    x = lib.ones(2, requires_grad=True)
    q = lib.nn.Parameter(x * 2)
    assert q.is_leaf and q.grad_fn is None and q.requires_grad


@pytest.mark.parametrize("lib", LIBS)
def test_parameter_without_data_is_empty(lib):
    p = lib.nn.Parameter()
    assert tuple(p.shape) == (0,) and p.requires_grad and isinstance(p, lib.nn.Parameter)


@pytest.mark.parametrize("lib", LIBS)
def test_ops_on_parameters_return_tensors_and_gradients_reach_them(lib):
    p = lib.nn.Parameter(lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64))
    y = (p * p).sum()
    assert type(y) is lib.Tensor
    y.backward()
    assert type(p.grad) is lib.Tensor and p.grad.tolist() == [2.0, -4.0, 6.0]
    assert type(p.data) is lib.Tensor and p.data.data_ptr() == p.data_ptr()
    assert lib.add(p, 1).tolist() == [2.0, -1.0, 4.0]
    assert lib.cat([p, p]).shape[0] == 6


@pytest.mark.parametrize("lib", LIBS)
def test_assigning_data_keeps_the_parameter(lib):
    p = lib.nn.Parameter(lib.ones(2, 3))
    p.grad = lib.ones(2, 3)
    new = lib.zeros(4, dtype=lib.float64)
    p.data = new
    assert isinstance(p, lib.nn.Parameter) and p.requires_grad
    assert tuple(p.shape) == (4,) and p.dtype == lib.float64 and p.tolist() == [0.0] * 4
    assert p.data_ptr() == new.data_ptr()
    assert tuple(p.grad.shape) == (2, 3)  # grad untouched, as in torch


@pytest.mark.parametrize("lib", LIBS)
def test_in_place_methods_return_the_parameter_itself(lib):
    p = lib.nn.Parameter(lib.ones(3))
    assert p.requires_grad_(False) is p and not p.requires_grad
    assert p.zero_() is p and p.tolist() == [0.0] * 3
    assert p.fill_(2.5) is p and p.tolist() == [2.5] * 3
    assert p.fill_(lib.tensor(1.5)) is p and p.tolist() == [1.5] * 3
    assert p.copy_(lib.tensor([1.0, 2.0, 3.0])) is p and p.tolist() == [1.0, 2.0, 3.0]
    assert p.detach_() is p


@pytest.mark.parametrize("lib", LIBS)
def test_in_place_ops_on_a_parameter_that_requires_grad(lib):
    p = lib.nn.Parameter(lib.ones(2))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place operation"):
        p.add_(1)
    with lib.no_grad():
        p.add_(1)
    assert p.tolist() == [2.0, 2.0]


def test_repr_is_torchs():
    data = np.array([[1.5, -2.0], [0.25, 3.0]], dtype=np.float32)
    assert repr(ember.nn.Parameter(ember.tensor(data))) == repr(torch.nn.Parameter(torch.tensor(data)))
    assert repr(ember.nn.Parameter(ember.tensor(data), requires_grad=False)) == repr(
        torch.nn.Parameter(torch.tensor(data), requires_grad=False))


@pytest.mark.parametrize("lib", LIBS)
def test_deepcopy_of_a_parameter(lib):
    p = lib.nn.Parameter(lib.tensor([1.0, 2.0]), requires_grad=False)
    q = copy.deepcopy(p)
    assert type(q) is lib.nn.Parameter and q is not p and not q.requires_grad
    assert q.tolist() == p.tolist() and q.data_ptr() != p.data_ptr()
    a, b = copy.deepcopy([p, p])  # one memo: the same copy twice
    assert a is b and a is not p


@pytest.mark.parametrize("lib", LIBS)
def test_deepcopy_of_a_tensor(lib):
    t = lib.tensor([1.0, 2.0], requires_grad=True)
    t.grad = lib.tensor([3.0, 4.0])
    c = copy.deepcopy(t)
    assert type(c) is lib.Tensor and c.requires_grad and c.is_leaf and c.data_ptr() != t.data_ptr()
    assert c.tolist() == [1.0, 2.0] and c.grad.tolist() == [3.0, 4.0] and c.grad.data_ptr() != t.grad.data_ptr()
    assert not copy.deepcopy(lib.ones(2)).requires_grad
    with pytest.raises(RuntimeError, match=r"^Only Tensors created explicitly by the user \(graph leaves\) support "
                                           r"the deepcopy protocol at the moment"):
        copy.deepcopy(t * 2)


@pytest.mark.parametrize("lib", LIBS)
def test_parameters_are_hashable_by_identity(lib):
    p, q = lib.nn.Parameter(lib.ones(2)), lib.nn.Parameter(lib.ones(2))
    assert len({p, q, p}) == 2


def test_a_parameter_in_a_reference_cycle_is_collected():
    p = ember.nn.Parameter(ember.ones(3))
    p.me = p  # a Python subclass instance has a __dict__: p -> dict -> p
    ref = weakref.ref(p)
    del p
    gc.collect()
    assert ref() is None


def test_make_subclass_rejects_a_class_that_is_not_a_tensor():
    with pytest.raises(TypeError, match="cls must be a subclass of Tensor"):
        ember.Tensor._make_subclass(dict, ember.ones(1))


def test_deepcopy_of_a_tensor_subclass_keeps_its_type_and_attributes():
    # torch's own default refuses subclasses whose new_empty returns a plain Tensor; ember's copies them
    # as torch does for those where it works: same type, new storage, deep-copied __dict__.
    class Tagged(ember.Tensor):
        def __new__(cls, data):
            return ember.Tensor._make_subclass(cls, data, True)

        def __init__(self, data):
            pass

    s = Tagged(ember.ones(2))
    s.tags = ["a"]
    s.me = s
    c = copy.deepcopy(s)
    assert type(c) is Tagged and c.requires_grad and c.data_ptr() != s.data_ptr() and c.tolist() == [1.0, 1.0]
    assert c.tags == ["a"] and c.tags is not s.tags and c.me is c
