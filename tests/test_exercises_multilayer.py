"""The checkers of chapter 2's exercises: right answers pass, wrong ones fail with a
helpful message, placeholders (None) and broken networks never raise."""

import numpy as np
import pytest

from nnlib.exercises.multilayer import (
    TAIL,
    check_approximation,
    check_diamond_network,
    check_parameter_count,
    check_parity_network,
    check_xor_network,
)
from nnlib.layers import Linear, Sequential
from nnlib.module import Module


class Step(Module):
    def forward(self, Z):
        return (Z >= 0).astype(np.float64)


class Sigmoid(Module):
    def forward(self, Z):
        return 0.5 * (1.0 + np.tanh(Z / 2))


def linear(W, b):
    W = np.asarray(W, dtype=np.float64)
    layer = Linear(*W.shape)
    layer.weight.data[...] = W
    layer.bias.data[...] = b
    return layer


def xor_net():
    return Sequential(linear([[1, -1], [1, -1]], [-0.5, 1.5]), Step(),
                      linear([[1], [1]], [-1.5]), Step())


def staircase(f, a, b, n, rho_delta=20.0):
    h = (b - a) / n
    t = a + h * np.arange(n + 1)
    k = rho_delta / h
    return Sequential(linear(np.full((1, n), k), -k * (t[1:] - h / 2)), Sigmoid(),
                      linear(np.diff(f(t)).reshape(-1, 1), [f(t[0])]))


@pytest.mark.parametrize(
    "check",
    [check_parameter_count, check_parity_network, check_xor_network, check_diamond_network],
)
def test_placeholders_are_not_answered(check, capsys):
    assert check(None) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_approximation_placeholders(capsys):
    assert check_approximation(None, None) is False
    assert check_approximation(staircase(np.square, -1, 1, 41), None) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_parameter_count(capsys):
    assert check_parameter_count(109386)
    assert "Correct" in capsys.readouterr().out
    assert not check_parameter_count(109184)
    assert "weights only" in capsys.readouterr().out
    assert not check_parameter_count(109386 + 784)
    assert "input layer has no biases" in capsys.readouterr().out
    assert not check_parameter_count(5)
    assert not check_parameter_count("109386")
    assert check_parameter_count(9, sizes=(2, 2, 1))


def test_xor_and_parity_checkers():
    assert check_xor_network(xor_net())
    assert check_parity_network(xor_net(), n_bits=2)
    assert not check_parity_network(xor_net(), n_bits=3)  # wrong input width: reported
    at_least = linear(np.ones((3, 3)), [-0.5, -1.5, -2.5])
    parity3 = Sequential(at_least, Step(), linear([[1], [-1], [1]], [-0.5]), Step())
    assert check_parity_network(parity3)
    wrong = Sequential(linear(np.ones((3, 3)), [-0.5, -1.5, -2.5]), Step(),
                       linear([[1], [1], [1]], [-0.5]), Step())  # OR, not parity
    assert not check_parity_network(wrong)


def test_checkers_report_broken_networks_without_raising(capsys):
    assert not check_xor_network(Linear(3, 1, rng=0))          # wrong number of inputs
    assert "failed with ValueError" in capsys.readouterr().out
    assert not check_xor_network(Linear(2, 2, rng=0))          # two outputs
    assert "one output per sample" in capsys.readouterr().out
    assert not check_xor_network("not a network")
    assert not check_parity_network(lambda X: X.sum(axis=1) / 2)  # not 0/1
    assert "0 or 1" in capsys.readouterr().out


def test_diamond_checker():
    normals = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64).T
    diamond = Sequential(linear(normals, np.ones(4)), Step(),
                         linear(np.ones((4, 1)), [-3.5]), Step())
    assert check_diamond_network(diamond)
    square = Sequential(linear([[1, -1, 0, 0], [0, 0, 1, -1]], np.ones(4)), Step(),
                        linear(np.ones((4, 1)), [-3.5]), Step())  # |x1| <= 1 and |x2| <= 1
    assert not check_diamond_network(square)


def test_approximation_checker(capsys):
    # B(N) = K (beta - alpha) / N * (1/2 + tau) <= 0.05 first at N = 41 (K = 2, width 2).
    assert check_approximation(staircase(np.square, -1.0, 1.0, 41), 41)
    assert "41 units guarantee" in capsys.readouterr().out
    assert not check_approximation(staircase(np.square, -1.0, 1.0, 41), 40)
    assert "sigmoid tails" in capsys.readouterr().out
    assert not check_approximation(staircase(np.square, -1.0, 1.0, 81), 81)  # the loose bound
    assert "K Delta / 2" in capsys.readouterr().out
    assert not check_approximation(staircase(np.square, -1.0, 1.0, 41), 24)  # works, unproven
    assert "too few for a guarantee" in capsys.readouterr().out
    assert not check_approximation(staircase(np.square, -1.0, 1.0, 41), 100)
    assert "not the smallest N" in capsys.readouterr().out
    assert not check_approximation(staircase(np.square, -1.0, 1.0, 5), 41)  # too coarse
    assert "maximum error" in capsys.readouterr().out


def test_approximation_bound_is_tight_and_holds():
    """The checker's bound K Delta (1/2 + tau) holds for x^2 and a V-shape attains it."""
    for n in (5, 24, 41):
        width = 2.0 / n
        x = np.linspace(-1.0, 1.0, 4001).reshape(-1, 1)
        error = np.max(np.abs(staircase(np.square, -1.0, 1.0, n)(x)[:, 0] - x[:, 0] ** 2))
        assert error <= 2 * width * (0.5 + TAIL)
    n = 40
    delta = 2.0 / n
    corner = -1.0 + 19.5 * delta  # on the step s_20

    def v_shape(x):
        return np.abs(x - corner)

    x = np.array([[corner]])
    error = abs(staircase(v_shape, -1.0, 1.0, n)(x)[0, 0] - v_shape(corner))
    assert 0.4999 * delta < error <= delta * (0.5 + TAIL)
