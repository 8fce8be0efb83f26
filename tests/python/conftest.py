"""pytest setup for the Python front end: ember from the in-place build, PyTorch (python3-torch) as the
reference."""
import pytest

import ember


@pytest.fixture(autouse=True)
def _default_state():
    ember.set_default_dtype(ember.float32)
    yield
    ember.set_default_dtype(ember.float32)
