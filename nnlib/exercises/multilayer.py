"""Checkers for the exercises of chapter 2 (multi-layer networks).

Each checker prints friendly feedback and returns True or False; none raises on a
wrong or missing answer (None means "not answered yet").
"""

from itertools import product
from numbers import Integral

import numpy as np

from nnlib.exercises import not_answered, report

__all__ = [
    "check_approximation",
    "check_diamond_network",
    "check_parameter_count",
    "check_parity_network",
    "check_xor_network",
]

# rho * Delta (rho: the steepness of a sigmoid step, Delta: the width of a piece) of the
# staircase network in chapter 2 (its argument rho_delta), and the tail factor tau of its
# error bound B(N) = K (beta - alpha) / N * (1/2 + tau).
RHO_DELTA = 20.0
TAIL = 2 * np.exp(-RHO_DELTA / 2) / (1 - np.exp(-RHO_DELTA))


def _outputs(net, X, problems):
    """Run `net` on X and return its outputs as a 1-D array, or None (with a problem noted)."""
    if not callable(net):
        problems.append(f"expected a network (something callable like a Sequential), "
                        f"got {type(net).__name__}")
        return None
    try:
        out = np.asarray(net(X), dtype=np.float64)
    except Exception as error:  # the learner's network may fail in any way: report it
        problems.append(f"running the network on an input of shape {X.shape} failed with "
                        f"{type(error).__name__}: {error}")
        return None
    if out.shape not in ((len(X),), (len(X), 1)):
        problems.append(f"the network should give one output per sample, shape ({len(X)}, 1), "
                        f"got shape {out.shape}")
        return None
    return out.reshape(-1)


def check_parameter_count(answer, sizes=(784, 128, 64, 10)):
    """Is `answer` the number of parameters of the fully connected network `sizes`?"""
    if not_answered(answer):
        return False
    weights = sum(d_in * d_out for d_in, d_out in zip(sizes[:-1], sizes[1:], strict=True))
    biases = sum(sizes[1:])
    name = "-".join(str(d) for d in sizes)
    problems = []
    if isinstance(answer, bool) or not isinstance(answer, Integral):
        problems.append(f"the answer should be a whole number, got {type(answer).__name__}")
    elif answer == weights:
        problems.append(f"{answer} counts the weights only: each unit also has a bias "
                        f"({biases} biases in all)")
    elif answer == weights + sum(sizes):
        problems.append("the input layer has no biases: only layers 1..L have them")
    elif answer != weights + biases:
        problems.append(f"{answer} is not right: layer l has (d_(l-1) + 1) * d_l parameters; "
                        "add them up over the layers")
    return report(problems, f"The {name} network has {weights} weights and {biases} biases, "
                            f"{weights + biases} parameters.")


def check_parity_network(net, n_bits=3):
    """Does `net` output 1 exactly on the inputs in {0, 1}^n_bits with an odd number of ones?"""
    if not_answered(net):
        return False
    X = np.array(list(product([0.0, 1.0], repeat=n_bits)))
    target = X.sum(axis=1) % 2
    problems = []
    out = _outputs(net, X, problems)
    if out is not None:
        if not np.all(np.isin(out, (0.0, 1.0))):
            problems.append("the outputs should be 0 or 1 (end the network with a threshold unit)")
        else:
            for x, o, t in zip(X, out, target, strict=True):
                if o != t:
                    problems.append(f"input {tuple(int(v) for v in x)}: got {int(o)}, "
                                    f"expected {int(t)}")
    return report(problems, f"Your network computes the parity of {n_bits} bits on all "
                            f"{len(X)} inputs.")


def check_xor_network(net):
    """Does `net` classify the four XOR inputs right (output >= 0.5 means class 1)?"""
    if not_answered(net):
        return False
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    target = np.array([0, 1, 1, 0])
    problems = []
    out = _outputs(net, X, problems)
    if out is not None:
        for x, o, t in zip(X, out, target, strict=True):
            if int(o >= 0.5) != t:
                problems.append(f"input {tuple(int(v) for v in x)}: output {o:.3f} means class "
                                f"{int(o >= 0.5)}, expected {t}")
    return report(problems, "All four XOR inputs are classified right.")


