"""DataLoader workers, which in ember are threads, not processes: the dataset is shared, not copied, and
a C++ dataset loads its batches with the GIL released, so threads load in parallel; a Python dataset
gains from them when it waits on I/O. The protocol is torch's (_utils/worker.py): one index queue per
worker, one shared result queue, results tagged with the batch number so that the loader reorders them."""
import sys
import threading
import traceback
from typing import Optional

from ember import _C

__all__ = ["ExceptionWrapper", "WorkerInfo", "get_worker_info"]

_local = threading.local()


class WorkerInfo:
    """id, num_workers, seed and dataset of the current worker; read-only, as torch's."""

    __initialized = False

    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)
        self.__keys = tuple(kwargs.keys())
        self.__initialized = True

    def __setattr__(self, key, val):
        if self.__initialized:
            raise RuntimeError("Cannot assign attributes to {} objects".format(self.__class__.__name__))
        return super().__setattr__(key, val)

    def __repr__(self):
        items = ["{}={}".format(k, getattr(self, k)) for k in self.__keys]
        return "{}({})".format(self.__class__.__name__, ", ".join(items))


def get_worker_info() -> Optional[WorkerInfo]:
    """The WorkerInfo of the DataLoader worker this runs on (its id, num_workers, seed = base seed + id,
    and the dataset), or None outside a worker, as torch.utils.data.get_worker_info()."""
    return getattr(_local, "info", None)


class ExceptionWrapper:
    """An exception caught in a worker, re-raised on the loop's thread with the worker's traceback in its
    message, as torch's ExceptionWrapper does."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        msg = "Caught {} {}.\nOriginal {}".format(self.exc_type.__name__, self.where, self.exc_msg)
        if self.exc_type == KeyError:
            msg = _KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except TypeError:  # an exception type that does not take a single message
            raise RuntimeError(msg) from None
        try:
            raise exception
        finally:
            # a local holding the exception, whose traceback holds this frame, would be a reference
            # cycle keeping the loader's iterator, and so its worker threads, alive until a gc run
            del exception


class _KeyErrorMessage(str):
    # KeyError's str() is the repr of its argument, which would show the traceback's newlines escaped
    def __repr__(self):
        return self


class _IterableDatasetStopIteration:
    def __init__(self, worker_id):
        self.worker_id = worker_id


class _ResumeIteration:
    """Tells a persistent worker to start a new pass (a fresh iterator over an iterable dataset)."""


def fetch_batch(fetcher, index, base_seed, batch):
    # Random C++ transforms draw from a generator seeded by (base seed, batch number), so a batch's
    # contents do not depend on which worker loads it.
    return _C._with_batch_seed(base_seed, batch, lambda: fetcher.fetch(index))


def worker_loop(create_fetcher, dataset, index_queue, data_queue, done_event, worker_init_fn, base_seed,
                worker_id, num_workers):
    _local.info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=base_seed + worker_id, dataset=dataset)
    init_exception = None
    try:
        if worker_init_fn is not None:
            worker_init_fn(worker_id)
        fetcher = create_fetcher()
    except Exception:
        init_exception = ExceptionWrapper(where="in DataLoader worker process {}".format(worker_id))

    iteration_end = False
    while True:
        r = index_queue.get()
        if r is None:
            break
        if isinstance(r, _ResumeIteration):
            data_queue.put((r, None))
            iteration_end = False
            fetcher = create_fetcher()
            continue
        if done_event.is_set() or iteration_end:
            continue
        idx, index, seed = r
        data = None
        if init_exception is not None:
            data = init_exception
            init_exception = None
        else:
            try:
                data = fetch_batch(fetcher, index, seed, idx)
            except StopIteration:
                # an iterable dataset ran out: this worker yields nothing more this pass
                data = _IterableDatasetStopIteration(worker_id)
                iteration_end = True
            except Exception:
                data = ExceptionWrapper(where="in DataLoader worker process {}".format(worker_id))
        data_queue.put((idx, data))
        del data, idx, index, r
