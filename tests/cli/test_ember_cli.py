"""The `ember` command as a user runs it: train, resume, eval, predict, info, and its errors. The files it
writes are read back with the tools people use — safetensors and PyTorch for the model, TensorBoard's
event reader for the logs, json for the metrics — and the model is checked against the same network in
PyTorch (../shared/anchors/fmnist_cnn.py's Net)."""
import json
import struct
import subprocess
import zlib

import numpy as np
import pytest
import torch
import torch.nn as tnn
import torch.nn.functional as TF
from safetensors import safe_open
from safetensors.torch import load_file

from conftest import FASHION


def run(ember_bin, *args, check=True, timeout=600):
    res = subprocess.run([ember_bin, *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check:
        assert res.returncode == 0, res.stdout + res.stderr
    return res


class Net(tnn.Module):  # ../shared/anchors/fmnist_cnn.py
    def __init__(s):
        super().__init__()
        s.c1 = tnn.Conv2d(1, 32, 3); s.c2 = tnn.Conv2d(32, 64, 3)
        s.f1 = tnn.Linear(64 * 5 * 5, 128); s.f2 = tnn.Linear(128, 10)

    def forward(s, x):
        x = TF.max_pool2d(TF.relu(s.c1(x)), 2); x = TF.max_pool2d(TF.relu(s.c2(x)), 2)
        return s.f2(TF.relu(s.f1(x.flatten(1))))


def load_test_images(d, n=512):
    x = torch.from_numpy(read_idx_plain(d / "t10k-images-idx3-ubyte")[:n].astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(read_idx_plain(d / "t10k-labels-idx1-ubyte")[:n].astype(np.int64))
    return x, y


def preprocess(x, meta):
    """What the saved model's metadata says its input is: pixels in [0, 1], normalised if "normalize"."""
    return (x - float(meta["mean"])) / float(meta["std"]) if meta["normalize"] == "true" else x


def read_idx_plain(path):
    data = path.read_bytes()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 28, 28)
    return np.frombuffer(data, np.uint8, offset=8)


@pytest.fixture(scope="module")
def trained(ember_bin, small_fashion, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    res = run(ember_bin, "train", "--epochs", 2, "--data-dir", small_fashion, "--checkpoint-dir", out / "ckpt",
              "--logdir", out / "tb", "--metrics-json", out / "metrics.json", "--seed", 3, "--threads", 2)
    return out, res


def test_train_prints_a_summary_per_epoch_and_saves_the_model(trained):
    out, res = trained
    lines = [l for l in res.stdout.splitlines() if l.startswith("epoch ")]
    assert [l.split(":")[0] for l in lines] == ["epoch 1/2", "epoch 2/2"]
    assert "test_accuracy" in lines[0] and "images/s" in lines[0]
    assert (out / "ckpt" / "model.safetensors").is_file()


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal(trained):
    _, res = trained
    assert "\r" not in res.stderr
    assert "epoch 1/2" in res.stderr


def test_metrics_json_has_every_field_per_epoch(trained):
    out, _ = trained
    m = json.loads((out / "metrics.json").read_text())
    assert [e["epoch"] for e in m] == [1, 2]
    for e in m:
        assert set(e) == {"epoch", "train_loss", "test_loss", "test_accuracy", "images_per_second", "seconds"}
        assert 0 < e["test_accuracy"] <= 1 and e["images_per_second"] > 0 and e["seconds"] > 0
    assert m[1]["train_loss"] < m[0]["train_loss"]


def test_model_file_is_pytorchs_layout_and_gives_pytorchs_outputs(trained, small_fashion):
    out, _ = trained
    path = out / "ckpt" / "model.safetensors"
    with safe_open(str(path), "pt") as f:
        meta = f.metadata()
    assert meta["format"] == "pt" and meta["recipe"] == "cnn" and meta["normalize"] == "true"
    assert float(meta["mean"]) == 0.2860 and float(meta["std"]) == 0.3530
    state = load_file(str(path))
    net = Net()
    assert {k: tuple(v.shape) for k, v in state.items()} == {k: tuple(v.shape) for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    x, y = load_test_images(small_fashion)
    with torch.no_grad():
        acc = (net(preprocess(x, meta)).argmax(1) == y).double().mean().item()
    m = json.loads((out / "metrics.json").read_text())
    # The same weights in PyTorch classify the test images as ember did (a near-tie may flip one image).
    assert abs(acc - m[-1]["test_accuracy"]) <= 1 / 512


def test_tensorboard_reads_the_logged_scalars(trained):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    out, _ = trained
    acc = EventAccumulator(str(out / "tb"))
    acc.Reload()
    m = json.loads((out / "metrics.json").read_text())
    events = acc.Scalars("epoch/test_accuracy")
    assert [e.step for e in events] == [1, 2]
    assert [e.value for e in events] == pytest.approx([e["test_accuracy"] for e in m], rel=1e-6)
    assert "train/loss" in acc.Tags()["scalars"]


@pytest.mark.parametrize("schedule, inputs", [("constant", "--no-normalize"), ("onecycle", "--normalize")])
def test_resume_continues_bit_for_bit(ember_bin, small_fashion, tmp_path, schedule, inputs):
    """2 epochs straight vs 1 epoch, then --resume for the second. One cycle's schedule spans the whole run
    (--epochs 2), so there the first part is a 2-epoch run rolled back to its epoch-1 checkpoint, as if it
    had been killed after writing it; the scheduler (lr and Adam's beta1 change every batch) resumes with
    the rest."""
    common = ["--data-dir", small_fashion, "--seed", 5, "--threads", 2, "--batch-size", 128, "--lr-schedule", schedule,
              inputs]
    run(ember_bin, "train", "--epochs", 2, "--checkpoint-dir", tmp_path / "straight", *common)
    if schedule == "constant":
        run(ember_bin, "train", "--epochs", 1, "--checkpoint-dir", tmp_path / "resumed", *common)
        res = run(ember_bin, "train", "--epochs", 2, "--resume", "--checkpoint-dir", tmp_path / "resumed",
                  *common[:-3], "--lr-schedule", "onecycle", inputs, check=False)
        assert res.returncode == 1 and "was trained with --lr-schedule constant, not onecycle" in res.stderr
    else:
        run(ember_bin, "train", "--epochs", 2, "--checkpoint-dir", tmp_path / "resumed", *common)
        (tmp_path / "resumed" / "latest").write_text("checkpoint-1\n")
        (tmp_path / "resumed" / "model.safetensors").unlink()
    if schedule == "onecycle":
        res = run(ember_bin, "train", "--epochs", 3, "--resume", "--checkpoint-dir", tmp_path / "resumed", *common,
                  check=False)
        assert res.returncode == 1 and "one-cycle schedule over 2 epochs; resume it with --epochs 2" in res.stderr
    res = run(ember_bin, "train", "--epochs", 2, "--resume", "--checkpoint-dir", tmp_path / "resumed", *common)
    assert "resumed from" in res.stderr and "(epoch 1," in res.stderr
    a = load_file(str(tmp_path / "straight" / "model.safetensors"))
    b = load_file(str(tmp_path / "resumed" / "model.safetensors"))
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k


def test_eval_reports_the_trained_accuracy(ember_bin, trained, small_fashion):
    out, _ = trained
    res = run(ember_bin, "eval", "--checkpoint", out / "ckpt" / "model.safetensors", "--data-dir", small_fashion)
    m = json.loads((out / "metrics.json").read_text())
    assert f"test_accuracy {m[-1]['test_accuracy']:.4f}" in res.stdout
    assert "(512 images)" in res.stdout


def write_png(path, gray):
    """A minimal 8-bit grayscale PNG (zlib + CRCs), so the test needs no imaging library."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    h, w = gray.shape
    raw = b"".join(b"\0" + gray[r].tobytes() for r in range(h))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_predict_matches_pytorch_on_the_same_weights(ember_bin, trained, small_fashion, tmp_path):
    out, _ = trained
    img = read_idx_plain(small_fashion / "t10k-images-idx3-ubyte")[7].copy()
    write_png(tmp_path / "x.png", img)
    res = run(ember_bin, "predict", "--checkpoint", out / "ckpt" / "model.safetensors", "--image", tmp_path / "x.png")
    probs = [float(l.split()[-1]) for l in res.stdout.splitlines()[1:]]
    net = Net()
    net.load_state_dict(load_file(str(out / "ckpt" / "model.safetensors")))
    with safe_open(str(out / "ckpt" / "model.safetensors"), "pt") as f:
        meta = f.metadata()
    x = torch.from_numpy(img.astype(np.float32) / 255).reshape(1, 1, 28, 28)
    with torch.no_grad():
        ref = torch.softmax(net(preprocess(x, meta)), 1)[0]
    assert probs == pytest.approx(ref.tolist(), abs=1e-4)
    assert f"(class {ref.argmax().item()}," in res.stdout.splitlines()[0]


def test_info_names_version_cpu_and_threads(ember_bin):
    res = run(ember_bin, "info", "--threads", 1)
    assert res.stdout.startswith("ember 0.1.0")
    assert "CPU capability: AVX" in res.stdout and "intra-op threads: 1" in res.stdout


@pytest.mark.parametrize("args, message", [
    (["train", "--recipe", "resnet"], "unknown recipe 'resnet'"),
    (["train", "--epochs", "0"], "--epochs"),
    (["train", "--lr", "abc"], "--lr"),
    (["train", "--device", "cuda"], "cuda"),
    (["train", "--data-dir", "/nonexistent"], "/nonexistent"),
    (["train", "--bogus"], "bogus"),
    (["eval", "--checkpoint", "/nonexistent.safetensors"], "/nonexistent.safetensors"),
    (["predict", "--checkpoint", "CKPT", "--image", "/nonexistent.png"], "/nonexistent.png"),
    (["eval", "--checkpoint", "CORRUPT"], "CORRUPT"),
    ([], "subcommand"),
])
def test_bad_input_is_one_line_and_nonzero_exit(ember_bin, trained, tmp_path, args, message):
    out, _ = trained
    corrupt = tmp_path / "corrupt.safetensors"
    corrupt.write_bytes(struct.pack("<Q", 1 << 40) + b"{}")
    args = [str(out / "ckpt" / "model.safetensors") if a == "CKPT" else str(corrupt) if a == "CORRUPT" else a
            for a in args]
    message = str(corrupt) if message == "CORRUPT" else message
    res = run(ember_bin, *args, check=False, timeout=120)
    assert res.returncode != 0
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("ember: error:"), res.stderr
    assert message in err[0]


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_default_recipe_reaches_90_percent_in_3_epochs(ember_bin, tmp_path):
    """What `make demo` runs: the defaults, on the whole of Fashion-MNIST."""
    run(ember_bin, "train", "--checkpoint-dir", tmp_path / "ckpt", "--metrics-json", tmp_path / "m.json",
        "--no-progress", timeout=1800)
    m = json.loads((tmp_path / "m.json").read_text())
    assert len(m) == 3
    assert m[-1]["test_accuracy"] >= 0.90, m


def test_no_progress_prints_only_the_summary(ember_bin, small_fashion, tmp_path):
    res = run(ember_bin, "train", "--epochs", 1, "--no-progress", "--data-dir", small_fashion,
              "--checkpoint-dir", tmp_path, "--threads", 2)
    assert res.stderr == ""
    assert res.stdout.splitlines()[0].startswith("epoch 1/1: train_loss")
