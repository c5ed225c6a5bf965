"""Checkers for the exercises of chapter 4 (backpropagation)."""

import numpy as np

from nnlib.activations import Tanh, sigmoid
from nnlib.autodiff import Tensor
from nnlib.exercises import not_answered, report
from nnlib.gradcheck import gradcheck_loss, gradient_errors, relative_error
from nnlib.layers import Linear, Sequential
from nnlib.losses import Loss
from nnlib.module import Module

__all__ = [
    "check_bce_loss",
    "check_critical_learning_rate",
    "check_multiply_adds",
    "check_residual",
    "check_tensor_exp",
]

DIGITS_SIZES, BATCH = (64, 100, 10), 32  # the 64-100-10 digits network, a batch of 32


def _whole_number(answer):
    """answer as a Python int if it is a whole number (an int, or a float such as 2e5)."""
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return int(value) if np.isfinite(value) and value == int(value) else None


def check_multiply_adds(forward, backward, finite_differences):
    """Multiply-adds in the matrix products of the 64-100-10 network on a batch of 32: one
    forward pass, one backward pass with model[0].needs_input_grad = False, and the
    central differences of the whole gradient."""
    if not_answered(forward, backward, finite_differences):
        return False
    answers = {"forward": forward, "backward": backward,
               "finite_differences": finite_differences}
    counts = {name: _whole_number(value) for name, value in answers.items()}
    bad = [f"{name} must be a whole number, got {answers[name]!r:.40}"
           for name, value in counts.items() if value is None]
    if bad:
        return report(bad, "")
    (d0, d1, d2), n = DIGITS_SIZES, BATCH
    P = d0 * d1 + d1 + d1 * d2 + d2
    fwd = n * (d0 * d1 + d1 * d2)  # X W1 and A1 W2
    bwd = n * (d0 * d1 + 2 * d1 * d2)  # X^T G1; A1^T G2 and G2 W2^T (no G1 W1^T)
    expected = {"forward": fwd, "backward": bwd, "finite_differences": 2 * P * fwd}
    hints = {
        "forward": {fwd // n: "multiply by the batch size: every sample goes through both "
                              "products",
                    n * (d0 * d1 + d1 + d1 * d2 + d2): "adding a bias is not a multiply-add "
                                                       "of a matrix product"},
        "backward": {2 * fwd: "the first layer skips dL/dX (needs_input_grad = False): it "
                              "computes only X^T G",
                     3 * fwd: "that is the forward and the backward pass together; count "
                              "the backward pass alone"},
        "finite_differences": {P * fwd: "central differences need two forward passes per "
                                        "parameter",
                               2 * P * fwd // n: "each forward pass runs the whole batch "
                                                 "of 32"},
    }
    problems = []
    for name, value in counts.items():
        if value != expected[name]:
            hint = hints[name].get(value, "count n d_in d_out for each product (n, d_in) @ "
                                          "(d_in, d_out)")
            problems.append(f"{name} = {value} is not right: {hint}")
    return report(problems, f"forward {fwd}, backward {bwd} ({bwd / fwd:.2f} forward "
                  f"passes),\ncentral differences {2 * P * fwd} (2P = {2 * P} forward passes).")


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
        return report([], f"eta* = 2 / lambda_max = {expected:.4f}: below it the\n"
                      "iterates converge, above it they diverge.")
    if np.isclose(answer, 1.0 / eigenvalues[-1], rtol=1e-2):
        hint = ("1 / lambda_max reaches the minimum along the steepest direction in one step; "
                "divergence starts at twice that")
    elif np.isclose(answer, 2.0 / eigenvalues[0], rtol=1e-2):
        hint = "the smallest eigenvalue sets the slowest direction; the largest decides divergence"
    else:
        hint = "compute the Hessian H = (2/n) X^T X and its largest eigenvalue lambda_max"
    return report([f"{answer:.4f} is not right: {hint}"], "")


def check_residual(block_class):
    """Is block_class(layer) a Module computing X + layer(X), with the backward pass of both
    paths and the layer's parameters?"""
    if not_answered(block_class):
        return False
    rng = np.random.default_rng(0)
    layer = Sequential(Linear(4, 4, rng=rng), Tanh(), Linear(4, 4, rng=rng))
    layer[0].bias.data[...] = rng.normal(size=4)
    X = rng.normal(size=(5, 4))
    try:
        block = block_class(layer)
    except Exception as error:  # the learner's code: report, never raise
        return report([f"{block_class!r:.40}(layer) failed: {error}"], "")
    if not isinstance(block, Module):
        return report(["the block must be an nnlib Module (subclass Module)"], "")
    problems = []
    try:
        if not np.allclose(block(X), X + layer(X), rtol=1e-12):
            problems.append("forward(X) must return X + layer.forward(X)")
        if [id(p) for p in block.parameters()] != [id(p) for p in layer.parameters()]:
            problems.append("parameters() must return the layer's parameters (an optimiser "
                            "needs them)")
        errors = gradient_errors(block, X)
        if not problems and errors["input"] > 1e-7:
            problems.append("dL/dX is wrong: X reaches the output along two paths, the skip "
                            "and the layer; backward must add both gradients")
        if not problems and max(errors.values()) > 1e-7:
            problems.append("the parameters' gradients are wrong: backward must call the "
                            "layer's backward once")
    except Exception as error:
        problems.append(f"{type(error).__name__}: {error}")
    return report(problems, "the block's backward adds the two paths,\n"
                  "dL/dX = G + layer.backward(G), and passes the gradient check.")


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


def check_tensor_exp(tensor_exp):
    """Is tensor_exp(t) an autodiff operation: a Tensor exp(t.data), with t as its parent
    and a rule that adds out.grad * exp(t.data) into t.grad?"""
    if not_answered(tensor_exp):
        return False
    if not callable(tensor_exp):
        return report([f"tensor_exp must be a function of a Tensor, got {tensor_exp!r:.40}"],
                      "")
    rng = np.random.default_rng(0)
    x0, R = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    problems = []
    try:
        x = Tensor(x0)
        out = tensor_exp(x)
        if not isinstance(out, Tensor):
            problems.append("tensor_exp(t) must return a new Tensor: Tensor(value, (t,))")
        elif not np.allclose(out.data, np.exp(x0), rtol=1e-12):
            problems.append("its data must be np.exp(t.data)")
        else:
            (out * R).sum().backward()
            if not np.any(x.grad):
                problems.append("t.grad stayed 0: give the result its parent, Tensor(value, "
                                "(t,)), and set its rule, out.rule = rule")
            elif relative_error(x.grad, R * np.exp(x0)) > 1e-7:
                problems.append("the rule must add out.grad * exp(t.data) into t.grad")
            else:
                x = Tensor(x0)
                (tensor_exp(x) + tensor_exp(x)).sum().backward()
                if relative_error(x.grad, 2 * np.exp(x0)) > 1e-7:
                    problems.append("t used twice gets one gradient only: the rule must add "
                                    "(+=) into t.grad, not overwrite it")
    except Exception as error:  # the learner's code: report, never raise
        problems.append(f"{type(error).__name__}: {error}")
    return report(problems, "exp is an operation of the engine: its rule passes\n"
                  "out.grad * exp(t.data) back, and gradients add up.")
