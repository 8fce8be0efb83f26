"""torch.optim.Optimizer over ember's C++ optimizers.

The parameter groups and the per-parameter state live in the C++ optimizer (ember._C._Optimizer), which
runs the fused update loops; the C++ schedulers write the same groups. `param_groups` is a list of
dict-like views of those groups, so `group['lr'] = 0.01` reaches the C++ options that the next step()
reads, and `state[p]` views a parameter's C++ state. The Python objects of the parameters themselves are
kept here (in the views' 'params' lists), so a user's tensors come back as the same objects.
"""
from collections.abc import MutableMapping
from typing import FrozenSet

from ember import _C
from ember.autograd import enable_grad

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


_TENSOR_TYPES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
                 "bfloat16": "BFloat16Tensor", "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
                 "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}


def _typename(o):
    """torch.typename: ember.FloatTensor for a float32 tensor, int for 3."""
    if isinstance(o, _C.Tensor):
        return "ember." + _TENSOR_TYPES.get(str(o.dtype).split(".")[-1], "Tensor")
    module = type(o).__module__
    name = type(o).__qualname__
    return name if module in (None, "builtins") else module + "." + name


class _ParamGroup(MutableMapping):
    """One parameter group: 'params' is the list of the user's tensors, every other key a C++ option."""

    def __init__(self, optimizer, index, params):
        self._opt = optimizer
        self._index = index
        self._params = params
        self._synced = list(params)

    def _sync(self):
        """Pushes the 'params' list to the C++ group if the user edited it in place (append, remove ...)."""
        p = self._params
        if len(p) != len(self._synced) or any(a is not b for a, b in zip(p, self._synced)):
            self._opt._C.group_set_params(self._index, p)
            self._synced = list(p)

    def __getitem__(self, key):
        if key == "params":
            return self._params
        if not isinstance(key, str) or not self._opt._C.group_has(self._index, key):
            raise KeyError(key)
        return self._opt._C.group_get(self._index, key)

    def __setitem__(self, key, value):
        if key == "params":
            params = [value] if isinstance(value, _C.Tensor) else list(value)
            self._opt._C.group_set_params(self._index, params)
            self._params = params
            self._synced = list(params)
        else:
            self._opt._C.group_set(self._index, key, value)

    def __delitem__(self, key):
        if key == "params" or key not in self:
            raise KeyError(key)
        self._opt._C.group_del(self._index, key)

    def __iter__(self):
        yield "params"
        yield from self._opt._C.group_keys(self._index)

    def __len__(self):
        return 1 + len(self._opt._C.group_keys(self._index))

    def __repr__(self):
        return repr(dict(self))


class _ParamState(MutableMapping):
    """state[p]: the C++ state of one parameter; tensors are shared, so in-place changes reach the optimizer."""

    def __init__(self, optimizer, param):
        self._opt = optimizer
        self._param = param

    def _dict(self):
        return self._opt._C.param_state(self._param) or {}

    def __getitem__(self, key):
        return self._dict()[key]

    def __setitem__(self, key, value):
        self._opt._C.set_param_state(self._param, key, value)

    def __delitem__(self, key):
        if key not in self._dict():
            raise KeyError(key)
        self._opt._C.del_param_state(self._param, key)

    def __iter__(self):
        return iter(self._dict())

    def __len__(self):
        return len(self._dict())

    def __repr__(self):
        return repr(self._dict())


class _State(MutableMapping):
    """optimizer.state: parameters that have state, each mapped to its _ParamState (as PyTorch's defaultdict,
    looking up a parameter of the optimizer without state gives an empty one)."""

    def __init__(self, optimizer):
        self._opt = optimizer

    def _params(self):
        return [p for g in self._opt.param_groups for p in g["params"]]

    def __getitem__(self, param):
        if not isinstance(param, _C.Tensor):
            raise KeyError(param)
        return _ParamState(self._opt, param)

    def __setitem__(self, param, value):
        st = _ParamState(self._opt, param)
        for key in list(st):
            del st[key]
        for key, v in dict(value).items():
            st[key] = v

    def __delitem__(self, param):
        st = _ParamState(self._opt, param)
        for key in list(st):
            del st[key]

    def __iter__(self):
        seen = set()
        for p in self._params():
            if id(p) not in seen and self._opt._C.param_state(p) is not None:
                seen.add(id(p))
                yield p

    def __len__(self):
        return sum(1 for _ in self)

    def __contains__(self, param):
        return isinstance(param, _C.Tensor) and self._opt._C.param_state(param) is not None

    def __repr__(self):
        return repr({p: dict(_ParamState(self._opt, p)) for p in self})


