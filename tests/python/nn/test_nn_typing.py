"""ember.nn and ember.utils type-check as a py.typed package: mypy (as editors run it) accepts code
written against them, which also checks the package's own files it follows into."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ember

SOURCE = '''
import ember
from ember import nn
from ember.nn import init
from ember.utils.checkpoint import checkpoint
from ember.utils.hooks import RemovableHandle


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 3), nn.ModuleList([nn.Linear(3, 3)]))
        self.table = nn.ModuleDict({"a": nn.Linear(3, 1)})
        self.extra = nn.ParameterList([nn.Parameter(ember.ones(1))])
        self.named = nn.ParameterDict({"s": nn.Parameter(ember.ones(1))})

    def forward(self, x: ember.Tensor) -> ember.Tensor:
        return self.table["a"](self.body[0](x))


m = Net()
p: nn.Parameter = nn.Parameter(ember.ones(2))
t: ember.Tensor = p * 2
init.kaiming_uniform_(p, a=5 ** 0.5)
gain: float = init.calculate_gain("relu")
norm: ember.Tensor = nn.utils.clip_grad_norm_(m.parameters(), 1.0)
vec: ember.Tensor = nn.utils.parameters_to_vector(m.parameters())
y = checkpoint(m, ember.ones(1, 2))
h: RemovableHandle = m.register_forward_hook(lambda mod, inp, out: None)
r = m.load_state_dict(m.state_dict(), strict=False)
keys: list = r.missing_keys
names = [n for n, _ in m.named_parameters()]
'''


def test_mypy_accepts_code_using_ember_nn(tmp_path):
    pytest.importorskip("mypy")
    src = tmp_path / "uses_nn.py"
    src.write_text(SOURCE)
    env = dict(os.environ, MYPYPATH=str(Path(ember.__file__).parent.parent))
    res = subprocess.run([sys.executable, "-m", "mypy", "--no-implicit-reexport", "--cache-dir", os.devnull,
                          "--no-error-summary", "--show-error-codes", str(src)],
                         env=env, cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
