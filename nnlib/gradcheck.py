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
    """Central-difference estimate of the gradient of a scalar function at x.

    f: a function of no arguments that returns a float computed from the array x.
    x: float64 array of any shape; each entry is nudged in place by +eps and
        -eps, and restored.
    Returns an array of x's shape whose entry i is
    (f(x + eps e_i) - f(x - eps e_i)) / (2 eps), with e_i the i-th unit vector.
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
    """||a - b|| / max(||a|| + ||b||, tiny), over whole arrays (Euclidean norms).

    0 when a == b, at most 1 always (1 when one is zero and the other is not,
    or when b == -a). Relative, so that it does not depend on the gradient's
    scale; over whole arrays, so that entries that are zero in both (rounding
    noise around 0) do not count as huge errors.
    """
    a, b = check_same_shape(a, "a", b, "b")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), TINY))


def gradient_errors(module, X, loss=None, target=None, eps=1e-5, rng=0):
    """Compare module.backward with central differences, array by array.

    module: any Module (a layer, an activation, a Sequential network), in float64.
    X: its input batch, float64. float32 is refused: its rounding (about 1e-7 of each
        value) divided by the step eps = 1e-5 makes the differences wrong by about
        1e-3, which would make a correct backward pass look broken.
    The scalar f whose gradients are compared is loss(module(X), target) if a Loss
    is given, else sum(module(X) * R), with R a fixed random array (seeded by rng),
    so that every output entry counts, each with its own weight.
    Returns {"input": error, "parameter 0": error, ...}: the relative error of
    dL/dX and of the gradient of each of module.parameters(), in order. The
    module's .grad are left holding the backpropagated gradients.
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
