"""The chapter 3 checkers accept right answers, reject wrong ones, and never raise."""

import math

import numpy as np
import pytest

from nnlib.activations import sigmoid, sigmoid_derivative, softmax
from nnlib.exercises.activations import (
    check_gradient_growth,
    check_he_std_leaky,
    check_layers_to_vanish,
    check_silu_derivative,
    check_softmax_jacobian,
    check_symmetry_breaking,
)


def test_placeholders_are_not_answers(capsys):
    assert not check_silu_derivative(None)
    assert not check_layers_to_vanish(None)
    assert not check_he_std_leaky(None, 0.3, 256)
    assert not check_softmax_jacobian(None, [1.0, 2.0])
    assert not check_symmetry_breaking(None)
    assert not check_gradient_growth(None)
    assert capsys.readouterr().out.count("Not answered yet") == 6


def test_silu_derivative(capsys):
    assert check_silu_derivative(lambda z: sigmoid(z) + z * sigmoid_derivative(z))
    assert not check_silu_derivative(lambda z: sigmoid(z))  # forgot the product rule
    assert "hint: product rule" in capsys.readouterr().out
    assert not check_silu_derivative(lambda z: 1 / 0)  # raises: reported, not raised
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not check_silu_derivative(lambda z: 1.0)  # wrong shape
    assert not check_silu_derivative("sigmoid")


def test_layers_to_vanish(capsys):
    assert check_layers_to_vanish(15)
    assert not check_layers_to_vanish(14)
    assert "not below 1e-9" in capsys.readouterr().out
    assert not check_layers_to_vanish(16)
    assert "smallest" in capsys.readouterr().out
    assert not check_layers_to_vanish(15.0)
    assert not check_layers_to_vanish(True)


def test_he_std_leaky(capsys):
    assert check_he_std_leaky(math.sqrt(2 / (1.09 * 256)), 0.3, 256)
    assert not check_he_std_leaky(math.sqrt(2 / 256), 0.3, 256)
    assert "plain ReLU" in capsys.readouterr().out
    assert not check_he_std_leaky(0.1, 0.3, 256)
    assert not check_he_std_leaky("big", 0.3, 256)
    assert check_he_std_leaky(math.sqrt(2 / 100), 0.0, 100)  # He's own value for slope 0


@pytest.mark.parametrize("z", [[1.0, 2.0, 0.5], [0.0, 0.0], [3.0, -1.0, 0.0, 2.0]])
def test_softmax_jacobian(z, capsys):
    s = softmax(np.array([z]))[0]
    J = np.diag(s) - np.outer(s, s)
    assert check_softmax_jacobian(J, z)
    assert not check_softmax_jacobian(np.diag(s), z)
    assert not check_softmax_jacobian(J[:-1], z)
    assert not check_softmax_jacobian("J", z)


def test_symmetry_breaking(capsys):
    for answer in ("bcd", "b, c, d", {"b", "c", "d"}, ["D", "C", "B"]):
        assert check_symmetry_breaking(answer)
    assert not check_symmetry_breaking("abcd")  # all zero: nothing moves
    assert "never move" in capsys.readouterr().out
    assert not check_symmetry_breaking("bc")  # random biases alone also break it
    assert "biases" in capsys.readouterr().out
    assert not check_symmetry_breaking("cd")
    assert "outgoing weights" in capsys.readouterr().out
    assert not check_symmetry_breaking("bde")  # no start e
    assert "a, b, c and d" in capsys.readouterr().out
    assert not check_symmetry_breaking(3)  # not letters: reported, not raised
    assert not check_symmetry_breaking("")


def test_gradient_growth(capsys):
    assert check_gradient_growth(2**9.5)
    assert check_gradient_growth(math.sqrt(100 * 0.04 / 2) ** 19 * 1.005)  # 1% tolerance
    assert not check_gradient_growth(2**19)  # mean square, or no ReLU 1/2
    assert "mean square" in capsys.readouterr().out
    assert not check_gradient_growth(2**10)  # 20 layers crossed instead of 19
    assert "19 layers" in capsys.readouterr().out
    assert not check_gradient_growth(2**-9.5)
    assert "shrinks" in capsys.readouterr().out
    assert not check_gradient_growth(2**9.5 * 1.05)
    for bad in ("big", float("nan"), -724.0, [1, 2]):
        assert not check_gradient_growth(bad)