def check_diamond_network(net, margin=0.02):
    """Is the decision region of `net` the diamond |x1| + |x2| <= 1?

    Compared on a grid over [-2, 2]^2, leaving out points within `margin` of the
    boundary (where the side a point falls on is a matter of rounding).
    """
    if not_answered(net):
        return False
    grid = np.linspace(-2.0, 2.0, 81)
    X = np.array([(u, v) for u in grid for v in grid])
    distance = np.abs(X).sum(axis=1) - 1.0
    X = X[np.abs(distance) > margin]
    inside = np.abs(X).sum(axis=1) <= 1.0
    problems = []
    out = _outputs(net, X, problems)
    if out is not None:
        predicted = out >= 0.5
        wrong_in, wrong_out = np.sum(inside & ~predicted), np.sum(~inside & predicted)
        if wrong_in:
            x = X[inside & ~predicted][0]
            problems.append(f"{wrong_in} points inside the diamond get class 0, "
                            f"for example ({x[0]:.2f}, {x[1]:.2f})")
        if wrong_out:
            x = X[~inside & predicted][0]
            problems.append(f"{wrong_out} points outside the diamond get class 1, "
                            f"for example ({x[0]:.2f}, {x[1]:.2f})")
    return report(problems, f"Your network's region is the diamond (checked on {len(X)} points).")


def check_approximation(net, n_hidden, max_error=0.05):
    """Exercise: approximate f(x) = x^2 on [-1, 1] by the staircase network of chapter 2.

    n_hidden: the smallest N for which the bound B(N) = K (beta - alpha) / N * (1/2 + tau)
        guarantees a maximum error <= max_error (K = 2, beta - alpha = 2): 41 for 0.05.
    net: a network mapping x of shape (m, 1) to (m, 1), within max_error of x^2.
    """
    if not_answered(net, n_hidden):
        return False
    problems = []
    lipschitz, width = 2.0, 2.0

    def bound(n):
        return lipschitz * width / n * (0.5 + TAIL)

    needed = int(np.ceil(lipschitz * width * (0.5 + TAIL) / max_error))
    old_bound = int(np.ceil(lipschitz * width * (1 + TAIL) / max_error))  # K Delta (1 + tau)
    if isinstance(n_hidden, bool) or not isinstance(n_hidden, Integral):
        problems.append(f"n_hidden should be a whole number, got {type(n_hidden).__name__}")
    elif n_hidden == needed - 1 and lipschitz * width / (2 * n_hidden) <= max_error:
        problems.append(f"almost: without the sigmoid tails {n_hidden} units would do, but "
                        f"B({n_hidden}) = {bound(n_hidden):.6f} > {max_error}")
    elif n_hidden == old_bound:
        problems.append(f"n_hidden = {n_hidden} comes from an error of up to K Delta per piece; "
                        "a weighted average of the two knots beside x is within K Delta / 2 "
                        "of f(x), so B(N) = K (beta - alpha) / N * (1/2 + tau)")
    elif 0 < n_hidden < needed:
        problems.append(f"n_hidden = {n_hidden} is too few for a guarantee: "
                        f"B({n_hidden}) = {bound(n_hidden):.4f} > {max_error}. x^2 may need "
                        "fewer units, but the bound must promise it")
    elif n_hidden != needed:
        problems.append(f"n_hidden = {n_hidden} is not the smallest N with B(N) <= {max_error}: "
                        "use K = max |f'| on [-1, 1] and beta - alpha = 2")
    x = np.linspace(-1.0, 1.0, 4001).reshape(-1, 1)
    out = _outputs(net, x, problems)
    if out is not None:
        error = np.max(np.abs(out - x[:, 0] ** 2))
        if not error <= max_error:  # NaN fails too
            problems.append(f"the network's maximum error on [-1, 1] is {error:.4f} "
                            f"> {max_error}")
    return report(problems, f"{needed} units guarantee an error of at most {max_error}; "
                            "your network stays within it.")
