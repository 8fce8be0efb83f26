"""ember.Size: the tuple of a tensor's sizes, as torch.Size."""


class Size(tuple):
    __slots__ = ()

    def __repr__(self):
        return f"ember.Size({list(self)!r})"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, other))
