"""Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict against torch's: the same operations
on both give the same children names, order, lengths, printouts and errors (parametrized over `lib`, or
compared directly)."""
from collections import OrderedDict

import pytest
import torch

import ember

LIBS = [pytest.param(torch, id="torch"), pytest.param(ember, id="ember")]


def shapes(lib, container):
    """Each child as (name, in_features) to follow modules through reordering."""
    return [(n, m.in_features) for n, m in container.named_children()]


def sequential_ops(lib):
    nn = lib.nn
    L = nn.Linear
    s = nn.Sequential(L(1, 1), L(2, 2), L(3, 3))
    out = [shapes(lib, s), len(s), s[1].in_features, s[-1].in_features]
    sl = s[1:]
    out += [type(sl).__name__, shapes(lib, sl)]
    s.append(L(4, 4))
    s.insert(1, L(5, 5))
    s.insert(-1, L(6, 6))
    out.append(shapes(lib, s))
    s.extend([L(7, 7)])
    del s[0]
    out.append(shapes(lib, s))
    del s[1:3]
    out.append(shapes(lib, s))
    out.append(s.pop(0).in_features)
    s[0] = L(8, 8)
    out.append(shapes(lib, s))
    out.append([m.in_features for m in s])
    t = s + nn.Sequential(L(9, 9))
    out.append(shapes(lib, t))
    t += nn.Sequential(L(10, 10))
    out.append(shapes(lib, t))
    out.append(shapes(lib, nn.Sequential(L(1, 1)) * 3))
    u = nn.Sequential(L(1, 1), L(2, 2))
    u *= 2
    out.append(shapes(lib, u))
    named = nn.Sequential(OrderedDict([("a", L(1, 1)), ("b", L(2, 2))]))
    out.append(shapes(lib, named))
    out.append([type(x).__name__ for _, x in named[::-1].named_children()])
    for bad in (lambda: s[10], lambda: s + 1, lambda: s * 0, lambda: s * 1.5, lambda: s.insert(0, 3)):
        try:
            bad()
        except Exception as ex:  # noqa: BLE001 - compared
            out.append((type(ex).__name__, str(ex).replace("torch.", "ember.").replace("<class 'ember.nn.modules.container.Sequential'>", "SEQ")))
    return out


def test_sequential_is_torchs():
    assert sequential_ops(ember) == sequential_ops(torch)


@pytest.mark.parametrize("lib", LIBS)
def test_sequential_forward_chains_modules(lib):
    s = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.Linear(2, 1))
    with lib.no_grad():
        for p in s.parameters():
            p.fill_(1.0)
    assert s(lib.ones(1, 3)).tolist() == [[9.0]]
    assert lib.nn.Sequential()(lib.ones(1)).tolist() == [1.0]


def modulelist_ops(lib):
    nn = lib.nn
    L = nn.Linear
    ml = nn.ModuleList([L(1, 1), L(2, 2)])
    out = [shapes(lib, ml), len(ml), ml[-1].in_features]
    ml.append(L(3, 3))
    ml.extend([L(4, 4), L(5, 5)])
    ml.insert(1, L(6, 6))
    out.append(shapes(lib, ml))
    ml += [L(7, 7)]
    del ml[0]
    del ml[::2]
    out.append(shapes(lib, ml))
    ml[0] = L(8, 8)
    out.append(ml.pop(-1).in_features)
    out.append(shapes(lib, ml))
    out.append(shapes(lib, ml + nn.ModuleList([L(9, 9)])))
    out.append(type(ml[1:]).__name__)
    out.append([m.in_features for m in ml])
    out.append(shapes(lib, nn.ModuleList()))
    for bad in (lambda: ml[5], lambda: ml.extend(3), lambda: ml.append(3)):
        try:
            bad()
        except Exception as ex:  # noqa: BLE001 - compared
            out.append((type(ex).__name__, str(ex)))
    return out


def test_modulelist_is_torchs():
    assert modulelist_ops(ember) == modulelist_ops(torch)


