"""Smoke tests of the training benchmark (benchmarks/bench_training.py) and of float32.

The benchmark itself is run by hand (`python benchmarks/bench_training.py`): timings are
noisy, so no test here asserts a time or a speed ratio. These tests prove that its code
runs, that every implementation trains the same network to the same accuracy on a tiny
problem, and that its data is reproducible; and that nnlib's layers work in float32.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from nnlib.layers import Linear, Sequential
from nnlib.module import Parameter

PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_training.py"
spec = importlib.util.spec_from_file_location("bench_training", PATH)
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def tiny_results():
    case = bench.tiny_case()
    names = [n for n in bench.available_implementations(log=lambda _: None)
             if n != "PyTorch 1 thread"]  # the same code as "PyTorch"; keep the test fast
    return case, bench.run_rounds(case, names, log=lambda _: None)


def test_every_implementation_learns_the_tiny_problem_to_the_same_accuracy(tiny_results):
    case, results = tiny_results
    accuracies = {name: r.accuracy[0] for name, r in results.items() if r.accuracy}
    assert {"nnlib", "scikit-learn"} <= set(accuracies)
    assert min(accuracies.values()) >= 0.95, accuracies  # each one really trained
    assert max(accuracies.values()) - min(accuracies.values()) <= 0.01, accuracies
    assert results["GEMM floor"].accuracy == []  # the floor learns nothing
    for result in results.values():
        assert len(result.per_epoch) == case.rounds and min(result.per_epoch) > 0
        assert result.dtype == "float64", result.dtype  # the tiny case is float64


def test_the_numpy_loop_is_the_same_algorithm_as_nnlib():
    # Same seed, same initial weights, same batches: the two must end with the same
    # network, up to rounding (the loop's textbook sigmoid rounds differently).
    case = bench.tiny_case()
    _, nnlib_model, _ = bench.train_nnlib(case, seed=1)
    _, loop_predict, _ = bench.train_numpy_loop(case, seed=1)
    np.testing.assert_allclose(loop_predict(case.X_test), nnlib_model(case.X_test),
                               rtol=1e-9, atol=1e-9)


def test_the_report_and_the_plot_are_written(tiny_results, tmp_path):
    case, results = tiny_results
    table = bench.format_table(case, results)
    assert table.count("\n| ") == len(results) + 1  # header and one row per implementation
    assert "| nnlib |" in table
    lines = bench.check_targets(case, results)
    assert lines and "accuracy of nnlib minus the others" in lines[-1]
    assert any(line.startswith("- nnlib / numpy loop = ") for line in lines)
    bench.plot([(case, results)], tmp_path / "plot.png")
    assert (tmp_path / "plot.png").stat().st_size > 1000


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


def test_the_memory_of_one_implementation_is_measured_in_a_subprocess():
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("peak RSS can only be reset on Linux")
    memory = bench.measure_memory("tiny", "nnlib", quick=True)
    assert memory["rss_peak_growth_mib"] >= 0
    assert 0 < memory["traced_peak_mib"] < 50


# --- float32 -------------------------------------------------------------------------------


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
    X32 = case.X_train.astype(np.float32)
    case32 = bench.Case(**{**case.__dict__, "X_train": X32,
                           "X_test": case.X_test.astype(np.float32), "epochs": 2})
    _, model, dtypes = bench.train_nnlib(case32, seed=0)
    assert dtypes == "float32"
    assert isinstance(model, Sequential)
