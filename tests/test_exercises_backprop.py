"""Chapter 4's exercise checkers: right answers pass, wrong ones fail with feedback,
placeholders (None) and broken code never raise."""

import numpy as np
import pytest

from nnlib.activations import Activation, sigmoid
from nnlib.exercises.backprop import (
    check_bce_loss,
    check_critical_learning_rate,
    check_forward_passes,
    check_momentum,
    check_silu,
)
from nnlib.losses import Loss
from nnlib.optim import SGD

X_SURF = np.random.default_rng(0).normal(size=(20, 2)) @ np.array([[1.0, 0.8], [0.0, 0.5]])


@pytest.mark.parametrize(
    "checker",
    [check_forward_passes, check_silu, check_bce_loss, check_momentum,
     lambda answer: check_critical_learning_rate(answer, X_SURF)],
)
def test_placeholders_are_not_answered_yet(checker, capsys):
    assert checker(None) is False
    assert "Not answered yet" in capsys.readouterr().out


def test_forward_passes(capsys):
    assert check_forward_passes(15020)
    assert not check_forward_passes(7510)
    assert "each one needs two forward passes" in capsys.readouterr().out
    assert not check_forward_passes("many")


def test_critical_learning_rate(capsys):
    eigenvalues = np.linalg.eigvalsh(2 / len(X_SURF) * X_SURF.T @ X_SURF)
    assert check_critical_learning_rate(2 / eigenvalues[-1], X_SURF)
    assert not check_critical_learning_rate(1 / eigenvalues[-1], X_SURF)
    assert "twice that" in capsys.readouterr().out
    assert not check_critical_learning_rate(2 / eigenvalues[0], X_SURF)


class SiLU(Activation):
    function = staticmethod(lambda z: z * sigmoid(z))
    derivative = staticmethod(lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z))))


class SiLUWrongDerivative(SiLU):
    derivative = staticmethod(sigmoid)


class SiLUOverflows(SiLU):
    function = staticmethod(lambda z: z / (1 + np.exp(-z)))


def test_silu(capsys):
    assert check_silu(SiLU)
    assert not check_silu(SiLUWrongDerivative)
    assert "check the derivative" in capsys.readouterr().out
    with np.errstate(over="ignore"):
        assert not check_silu(SiLUOverflows)
    assert "overflow" in capsys.readouterr().out
    assert not check_silu(int)  # not a Module: feedback, no exception


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


class Momentum(SGD):
    def __init__(self, parameters, lr, momentum=0.9):
        super().__init__(parameters, lr)
        self.momentum = momentum
        self.velocities = [np.zeros_like(p.data) for p in self.parameters]

    def step(self):
        for p, v in zip(self.parameters, self.velocities, strict=True):
            v *= self.momentum
            v += p.grad
            p.data -= self.lr * v


class MomentumForgetsVelocity(Momentum):
    def step(self):
        for p in self.parameters:
            p.data -= self.lr * p.grad


def test_momentum(capsys):
    assert check_momentum(Momentum)
    assert not check_momentum(MomentumForgetsVelocity)
    assert "after step 2" in capsys.readouterr().out

    class PlainSGD(SGD):  # no momentum argument: feedback, no exception
        def __init__(self, parameters, lr):
            super().__init__(parameters, lr)

    assert not check_momentum(PlainSGD)
