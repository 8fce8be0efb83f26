"""Checks ember's safetensors files with the reference library (safetensors.torch), for test_safetensors.

  write DIR      writes DIR/ref.safetensors with safetensors.torch.save_file and DIR/ref.json (the values)
  check DIR      DIR/ours.safetensors (written by ember from ref.safetensors plus "t_noncontig", the
                 transpose of "f32") must load with the same values and equal the reference's bytes
  sharded DIR    DIR/model.safetensors.index.json and its shards must describe the tensors of ref.json
  reject FILE... the reference library must refuse every FILE
"""
import json
import os
import sys


def _torch():
    # Imported on demand: `reject` needs only numpy, and importing torch takes seconds.
    global torch, safe_open, load_file, save, save_file
    import torch
    from safetensors import safe_open
    from safetensors.torch import load_file, save, save_file


def make_tensors():
    g = torch.Generator().manual_seed(0)
    t = {
        "f32": torch.randn(3, 4, generator=g),
        "f64": torch.randn(2, 3, generator=g, dtype=torch.float64),
        "f16": torch.randn(5, generator=g).half(),
        "bf16": torch.randn(2, 2, generator=g).bfloat16(),
        "i64": torch.randint(-2**40, 2**40, (4,), generator=g),
        "i32": torch.randint(-2**30, 2**30, (2, 2), generator=g, dtype=torch.int32),
        "i16": torch.randint(-2**15, 2**15, (3,), generator=g, dtype=torch.int16),
        "i8": torch.randint(-128, 128, (3,), generator=g, dtype=torch.int8),
        "u8": torch.randint(0, 256, (2, 3), generator=g, dtype=torch.uint8),
        "bool": torch.rand(5, generator=g) > 0.5,
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
        "layer.0.weight": torch.randn(2, 1, 3, 3, generator=g),
    }
    return t


def to_json(t):
    return {k: {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape),
                "values": v.double().flatten().tolist() if v.dtype != torch.bool else v.flatten().tolist()}
            for k, v in t.items()}


def main():
    mode, arg = sys.argv[1], sys.argv[2]
    if mode != "reject":
        _torch()
    if mode == "write":
        t = make_tensors()
        save_file(t, os.path.join(arg, "ref.safetensors"), metadata={"format": "pt"})
        with open(os.path.join(arg, "ref.json"), "w") as f:
            json.dump(to_json(t), f)
    elif mode == "check":
        t = make_tensors()
        t["t_noncontig"] = t["f32"].t().contiguous()
        path = os.path.join(arg, "ours.safetensors")
        ours = load_file(path)
        assert sorted(ours) == sorted(t), (sorted(ours), sorted(t))
        for k in t:
            assert ours[k].dtype == t[k].dtype and ours[k].shape == t[k].shape, (k, ours[k], t[k])
            assert torch.equal(ours[k], t[k]), (k, ours[k], t[k])
        with safe_open(path, framework="pt") as f:
            assert f.metadata() == {"format": "pt"}, f.metadata()
        ref = save(t, metadata={"format": "pt"})
        mine = open(path, "rb").read()
        assert mine == ref, "bytes differ from the reference writer's:\n%r\n%r" % (mine[:400], ref[:400])
    elif mode == "sharded":
        index = json.load(open(os.path.join(arg, "model.safetensors.index.json")))
        t = make_tensors()
        assert sorted(index["weight_map"]) == sorted(t), index
        total = sum(v.numel() * v.element_size() for v in t.values())
        assert index["metadata"]["total_size"] == total, (index["metadata"], total)
        files = sorted(set(index["weight_map"].values()))
        assert len(files) > 1 and files[0] == "model-00001-of-%05d.safetensors" % len(files), files
        for name, file in index["weight_map"].items():
            loaded = load_file(os.path.join(arg, file))
            assert torch.equal(loaded[name], t[name]), name
    elif mode == "reject":
        from safetensors.numpy import load_file as load_numpy
        accepted = []
        for path in sys.argv[2:]:
            try:
                load_numpy(path)
                accepted.append(path)
            except Exception as e:  # the reference raises SafetensorError or OSError
                print("rejected:", path, e)
        if accepted:
            sys.exit("the reference accepted " + " ".join(accepted))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
