"""ember.utils.progress.tqdm: tqdm's progress bar API (the common part of it) over ember's C++ bar, so
`from tqdm import tqdm` can become `from ember.utils.progress import tqdm`. The bar goes to stderr:
redrawn in place on a terminal, plain periodic lines elsewhere (CI logs stay readable)."""
from numbers import Number

from ember import _C

__all__ = ["tqdm", "trange"]


class tqdm:
    """Wraps an iterable (or counts update() calls) and shows its progress."""

    def __init__(self, iterable=None, desc=None, total=None, leave=True, file=None, ncols=None, mininterval=0.1,
                 unit="it", disable=False, postfix=None, initial=0):
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except (TypeError, AttributeError):
                total = None
        self.iterable = iterable
        self.total = total
        self.disable = disable
        self._bar = None if disable else _C._ProgressBar(-1 if total is None else int(total), desc or "", unit,
                                                         float(mininterval))
        if postfix is not None:
            self.set_postfix(postfix)
        if initial:
            self.update(initial)

    @property
    def n(self) -> int:
        return 0 if self._bar is None else self._bar.n

    def __iter__(self):
        if self.iterable is None:
            raise TypeError("'tqdm' object is not iterable: it was given no iterable")
        try:
            for obj in self.iterable:
                yield obj
                self.update(1)
        finally:
            self.close()

    def __len__(self):
        if self.total is not None:
            return self.total
        return len(self.iterable)

    def update(self, n=1):
        if self._bar is not None:
            self._bar.update(int(n))

    def set_description(self, desc=None, refresh=True):
        if self._bar is not None:
            self._bar.set_description(desc or "")

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        """key=value pairs after the rate; numbers formatted as tqdm formats them."""
        items = dict(ordered_dict or {})
        items.update(kwargs)
        parts = []
        for key, value in items.items():
            if isinstance(value, Number):  # bools too, as tqdm (True shows as 1)
                value = _C._progress_format_num(float(value))
            parts.append(f"{key}={str(value).strip()}")
        self.set_postfix_str(", ".join(parts))

    def set_postfix_str(self, s="", refresh=True):
        if self._bar is not None:
            self._bar.set_postfix_str(str(s))

    def reset(self, total=None):
        if total is not None:
            self.total = total
        if self._bar is not None:
            self._bar.reset(None if total is None else int(total))

    def close(self):
        if self._bar is not None:
            self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def __str__(self):
        return "" if self._bar is None else str(self._bar)


def trange(*args, **kwargs):
    """tqdm(range(*args), **kwargs)."""
    return tqdm(range(*args), **kwargs)
