"""ember.utils.data against torch.utils.data side by side: the same datasets and settings give the same
batches (values, dtypes, structure), the same argument errors and messages; random samplers are checked
for their properties (ember's generator draws other numbers than torch's). Workers are threads: order and
contents do not depend on num_workers, exceptions and timeouts reach the loop, a loop left early stops
its workers."""
import collections
import threading
import time

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import ember
import ember.utils.data as edata


def to_np(x):
    return x.numpy() if isinstance(x, (ember.Tensor, torch.Tensor)) else x


def assert_same(e, t):
    """ember's batch structure and values equal torch's."""
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor)
        assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1]
        assert tuple(e.shape) == tuple(t.shape)
        np.testing.assert_array_equal(e.numpy(), t.numpy())
    elif isinstance(t, dict):
        assert type(e) is type(t) and list(e) == list(t)
        for k in t:
            assert_same(e[k], t[k])
    elif isinstance(t, (list, tuple)):
        assert type(e).__name__ == type(t).__name__ and len(e) == len(t)
        for a, b in zip(e, t):
            assert_same(a, b)
    else:
        assert e == t


Point = collections.namedtuple("Point", ["x", "y"])


class PyDataset:
    """Any object with __getitem__ and __len__; examples mix every type default_collate knows."""

    def __init__(self, lib, n=10):
        self.lib, self.n = lib, n

    def __getitem__(self, i):
        return {"t": self.lib.arange(3.0) * i, "i": i, "f": i / 2, "s": f"s{i}",
                "np": np.full((2,), i, dtype=np.int32), "p": Point(i, np.float32(i)), "b": i % 2 == 0}

    def __len__(self):
        return self.n


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (None, False)])
def test_batches_equal_torch(batch_size, drop_last):
    e = list(edata.DataLoader(PyDataset(ember), batch_size=batch_size, drop_last=drop_last))
    t = list(tdata.DataLoader(PyDataset(torch), batch_size=batch_size, drop_last=drop_last))
    assert len(e) == len(t)
    for a, b in zip(e, t):
        assert_same(a, b)
    assert len(edata.DataLoader(PyDataset(ember), batch_size=batch_size, drop_last=drop_last)) == len(t)


def test_default_collate_and_convert_equal_torch():
    batch_np = [np.arange(4, dtype=np.float32) + i for i in range(3)]
    assert_same(edata.default_collate(batch_np), tdata.default_collate(batch_np))
    assert_same(edata.default_collate([(1, 2.5), (3, 4.5)]), tdata.default_collate([(1, 2.5), (3, 4.5)]))
    assert_same(edata.default_collate([np.float64(1), np.float64(2)]),
                tdata.default_collate([np.float64(1), np.float64(2)]))
    assert_same(edata.default_collate([[1, 2], [3, 4]]), tdata.default_collate([[1, 2], [3, 4]]))
    assert edata.default_collate(["a", "b"]) == ["a", "b"]
    assert_same(edata.default_convert((np.zeros(2), 3)), tdata.default_convert((np.zeros(2), 3)))
    for bad in ([object(), object()], [np.array(["a"]), np.array(["b"])]):
        with pytest.raises(TypeError) as te:
            tdata.default_collate(bad)
        with pytest.raises(TypeError, match=str(te.value).split(";")[0]):
            edata.default_collate(bad)
    with pytest.raises(RuntimeError, match="each element in list of batch should be of equal size"):
        edata.default_collate([[1, 2], [3]])


def test_tensor_subset_concat_datasets():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.arange(6)
    e = edata.TensorDataset(ember.tensor(x), ember.tensor(y))
    t = tdata.TensorDataset(torch.tensor(x), torch.tensor(y))
    assert len(e) == len(t) == 6
    assert_same(e[4], t[4])
    es, ts = edata.Subset(e, [5, 0, 2]), tdata.Subset(t, [5, 0, 2])
    assert [assert_same(es[i], ts[i]) for i in range(3)] and len(es) == 3
    ec, tc = e + es, t + ts
    assert isinstance(ec, edata.ConcatDataset) and len(ec) == len(tc) == 9
    for i in [0, 5, 6, 8, -1, -9]:
        assert_same(ec[i], tc[i])
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length"):
        ec[-10]
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        edata.TensorDataset(ember.zeros(2), ember.zeros(3))


class Stream(edata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = edata.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))

    def __len__(self):
        return self.n


