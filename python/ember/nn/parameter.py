"""nn.Parameter: a Tensor that a Module registers as a parameter when assigned as its attribute."""
import ember
from ember._C import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A Tensor subclass marking module parameters. Parameter(data) is a new tensor object sharing
    data's storage but not its autograd history (a detached alias), with requires_grad set."""

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = ember.empty(0)
        return Tensor._make_subclass(cls, data, requires_grad)

    # ember.Tensor (a C++ class) has no Python constructor; __new__ has made the whole object.
    def __init__(self, data=None, requires_grad=True):
        pass

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
