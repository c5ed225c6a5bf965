"""Checkers for the exercises of chapter 1 (the perceptron)."""

import numpy as np

from nnlib.data import logic_gate
from nnlib.exercises import not_answered, report

__all__ = ["check_epoch", "check_gate", "check_novikoff", "check_separable_count"]


def check_gate(name, w, b):
    """Does the threshold unit step(x . w + b) compute the gate `name` on all four inputs?"""
    if not_answered(w, b):
        return False
    try:
        w, b = np.asarray(w, dtype=float).reshape(2), float(b)
    except (TypeError, ValueError):
        return report(["w must be two numbers and b one number"], "")
    X, y = logic_gate(name)
    outputs = (X @ w + b >= 0).astype(int)
    problems = [
        f"input {tuple(int(v) for v in x)}: your unit outputs {o}, {name} outputs {t}"
        for x, o, t in zip(X, outputs, y, strict=True)
        if o != t
    ]
    return report(problems, f"w = {w.tolist()}, b = {b} computes {name}.")


def _reference_epoch(X, y, w, b, lr):
    w, b, mistakes = np.array(w, dtype=float), float(b), 0
    for x_i, y_i in zip(X, y, strict=True):
        if y_i * (x_i @ w + b) <= 0:
            w, b, mistakes = w + lr * y_i * x_i, b + lr * y_i, mistakes + 1
    return w, b, mistakes


def check_epoch(epoch):
    """Does epoch(X, y, w, b, lr) -> (w, b, mistakes) make one pass of Rosenblatt's rule?"""
    if not_answered(epoch):
        return False
    rng = np.random.default_rng(0)
    problems = []
    for trial in range(5):
        X = rng.normal(size=(12, 3))
        y = rng.choice([-1.0, 1.0], size=12)
        w, b, lr = rng.normal(size=3) * (trial > 0), float(rng.normal()) * (trial > 0), 0.5
        expected = _reference_epoch(X, y, w, b, lr)
        try:
            got = epoch(X, y, w.copy(), b, lr)
            ok = (
                np.allclose(got[0], expected[0])
                and np.isclose(got[1], expected[1])
                and got[2] == expected[2]
            )
        except Exception as error:  # the learner's code: report, don't crash
            problems.append(f"your function raised {type(error).__name__}: {error}")
            break
        if not ok:
            problems.append(
                f"trial {trial}: expected w={np.round(expected[0], 3).tolist()}, "
                f"b={expected[1]:.3f}, mistakes={expected[2]}; "
                f"got w={np.round(got[0], 3).tolist()}, "
                f"b={float(got[1]):.3f}, mistakes={got[2]}"
            )
    return report(problems, "your epoch makes exactly the perceptron's updates.")


def check_separable_count(count):
    """How many of the 16 Boolean functions of two inputs can one perceptron compute?"""
    if not_answered(count):
        return False
    # Exactly XOR and XNOR are not linearly separable.
    if isinstance(count, (int, np.integer)) and not isinstance(count, bool) and count == 14:
        return report([], "14 of the 16 functions: all but XOR and XNOR.")
    hint = "count the functions whose training reaches accuracy 1.0 (there are 2**4 = 16 in all)"
    return report([f"{count!r:.40} is not right: {hint}"], "")


def check_novikoff(X, y, w, b, R, gamma):
    """Are R (largest norm of [x, 1]) and gamma (margin of the unit vector along [w, b]) right?"""
    if not_answered(R, gamma):
        return False
    try:
        R, gamma = float(R), float(gamma)
    except (TypeError, ValueError):
        return report([f"R and gamma must be numbers, got {R!r:.40} and {gamma!r:.40}"], "")
    try:
        with np.errstate(all="ignore"):
            X = np.asarray(X, dtype=float)
            Xa = np.c_[X, np.ones(len(X))]
            signs = np.where(np.asarray(y) == np.max(y), 1.0, -1.0)
            wb = np.append(np.asarray(w, dtype=float), float(b))
            u = wb / np.linalg.norm(wb)
            R_true, gamma_true = np.linalg.norm(Xa, axis=1).max(), np.min(signs * (Xa @ u))
    except (TypeError, ValueError, IndexError):
        R_true = gamma_true = np.nan  # reported just below
    if not (np.isfinite(R_true) and np.isfinite(gamma_true)):
        return report(
            [
                "X, y, w and b must be the exercise's data, X (n, d) and y (n,), and its "
                "weights: w (d numbers) and b, finite and not all zero"
            ],
            "",
        )
    problems = []
    if not np.isclose(R, R_true, rtol=1e-6):
        problems.append(
            f"R = {R:.4f} is off: R is the largest length of an augmented sample [x, 1]"
        )
    if not np.isclose(gamma, gamma_true, rtol=1e-6):
        problems.append(
            f"gamma = {gamma:.4f} is off: gamma is the smallest y_i u . [x_i, 1] over the samples, "
            "with u = [w, b] / |[w, b]|"
        )
    return report(
        problems,
        f"R = {R_true:.4f}, gamma = {gamma_true:.4f}, bound {(R_true / gamma_true) ** 2:.1f}.",
    )
