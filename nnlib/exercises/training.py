"""Checkers for the exercises of chapter 5 (training networks on real data).

Each checker prints friendly feedback and returns True or False; a None
placeholder gets "not answered yet" instead of an error, and an answer that
crashes is reported, not raised.
"""

import itertools

import numpy as np

from nnlib.exercises import not_answered, report

__all__ = [
    "check_confusion_matrix",
    "check_constant_loss",
    "check_early_stopping",
    "check_momentum_rescue",
    "check_noise_with_replacement",
    "check_stratified_split",
]


def _call(function, *args):
    """(result, None), or (None, a problem) if `function` is not callable or raises."""
    if not callable(function):
        return None, f"pass a function, got {type(function).__name__}"
    try:
        return function(*args), None
    except Exception as error:  # the learner's code may raise anything; report it kindly
        return None, f"calling your function raised {type(error).__name__}: {error}"


def _is_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


# --- ex-ch5-split ---------------------------------------------------------------------


def _label_sets():
    rng = np.random.default_rng(5)
    return [
        np.repeat(np.arange(10), 40),  # balanced
        rng.permutation(np.repeat([0, 1, 2], [90, 30, 6])),  # imbalanced, shuffled
        rng.integers(0, 4, size=97),  # uneven counts
        np.array([2, 0, 2, 1, 2, 0, 2, 2]),  # tiny classes
    ]


def check_stratified_split(split):
    """Does split(y, fraction, rng) put round(fraction * count) rows of every class into
    the validation set, at random, with every row in exactly one of the two sets?"""
    if not_answered(split):
        return False
    problems = []
    for y, fraction in itertools.product(_label_sets(), (0.25, 0.5)):
        result, problem = _call(split, y, fraction, np.random.default_rng(0))
        if problem:
            return report([problem], "")
        try:
            train, val = (np.asarray(part) for part in result)
        except (TypeError, ValueError):
            return report([f"return two arrays of row indices, got {type(result).__name__}"],
                          "")
        if not (np.issubdtype(train.dtype, np.integer) and np.issubdtype(val.dtype, np.integer)):
            return report([f"return arrays of integer row indices, got {train.dtype} and "
                           f"{val.dtype}"], "")
        rows = np.concatenate([train.ravel(), val.ravel()])
        if sorted(rows.tolist()) != list(range(len(y))):
            problems.append(f"for {len(y)} labels, every row 0..{len(y) - 1} must be in "
                            "exactly one of the two sets")
            break
        for k in np.unique(y):
            count, got = int(np.sum(y == k)), int(np.sum(y[val] == k))
            want = round(fraction * count)
            if got != want:
                problems.append(f"class {k} has {count} rows; with fraction {fraction} "
                                f"round({fraction} * {count}) = {want} of them belong in "
                                f"the validation set, got {got}")
                break
        if problems:
            break
    if not problems:
        y = _label_sets()[0]
        splits = [_call(split, y, 0.25, np.random.default_rng(seed)) for seed in (0, 0, 1)]
        if any(problem for _, problem in splits):
            return report([next(problem for _, problem in splits if problem)], "")
        vals = [np.sort(np.asarray(result[1])) for result, _ in splits]
        if not np.array_equal(vals[0], vals[1]):
            problems.append("the same rng seed must give the same split: use the rng you "
                            "are given for every random choice")
        elif np.array_equal(vals[0], vals[2]):
            problems.append("another seed gives the same validation rows: choose them at "
                            "random with rng (for example rng.permutation)")
        elif np.array_equal(vals[0], np.sort(np.concatenate(
                [np.flatnonzero(y == k)[:10] for k in range(10)]))):
            problems.append("the validation rows are the first rows of each class: draw "
                            "them at random")
    return report(problems, "each class is split in proportion, at random.")


# --- ex-ch5-replacement -----------------------------------------------------------------


def _noise_by_enumeration(values, batch_size, replace):
    """The exact mean squared error of a batch mean, over every possible batch."""
    n = len(values)
    if replace:
        batches = itertools.product(range(n), repeat=batch_size)
    else:
        batches = itertools.combinations(range(n), batch_size)
    errors = [(values[list(b)].mean() - values.mean()) ** 2 for b in batches]
    return float(np.mean(errors))


