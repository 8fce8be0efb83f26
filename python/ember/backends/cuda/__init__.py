"""torch.backends.cuda: `matmul.allow_tf32` lets float32 matrix products use TF32 tensor cores."""
from ember import _C


class _Matmul:
    @property
    def allow_tf32(self) -> bool:
        return _C._cuda_get_allow_tf32()

    @allow_tf32.setter
    def allow_tf32(self, allow: bool) -> None:
        _C._cuda_set_allow_tf32(bool(allow))


matmul = _Matmul()
