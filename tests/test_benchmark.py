"""The training benchmark (benchmarks/), on a tiny problem, and nnlib in float32.

The benchmark is run by hand (`make bench`): timings are noisy, so no test here looks at
a time. These tests prove that its code runs and writes its report, that the bare numpy
loop trains the same network as nnlib (so that their ratio is the cost of nnlib's API
and checks, nothing else), and that the numpy-call counter, which measures that cost as
work instead of time, counts what it says.
"""

import importlib.util
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from nnlib.layers import Linear
from nnlib.module import Parameter
from nnlib.validation import _all_finite, check_array

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


bench, calls = load("bench_training"), load("numpy_calls")


def test_the_numpy_loop_trains_the_same_network_as_nnlib():
    # Same seed: same initial weights, same batches, same arithmetic up to rounding (the
    # loop's textbook sigmoid and its softmax round differently), so the same weights.
    case = bench.tiny_case()
    _, model = bench.train_nnlib(case, seed=1)
    _, loop = bench.train_numpy_loop(case, seed=1)
    _, initial = bench.train_nnlib(replace(case, epochs=0), seed=1)
    for trained, theirs, start in zip(model.parameters(), loop.parameters,
                                      initial.parameters(), strict=True):
        assert not np.allclose(trained.data, start.data)  # both really trained
        np.testing.assert_allclose(theirs, trained.data, rtol=1e-9, atol=1e-12)


def test_nnlib_without_checks_trains_the_very_same_network():
    # --unchecked times nnlib's modules without the checks: the same arithmetic, so
    # the same weights, bit for bit; only the checks are left out.
    case = bench.tiny_case()
    _, model = bench.train_nnlib(case, seed=2)
    _, unchecked = bench.train_nnlib_unchecked(case, seed=2)
    for p, q in zip(model.parameters(), unchecked.parameters(), strict=True):
        assert np.array_equal(p.data, q.data)


def test_every_implementation_learns_the_tiny_problem(tmp_path):
    # The whole benchmark, as `make bench` runs it, on a problem any correct trainer
    # learns: report, plot and raw numbers written, accuracies equal.
    bench.main(["--case", "tiny", "--threads", "1", "--unchecked", "--out", str(tmp_path)])
    report = (tmp_path / "bench_training.md").read_text()
    for name in bench.implementations(unchecked=True):
        assert f"| {name} |" in report
    assert "load average" in report
    assert (tmp_path / "bench_training.png").stat().st_size > 1000
    raw = json.loads((tmp_path / "bench_training.json").read_text())
    accuracies = {name: r["accuracy"][0] for name, r in raw["tiny"].items()}
    assert set(accuracies) == set(bench.implementations(unchecked=True))
    assert min(accuracies.values()) >= 0.95, accuracies
    assert max(accuracies.values()) - min(accuracies.values()) <= 0.01, accuracies


def test_the_table_states_the_target_and_whether_it_is_met():
    case = bench.tiny_case()
    loop = bench.Result(wall=[0.2, 0.2, 0.2], cpu=[0.2, 0.2, 0.2], accuracy=[0.9] * 3)
    slow = {"nnlib": bench.Result([0.3, 0.26, 0.28], [0.3, 0.26, 0.28], [0.9] * 3),
            "numpy loop": loop}
    fast = {"nnlib": bench.Result([0.4, 0.4, 0.4], [0.24, 0.22, 0.23], [0.9] * 3),
            "numpy loop": loop}
    assert bench.ratio(slow, "nnlib", "numpy loop") == pytest.approx((1.4, 1.35, 1.45))
    assert "Target" not in bench.table(case, slow)  # the tiny case has none
    digits = replace(case, name="digits")
    assert "the numpy loop in CPU time: 1.40, NOT met (wall-clock time: 1.40)" in bench.table(
        digits, slow)
    assert "the numpy loop in CPU time: 1.15, met (wall-clock time: 2.00)" in bench.table(
        digits, fast)
    assert "in wall-clock time: 2.00, NOT met (CPU time: 1.15)" in bench.table(
        digits, fast, judge="wall")


def test_mnist_sized_data_is_reproducible_and_float32():
    first = bench.make_mnist_sized(300, 100, seed=3)
    again = bench.make_mnist_sized(300, 100, seed=3)
    other = bench.make_mnist_sized(300, 100, seed=4)
    X_train, X_test, y_train, y_test = first
    assert X_train.shape == (300, 784) and X_test.shape == (100, 784)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert set(np.unique(y_train)) == set(range(10))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(X_train, other[0])


# --- counting numpy calls ------------------------------------------------------------