class TStream(tdata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


def test_iterable_and_chain_datasets():
    e = [b.tolist() for b in edata.DataLoader(Stream(7), batch_size=3)]
    t = [b.tolist() for b in tdata.DataLoader(TStream(7), batch_size=3)]
    assert e == t
    assert len(edata.DataLoader(Stream(7), batch_size=3)) == 3
    assert len(edata.DataLoader(Stream(7), batch_size=3, drop_last=True)) == 2
    assert list(edata.ChainDataset([Stream(2), Stream(3)])) == [0, 1, 0, 1, 2]
    assert list(Stream(2) + Stream(1)) == [0, 1, 0]
    # sharded by get_worker_info: worker k yields k, k+2, ...; batches alternate between the workers as
    # torch's do, and a finished worker is skipped
    e2 = [b.tolist() for b in edata.DataLoader(Stream(7), batch_size=2, num_workers=2)]
    assert e2 == [[0, 2], [1, 3], [4, 6], [5]]


def test_samplers():
    assert list(edata.SequentialSampler(range(4))) == [0, 1, 2, 3]
    g = ember.Generator().manual_seed(3)
    perm = list(edata.RandomSampler(range(20), generator=g))
    assert sorted(perm) == list(range(20))
    g.manual_seed(3)
    assert list(edata.RandomSampler(range(20), generator=g)) == perm
    s = edata.RandomSampler(range(5), num_samples=12)
    drawn = list(s)
    assert len(s) == len(drawn) == 12
    assert all(sorted(drawn[k:k + 5]) == list(range(5)) for k in (0, 5))  # whole permutations first
    r = list(edata.RandomSampler(range(3), replacement=True, num_samples=70))
    assert len(r) == 70 and set(r) <= {0, 1, 2}
    sub = list(edata.SubsetRandomSampler([10, 20, 30, 40]))
    assert sorted(sub) == [10, 20, 30, 40]
    w = list(edata.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 50))
    assert len(w) == 50 and set(w) == {1, 3}
    w = list(edata.WeightedRandomSampler([0.2, 0.0, 5.0], 2, replacement=False))
    assert sorted(w) == [0, 2]
    for bs, dl in [(3, False), (3, True), (5, False)]:
        assert list(edata.BatchSampler(range(10), bs, dl)) == list(tdata.BatchSampler(range(10), bs, dl))
        assert len(edata.BatchSampler(range(10), bs, dl)) == len(tdata.BatchSampler(range(10), bs, dl))


@pytest.mark.parametrize("make", [
    lambda m: m.RandomSampler(range(3), replacement=1),
    lambda m: m.RandomSampler(range(3), num_samples=0),
    lambda m: m.RandomSampler([], num_samples=None),
    lambda m: m.WeightedRandomSampler([1.0], 0),
    lambda m: m.WeightedRandomSampler([1.0], 1, replacement=0),
    lambda m: m.WeightedRandomSampler([[1.0]], 1),
    lambda m: m.BatchSampler(range(3), 0, False),
    lambda m: m.BatchSampler(range(3), True, False),
    lambda m: m.BatchSampler(range(3), 2, None),
])
def test_sampler_errors_equal_torch(make):
    with pytest.raises(Exception) as te:
        make(tdata)
    with pytest.raises(te.type) as ee:
        make(edata)
    assert str(ee.value) == str(te.value)


def test_random_split():
    ds = list(range(10))
    parts = edata.random_split(ds, [3, 7], generator=ember.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    again = edata.random_split(ds, [3, 7], generator=ember.Generator().manual_seed(0))
    assert again[0].indices == parts[0].indices
    fr = edata.random_split(ds, [0.34, 0.33, 0.33])
    assert [len(p) for p in fr] == [len(p) for p in tdata.random_split(ds, [0.34, 0.33, 0.33])] == [4, 3, 3]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        edata.random_split(list(range(2)), [1.0, 0.0])
    for bad in ([3, 3], [1.5, -0.5]):
        with pytest.raises(ValueError) as te:
            tdata.random_split(ds, bad)
        with pytest.raises(ValueError, match=str(te.value)):
            edata.random_split(ds, bad)


@pytest.mark.parametrize("kwargs", [
    dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=3), dict(persistent_workers=True),
    dict(sampler=[0, 1], shuffle=True), dict(batch_sampler=[[0]], batch_size=2),
    dict(batch_sampler=[[0]], drop_last=True), dict(batch_size=None, drop_last=True),
])
def test_loader_argument_errors_equal_torch(kwargs):
    with pytest.raises(ValueError) as te:
        tdata.DataLoader(list(range(4)), **kwargs)
    with pytest.raises(ValueError) as ee:
        edata.DataLoader(list(range(4)), **kwargs)
    assert str(ee.value) == str(te.value)


def test_loader_iterable_argument_errors_and_frozen_attributes():
    for kw in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
        with pytest.raises(ValueError) as te:
            tdata.DataLoader(TStream(3), **kw)
        with pytest.raises(ValueError) as ee:
            edata.DataLoader(Stream(3), **kw)
        assert str(ee.value).split("got")[0] == str(te.value).split("got")[0]
    loader = edata.DataLoader(list(range(4)))
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader is initialized"):
        loader.batch_size = 2


