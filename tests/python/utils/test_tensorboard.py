"""ember.utils.tensorboard.SummaryWriter: the event files it writes, read back by TensorBoard's own
EventAccumulator, hold the tags, steps and values logged, from Python numbers, ember tensors and NumPy
arrays alike; the constructor and methods take torch's arguments."""
import inspect
import os

import numpy as np
import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from torch.utils.tensorboard import SummaryWriter as TorchWriter

import ember
from ember.utils.tensorboard import SummaryWriter


def accumulate(path):
    ea = EventAccumulator(str(path), size_guidance={"images": 0, "histograms": 0, "scalars": 0, "tensors": 0})
    ea.Reload()
    return ea


def test_signatures_match_torch():
    for name in ["__init__", "add_scalar", "add_scalars", "add_histogram", "add_image", "add_images", "add_text",
                 "add_hparams", "flush", "close"]:
        theirs = inspect.signature(getattr(TorchWriter, name))
        ours = inspect.signature(getattr(SummaryWriter, name))
        assert list(ours.parameters) == list(theirs.parameters), name
        assert [p.default for p in ours.parameters.values()] == [p.default for p in theirs.parameters.values()], name


def test_scalars_from_numbers_tensors_and_numpy(tmp_path):
    with SummaryWriter(str(tmp_path), filename_suffix=".x") as w:
        assert w.get_logdir() == str(tmp_path)
        w.add_scalar("loss", 0.5, 0)
        w.add_scalar("loss", ember.tensor(0.25), 1)
        w.add_scalar("loss", np.float32(0.125), 2)
        w.add_scalar("acc", 3, global_step=7, walltime=123.5)
        w.add_scalars("run", {"train": 1.0, "test": ember.tensor(2.0)}, 4)
    files = os.listdir(tmp_path)
    assert any(f.startswith("events.out.tfevents.") and f.endswith(".x") for f in files)
    ea = accumulate(tmp_path)
    assert [(e.step, e.value) for e in ea.Scalars("loss")] == [(0, 0.5), (1, 0.25), (2, 0.125)]
    (acc,) = ea.Scalars("acc")
    assert (acc.step, acc.value, acc.wall_time) == (7, 3.0, 123.5)
    for key, value in (("train", 1.0), ("test", 2.0)):
        (e,) = accumulate(tmp_path / f"run_{key}").Scalars("run")
        assert (e.step, e.value) == (4, value)


class _NumpyForTorch1_13:
    """NumPy as torch 1.13's histogram code expects it: it calls np.greater(counts, 0, dtype=np.int32),
    which NumPy releases since 1.25 reject; the comparison is done in bool and cast instead."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def greater(a, b, dtype=None):
        return np.greater(a, b).astype(dtype)


def test_histogram_image_text_as_torch_writes_them(tmp_path, monkeypatch):
    import torch
    import torch.utils.tensorboard.summary as torch_summary
    monkeypatch.setattr(torch_summary, "np", _NumpyForTorch1_13())
    values = np.arange(100, dtype=np.float64) / 10
    img = np.random.default_rng(0).random((3, 8, 6))
    imgs = np.random.default_rng(1).random((2, 1, 4, 4)).astype(np.float32)
    hwc = np.arange(8 * 6 * 3, dtype=np.uint8).reshape(8, 6, 3)
    for lib, writer, d in ((ember, SummaryWriter, tmp_path / "e"), (torch, TorchWriter, tmp_path / "t")):
        w = writer(str(d))
        w.add_histogram("h", lib.tensor(values), 3)
        w.add_histogram("h5", values, 3, bins=5)
        w.add_image("img", img, 1)
        w.add_image("img_hwc", lib.tensor(hwc), 1, dataformats="HWC")
        w.add_images("imgs", lib.tensor(imgs), 2)
        w.add_text("note", "hello **world**", 5)
        w.close()
    ours, theirs = accumulate(tmp_path / "e"), accumulate(tmp_path / "t")
    for tag in ("h", "h5"):
        (a,), (b,) = ours.Histograms(tag), theirs.Histograms(tag)
        assert a.step == b.step == 3
        ha, hb = a.histogram_value, b.histogram_value
        assert (ha.min, ha.max, ha.num) == (hb.min, hb.max, hb.num)
        assert ha.sum == pytest.approx(hb.sum) and ha.sum_squares == pytest.approx(hb.sum_squares)
        assert list(ha.bucket) == list(hb.bucket)
        np.testing.assert_allclose(ha.bucket_limit, hb.bucket_limit, rtol=1e-12)
    for tag in ("img", "img_hwc", "imgs"):
        (a,), (b,) = ours.Images(tag), theirs.Images(tag)
        assert (a.step, a.width, a.height) == (b.step, b.width, b.height)
        assert a.encoded_image_string[:4] == b"\x89PNG"
        np.testing.assert_array_equal(decode(a.encoded_image_string), decode(b.encoded_image_string))
    (a,), (b,) = ours.Tensors("note/text_summary"), theirs.Tensors("note/text_summary")
    assert a.step == b.step == 5 and a.tensor_proto.string_val == b.tensor_proto.string_val == [b"hello **world**"]


def decode(png):
    import io
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_hparams(tmp_path):
    with SummaryWriter(str(tmp_path)) as w:
        w.add_hparams({"lr": 0.1, "bs": 64, "opt": "adam", "flag": True}, {"hparam/acc": 0.9}, run_name="r1")
        with pytest.raises(TypeError, match="hparam_dict and metric_dict should be dictionary."):
            w.add_hparams([("lr", 0.1)], {"acc": 1.0})
    ea = accumulate(tmp_path / "r1")
    (acc,) = ea.Scalars("hparam/acc")
    assert acc.value == pytest.approx(0.9)
    assert "_hparams_/session_start_info" in ea.summary_metadata
