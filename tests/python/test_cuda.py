"""ember.cuda and ember.backends.cuda against torch.cuda. On a machine without a GPU both report no
devices, zero memory, and refuse CUDA tensors with RuntimeError; with a GPU (and a CUDA build of torch)
tensors round-trip through the device and ops match torch's CUDA results."""
import pytest
import torch

import ember

needs_gpu = pytest.mark.skipif(not ember.cuda.is_available(), reason="no CUDA device on this machine")
without_gpu = pytest.mark.skipif(ember.cuda.is_available(), reason="a CUDA device is present")


@without_gpu
def test_no_devices_like_torch():
    assert ember.cuda.is_available() == torch.cuda.is_available() == False  # noqa: E712
    assert ember.cuda.device_count() == torch.cuda.device_count() == 0
    for name in ["memory_allocated", "max_memory_allocated", "memory_reserved", "max_memory_reserved"]:
        assert getattr(ember.cuda, name)() == getattr(torch.cuda, name)() == 0
    ember.cuda.reset_peak_memory_stats()
    ember.cuda.empty_cache()


@without_gpu
def test_cuda_tensors_refused_like_torch():
    for make in [lambda m: m.ones(2).cuda(), lambda m: m.zeros(2, device="cuda"), lambda m: m.ones(2).to("cuda"),
                 lambda m: m.zeros_like(m.ones(2), device="cuda"), lambda m: m.randn_like(m.ones(2), device="cuda")]:
        with pytest.raises((RuntimeError, AssertionError)):
            make(torch)
        with pytest.raises(RuntimeError):
            make(ember)
    with pytest.raises(RuntimeError, match="Invalid device, must be cuda device"):
        ember.ones(2).cuda("cpu")


def test_allow_tf32_switch():
    assert ember.backends.cuda.matmul.allow_tf32 is False
    try:
        ember.backends.cuda.matmul.allow_tf32 = True
        assert ember.backends.cuda.matmul.allow_tf32 is True
    finally:
        ember.backends.cuda.matmul.allow_tf32 = False


@needs_gpu
def test_round_trip_and_ops_match_torch_cuda():
    t = torch.randn(4, 5, dtype=torch.float64)
    e = ember.from_numpy(t.numpy()).cuda()
    assert e.is_cuda and e.device.type == "cuda"
    assert ember.zeros_like(e.cpu(), device="cuda").is_cuda and not ember.ones_like(e, device="cpu").is_cuda
    assert ember.empty_like(e, dtype=ember.int32).is_cuda
    back = torch.from_numpy(e.cpu().numpy())
    assert torch.equal(back, t)
    tc = t.cuda()
    for f in [lambda x: (x * 2 + 1).sin(), lambda x: x.sum(1), lambda x: x @ x.T, lambda x: x.amax(0)]:
        got = torch.from_numpy(f(e).cpu().numpy())
        torch.testing.assert_close(got, f(tc).cpu())


@without_gpu
def test_streams_and_events_without_a_gpu():
    # As a CUDA build of torch on a machine without a GPU: streams cannot be had, an event is made on its
    # first record (so a fresh one has passed), and a None stream context does nothing.
    for make in [ember.cuda.Stream, ember.cuda.current_stream, ember.cuda.default_stream]:
        with pytest.raises(RuntimeError):
            make()
    e = ember.cuda.Event()
    assert e.query() and e.cuda_event == 0 and repr(e) == "<ember.cuda.Event uninitialized>"
    e.synchronize()
    with pytest.raises(RuntimeError):
        e.record()
    with pytest.raises(RuntimeError, match="Both events must be created with argument 'enable_timing=True'"):
        e.elapsed_time(ember.cuda.Event())
    with pytest.raises(RuntimeError, match="Both events must be recorded before calculating elapsed time"):
        ember.cuda.Event(enable_timing=True).elapsed_time(ember.cuda.Event(enable_timing=True))
    with pytest.raises(RuntimeError, match="interprocess"):
        ember.cuda.Event(interprocess=True)
    with ember.cuda.stream(None):
        pass


