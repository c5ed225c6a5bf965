"""Checkers for the exercises of chapter 1 (the perceptron)."""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC

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


def _reference_epoch(X, y, w, b, lr, tie="<=", batch=None):
    """One epoch of Rosenblatt's rule; tie and batch give a learner's usual slips.

    tie: when a sample counts as a mistake. "<=" is the rule (y z <= 0, so a sample on
    the boundary, z = 0, is a mistake for either class); "<" lets every sample on the
    boundary pass; "H" compares the prediction H(z) with the label, which lets a +1
    sample on the boundary pass (H(0) = 1) but not a -1 sample.
    batch="sum" or "mean" judges every sample with the starting (w, b) and then makes
    one update with the sum (or the mean) of the mistakes' steps.
    """
    w, b, mistakes = np.array(w, dtype=float), float(b), 0

    def is_mistake(y_i, z):
        if tie == "H":
            return np.where(z >= 0, 1.0, -1.0) != y_i
        return y_i * z < 0 if tie == "<" else y_i * z <= 0

    if batch is not None:
        wrong = is_mistake(y, X @ w + b)
        scale = lr / len(X) if batch == "mean" else lr
        step_w, step_b = scale * (y[wrong] @ X[wrong]), scale * float(np.sum(y[wrong]))
        return w + step_w, b + step_b, int(np.sum(wrong))
    for x_i, y_i in zip(X, y, strict=True):
        if is_mistake(y_i, x_i @ w + b):
            w, b, mistakes = w + lr * y_i * x_i, b + lr * y_i, mistakes + 1
    return w, b, mistakes


_SLIPS = {  # (tie, batch): what a result that matches it means
    ("<", None): (
        "a sample exactly on the boundary, y_i (x_i . w + b) = 0, must count as a mistake: "
        "test <= 0, not < 0. Starting from w = 0, b = 0 every sample has z = 0, so with < 0 "
        "your rule never makes its first update"
    ),
    ("H", None): (
        "a sample exactly on the boundary, z = 0, must count as a mistake for either class: "
        "test y_i (x_i . w + b) <= 0. Comparing the prediction H(z) with the label lets a "
        "+1 sample with z = 0 pass (H(0) = 1), so from w = 0, b = 0 your rule skips "
        "updates that Rosenblatt's makes"
    ),
    ("<=", "sum"): (
        "your epoch judges every sample with the starting weights and then updates once "
        "with the whole batch; Rosenblatt's rule updates right after each mistake, and the "
        "next sample must see the new w and b: loop over the samples, one sample at a time"
    ),
    ("<=", "mean"): (
        "your epoch makes one update with the mean over the batch's mistakes; Rosenblatt's "
        "rule adds lr * y_i * x_i right after each mistake, one sample at a time, and the "
        "next sample must see the new w and b"
    ),
}
for _tie in ("<", "H"):
    for _batch in ("sum", "mean"):
        _SLIPS[(_tie, _batch)] = _SLIPS[("<=", _batch)] + "; and " + _SLIPS[(_tie, None)]


def _same(got, expected):
    """Does the learner's (w, b, mistakes) equal the expected one?"""
    with np.errstate(all="ignore"):
        w = np.asarray(got[0], dtype=float)
        return (
            w.shape == expected[0].shape
            and np.allclose(w, expected[0])
            and np.isclose(float(got[1]), expected[1])
            and got[2] == expected[2]
        )


def check_epoch(epoch):
    """Does epoch(X, y, w, b, lr) -> (w, b, mistakes) make one pass of Rosenblatt's rule?"""
    if not_answered(epoch):
        return False
    if not callable(epoch):
        return report([f"epoch must be a function, got {type(epoch).__name__}"], "")
    rng = np.random.default_rng(0)
    problems, slips = [], set(_SLIPS)  # the slips that every trial so far agrees with
    for trial in range(6):  # trials 0 and 5 start from w = 0, b = 0, where ties decide
        X = rng.normal(size=(12, 3))
        y = rng.choice([-1.0, 1.0], size=12)
        zero = trial in (0, 5)
        w, b, lr = rng.normal(size=3) * (not zero), float(rng.normal()) * (not zero), 0.5
        if trial == 5:
            y[0] = 1.0  # a +1 sample on the boundary first: H(0) = 1 would let it pass
        start = "w = 0, b = 0" if zero else "random w and b"
        expected = _reference_epoch(X, y, w, b, lr)
        try:
            got = epoch(X, y, w.copy(), b, lr)
        except Exception as error:  # the learner's code: report, don't crash
            return report([f"your function raised {type(error).__name__}: {error}"], "")
        if not (isinstance(got, tuple | list) and len(got) == 3):
            return report(
                [f"epoch must return three things, (w, b, mistakes); got {got!r:.60}"], ""
            )
        try:
            ok = _same(got, expected)
            slips = {
                slip
                for slip in slips
                if _same(got, _reference_epoch(X, y, w, b, lr, tie=slip[0], batch=slip[1]))
            }
        except (TypeError, ValueError):
            return report(
                [
                    "epoch must return w (an array like the w it was given), b (a number) "
                    f"and mistakes (a whole number); got {got!r:.80}"
                ],
                "",
            )
        if not ok:
            problems.append(
                f"trial {trial} (from {start}): expected "
                f"w={np.round(expected[0], 3).tolist()}, b={expected[1]:.3f}, "
                f"mistakes={expected[2]}; got w={np.round(np.asarray(got[0], float), 3).tolist()}, "
                f"b={float(got[1]) + 0.0:.3f}, mistakes={got[2]}"
            )
    if problems and slips:  # a known slip explains every trial: say what it is
        problems = [f"{_SLIPS[min(slips, key=str)]}.", *problems[:1]]
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
