"""ember.utils.progress.tqdm: tqdm's API over the C++ bar. Under pytest stderr is a file, so the bar
prints plain lines (each 10% and at close); the lines follow tqdm's format_meter (the C++ test checks the
format itself against tqdm's rules), and the Python layer's part is checked here: totals from len(),
iteration, postfix formatting as tqdm's set_postfix, disable."""
import re

import pytest

from ember.utils.progress import tqdm, trange


def test_iterates_and_prints_plain_lines(capfd):
    seen = []
    bar = tqdm(range(20), desc="epoch 1", unit="batch")
    assert len(bar) == 20 and bar.total == 20
    for i in bar:
        seen.append(i)
        bar.set_postfix(loss=0.123456, acc=1.0, flag=True, name=" adam ")
    assert seen == list(range(20)) and bar.n == 20
    lines = [l for l in capfd.readouterr().err.splitlines() if l]
    assert 2 <= len(lines) <= 12
    # ncols=0 (no bar), as tqdm.format_meter draws it: "<desc>: <pct>% n/total [...]"
    assert re.fullmatch(r"epoch 1: 100% 20/20 \[\d\d:\d\d<00:00, +[\d.]+batch/s, "
                        r"loss=0\.123, acc=1, flag=1, name=adam\]", lines[-1]), lines[-1]


def test_manual_updates_unknown_total_and_disable(capfd):
    with tqdm(desc="x") as bar:
        bar.update(3)
        bar.update(2)
        assert bar.n == 5 and bar.total is None
    err = capfd.readouterr().err
    assert re.search(r"x: 5it \[\d\d:\d\d, ", err), err
    quiet = tqdm(range(3), disable=True)
    assert list(quiet) == [0, 1, 2] and str(quiet) == ""
    assert capfd.readouterr().err == ""
    assert list(trange(2, 5, disable=True)) == [2, 3, 4]
    with pytest.raises(TypeError):
        iter(tqdm(total=3)).__next__()