def check_noise_with_replacement(noise):
    """Does noise(s2, n, batch_size) give E|g_B - g|^2 for B draws with replacement?
    Compared with an exact enumeration of every possible minibatch of small data sets."""
    if not_answered(noise):
        return False
    rng = np.random.default_rng(3)
    problems = []
    for n, batch_size in ((5, 1), (5, 2), (6, 3), (4, 4)):
        values = rng.normal(size=n)
        s2 = float(np.mean((values - values.mean()) ** 2))
        got, problem = _call(noise, s2, n, batch_size)
        if problem:
            return report([problem], "")
        if not _is_number(got) or not np.isfinite(got):
            return report([f"return a number, got {got!r:.60}"], "")
        exact = _noise_by_enumeration(values, batch_size, replace=True)
        without = _noise_by_enumeration(values, batch_size, replace=False)
        if not np.isclose(got, exact, rtol=1e-9):
            hint = (" That is the noise without replacement: with replacement the B draws "
                    "are independent, and no factor (n - B)/(n - 1) appears."
                    if np.isclose(got, without, rtol=1e-9) else "")
            problems.append(f"for s2 = {s2:.4f}, n = {n}, B = {batch_size} the "
                            f"noise is {exact:.4f} (every possible minibatch counted), "
                            f"got {float(got):.4f}.{hint}")
            break
    return report(problems, "independent draws: the noise is s^2 / B, whatever n.")


# --- ex-ch5-momentum ------------------------------------------------------------------


def _heavy_ball_excess(X, y, lr, momentum, w0, steps):
    """L(w) - L(w*) after `steps` heavy-ball steps on the mean squared error of (X, y)."""
    w, v = np.array(w0, dtype=np.float64), np.zeros(X.shape[1])
    for _ in range(steps):
        v = momentum * v + 2 / len(X) * X.T @ (X @ w - y)
        w = w - lr * v
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    return float(np.mean((X @ w - y) ** 2) - np.mean((X @ w_star - y) ** 2))


def check_momentum_rescue(momentum, lr, X, y, w0=(-2.0, 0.5), steps=30):
    """Is `momentum` (nearly) the best heavy-ball momentum for the learning rate `lr`,
    judged by the loss after `steps` steps from w0 on the mean squared error of (X, y)?
    Accepted if its excess loss is at most twice the best over mu = 0, 0.01, ..., 0.99."""
    if not_answered(momentum, lr):
        return False
    if not _is_number(momentum) or not 0 <= momentum < 1:
        return report([f"momentum must be a number in [0, 1), got {momentum!r:.60}"], "")
    if not _is_number(lr) or not 0 < lr < np.inf:
        return report([f"lr must be a positive number, got {lr!r:.60}"], "")
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        grid = {mu: _heavy_ball_excess(X, y, lr, mu, w0, steps)
                for mu in np.round(np.arange(0, 1, 0.01), 2)}
        yours = _heavy_ball_excess(X, y, lr, float(momentum), w0, steps)
    best_mu = min(grid, key=grid.get)
    if not np.isfinite(yours) or yours > 2 * grid[best_mu]:
        overshoot = (" Too much momentum overshoots and swings around the minimum."
                     if momentum > best_mu else "")
        return report([f"with momentum {momentum} the loss after {steps} steps is "
                       f"{yours:.3g} above the minimum; the best momentum on the grid "
                       f"gets {grid[best_mu]:.3g}.{overshoot}"], "")
    return report([], f"momentum {momentum} leaves the loss {grid[0.0] / yours:.0f} times "
                      "closer to the minimum than plain gradient descent at this rate.")


# --- ex-ch5-early -----------------------------------------------------------------------


def _early_stop(val_losses, patience):
    best = 1
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < val_losses[best - 1]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses), best


