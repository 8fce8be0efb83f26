"""Reads ember's TensorBoard logs with tensorboard itself and compares them with what PyTorch's
torch.utils.tensorboard would have logged for the same calls, for test_tensorboard.

  tensorboard_check.py LOGDIR    LOGDIR/spec.json lists the calls the test made (inputs of histograms and
                                 images in LOGDIR/inputs.safetensors); exit status 0 when all match.

Every event file under LOGDIR is read record by record with tensorboard's TFRecord reader, which checks
the masked CRC-32C of each length and payload, and must start with file_version "brain.Event:2".
"""
import glob
import io
import json
import math
import os
import sys

import numpy as np
import torch
from PIL import Image
from safetensors.torch import load_file
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.proto.summary_pb2 import HistogramProto
from tensorboard.compat.tensorflow_stub import errors
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from tensorboard.plugins.hparams import plugin_data_pb2
from torch.utils.tensorboard import summary as torch_summary

problems = []


def make_histogram(values, bins, max_bins=None):
    """torch.utils.tensorboard.summary.make_histogram as in current PyTorch: 1.13's version calls
    np.greater(..., dtype=np.int32), which numpy 2 (in this venv) refuses; nothing else differs."""
    values = values.reshape(-1)
    counts, limits = np.histogram(values, bins=bins)
    num_bins = len(counts)
    if max_bins is not None and num_bins > max_bins:
        subsampling = num_bins // max_bins
        subsampling_remainder = num_bins % subsampling
        if subsampling_remainder != 0:
            counts = np.pad(counts, pad_width=[[0, subsampling - subsampling_remainder]], mode="constant",
                            constant_values=0)
        counts = counts.reshape(-1, subsampling).sum(axis=-1)
        new_limits = np.empty((counts.size + 1,), limits.dtype)
        new_limits[:-1] = limits[:-1:subsampling]
        new_limits[-1] = limits[-1]
        limits = new_limits
    cum_counts = np.cumsum(np.greater(counts, 0))
    start, end = np.searchsorted(cum_counts, [0, cum_counts[-1] - 1], side="right")
    start, end = int(start), int(end) + 1
    counts = counts[start - 1:end] if start > 0 else np.concatenate([[0], counts[:end]])
    limits = limits[start:end + 1]
    return HistogramProto(min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
                          sum_squares=values.dot(values), bucket_limit=limits.tolist(), bucket=counts.tolist())


torch_summary.make_histogram = make_histogram


def check(cond, what):
    if not cond:
        problems.append(what)


def read_records(path):
    reader = PyRecordReader_New(path)
    events = []
    while True:
        try:
            reader.GetNext()
        except errors.OutOfRangeError:
            break
        ev = event_pb2.Event()
        ev.ParseFromString(reader.record())
        events.append(ev)
    return events


def accumulator(path):
    acc = event_accumulator.EventAccumulator(path, size_guidance={k: 0 for k in (
        "scalars", "histograms", "images", "tensors", "compressedHistograms", "audio")})
    acc.Reload()
    return acc


def close(a, b, rel=1e-9):
    return a == b or (math.isnan(a) and math.isnan(b)) or abs(a - b) <= rel * max(abs(a), abs(b))


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)))


