"""Checkers for the exercises of chapter 1 (the perceptron)."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

from nnlib.data import logic_gate
from nnlib.exercises import not_answered, report

__all__ = [
    "check_gate",
    "check_margin_perceptron",
    "check_novikoff",
    "check_separable_count",
]


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


def _margin_rule(X, y, m, max_epochs):
    """The margin perceptron (eta = 1, from w = 0, b = 0, samples in order): an update
    whenever y_i z_i <= m, until an epoch without update."""
    w, b, updates = np.zeros(X.shape[1]), 0.0, 0
    for _ in range(max_epochs):
        before = updates
        for x_i, y_i in zip(X, y, strict=True):
            if y_i * (x_i @ w + b) <= m:
                w, b, updates = w + y_i * x_i, b + y_i, updates + 1
        if updates == before:
            break
    return w, b, updates


def _separable_data(rng, n=16, d=2):
    """Samples at least 0.3 from the boundary of a random line, labels -1 and +1."""
    u, c = rng.normal(size=d), float(rng.normal())
    X = rng.normal(size=(4 * n, d)) * 2
    z = (X @ u + c) / np.linalg.norm(u)
    keep = np.flatnonzero(np.abs(z) > 0.3)[:n]
    return X[keep], np.where(z[keep] > 0, 1.0, -1.0)


def check_margin_perceptron(margin_perceptron):
    """Does margin_perceptron(X, y, m, max_epochs) -> (w, b, updates) train the margin
    perceptron: an update (eta = 1) whenever y_i (x_i . w + b) <= m, from w = 0, b = 0,
    samples in order, until an epoch without update?"""
    if not_answered(margin_perceptron):
        return False
    if not callable(margin_perceptron):
        return report(
            [f"margin_perceptron must be a function, got {type(margin_perceptron).__name__}"], ""
        )
    rng = np.random.default_rng(1)
    for trial, m in enumerate((0.0, 1.0, 4.0)):
        X, y = _separable_data(rng)
        w_ref, b_ref, updates_ref = _margin_rule(X, y, m, 1000)
        try:
            got = margin_perceptron(X.copy(), y.copy(), m, 1000)
        except Exception as error:  # the learner's code: report, don't crash
            return report([f"your function raised {type(error).__name__}: {error}"], "")
        if not (isinstance(got, tuple | list) and len(got) == 3):
            return report(
                [f"margin_perceptron must return three things, (w, b, updates); got {got!r:.60}"],
                "",
            )
        try:
            with np.errstate(all="ignore"):
                w, b, updates = np.asarray(got[0], dtype=float), float(got[1]), got[2]
                if not (isinstance(updates, int | np.integer) and not isinstance(updates, bool)):
                    raise TypeError
                if w.shape != w_ref.shape:
                    raise ValueError
                yz = y * (X @ w + b)
        except (TypeError, ValueError):
            return report(
                [
                    f"margin_perceptron must return w ({X.shape[1]} numbers), b (a number) and "
                    f"updates (a whole number); got {got!r:.80}"
                ],
                "",
            )
        if np.allclose(w, w_ref) and np.isclose(b, b_ref) and updates == updates_ref:
            continue
        where = f"trial {trial} (m = {m:g}): "
        if m == 0 and updates == 0 and not np.any(w) and b == 0:
            hint = (
                "your function made no update. From w = 0, b = 0 every y_i z_i is 0: a sample "
                "with y_i z_i = m must be updated too, test <= m, not < m"
            )
        elif np.all(np.isfinite(yz)) and np.min(yz) <= m:
            hint = (
                f"when your function returns, a sample still has y_i (x_i . w + b) = "
                f"{np.min(yz):.3f} <= m: keep going, epoch after epoch, until an epoch "
                "makes no update"
            )
        else:
            hint = (
                "update w by y_i x_i and b by y_i (eta = 1) right after each sample with "
                "y_i (x_i . w + b) <= m, visiting the samples in their order"
            )
        return report(
            [
                where + hint,
                f"expected w={np.round(w_ref, 3).tolist()}, b={b_ref:.3f}, updates={updates_ref}; "
                f"got w={np.round(w, 3).tolist()}, b={b + 0.0:.3f}, updates={updates}",
            ],
            "",
        )
    return report([], "your margin perceptron makes exactly the rule's updates.")


def check_separable_count(count):
    """How many of the 16 Boolean functions of two inputs can one perceptron compute?"""
    if not_answered(count):
        return False
    # Exactly XOR and XNOR are not linearly separable.
    if isinstance(count, (int, np.integer)) and not isinstance(count, bool) and count == 14:
        return report([], "14 of the 16 functions: all but XOR and XNOR.")
    hint = "count the functions whose training reaches accuracy 1.0 (there are 2**4 = 16 in all)"
    return report([f"{count!r:.40} is not right: {hint}"], "")


def _best_margin(X_aug, signs):
    """The largest margin min_i y_i u . x_i of any unit vector u: a hard-margin SVM
    without intercept (the perceptron's bias is the last entry of u)."""
    svm = LinearSVC(fit_intercept=False, loss="hinge", C=1e3, tol=1e-10, max_iter=100_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # data not separable
            v = svm.fit(X_aug, signs).coef_[0]
    except ValueError:  # one class only: no direction separates anything
        return np.nan
    return np.min(signs * (X_aug @ v)) / np.linalg.norm(v)


def check_novikoff(X, y, w, b, R, gamma):
    """Are R (largest norm of [x, 1]) and gamma (margin of the unit vector along [w, b]) right,
    and is [w, b] the direction with the largest margin, the one that gives the best bound?"""
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
    best = _best_margin(Xa, signs)
    if gamma_true <= 0:
        problems.append(
            f"u = [w, b] / |[w, b]| does not separate the data (its margin is {gamma_true:.4f}): "
            "some sample lies on the wrong side of, or on, its boundary"
        )
    elif np.isfinite(best) and gamma_true < best * (1 - 1e-6):
        problems.append(
            f"[w, b] separates the data with margin {gamma_true:.4f}, but the largest margin "
            f"is {best:.4f}: the widest line in x is not the best direction for the bound; "
            "fit an SVM without intercept to the augmented inputs [x, 1]"
        )
    return report(
        problems,
        f"R = {R_true:.4f}, gamma = {gamma_true:.4f} (the largest), "
        f"bound {(R_true / gamma_true) ** 2:.1f}.",
    )
