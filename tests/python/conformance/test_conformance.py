"""Every op of the tables, every variant (function, method, in-place, operator), every dtype: values,
dtypes, shapes and gradients against PyTorch; errors and unsupported dtypes raise the same exception class.

One test item per (op, variant, dtype, kind) runs all of that op's samples for the dtype. A sample marked
xfail (an ember bug) must fail, and the item then reports xfailed with the bug's name; an unmarked sample
that fails makes the item fail.
"""
import functools
import zlib

import pytest

from . import (ops_factory, ops_index, ops_linalg, ops_pointwise, ops_reduce, ops_shape, ops_sort)
from .opinfo import ALL, COVERAGE, DEVICE, FLOATING, Mismatch, _specs, run_forward, run_grad

TABLES = (ops_pointwise, ops_reduce, ops_shape, ops_linalg, ops_index, ops_sort, ops_factory)
OPS = [op for table in TABLES for op in table.OPS]


def _cases():
    """On a GPU (EMBER_TEST_DEVICE=cuda) only values and gradients: which dtypes an op refuses, and its error
    cases, are PyTorch 1.13's on the CPU, and a bad index there is a device-side assert that ends PyTorch's
    CUDA context for the rest of the run."""
    for c in _all_cases():
        if DEVICE == "cpu" or c[3] in ("forward", "grad", "upcast"):
            yield c


def _all_cases():
    keys = set()
    for op in OPS:
        for variant in op.variants:
            key = (op.key, variant)
            assert key not in keys, f"duplicate OpInfo {key}"
            keys.add(key)
            for dtype in (op.dtypes[:1] if op.dtype_independent else ALL):
                if dtype in op.dtypes:
                    yield op, variant, dtype, "forward"
                    if op.grad and dtype in op.grad_dtypes:
                        yield op, variant, dtype, "grad"
                elif dtype in op.ember_dtypes:
                    yield op, variant, dtype, "upcast"
                else:
                    yield op, variant, dtype, "dtype_error"
        if op.errors is not None:
            yield op, None, None, "errors"


CASES = [pytest.param(*c, id="-".join(str(x) for x in (c[0].key,) + c[1:] if x is not None)) for c in _cases()]


def _has_float_input(sample):
    return any(spec.dtype in FLOATING and spec.grad for spec in _specs(sample))


@functools.lru_cache(maxsize=64)
def _all_samples(op, dtype):
    return list(op.samples(dtype, op.rng(dtype)))


def _samples(op, variant, dtype):
    return [s for s in _all_samples(op, dtype) if s.variants is None or variant in s.variants]


def _run(op, variant, dtype, kind):
    """Yields (sample, thunk) pairs; a thunk runs the sample and returns its outcome or raises Mismatch.
    PyTorch's exceptions cost milliseconds each, so an item runs one sample PyTorch is known or predicted to
    refuse for a dtype it lacks or for an in-place form, not all of them."""
    if kind == "errors":
        for s in op.errors(op.rng("errors")):
            for v in s.variants or op.variants:
                yield s, (lambda s=s, v=v: _expect_error(op, v, s))
        return
    refused = 0
    known = op.known_for(variant, dtype, kind)
    for i, s in enumerate(_samples(op, variant, dtype)):
        if kind == "forward":
            if op.writes_self(variant) and op.predicts_torch_error(variant, s):
                refused += 1
                if refused > 1:
                    continue
            yield s, (lambda s=s: run_forward(op, variant, dtype, s, allow_torch_error=op.writes_self(variant),
                                              known=known))
        elif kind == "grad":
            if (known or s.grad_known_reason) and s.grad and _has_float_input(s):
                yield s, (lambda: "known")
            elif s.grad and not s.known_reason and _has_float_input(s):
                if op.writes_self(variant) and op.predicts_torch_error(variant, s):
                    continue
                seed = zlib.crc32(f"{op.key}/{variant}/{dtype}/{i}".encode())
                yield s, (lambda s=s, seed=seed: "grad" if run_grad(op, variant, s, seed) else "nograd")
        elif kind == "dtype_error":
            outcome = []
            yield s, (lambda s=s, outcome=outcome: _recorded(
                outcome, lambda: run_forward(op, variant, dtype, s, allow_torch_error=True)))
            if outcome and outcome[0] != "ok":
                return
        elif kind == "upcast":
            upcast = {dtype: op.ember_dtypes[dtype]}
            if op.writes_self(variant) and op.predicts_torch_error(variant, s, upcast):
                continue
            yield s, (lambda s=s, upcast=upcast: run_forward(op, variant, dtype, s, upcast=upcast,
                                                             allow_torch_error=op.writes_self(variant)))


def _recorded(outcome, thunk):
    try:
        outcome.append(thunk())
    except Mismatch:
        outcome.append("mismatch")
        raise
    return outcome[0]


def _expect_error(op, variant, sample):
    outcome = run_forward(op, variant, None, sample, allow_torch_error=True)
    if outcome != "error":
        raise AssertionError("error sample on which torch does not raise (fix the table)")
    return outcome


def _torch_rejects(op, variant, dtype):
    from .opinfo import materialize
    import torch
    for s in _samples(op, variant, dtype):
        args, kwargs, _ = materialize(torch, s)
        try:
            op.call(torch, variant, args, kwargs)
        except Exception:  # noqa: BLE001
            return True
    return False


# PyTorch warns about the deprecated forms and performance corners the samples exercise on purpose.
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("op,variant,dtype,kind", CASES)
def test_conformance(op, variant, dtype, kind):
    group_reason = op.xfail_for(variant, dtype, kind)
    failures, xfailed, xpassed, outcomes = [], [], [], []
    for sample, fn in _run(op, variant, dtype, kind):
        own = sample.xfail_reason or (sample.xfail_grad_reason if kind == "grad" else None)
        reason = own or group_reason
        try:
            outcomes.append(fn())
        except Mismatch as exc:
            (xfailed if reason else failures).append(reason or f"{sample!r}: {exc}")
        except AssertionError as exc:  # a bad table entry, never an expected failure
            failures.append(f"{sample!r}: {exc}")
        else:
            if own:
                xpassed.append(f"{sample!r} passes but is marked xfail: {own}")
    if group_reason and not xfailed and not failures:
        xpassed.append(f"all samples pass but the group is marked xfail: {group_reason}")
    if kind == "dtype_error" and "error" not in outcomes and not failures and not xfailed:
        failures.append(f"torch 1.13 accepts {dtype} for {op.key} on every sample: add it to the OpInfo's dtypes")
    if kind == "upcast" and DEVICE == "cpu" and not _torch_rejects(op, variant, dtype):
        failures.append(f"torch 1.13 supports {dtype} for {op.key}: move it from ember_dtypes to dtypes")

    COVERAGE.ops.add(op.name)
    if kind in ("forward", "upcast") and any(o in ("ok", "known") for o in outcomes):
        COVERAGE.overloads.add((op.key, variant))
    if kind == "forward" or kind == "dtype_error":
        COVERAGE.samples += outcomes.count("ok")
    COVERAGE.known += outcomes.count("known") + (outcomes.count("ok") if kind == "upcast" else 0)
    COVERAGE.grad_samples += outcomes.count("grad")
    COVERAGE.error_samples += outcomes.count("error")
    COVERAGE.xfailed += len(xfailed)

    if failures or xpassed:
        pytest.fail("\n".join(failures + xpassed), pytrace=False)
    if not outcomes and not xfailed and kind != "grad":
        pytest.fail("no samples", pytrace=False)
    if xfailed:
        pytest.xfail("; ".join(sorted(set(xfailed))))