def main():
    logdir = sys.argv[1]
    spec = json.load(open(os.path.join(logdir, "spec.json")))
    inputs = load_file(os.path.join(logdir, "inputs.safetensors")) if os.path.exists(
        os.path.join(logdir, "inputs.safetensors")) else {}
    files = glob.glob(os.path.join(logdir, "**", "events.out.tfevents.*"), recursive=True)
    check(files, "no event files")
    for f in files:
        events = read_records(f)  # raises on a CRC mismatch or a truncated record
        check(events and events[0].file_version == "brain.Event:2", f + ": first record is not file_version")
        check(os.path.basename(f).split(".")[3].isdigit() and len(os.path.basename(f).split(".")[3]) == 10,
              f + ": name is not events.out.tfevents.<10-digit time>...")
    v, buckets = 1e-12, []  # TorchWriter.__init__ builds its default_bins so
    while v < 1e20:
        buckets.append(v)
        v *= 1.1
    default_bins = [-b for b in buckets[::-1]] + [0] + buckets

    accs = {}

    def acc_for(sub):
        path = os.path.join(logdir, sub) if sub else logdir
        if path not in accs:
            accs[path] = accumulator(path)
        return accs[path]

    for call in spec:
        kind, run = call["kind"], call.get("run", "")
        if kind == "scalar":
            got = [(e.step, e.value) for e in acc_for(run).Scalars(call["tag"])]
            want = (call["step"], float(np.float32(call["value"])))
            check(any(s == want[0] and close(v, want[1]) for s, v in got), f"scalar {call['tag']}: {want} not in {got}")
        elif kind == "histogram":
            values = inputs[call["input"]]
            bins = call["bins"]
            ref = torch_summary.histogram(call["tag"], values, default_bins if bins == "tensorflow" else bins,
                                          max_bins=call.get("max_bins")).value[0].histo
            got = [e for e in acc_for(run).Histograms(call["tag"]) if e.step == call["step"]]
            check(len(got) == 1, f"histogram {call['tag']} step {call['step']}: {len(got)} events")
            if got:
                h = got[0].histogram_value
                for field in ("min", "max", "num", "sum", "sum_squares"):
                    check(close(getattr(h, field), getattr(ref, field), 1e-12),
                          f"histogram {call['tag']}.{field}: {getattr(h, field)} vs torch {getattr(ref, field)}")
                check(list(h.bucket_limit) == list(ref.bucket_limit),
                      f"histogram {call['tag']} limits {list(h.bucket_limit)[:8]} vs torch {list(ref.bucket_limit)[:8]}")
                check(list(h.bucket) == list(ref.bucket), f"histogram {call['tag']} counts {list(h.bucket)} vs torch {list(ref.bucket)}")
        elif kind == "image":
            img = inputs[call["input"]]
            # Current PyTorch clips scaled values to [0, 255]; 1.13 (installed here) lets them wrap around in
            # the uint8 cast. Clamping a float input to [0, 1] first gives current PyTorch's pixels.
            img = img if img.dtype == torch.uint8 else img.clamp(0, 1)
            ref = torch_summary.image(call["tag"], img, dataformats=call["dataformats"]).value[0].image
            got = [e for e in acc_for(run).Images(call["tag"]) if e.step == call["step"]]
            check(len(got) == 1, f"image {call['tag']}: {len(got)} events")
            if got:
                e = got[0]
                check((e.width, e.height) == (ref.width, ref.height), f"image {call['tag']}: size {(e.width, e.height)} vs torch {(ref.width, ref.height)}")
                a, b = pixels(e.encoded_image_string), pixels(ref.encoded_image_string)
                check(a.shape == b.shape and np.array_equal(a, b), f"image {call['tag']}: pixels differ from torch's ({a.shape} vs {b.shape})")
        elif kind == "text":
            got = [e for e in acc_for(run).Tensors(call["tag"] + "/text_summary") if e.step == call["step"]]
            check(len(got) == 1 and got[0].tensor_proto.string_val[0].decode() == call["text"],
                  f"text {call['tag']}: {got}")
            meta = acc_for(run).SummaryMetadata(call["tag"] + "/text_summary")
            check(meta.plugin_data.plugin_name == "text", f"text plugin: {meta}")
        elif kind == "hparams":
            acc = acc_for(run)
            content = acc.PluginTagToContent("hparams")
            check(set(content) == {"_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info"},
                  f"hparams tags {set(content)}")
            exp = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/experiment"]).experiment
            ssi = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_start_info"]).session_start_info
            sei = plugin_data_pb2.HParamsPluginData.FromString(content["_hparams_/session_end_info"]).session_end_info
            ref_exp, ref_ssi, ref_sei = torch_summary.hparams(call["hparams"], call["metrics"], call.get("domains", {}))
            ref_exp = plugin_data_pb2.HParamsPluginData.FromString(ref_exp.value[0].metadata.plugin_data.content).experiment
            ref_ssi = plugin_data_pb2.HParamsPluginData.FromString(ref_ssi.value[0].metadata.plugin_data.content).session_start_info
            check(sorted(exp.hparam_infos, key=lambda i: i.name) == sorted(ref_exp.hparam_infos, key=lambda i: i.name),
                  f"hparam_infos {exp.hparam_infos} vs torch {ref_exp.hparam_infos}")
            check(sorted(m.name.tag for m in exp.metric_infos) == sorted(m.name.tag for m in ref_exp.metric_infos),
                  f"metric_infos {exp.metric_infos}")
            check(dict(ssi.hparams) == dict(ref_ssi.hparams), f"session_start_info {ssi} vs torch {ref_ssi}")
            check(sei.status == 1, f"session_end_info {sei}")
            for k, v in call["metrics"].items():
                got = [e.value for e in acc.Scalars(k)]
                check(len(got) == 1 and close(got[0], float(np.float32(v))), f"hparams metric {k}: {got}")
        else:
            check(False, "unknown kind " + kind)
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok:", len(spec), "calls,", len(files), "files")


if __name__ == "__main__":
    main()
