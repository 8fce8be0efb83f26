"""Prints how much of ember's API the conformance run covered."""
from .opinfo import COVERAGE


def pytest_terminal_summary(terminalreporter):
    c = COVERAGE
    if not c.ops:
        return
    terminalreporter.write_sep("-", "ember conformance against PyTorch")
    terminalreporter.write_line(
        f"{len(c.ops)} ops, {len(c.overloads)} distinct ops/overloads (function, method, in-place and operator "
        f"forms, per signature); {c.samples} samples compared, {c.grad_samples} gradient checks, "
        f"{c.error_samples} error cases, {c.known} samples with known differences, {c.xfailed} xfailed samples")