def moduledict_ops(lib):
    nn = lib.nn
    L = nn.Linear
    md = nn.ModuleDict({"b": L(1, 1), "a": L(2, 2)})
    out = [shapes(lib, md), list(md), list(md.keys()), "a" in md, len(md)]
    md.update([("c", L(3, 3)), ("a", L(4, 4))])
    md["d"] = L(5, 5)
    out.append(shapes(lib, md))
    out.append(md.pop("b").in_features)
    del md["c"]
    out.append([(k, v.in_features) for k, v in md.items()])
    out.append([v.in_features for v in md.values()])
    md.update(nn.ModuleDict(OrderedDict([("z", L(6, 6))])))
    out.append(list(md.keys()))
    md.clear()
    out.append(len(md))
    for bad in (lambda: md.update(3), lambda: md.update([("x",)]), lambda: md.update([3]), lambda: md["nope"]):
        try:
            bad()
        except Exception as ex:  # noqa: BLE001 - compared
            out.append((type(ex).__name__, str(ex)))
    return out


def test_moduledict_is_torchs():
    assert moduledict_ops(ember) == moduledict_ops(torch)


def parameterlist_ops(lib):
    nn = lib.nn
    pl = nn.ParameterList([nn.Parameter(lib.ones(2)), lib.zeros(3)])
    out = [[type(p).__name__ for p in pl], [n for n, _ in pl.named_parameters()], len(pl)]
    pl.append(lib.ones(2, 2))
    pl.extend([nn.Parameter(lib.ones(1), requires_grad=False)])
    pl.append("not a tensor")
    out.append([n for n, _ in pl.named_parameters()])
    out.append([p.requires_grad for p in pl if isinstance(p, lib.Tensor)])
    out.append(len(pl[1:3]))
    pl[0] = lib.ones(5)
    out.append([tuple(p.shape) for p in pl.parameters()])
    out.append(repr(pl).replace("torch.", "ember."))
    for bad in (lambda: pl[10], lambda: pl.extend(lib.ones(2)), lambda: pl()):
        try:
            bad()
        except Exception as ex:  # noqa: BLE001 - compared
            out.append((type(ex).__name__, str(ex)))
    return out


def test_parameterlist_is_torchs():
    assert parameterlist_ops(ember) == parameterlist_ops(torch)


def parameterdict_ops(lib):
    nn = lib.nn
    pd = nn.ParameterDict({"b": lib.ones(1), "a": nn.Parameter(lib.ones(2))})  # a plain dict: sorted
    out = [list(pd.keys()), [n for n, _ in pd.named_parameters()], len(pd), "a" in pd]
    pd.update(OrderedDict([("z", lib.ones(3)), ("c", lib.ones(4))]))  # ordered: kept in order
    pd["y"] = nn.Parameter(lib.ones(1), requires_grad=False)
    pd["s"] = "a string"
    out.append([n for n, _ in pd.named_parameters()])
    out.append(list(pd))
    out.append(tuple(pd.pop("z").shape))
    out.append(pd.get("nope", 7))
    out.append(pd.setdefault("q", lib.zeros(2)).tolist())
    out.append(pd.popitem()[0])
    out.append(list(reversed(pd)))
    out.append(list((pd | nn.ParameterDict({"w": lib.ones(1)})).keys()))
    out.append(list(pd.copy().keys()))
    out.append(list(pd.fromkeys(["m", "n"]).keys()))
    out.append(repr(pd).replace("torch.", "ember."))
    del pd["a"]
    pd.clear()
    out.append(len(pd))
    for bad in (lambda: pd[3], lambda: pd.update(3), lambda: pd.update([("x",)]), lambda: pd(1)):
        try:
            bad()
        except Exception as ex:  # noqa: BLE001 - compared
            out.append((type(ex).__name__, str(ex)))
    return out


def test_parameterdict_is_torchs():
    assert parameterdict_ops(ember) == parameterdict_ops(torch)


def nested(lib):
    nn = lib.nn
    return nn.Sequential(
        nn.Linear(2, 3),
        nn.ModuleList([nn.Linear(3, 3), nn.Sequential(nn.Linear(3, 3))]),
        nn.ModuleDict({"head": nn.Linear(3, 1)}),
        nn.ParameterList([nn.Parameter(lib.ones(2))]),
        nn.ParameterDict({"scale": nn.Parameter(lib.ones(1))}),
    )


def test_nested_containers_names_state_dict_and_repr():
    e, t = nested(ember), nested(torch)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert [n for n, _ in e.named_modules()] == [n for n, _ in t.named_modules()]
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e).replace("ember.", "torch.") == repr(t)
