"""Checkers for the exercises of chapter 4 (backpropagation)."""

import numpy as np

from nnlib.activations import sigmoid
from nnlib.exercises import not_answered, report
from nnlib.gradcheck import gradcheck, gradcheck_loss
from nnlib.losses import Loss
from nnlib.module import Module, Parameter

__all__ = [
    "check_bce_loss",
    "check_critical_learning_rate",
    "check_forward_passes",
    "check_momentum",
    "check_silu",
]

DIGITS_NETWORK_PARAMETERS = 64 * 100 + 100 + 100 * 10 + 10  # the 64-100-10 network: 7510


def check_forward_passes(answer):
    """How many forward passes do central differences need for the 64-100-10 network's gradient?"""
    if not_answered(answer):
        return False
    P = DIGITS_NETWORK_PARAMETERS
    try:
        answer = int(answer)
    except (TypeError, ValueError, OverflowError):
        return report([f"the answer must be a whole number, got {answer!r}"], "")
    if answer == P:
        hint = "that is P, the number of parameters; each one needs two forward passes"
    elif answer == 64 * 100 + 100 * 10:
        hint = "the biases are parameters too, and each one needs its own two passes"
    elif answer in (P + 1, 2 * P + 1):
        hint = "central differences need no pass at the unperturbed point"
    else:
        hint = "count the parameters P (weights and biases of both layers), then the passes each"
    problems = [] if answer == 2 * P else [f"{answer} is not right: {hint}"]
    return report(problems, f"2P = 2 x {P} = {2 * P} forward passes, against about 3 for backprop.")


def check_critical_learning_rate(answer, X):
    """Is `answer` the learning rate above which gradient descent diverges on mean((Xw - y)^2)?"""
    if not_answered(answer):
        return False
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return report([f"the answer must be a number, got {answer!r}"], "")
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        X = np.empty(0)
    if X.ndim != 2 or X.size == 0 or not np.all(np.isfinite(X)):
        return report([f"X must be the exercise's data, a finite 2-D array, got {X!r:.60}"], "")
    eigenvalues = np.linalg.eigvalsh(2.0 / len(X) * X.T @ X)  # the Hessian's, ascending
    expected = 2.0 / eigenvalues[-1]
    if np.isclose(answer, expected, rtol=1e-2):
        return report([], f"eta* = 2 / lambda_max = {expected:.4f}: below it the iterates "
                      "converge, above it they diverge.")
    if np.isclose(answer, 1.0 / eigenvalues[-1], rtol=1e-2):
        hint = ("1 / lambda_max reaches the minimum along the steepest direction in one step; "
                "divergence starts at twice that")
    elif np.isclose(answer, 2.0 / eigenvalues[0], rtol=1e-2):
        hint = "the smallest eigenvalue sets the slowest direction; the largest decides divergence"
    else:
        hint = "compute the Hessian H = (2/n) X^T X and its largest eigenvalue lambda_max"
    return report([f"{answer:.4f} is not right: {hint}"], "")


def _probe_values():
    return np.array([[-1000.0, -30.0, -2.5, -0.3], [0.0, 0.7, 4.0, 1000.0]])


def check_silu(layer_class):
    """Is layer_class an nnlib Module computing SiLU(z) = z sigmoid(z), with a correct backward?"""
    if not_answered(layer_class):
        return False
    try:
        layer = layer_class()
    except Exception as error:  # the learner's code: report, never raise
        return report([f"{layer_class!r}() failed: {error}"], "")
    if not isinstance(layer, Module):
        return report(["the layer must be an nnlib Module (subclass Module or Activation)"], "")
    problems = []
    Z = _probe_values()
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            A = np.asarray(layer(Z), dtype=np.float64)
        if A.shape != Z.shape or not np.allclose(A, Z * sigmoid(Z), rtol=1e-12, atol=1e-300):
            problems.append("forward(Z) must return Z * sigmoid(Z), element-wise, in Z's shape")
    except FloatingPointError as error:
        problems.append(f"forward overflowed ({error}): use nnlib's stable sigmoid")
    except Exception as error:
        problems.append(f"forward failed: {type(error).__name__}: {error}")
    if not problems:
        try:
            error = gradcheck(layer, np.random.default_rng(0).normal(size=(5, 4)) * 2.0)
            if not error < 1e-7:
                problems.append(f"backward disagrees with central differences "
                                f"(relative error {error:.1e}): check the derivative")
        except Exception as error:
            problems.append(f"backward failed: {type(error).__name__}: {error}")
    return report(problems, "SiLU's forward and backward are right (relative error < 1e-7).")


def check_bce_loss(loss_class):
    """Is loss_class a Loss computing mean binary cross-entropy from logits, stably and with
    the gradient (sigmoid(z) - y) / n?"""
    if not_answered(loss_class):
        return False
    try:
        loss = loss_class()
    except Exception as error:
        return report([f"{loss_class!r}() failed: {error}"], "")
    if not isinstance(loss, Loss):
        return report(["the loss must subclass nnlib.losses.Loss"], "")
    rng = np.random.default_rng(0)
    z, y = 3.0 * rng.normal(size=8), rng.integers(0, 2, size=8)
    p = sigmoid(z)
    expected = float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))
    problems = []
    try:
        value = loss(z, y)
        if not np.isclose(value, expected, rtol=1e-10):
            problems.append(f"forward gives {value:.6f}, the mean binary cross-entropy is "
                            f"{expected:.6f}")
        grad = np.asarray(loss.backward(), dtype=np.float64)
        if grad.shape != z.shape or not np.allclose(grad, (p - y) / len(z), rtol=1e-10):
            problems.append("backward must return (sigmoid(z) - y) / n, in the shape of z")
        elif not gradcheck_loss(loss, z, y) < 1e-7:
            problems.append("backward disagrees with central differences")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            big = loss(np.array([1000.0, -1000.0]), np.array([0, 1]))
        if not np.isclose(big, 1000.0, rtol=1e-12):
            problems.append(f"for logits +-1000 and wrong labels the loss is 1000, got {big:.6g}")
    except FloatingPointError as error:
        problems.append(f"overflow or log(0) for large logits ({error}): use np.logaddexp")
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    return report(problems, "binary cross-entropy from logits: right value and gradient, stable.")


def check_momentum(optimizer_class):
    """Does optimizer_class(parameters, lr, momentum) step as v <- mu v + g, theta -= lr v?"""
    if not_answered(optimizer_class):
        return False
    c = np.array([3.0, -1.0])
    theta, v, expected = np.array([0.0, 0.0]), np.zeros(2), []
    for _ in range(4):  # the reference, on L = |theta - c|^2 / 2 (gradient theta - c)
        v = 0.9 * v + (theta - c)
        theta = theta - 0.1 * v
        expected.append(theta.copy())
    problems = []
    try:
        p = Parameter(np.zeros(2))
        opt = optimizer_class([p], lr=0.1, momentum=0.9)
        for k in range(4):
            opt.zero_grad()
            p.grad += p.data - c
            opt.step()
            if not np.allclose(p.data, expected[k], rtol=1e-12):
                problems.append(f"after step {k + 1} the parameter is {np.round(p.data, 4)}, "
                                f"expected {np.round(expected[k], 4)}")
                break
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    return report(problems, "momentum steps match v <- mu v + g, theta <- theta - lr v.")
