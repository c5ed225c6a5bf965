"""Chapter 4's exercise checkers: right answers pass, wrong ones fail with feedback,
placeholders (None) and broken code never raise."""

import numpy as np
import pytest

from nnlib.activations import sigmoid
from nnlib.autodiff import Tensor
from nnlib.exercises.backprop import (
    check_bce_loss,
    check_critical_learning_rate,
    check_multiply_adds,
    check_residual,
    check_tensor_exp,
)
from nnlib.losses import Loss
from nnlib.module import Module

X_SURF = np.random.default_rng(0).normal(size=(20, 2)) @ np.array([[1.0, 0.8], [0.0, 0.5]])


@pytest.mark.parametrize(
    "checker",
    [check_residual, check_bce_loss, check_tensor_exp,
     lambda answer: check_multiply_adds(answer, 1, 1),
     lambda answer: check_critical_learning_rate(answer, X_SURF)],
)
def test_placeholders_are_not_answered_yet(checker, capsys):
    assert checker(None) is False
    assert "Not answered yet" in capsys.readouterr().out


FORWARD, BACKWARD = 32 * (64 * 100 + 100 * 10), 32 * (64 * 100 + 2 * 100 * 10)
P_DIGITS = 64 * 100 + 100 + 100 * 10 + 10


def test_multiply_adds(capsys):
    assert check_multiply_adds(FORWARD, BACKWARD, 2 * P_DIGITS * FORWARD)
    assert check_multiply_adds(236800.0, 2.688e5, 2 * P_DIGITS * FORWARD)  # whole floats
    capsys.readouterr()
    assert not check_multiply_adds(FORWARD // 32, BACKWARD, 2 * P_DIGITS * FORWARD)
    assert "batch size" in capsys.readouterr().out
    assert not check_multiply_adds(FORWARD, 2 * FORWARD, 2 * P_DIGITS * FORWARD)
    assert "needs_input_grad" in capsys.readouterr().out
    assert not check_multiply_adds(FORWARD, BACKWARD, P_DIGITS * FORWARD)
    assert "two forward passes per parameter" in capsys.readouterr().out
    assert not check_multiply_adds(FORWARD, 2.5, 1)
    assert "whole number" in capsys.readouterr().out


def test_critical_learning_rate(capsys):
    eigenvalues = np.linalg.eigvalsh(2 / len(X_SURF) * X_SURF.T @ X_SURF)
    assert check_critical_learning_rate(2 / eigenvalues[-1], X_SURF)
    assert not check_critical_learning_rate(1 / eigenvalues[-1], X_SURF)
    assert "twice that" in capsys.readouterr().out
    assert not check_critical_learning_rate(2 / eigenvalues[0], X_SURF)


class Residual(Module):
    def __init__(self, layer):
        self.layer = layer

    def forward(self, X):
        return X + self.layer.forward(X)

    def backward(self, grad_out):
        return grad_out + self.layer.backward(grad_out)

    def parameters(self):
        return self.layer.parameters()


class ResidualForgetsTheSkip(Residual):
    def backward(self, grad_out):
        return self.layer.backward(grad_out)


class ResidualHidesItsParameters(Residual):
    def parameters(self):
        return []


class ResidualForgetsTheSkipForward(Residual):
    def forward(self, X):
        return self.layer.forward(X)


def test_residual(capsys):
    assert check_residual(Residual)
    assert not check_residual(ResidualForgetsTheSkip)
    assert "two paths" in capsys.readouterr().out
    assert not check_residual(ResidualHidesItsParameters)
    assert "parameters()" in capsys.readouterr().out
    assert not check_residual(ResidualForgetsTheSkipForward)
    assert "X + layer.forward(X)" in capsys.readouterr().out
    assert not check_residual(int)  # not a Module: feedback, no exception


def tensor_exp(t):
    out = Tensor(np.exp(t.data), (t,))

    def rule():
        t.grad += out.grad * out.data

    out.rule = rule
    return out


def tensor_exp_overwrites(t):
    out = Tensor(np.exp(t.data), (t,))

    def rule():
        t.grad = out.grad * out.data

    out.rule = rule
    return out


def tensor_exp_wrong_rule(t):
    out = Tensor(np.exp(t.data), (t,))

    def rule():
        t.grad += out.grad

    out.rule = rule
    return out


def test_tensor_exp(capsys):
    assert check_tensor_exp(tensor_exp)
    assert not check_tensor_exp(tensor_exp_overwrites)
    assert "+=" in capsys.readouterr().out
    assert not check_tensor_exp(tensor_exp_wrong_rule)
    assert "out.grad * exp(t.data)" in capsys.readouterr().out
    assert not check_tensor_exp(lambda t: Tensor(np.exp(t.data)))  # no parent
    assert "stayed 0" in capsys.readouterr().out
    assert not check_tensor_exp(np.exp)  # not a Tensor operation: feedback, no exception


class BCE(Loss):
    def forward(self, pred, target):
        self.z, self.y = np.asarray(pred, float), np.asarray(target, float)
        return float(np.mean(np.logaddexp(0.0, -(2 * self.y - 1) * self.z)))

    def backward(self):
        return (sigmoid(self.z) - self.y) / len(self.z)


class BCENaive(BCE):
    def forward(self, pred, target):
        self.z, self.y = np.asarray(pred, float), np.asarray(target, float)
        p = 1 / (1 + np.exp(-self.z))
        return float(-np.mean(self.y * np.log(p) + (1 - self.y) * np.log(1 - p)))


class BCENoMean(BCE):
    def backward(self):
        return sigmoid(self.z) - self.y


def test_bce_loss(capsys):
    assert check_bce_loss(BCE)
    assert not check_bce_loss(BCENaive)
    assert "np.logaddexp" in capsys.readouterr().out
    assert not check_bce_loss(BCENoMean)
    assert "(sigmoid(z) - y) / n" in capsys.readouterr().out


