"""torch.optim.lr_scheduler over ember's C++ schedulers.

Each scheduler is a C++ object (ember._C._StepLR, ...) that writes the learning rates into the C++
optimizer's parameter groups, which `optimizer.param_groups` views; Python callables (LambdaLR's
lr_lambda, CyclicLR's scale_fn) are called from C++. The state_dict holds PyTorch's keys, so a PyTorch
scheduler's state_dict loads here and the other way round.
"""
import warnings
from collections import Counter

from ember import _C
from ember.optim.optimizer import Optimizer

__all__ = ['LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR',
           'ExponentialLR', 'SequentialLR', 'CosineAnnealingLR', 'ChainedScheduler', 'ReduceLROnPlateau',
           'CyclicLR', 'CosineAnnealingWarmRestarts', 'OneCycleLR', 'PolynomialLR']

EPOCH_DEPRECATION_WARNING = (
    "The epoch parameter in `scheduler.step()` was not necessary and is being "
    "deprecated where possible. Please use `scheduler.step()` to step the "
    "scheduler. During the deprecation, if epoch is different from None, the "
    "closed form is used instead of the new chainable form, where available. "
    "Please open an issue if you are unable to replicate your use case: "
    "https://github.com/pytorch/pytorch/issues/new/choose."
)


def _check_optimizer(optimizer, last_epoch=-1):
    if not isinstance(optimizer, Optimizer):
        raise TypeError('{} is not an Optimizer'.format(type(optimizer).__name__))
    if last_epoch != -1:
        for i, group in enumerate(optimizer.param_groups):
            if 'initial_lr' not in group:
                raise KeyError("param 'initial_lr' is not specified "
                               "in param_groups[{}] when resuming an optimizer".format(i))
    return optimizer


def _values(value):
    """One value for all groups or one per group (list or tuple), as the C++ constructors take them."""
    return [float(v) for v in value] if isinstance(value, (list, tuple)) else [float(value)]


class _LRScheduler:
    """The base of the schedulers: the C++ scheduler (`_C`) does the work; verbose printing is Python's."""

    def __init__(self, optimizer, scheduler, verbose=False):
        self.optimizer = optimizer
        self._C = scheduler
        self.verbose = verbose
        self._print_all()

    @property
    def last_epoch(self):
        return self._C.last_epoch

    @last_epoch.setter
    def last_epoch(self, value):
        state = self._C.state_dict()
        state['last_epoch'] = value
        self._C.load_state_dict(state)

    @property
    def base_lrs(self):
        return self._C.base_lrs

    def get_last_lr(self):
        """Return last computed learning rate by current scheduler."""
        return self._C.get_last_lr()

    def print_lr(self, is_verbose, group, lr, epoch=None):
        """Display the current learning rate."""
        if is_verbose:
            if epoch is None:
                print('Adjusting learning rate'
                      ' of group {} to {:.4e}.'.format(group, lr))
            else:
                epoch_str = ("%.2f" if isinstance(epoch, float) else "%.5d") % epoch
                print('Epoch {}: adjusting learning rate'
                      ' of group {} to {:.4e}.'.format(epoch_str, group, lr))

    def _print_all(self, epoch=None):
        for i, lr in enumerate(self.get_last_lr()):
            self.print_lr(self.verbose, i, lr, epoch)

    def step(self, epoch=None):
        if epoch is None:
            self._C.step()
        else:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning)
            self._C.step_epoch(epoch)
        self._print_all(epoch)

    def state_dict(self):
        """Returns the state of the scheduler as a :class:`dict` (PyTorch's keys; no optimizer)."""
        return self._C.state_dict()

    def load_state_dict(self, state_dict):
        """Loads the schedulers state.

        Args:
            state_dict (dict): scheduler state. Should be an object returned from a call to :meth:`state_dict`.
        """
        self._C.load_state_dict(dict(state_dict))