class Optimizer:
    r"""Base class for all optimizers.

    A subclass written in Python (``super().__init__(params, defaults)`` and its own ``step``, as for
    torch.optim) gets the same ``param_groups``, ``state`` and ``state_dict`` as ember's optimizers.

    Args:
        params (iterable): an iterable of :class:`ember.Tensor` s or :class:`dict` s. Specifies what
            Tensors should be optimized.
        defaults (dict): a dict containing default values of optimization options (used when a parameter
            group doesn't specify them).
    """

    def __init__(self, params, defaults):
        self._required = frozenset(k for k, v in defaults.items() if v is required)
        options = {k: v for k, v in defaults.items() if v is not required}
        self._init(params, lambda groups: _C._PythonOptimizer(groups, options, type(self).__name__))

    def _init(self, params, make):
        """Builds the C++ optimizer with ``make([(params, options), ...])``; ember's own optimizers pass
        their constructor arguments through it."""
        if isinstance(params, _C.Tensor):
            raise TypeError("params argument given to the optimizer should be "
                            "an iterable of Tensors or dicts, but got " + _typename(params))
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        groups = [self._check_group(g) for g in param_groups]
        self._C = make([(params, options) for params, options in groups])
        self.param_groups = [_ParamGroup(self, i, params) for i, (params, _) in enumerate(groups)]

    # The options every optimizer of this class must get, per group when not in the constructor (SGD's lr).
    _required: FrozenSet[str] = frozenset()

    @property
    def defaults(self):
        d = self._C.defaults
        for name in self._required:
            d[name] = required
        return d

    @property
    def state(self):
        return _State(self)

    def _check_group(self, param_group):
        assert isinstance(param_group, dict), "param group must be a dict"
        params = param_group["params"]
        if isinstance(params, _C.Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but "
                            "the ordering of tensors in sets will change between runs. Please use a list instead.")
        else:
            params = list(params)
        for param in params:
            if not isinstance(param, _C.Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is " + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name in self._required:
            if name not in param_group:
                raise ValueError("parameter group didn't specify a value of required optimization parameter " + name)
        options = {k: v for k, v in param_group.items() if k != "params"}
        return params, options

    def add_param_group(self, param_group):
        r"""Add a param group to the :class:`Optimizer` s `param_groups`.

        Args:
            param_group (dict): Specifies what Tensors should be optimized along with group
                specific optimization options.
        """
        params, options = self._check_group(param_group)
        self._sync()
        self._C.add_param_group(params, options)
        param_group["params"] = params
        self.param_groups.append(_ParamGroup(self, len(self.param_groups), params))

    def zero_grad(self, set_to_none: bool = False):
        r"""Sets the gradients of all optimized :class:`ember.Tensor` s to zero (or to None)."""
        self._sync()
        self._C.zero_grad(set_to_none)

    def step(self, closure=None):
        r"""Performs a single optimization step.

        Args:
            closure (callable, optional): A closure that reevaluates the model and returns the loss.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        self._sync()
        self._C.step()
        return loss

    def state_dict(self):
        r"""Returns the state of the optimizer as a :class:`dict`, in PyTorch's layout: ``state`` maps each
        parameter's index (in the order of ``param_groups``) to its state, ``param_groups`` holds each
        group's options with ``params`` as the list of those indices."""
        self._sync()
        state, groups = self._C.state_dict()
        # PyTorch's key order: each group's options with 'params' last.
        param_groups = []
        for g in groups:
            ids = g.pop("params")
            g["params"] = ids
            param_groups.append(g)
        return {"state": state, "param_groups": param_groups}

    def load_state_dict(self, state_dict):
        r"""Loads the optimizer state (tensors other than ``step`` are cast to their parameter's dtype, as
        PyTorch does).

        Args:
            state_dict (dict): optimizer state. Should be an object returned from a call to
                :meth:`state_dict`.
        """
        self._sync()
        self._C.load_state_dict(dict(state_dict["state"]), [dict(g) for g in state_dict["param_groups"]])

    def __repr__(self):
        return repr(self._C)

    def _sync(self):
        for group in self.param_groups:
            group._sync()