def test_the_counter_counts_each_entry_into_numpy_once():
    x, w = calls.NumpyCalls.track(np.ones((3, 4))), calls.NumpyCalls.track(np.ones((4, 2)))
    with calls.NumpyCalls() as counter:
        a = x @ w  # 1 ufunc (an operator)
        a -= np.exp(a).sum()  # 3: exp, a method, an in-place operator
        np.mean(a)  # 1, however many calls numpy makes inside
        x[0:2]  # 1 index
        x[...] = 0.0  # 1 index assignment
        np.where(a > 0, a, 0.0)  # 2: a comparison and a function
        len(x)  # 0: not numpy
    assert counter.calls == {"matmul": 1, "exp": 1, "ndarray.sum": 1, "subtract": 1,
                             "mean": 1, "[]": 1, "[]=": 1, "greater": 1, "where": 1}


def test_a_check_inside_a_layer_shows_in_the_count(monkeypatch):
    # The second edition checks inputs once, at the boundary; a check added inside the
    # training step (here: Linear.forward checking X again) must show in the count.
    case = bench.tiny_case()
    before = calls.calls_per_step(bench.train_nnlib, case)[0]
    forward = Linear.forward
    monkeypatch.setattr(Linear, "forward", lambda self, X: forward(
        self, check_array(X, "X")))
    after = calls.calls_per_step(bench.train_nnlib, case)[0]
    assert after >= before + 2  # one finiteness check per Linear layer at least


def test_nnlib_makes_no_more_numpy_calls_per_step_than_measured():
    # Work, not time: the numbers benchmarks/README.md reports. The first edition made
    # 96 calls per step (checks in every layer), 70 once the checks moved to the
    # boundary, 59 with one exponential per sigmoid layer and no conversion of arrays
    # that need none; the bare loop makes 39. If a change to nnlib adds calls to the
    # training step on purpose, update this bound and the README.
    case = bench.tiny_case()
    nnlib_calls = calls.calls_per_step(bench.train_nnlib, case)[0]
    loop_calls = calls.calls_per_step(bench.train_numpy_loop, case)[0]
    steps = math.ceil(len(case.X_train) / case.batch_size)
    assert round(loop_calls * steps) == 39 * steps + 1  # + one shuffle per epoch
    assert nnlib_calls <= 59 + 1 / steps, nnlib_calls


# --- the fast finiteness check of nnlib.validation -----------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_fast_finiteness_check_agrees_with_isfinite(dtype):
    rng = np.random.default_rng(0)
    big = np.finfo(dtype).max / 2  # its square overflows: the slow path decides
    arrays = [rng.normal(size=(5, 7)), np.zeros((0, 3)), np.full((2, 2), big),
              rng.normal(size=(6, 6))[:, ::2]]  # not contiguous
    for bad in (np.nan, np.inf, -np.inf):
        for where in ((0, 0), (4, 6)):
            array = rng.normal(size=(5, 7))
            array[where] = bad
            arrays += [array, np.asfortranarray(array)]
    for array in arrays:
        array = array.astype(dtype)
        assert _all_finite(array) == bool(np.isfinite(array).all()), array


# --- float32 -------------------------------------------------------------------------


def test_linear_in_float32_keeps_float32_and_the_same_initial_weights():
    layer32 = Linear(5, 3, rng=0, dtype=np.float32)
    layer64 = Linear(5, 3, rng=0)
    assert layer32.weight.data.dtype == layer32.bias.data.dtype == np.float32
    assert layer32.weight.grad.dtype == np.float32
    assert layer64.weight.data.dtype == np.float64  # the default
    assert np.array_equal(layer32.weight.data, layer64.weight.data.astype(np.float32))
    X = np.random.default_rng(1).normal(size=(4, 5))  # float64 in: converted to float32
    assert layer32(X).dtype == np.float32
    assert np.allclose(layer32(X), layer64(X), rtol=1e-5, atol=1e-5)


def test_parameter_refuses_a_dtype_that_is_not_float32_or_float64():
    assert Parameter([1.0, 2.0], dtype=np.float32).data.dtype == np.float32
    for dtype in (np.int64, np.float16):
        with pytest.raises(ValueError, match="dtype must be float32 or float64, got"):
            Parameter([1.0, 2.0], dtype=dtype)


def test_a_float32_network_trains_in_float32_end_to_end():
    case = bench.tiny_case()
    case32 = replace(case, X_train=case.X_train.astype(np.float32),
                     X_test=case.X_test.astype(np.float32), epochs=2)
    _, model = bench.train_nnlib(case32, seed=0)
    arrays = [p.data for p in model.parameters()] + [p.grad for p in model.parameters()]
    arrays += [model[0].X, model[1].Z, model(case32.X_test)]
    assert {a.dtype for a in arrays} == {np.dtype(np.float32)}