@needs_gpu
def test_stream_context_and_events_like_torch():
    default = ember.cuda.current_stream()
    assert default == ember.cuda.default_stream() and default.cuda_stream == 0
    side = ember.cuda.Stream()
    assert side != default and ember.cuda.Stream(priority=-1) != side
    x = ember.ones(1 << 20, device="cuda")
    start, end = ember.cuda.Event(enable_timing=True), ember.cuda.Event(enable_timing=True)
    start.record()
    side.wait_stream(ember.cuda.current_stream())
    with ember.cuda.stream(side):
        assert ember.cuda.current_stream() == side
        y = (x * 3).sum()
        x.record_stream(side)
        end.record()
    assert ember.cuda.current_stream() == default
    end.synchronize()
    assert end.query() and side.query()
    assert start.elapsed_time(end) >= 0
    assert y.item() == 3 * (1 << 20)
    # torch's streams order the same program the same way.
    tx = torch.ones(1 << 20, device="cuda")
    ts = torch.cuda.Stream()
    ts.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(ts):
        ty = (tx * 3).sum()
        tx.record_stream(ts)
    ts.synchronize()
    assert ty.item() == y.item()


@needs_gpu
def test_dlpack_hands_a_gpu_tensor_to_torch():
    e = ember.arange(12, dtype=ember.float32, device="cuda").reshape(3, 4).T
    assert e.__dlpack_device__() == (2, 0)
    t = torch.from_dlpack(e)
    assert t.device.type == "cuda" and t.data_ptr() == e.data_ptr() and t.stride() == e.stride()
    assert torch.equal(t.cpu(), torch.arange(12, dtype=torch.float32).reshape(3, 4).T)


@needs_gpu
def test_optimizer_state_moved_to_the_gpu_keeps_counting():
    """The common move of every state tensor to the GPU, step and NAdam's mu_product included."""
    for name in ["Adam", "NAdam"]:
        results = []
        for m in (torch, ember):
            p = m.nn.Parameter(m.tensor([1.0, -2.0, 3.0], device="cuda"))
            opt = getattr(m.optim, name)([p], lr=0.1)
            for i in range(3):
                opt.zero_grad()
                (p * p).sum().backward()
                opt.step()
                for state in opt.state.values():
                    for k, v in state.items():
                        if isinstance(v, m.Tensor):
                            state[k] = v.cuda()
            results.append(p.detach().cpu().tolist())
        assert results[1] == pytest.approx(results[0], rel=1e-6), name


@needs_gpu
def test_image_transforms_on_the_gpu():
    import ember.vision.transforms  # noqa: F401
    img = ember.randint(0, 256, (5, 6, 3), dtype=ember.uint8)
    to_tensor = ember.vision.transforms.ToTensor()
    normalize = ember.vision.transforms.Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3])
    on_cpu = normalize(to_tensor(img))
    on_gpu = normalize(to_tensor(img.cuda()))
    assert on_gpu.is_cuda
    assert ember.allclose(on_gpu.cpu(), on_cpu)


@without_gpu
def test_seeding_works_and_device_queries_raise_without_a_gpu():
    # Seeding scripts call these on any machine, as PyTorch allows; one generator serves every device.
    ember.cuda.manual_seed_all(7)
    a = ember.rand(3)
    ember.cuda.manual_seed(7)
    assert ember.equal(ember.rand(3), a)
    assert ember.cuda.initial_seed() == ember.initial_seed() == 7
    ember.cuda.seed_all()
    assert ember.cuda.is_bf16_supported() is False and ember.cuda.is_initialized() is False
    for query in [ember.cuda.current_device, ember.cuda.get_device_name, ember.cuda.get_device_capability,
                  ember.cuda.get_device_properties, ember.cuda.mem_get_info, lambda: ember.cuda.set_device(0),
                  ember.cuda.init]:
        with pytest.raises(RuntimeError):
            query()


@needs_gpu
def test_device_queries_like_torch():
    assert ember.cuda.current_device() == torch.cuda.current_device() == 0
    assert ember.cuda.get_device_name() == torch.cuda.get_device_name()
    assert ember.cuda.get_device_capability(0) == torch.cuda.get_device_capability(0)
    e, t = ember.cuda.get_device_properties(0), torch.cuda.get_device_properties(0)
    assert (e.name, e.major, e.minor, e.total_memory, e.multi_processor_count) == (
        t.name, t.major, t.minor, t.total_memory, t.multi_processor_count)
    assert ember.cuda.mem_get_info()[1] == torch.cuda.mem_get_info()[1]
    assert ember.cuda.is_bf16_supported() == torch.cuda.is_bf16_supported()
    with ember.cuda.device(0):
        assert ember.cuda.current_device() == 0
    ember.cuda.set_device("cuda:0")
    with pytest.raises(RuntimeError):
        ember.cuda.set_device(1)