def check_early_stopping(early_stop):
    """Does early_stop(val_losses, patience) return (stopped, best) by the patience rule?
    Compared with a reference on made-up curves: falling, rising, flat, with ties."""
    if not_answered(early_stop):
        return False
    rng = np.random.default_rng(2)
    curves = [
        ([3.0, 2.0, 1.0, 0.5], 2, "a curve that keeps falling"),
        ([1.0, 2.0, 3.0, 4.0, 5.0], 2, "a curve that rises from the start"),
        ([2.0, 1.0, 1.0, 1.0, 1.0, 0.5], 3, "a tie (equal to the best is no improvement)"),
        ([2.0, 1.5, 1.7, 1.4, 1.6, 1.8, 1.9], 2, "a curve that dips twice"),
        ([1.0, 0.9, 1.1], 1, "patience 1"),
        (list(np.cumsum(rng.normal(size=60)) + 10), 5, "a random walk"),
    ]
    problems = []
    for losses, patience, what in curves:
        got, problem = _call(early_stop, np.array(losses), patience)
        if problem:
            return report([problem], "")
        want = _early_stop(losses, patience)
        try:
            ok = tuple(int(v) for v in got) == want
        except (TypeError, ValueError):
            return report([f"return a pair (stopped, best) of epochs, got {got!r:.60}"], "")
        if not ok:
            hint = (" Epochs count from 1." if tuple(int(v) + 1 for v in got) == want else "")
            problems.append(f"for {what}, validation losses {np.round(losses[:8], 2).tolist()}"
                            f"{' ...' if len(losses) > 8 else ''} and patience {patience}, "
                            f"expected (stopped, best) = {want}, got {tuple(got)}.{hint}")
            break
    return report(problems, "stops after `patience` epochs without improvement, keeps the "
                            "best epoch.")


# --- ex-ch5-confusion -------------------------------------------------------------------


def check_confusion_matrix(confusion, y_true, y_pred):
    """Is `confusion` the confusion matrix of y_pred against y_true: entry (i, j) the
    number of samples of class i predicted as class j (scikit-learn's convention)?"""
    if not_answered(confusion, y_pred):
        return False
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if (
        y_pred.shape != y_true.shape
        or y_true.ndim != 1
        or not np.issubdtype(y_pred.dtype, np.integer)
        or not np.issubdtype(y_true.dtype, np.integer)
        or min(y_true.min(initial=0), y_pred.min(initial=0)) < 0
    ):
        return report([f"y_true and y_pred must be integer labels 0, 1, ..., one per sample "
                       f"({y_true.shape[0] if y_true.ndim else '?'} of them), got y_pred "
                       f"{y_pred.dtype} of shape {y_pred.shape}"], "")
    k = int(max(y_true.max(initial=0), y_pred.max(initial=0))) + 1
    expected = np.zeros((k, k), dtype=int)
    np.add.at(expected, (y_true, y_pred), 1)
    try:
        confusion = np.asarray(confusion, dtype=np.float64)
    except (TypeError, ValueError):
        return report([f"pass the matrix as an array of counts, got "
                       f"{type(confusion).__name__}"], "")
    if confusion.shape != expected.shape:
        return report([f"expected a {k} x {k} matrix (one row and one column per class), got "
                       f"shape {confusion.shape}"], "")
    if np.array_equal(confusion, expected):
        return report([], "rows are the true classes, columns the predictions.")
    if np.array_equal(confusion, expected.T):
        hint = "the matrix is transposed: rows are the true classes, columns the predictions"
    elif confusion.sum() != len(y_true):
        hint = f"the counts add up to {confusion.sum():g}, not to the {len(y_true)} samples"
    else:
        i, j = np.argwhere(confusion != expected)[0]
        hint = (f"entry ({i}, {j}) should count the class-{i} samples predicted as {j}: "
                f"{expected[i, j]}, got {confusion[i, j]:g}")
    return report([hint], "")


# --- ex-ch5-constant --------------------------------------------------------------------


def check_constant_loss(loss, y):
    """Is `loss` the lowest cross-entropy of a constant answer for labels y: the entropy
    -sum_k p_k log p_k of the class frequencies p?"""
    if not_answered(loss):
        return False
    if not _is_number(loss) or not np.isfinite(loss):
        return report([f"pass the loss as a number, got {loss!r:.60}"], "")
    try:
        f = np.bincount(np.asarray(y)) / len(y)
    except (TypeError, ValueError) as error:
        return report([f"y must be integer labels 0 .. k - 1: {error}"], "")
    f = f[f > 0]
    entropy = float(-np.sum(f * np.log(f)))
    if np.isclose(loss, entropy, rtol=1e-9):
        return report([], f"the entropy of the class frequencies, {entropy:.4f}.")
    if np.isclose(loss, np.log(len(f)), rtol=1e-9):
        hint = (f"log {len(f)} is the loss of equal probabilities 1/{len(f)}; the classes "
                "are not exactly equally frequent, and predicting their frequencies does "
                "better")
    elif np.isclose(loss, -np.sum(f * np.log2(f)), rtol=1e-9):
        hint = "use the natural logarithm, as the cross-entropy does, not log2"
    else:
        hint = f"expected -sum_k p_k log p_k = {entropy:.4f}, got {float(loss):.4f}"
    return report([hint], "")
