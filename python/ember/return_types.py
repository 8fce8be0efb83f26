"""The (values, indices) result types of max, min, cummax, cummin ..., as torch.return_types: tuples whose
fields also have names. They are created by the extension module; this module makes them importable as
`ember.return_types`, the name they carry."""
from ember._C.return_types import *  # noqa: F401,F403
