"""Gradient checking: is a backward pass right? (chapter 4)

Backpropagation computes exact gradients fast, but a backward pass is easy to
get subtly wrong. A central difference (f(x + eps) - f(x - eps)) / (2 eps)
estimates each partial derivative slowly but independently of any backward
code; if the two agree to a relative error of about 1e-7 or better (float64),
the backward pass is right.
"""

import numpy as np

from nnlib.validation import check_gradcheck, check_nudgeable, check_same_shape

__all__ = ["gradcheck", "gradcheck_loss", "gradient_errors", "numerical_gradient", "relative_error"]

TINY = np.finfo(np.float64).tiny  # smallest positive float64: avoids 0 / 0


def numerical_gradient(f, x, eps=1e-5):
    """Central differences (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), for every entry i.

    f: a function of no arguments that returns a float computed from x, a float64 array
    of any shape whose entries are nudged in place, one at a time, and restored.
    """
    check_nudgeable(f, x, eps)  # x must be a float array, to be nudged in place
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old  # restore the entry before moving on
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """||a - b|| / max(||a|| + ||b||, tiny), over whole arrays: 0 if a == b, at most 1.

    Relative: independent of the gradient's scale. Over whole arrays: entries that are
    rounding noise around 0 in both do not count as huge errors.
    """
    a, b = check_same_shape(a, "a", b, "b")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), TINY))


def gradient_errors(module, X, loss=None, target=None, eps=1e-5, rng=0):
    """Compare module.backward with central differences, array by array.

    module: any Module, in float64. X: its input batch, float64 (float32's rounding,
    about 1e-7, divided by eps = 1e-5 would make a correct backward pass look broken).
    The scalar compared is loss(module(X), target) if a Loss is given, else
    sum(module(X) * R) with a fixed random R (seeded by rng). Returns {"input": error,
    "parameter 0": error, ...}: relative errors of dL/dX and of each parameter's .grad,
    which keeps the backpropagated gradient.
    """
    X = check_gradcheck(module, X, loss).copy()  # our own copy: we nudge its entries
    out = module(X)
    if loss is None:
        R = np.random.default_rng(rng).normal(size=np.shape(out))

        def f():
            return float(np.sum(module(X) * R))

        grad_out = R  # d(sum(out * R)) / d(out) = R
    else:

        def f():
            return loss(module(X), target)

        loss(out, target)
        grad_out = loss.backward()
    # Backpropagation: one backward pass gives every gradient at once.
    module.zero_grad()
    backprop = {"input": module.backward(grad_out)}
    for i, p in enumerate(module.parameters()):
        backprop[f"parameter {i}"] = p.grad.copy()
    # Central differences: two forward passes per entry of X and of each parameter.
    numeric = {"input": numerical_gradient(f, X, eps)}
    for i, p in enumerate(module.parameters()):
        numeric[f"parameter {i}"] = numerical_gradient(f, p.data, eps)
    return {name: relative_error(backprop[name], numeric[name]) for name in backprop}


def gradcheck(module, X, loss=None, target=None, eps=1e-5, rng=0):
    """The largest relative error of gradient_errors(...): one number to assert on."""
    return max(gradient_errors(module, X, loss=loss, target=target, eps=eps, rng=rng).values())


def gradcheck_loss(loss, pred, target, eps=1e-5):
    """Relative error between loss.backward() and central differences of loss(pred, target)."""
    pred = check_gradcheck(None, pred, loss, name="pred").copy()
    loss(pred, target)
    backprop = loss.backward()
    numeric = numerical_gradient(lambda: loss(pred, target), pred, eps)
    return relative_error(backprop, numeric)