class LambdaLR(_LRScheduler):
    """Sets the learning rate of each parameter group to the initial lr times a given function."""

    _make = _C._LambdaLR

    def __init__(self, optimizer, lr_lambda, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        n = len(optimizer.param_groups)
        if not isinstance(lr_lambda, list) and not isinstance(lr_lambda, tuple):
            self.lr_lambdas = [lr_lambda] * n
        else:
            if len(lr_lambda) != n:
                raise ValueError("Expected {} lr_lambdas, but got {}".format(n, len(lr_lambda)))
            self.lr_lambdas = list(lr_lambda)
        super().__init__(optimizer, self._make(optimizer._C, self.lr_lambdas, last_epoch), verbose)

    def state_dict(self):
        """As PyTorch: the lambdas are saved only if they are callable objects (their __dict__), not
        functions or lambdas."""
        state_dict = self._C.state_dict()
        state_dict['lr_lambdas'] = [None] * len(self.lr_lambdas)
        for idx, fn in enumerate(self.lr_lambdas):
            if not isinstance(fn, type(lambda: None)):
                state_dict['lr_lambdas'][idx] = fn.__dict__.copy()
        return state_dict

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        lr_lambdas = state_dict.pop('lr_lambdas', [None] * len(self.lr_lambdas))
        self._C.load_state_dict(state_dict)
        for idx, fn in enumerate(lr_lambdas):
            if fn is not None:
                self.lr_lambdas[idx].__dict__.update(fn)


class MultiplicativeLR(LambdaLR):
    """Multiply the learning rate of each parameter group by the factor given in the specified function."""

    _make = _C._MultiplicativeLR


class StepLR(_LRScheduler):
    """Decays the learning rate of each parameter group by gamma every step_size epochs."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._StepLR(optimizer._C, step_size, gamma, last_epoch), verbose)


class MultiStepLR(_LRScheduler):
    """Decays the learning rate of each parameter group by gamma once the number of epoch reaches one of the
    milestones."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._MultiStepLR(optimizer._C, list(milestones), gamma, last_epoch), verbose)

    # PyTorch keeps the milestones as a Counter.
    def state_dict(self):
        state_dict = self._C.state_dict()
        state_dict['milestones'] = Counter(state_dict['milestones'])
        return state_dict

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        state_dict['milestones'] = sorted(Counter(state_dict['milestones']).elements())
        self._C.load_state_dict(state_dict)


class ConstantLR(_LRScheduler):
    """Decays the learning rate of each parameter group by a small constant factor until the number of epoch
    reaches total_iters."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._ConstantLR(optimizer._C, factor, total_iters, last_epoch), verbose)


class LinearLR(_LRScheduler):
    """Decays the learning rate of each parameter group by linearly changing small multiplicative factor until
    the number of epoch reaches total_iters."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5, last_epoch=-1,
                 verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._LinearLR(optimizer._C, start_factor, end_factor, total_iters, last_epoch),
                         verbose)


class ExponentialLR(_LRScheduler):
    """Decays the learning rate of each parameter group by gamma every epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._ExponentialLR(optimizer._C, gamma, last_epoch), verbose)


class PolynomialLR(_LRScheduler):
    """Decays the learning rate of each parameter group using a polynomial function in the given total_iters."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._PolynomialLR(optimizer._C, total_iters, power, last_epoch), verbose)