def test_shuffle_with_generator_and_sampler_options():
    ds = list(range(50))
    a = [b.tolist() for b in edata.DataLoader(ds, batch_size=8, shuffle=True, generator=ember.Generator().manual_seed(1))]
    b = [b.tolist() for b in edata.DataLoader(ds, batch_size=8, shuffle=True, generator=ember.Generator().manual_seed(1))]
    assert a == b and sorted(sum(a, [])) == ds and a != [ds[i:i + 8] for i in range(0, 50, 8)]
    bs = edata.BatchSampler(edata.SequentialSampler(ds), 7, True)
    assert [x.tolist() for x in edata.DataLoader(ds, batch_sampler=bs)] == [ds[i:i + 7] for i in range(0, 49, 7)]
    assert [x.tolist() for x in edata.DataLoader(ds, batch_size=10, sampler=range(49, -1, -1))][0] == list(range(49, 39, -1))
    assert edata.DataLoader(ds, batch_size=None)  # no auto-batching: examples as they are, converted
    assert list(edata.DataLoader([np.int64(3)], batch_size=None))[0].item() == 3


class SlowRandom:
    """A Python dataset with I/O-like waits of random length, so worker threads finish out of order."""

    def __init__(self, n):
        self.n = n
        self.rng = np.random.default_rng(0)

    def __getitem__(self, i):
        time.sleep(float(self.rng.uniform(0, 0.004)))
        return ember.full((2,), float(i)), i

    def __len__(self):
        return self.n


@pytest.mark.parametrize("num_workers", [1, 2, 4])
def test_workers_give_the_same_batches_in_order(num_workers):
    ds = SlowRandom(40)
    ref = [(x.tolist(), y.tolist()) for x, y in edata.DataLoader(ds, batch_size=3)]
    got = [(x.tolist(), y.tolist()) for x, y in edata.DataLoader(ds, batch_size=3, num_workers=num_workers,
                                                                 prefetch_factor=3)]
    assert got == ref
    loader = edata.DataLoader(ds, batch_size=5, shuffle=True, num_workers=num_workers,
                              generator=ember.Generator().manual_seed(7), persistent_workers=True)
    e1 = [y.tolist() for _, y in loader]
    e2 = [y.tolist() for _, y in loader]  # iterating twice: a new epoch, a new order, every index once
    assert sorted(sum(e1, [])) == sorted(sum(e2, [])) == list(range(40)) and e1 != e2


class CountingDataset:
    """Records how far ahead of the loop the workers have loaded."""

    def __init__(self):
        self.max_index = -1
        self.lock = threading.Lock()

    def __getitem__(self, i):
        with self.lock:
            self.max_index = max(self.max_index, i)
        return i

    def __len__(self):
        return 1000


def test_bounded_prefetch_and_break_stops_workers():
    before = threading.active_count()
    ds = CountingDataset()
    it = iter(edata.DataLoader(ds, batch_size=1, num_workers=2, prefetch_factor=3))
    next(it)
    time.sleep(0.1)
    # batch 0 is consumed; batches 1 .. 1 + 2 * 3 - 1 may be loaded ahead, no more
    assert 1 <= ds.max_index <= 6
    for k, _ in enumerate(it):
        if k == 3:
            break
    del it
    assert threading.active_count() == before


def test_worker_exception_reaches_the_caller():
    class Bad:
        def __getitem__(self, i):
            if i == 5:
                raise ValueError("broken example 5")
            return i

        def __len__(self):
            return 10

    before = threading.active_count()
    for nw in (0, 2):
        with pytest.raises(ValueError, match="broken example 5") as ei:
            list(edata.DataLoader(Bad(), batch_size=2, num_workers=nw))
        if nw:
            assert "Caught ValueError in DataLoader worker process" in str(ei.value)
        del ei
        assert threading.active_count() == before  # the failed iterator is freed, its workers stopped

    def bad_init(worker_id):
        raise KeyError("init failed")

    with pytest.raises(KeyError, match="init failed"):
        list(edata.DataLoader(list(range(4)), num_workers=2, worker_init_fn=bad_init))


def test_timeout_worker_info_and_init_fn():
    class Slow:
        def __getitem__(self, i):
            time.sleep(0.5)
            return i

        def __len__(self):
            return 2

    with pytest.raises(RuntimeError, match=r"DataLoader timed out after 0.05 seconds"):
        list(edata.DataLoader(Slow(), num_workers=1, timeout=0.05))

    seen = {}

    def init(worker_id):
        seen[worker_id] = edata.get_worker_info()

    class Info:
        def __getitem__(self, i):
            return edata.get_worker_info().id

        def __len__(self):
            return 6

    ds = Info()
    ids = [b.item() for b in edata.DataLoader(ds, num_workers=3, worker_init_fn=init)]
    assert ids == [0, 1, 2, 0, 1, 2]  # batch k goes to worker k mod num_workers
    assert sorted(seen) == [0, 1, 2]
    assert all(w.num_workers == 3 and w.dataset is ds and w.seed - w.id == seen[0].seed for w in seen.values())
    with pytest.raises(RuntimeError, match="Cannot assign attributes to WorkerInfo objects"):
        seen[0].id = 5
    assert edata.get_worker_info() is None
