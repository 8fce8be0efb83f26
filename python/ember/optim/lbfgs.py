"""torch.optim.LBFGS (with the optional strong-Wolfe line search), computed by ember's C++ implementation."""
from ember import _C
from ember.optim.optimizer import Optimizer

__all__ = ["LBFGS"]


class LBFGS(Optimizer):
    r"""Implements the L-BFGS algorithm, as torch.optim.LBFGS. It supports one parameter group only, and
    ``step`` needs a closure that clears the gradients, computes the loss, calls backward and returns it."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None):
        self._init(params, lambda groups: _C._LBFGS(groups, lr, max_iter, max_eval, tolerance_grad,
                                                    tolerance_change, history_size, line_search_fn))

    def step(self, closure):
        """Performs a single optimization step.

        Args:
            closure (callable): A closure that reevaluates the model and returns the loss.
        """
        # The C++ loop calls the closure as often as the line search needs; the first loss is returned as
        # the closure gave it, as PyTorch returns orig_loss.
        first = []

        def evaluate():
            loss = closure()
            if not first:
                first.append(loss)
            return loss

        self._sync()
        self._C.step(evaluate)
        return first[0]