class CosineAnnealingLR(_LRScheduler):
    """Set the learning rate of each parameter group using a cosine annealing schedule."""

    def __init__(self, optimizer, T_max, eta_min=0, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        super().__init__(optimizer, _C._CosineAnnealingLR(optimizer._C, T_max, eta_min, last_epoch), verbose)


class CosineAnnealingWarmRestarts(_LRScheduler):
    """Set the learning rate of each parameter group using a cosine annealing schedule with warm restarts;
    step(epoch) takes fractional epochs."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer, last_epoch)
        if T_0 <= 0 or not isinstance(T_0, int):
            raise ValueError("Expected positive integer T_0, but got {}".format(T_0))
        if T_mult < 1 or not isinstance(T_mult, int):
            raise ValueError("Expected integer T_mult >= 1, but got {}".format(T_mult))
        super().__init__(optimizer, _C._CosineAnnealingWarmRestarts(optimizer._C, T_0, T_mult, eta_min, last_epoch),
                         verbose)

    def step(self, epoch=None):
        if epoch is None:
            self._C.step()
        else:
            self._C.step_epoch(float(epoch))
        self._print_all(epoch)


class CyclicLR(_LRScheduler):
    """Sets the learning rate of each parameter group according to cyclical learning rate policy (CLR)."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None, mode='triangular',
                 gamma=1., scale_fn=None, scale_mode='cycle', cycle_momentum=True, base_momentum=0.8,
                 max_momentum=0.9, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        self.scale_fn = scale_fn
        super().__init__(optimizer, _C._CyclicLR(
            optimizer._C, _values(base_lr), _values(max_lr), float(step_size_up),
            None if step_size_down is None else float(step_size_down), mode, float(gamma), scale_fn, scale_mode,
            cycle_momentum, _values(base_momentum), _values(max_momentum), last_epoch), verbose)


class OneCycleLR(_LRScheduler):
    """Sets the learning rate of each parameter group according to the 1cycle learning rate policy."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3,
                 anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95,
                 div_factor=25., final_div_factor=1e4, three_phase=False, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        super().__init__(optimizer, _C._OneCycleLR(
            optimizer._C, _values(max_lr), total_steps, epochs, steps_per_epoch, float(pct_start), anneal_strategy,
            cycle_momentum, _values(base_momentum), _values(max_momentum), float(div_factor),
            float(final_div_factor), three_phase, last_epoch), verbose)


class SequentialLR(_LRScheduler):
    """Receives the list of schedulers that is expected to be called sequentially during optimization process
    and milestone points that provides exact intervals to reflect which scheduler is supposed to be called at
    a given epoch."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1, verbose=False):
        _check_optimizer(optimizer)
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        super().__init__(optimizer, _C._SequentialLR(optimizer._C, [s._C for s in self._schedulers],
                                                     self._milestones, last_epoch), verbose)

    def step(self):
        self._C.step()


class ChainedScheduler(_LRScheduler):
    """Chains list of learning rate schedulers: one step() steps each of them."""

    def __init__(self, schedulers):
        self._schedulers = list(schedulers)
        super().__init__(self._schedulers[0].optimizer, _C._ChainedScheduler([s._C for s in self._schedulers]))

    def step(self):
        self._C.step()


class ReduceLROnPlateau:
    """Reduce learning rate when a metric has stopped improving."""

    def __init__(self, optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4, threshold_mode='rel',
                 cooldown=0, min_lr=0, eps=1e-8, verbose=False):
        if factor >= 1.0:
            raise ValueError('Factor should be < 1.0.')
        _check_optimizer(optimizer)
        if isinstance(min_lr, (list, tuple)) and len(min_lr) != len(optimizer.param_groups):
            raise ValueError("expected {} min_lrs, got {}".format(len(optimizer.param_groups), len(min_lr)))
        self.optimizer = optimizer
        self.verbose = verbose
        self._C = _C._ReduceLROnPlateau(optimizer._C, mode, float(factor), patience, float(threshold),
                                        threshold_mode, cooldown, _values(min_lr), float(eps))

    last_epoch = property(lambda self: self._C.last_epoch)
    best = property(lambda self: self._C.best)
    num_bad_epochs = property(lambda self: self._C.num_bad_epochs)
    in_cooldown = property(lambda self: self._C.in_cooldown)

    def get_last_lr(self):
        return self._C.get_last_lr()

    @property
    def _last_lr(self):
        return self._C.get_last_lr()

    def step(self, metrics, epoch=None):
        # A zero-dim tensor works too, as in PyTorch.
        current = float(metrics)
        before = [g['lr'] for g in self.optimizer.param_groups]
        if epoch is not None:
            warnings.warn(EPOCH_DEPRECATION_WARNING, UserWarning)
            state = self._C.state_dict()
            state['last_epoch'] = epoch - 1
            self._C.load_state_dict(state)
        self._C.step(current)
        if self.verbose:
            for i, (old, new) in enumerate(zip(before, self.get_last_lr())):
                if new != old:
                    epoch_str = ("%.2f" if isinstance(self.last_epoch, float) else "%.5d") % self.last_epoch
                    print('Epoch {}: reducing learning rate of group {} to {:.4e}.'.format(epoch_str, i, new))

    def state_dict(self):
        return self._C.state_dict()

    def load_state_dict(self, state_dict):
        self._C.load_state_dict(dict(state_dict))
