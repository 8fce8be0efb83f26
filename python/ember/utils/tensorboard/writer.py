"""SummaryWriter with torch.utils.tensorboard's Python signatures. The event files are written by the
C++ writer (ember/utils/tensorboard.h); this class only turns Python numbers, ember tensors and NumPy
arrays into what it takes."""
from typing import Optional

import ember
from ember import _C

__all__ = ["SummaryWriter"]


def _tensor(x):
    if isinstance(x, ember.Tensor):
        return x.detach()
    return ember.as_tensor(x)


def _number(x) -> float:
    if isinstance(x, ember.Tensor):
        return float(x.detach().item())
    return float(x.item() if hasattr(x, "item") else x)


class SummaryWriter:
    """Writes TensorBoard event files to log_dir (default runs/<date>_<host><comment>), as torch's."""

    def __init__(self, log_dir: Optional[str] = None, comment: str = "", purge_step: Optional[int] = None,
                 max_queue: int = 10, flush_secs: int = 120, filename_suffix: str = ""):
        self._writer = _C._SummaryWriter(str(log_dir) if log_dir is not None else "", comment, purge_step,
                                         max_queue, float(flush_secs), filename_suffix)
        self.log_dir = self._writer.get_logdir()
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix

    def get_logdir(self) -> str:
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False):
        self._writer.add_scalar(tag, _number(scalar_value), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        self._writer.add_scalars(main_tag, {k: _number(v) for k, v in tag_scalar_dict.items()}, global_step,
                                 walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None, max_bins=None):
        if not isinstance(bins, (str, int)):
            bins = [float(b) for b in _tensor(bins).reshape(-1).tolist()]
        self._writer.add_histogram(tag, _tensor(values), global_step, bins, walltime, max_bins)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        self._writer.add_image(tag, _tensor(img_tensor), global_step, walltime, dataformats)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        self._writer.add_images(tag, _tensor(img_tensor), global_step, walltime, dataformats)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        self._writer.add_text(tag, text_string, global_step, walltime)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None):
        if type(hparam_dict) is not dict or type(metric_dict) is not dict:
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        self._writer.add_hparams(hparam_dict, {k: _number(v) for k, v in metric_dict.items()},
                                 hparam_domain_discrete, run_name or "", None)

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()
