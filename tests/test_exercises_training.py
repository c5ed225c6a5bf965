"""Chapter 5's exercise checkers: right answers pass, wrong ones fail with feedback that
says what is wrong, placeholders (None) and broken code never raise."""

import numpy as np
import pytest

from nnlib.exercises.training import (
    check_confusion_matrix,
    check_constant_loss,
    check_early_stopping,
    check_momentum_rescue,
    check_noise_with_replacement,
    check_stratified_split,
)

X_SURF = np.random.default_rng(0).normal(size=(50, 2)) @ np.array([[1.0, 0.8], [0.0, 0.5]])
Y_SURF = X_SURF @ np.array([1.0, -1.0]) + 0.1 * np.random.default_rng(1).normal(size=50)
LAM_MAX = np.linalg.eigvalsh(2 / 50 * X_SURF.T @ X_SURF)[-1]
Y = np.array([0, 1, 1, 2, 0, 2, 2, 1, 0, 0])


@pytest.mark.parametrize(
    "checker",
    [
        check_stratified_split,
        check_noise_with_replacement,
        lambda answer: check_momentum_rescue(answer, 0.1, X_SURF, Y_SURF),
        lambda answer: check_momentum_rescue(0.5, answer, X_SURF, Y_SURF),
        check_early_stopping,
        lambda answer: check_confusion_matrix(answer, Y, Y),
        lambda answer: check_confusion_matrix(np.eye(3), Y, answer),
        lambda answer: check_constant_loss(answer, Y),
    ],
)
def test_placeholders_are_not_answered_yet(checker, capsys):
    assert checker(None) is False
    assert "Not answered yet" in capsys.readouterr().out


# --- ex-ch5-split ---------------------------------------------------------------------------


def stratified_split(y, fraction, rng):
    val = []
    for k in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == k))
        val.extend(rows[: round(fraction * len(rows))])
    val = np.sort(np.array(val, dtype=int))
    return np.setdiff1d(np.arange(len(y)), val), val


def random_split(y, fraction, rng):  # not stratified
    order = rng.permutation(len(y))
    n_val = round(fraction * len(y))
    return order[n_val:], order[:n_val]


def first_rows_split(y, fraction, rng):  # stratified, but not random
    val = np.concatenate([np.flatnonzero(y == k)[: round(fraction * np.sum(y == k))]
                          for k in np.unique(y)])
    return np.setdiff1d(np.arange(len(y)), val), val


def global_rng_split(y, fraction, rng):  # ignores the rng it is given
    return stratified_split(y, fraction, np.random.default_rng())


def test_stratified_split(capsys):
    assert check_stratified_split(stratified_split)
    assert not check_stratified_split(random_split)
    assert "belong in the validation set" in capsys.readouterr().out
    assert not check_stratified_split(first_rows_split)
    assert "at random" in capsys.readouterr().out
    assert not check_stratified_split(global_rng_split)
    assert "same rng seed must give the same split" in capsys.readouterr().out
    assert not check_stratified_split(lambda y, f, rng: (np.arange(len(y)), np.arange(3)))
    assert "exactly one of the two sets" in capsys.readouterr().out
    assert not check_stratified_split(lambda y, f, rng: stratified_split(y, f, rng)[1])
    assert not check_stratified_split(
        lambda y, f, rng: tuple(p.astype(float) for p in stratified_split(y, f, rng)))
    assert "integer row indices" in capsys.readouterr().out


# --- ex-ch5-replacement ---------------------------------------------------------------------


def test_noise_with_replacement(capsys):
    assert check_noise_with_replacement(lambda s2, n, b: s2 / b)
    assert not check_noise_with_replacement(lambda s2, n, b: s2 / b * (n - b) / (n - 1))
    assert "That is the noise without replacement" in capsys.readouterr().out
    assert not check_noise_with_replacement(lambda s2, n, b: s2 / b**2)
    assert "got" in capsys.readouterr().out
    assert not check_noise_with_replacement(lambda s2, n, b: "small")
    assert "return a number" in capsys.readouterr().out


def test_the_enumeration_agrees_with_the_formulas():
    from nnlib.exercises.training import _noise_by_enumeration

    values = np.random.default_rng(4).normal(size=6)
    s2 = np.var(values)
    for b in range(1, 7):
        with_r = _noise_by_enumeration(values, b, replace=True)
        without = _noise_by_enumeration(values, b, replace=False)
        assert np.isclose(with_r, s2 / b)
        assert np.isclose(without, s2 / b * (6 - b) / 5, atol=1e-15)


# --- ex-ch5-momentum ------------------------------------------------------------------------


def test_momentum_rescue(capsys):
    lr = 0.05 * 2 / LAM_MAX
    from nnlib.exercises.training import _heavy_ball_excess

    grid = {mu: _heavy_ball_excess(X_SURF, Y_SURF, lr, mu, (-2.0, 0.5), 30)
            for mu in np.round(np.arange(0, 1, 0.01), 2)}
    best = min(grid, key=grid.get)
    assert 0.5 < best < 0.99 and grid[best] < grid[0.0] / 10  # momentum helps a lot
    assert check_momentum_rescue(best, lr, X_SURF, Y_SURF)
    assert "times closer to the minimum" in capsys.readouterr().out
    assert not check_momentum_rescue(0.0, lr, X_SURF, Y_SURF)
    assert not check_momentum_rescue(0.99, lr, X_SURF, Y_SURF)
    assert "overshoots" in capsys.readouterr().out
    assert not check_momentum_rescue(1.0, lr, X_SURF, Y_SURF)
    assert "[0, 1)" in capsys.readouterr().out


def test_momentum_rescue_agrees_with_nnlib_sgd():
    # The checker's heavy ball is nnlib's SGD(momentum=...) on the same surface.
    from nnlib.exercises.training import _heavy_ball_excess
    from nnlib.module import Parameter
    from nnlib.optim import SGD

    w = Parameter([-2.0, 0.5])
    optimizer = SGD([w], lr=0.03, momentum=0.7)
    for _ in range(30):
        optimizer.zero_grad()
        w.grad += 2 / 50 * X_SURF.T @ (X_SURF @ w.data - Y_SURF)
        optimizer.step()
    w_star = np.linalg.lstsq(X_SURF, Y_SURF, rcond=None)[0]
    excess = np.mean((X_SURF @ w.data - Y_SURF) ** 2) - np.mean((X_SURF @ w_star - Y_SURF) ** 2)
    assert np.isclose(_heavy_ball_excess(X_SURF, Y_SURF, 0.03, 0.7, (-2.0, 0.5), 30), excess,
                      rtol=1e-10)


# --- ex-ch5-early ---------------------------------------------------------------------------


def early_stop(val_losses, patience):
    best = 1
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < val_losses[best - 1]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses), best


def early_stop_zero_based(val_losses, patience):
    stopped, best = early_stop(val_losses, patience)
    return stopped - 1, best - 1


def early_stop_ties_improve(val_losses, patience):
    best = 1
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= val_losses[best - 1]:
            best = epoch
        elif epoch - best >= patience:
            return epoch, best
    return len(val_losses), best


def test_early_stopping(capsys):
    assert check_early_stopping(early_stop)
    assert not check_early_stopping(early_stop_zero_based)
    assert "Epochs count from 1" in capsys.readouterr().out
    assert not check_early_stopping(early_stop_ties_improve)
    assert "a tie" in capsys.readouterr().out
    assert not check_early_stopping(lambda losses, patience: int(np.argmin(losses)) + 1)
    assert "return a pair" in capsys.readouterr().out
    assert early_stop([3, 2, 1, 0.5], 2) == (4, 4)
    assert early_stop([1, 2, 3, 4, 5], 2) == (3, 1)


# --- ex-ch5-confusion -----------------------------------------------------------------------


def test_confusion_matrix(capsys):
    y_pred = np.array([0, 1, 2, 2, 0, 2, 1, 1, 0, 1])
    confusion = np.zeros((3, 3), dtype=int)
    np.add.at(confusion, (Y, y_pred), 1)
    assert check_confusion_matrix(confusion, Y, y_pred)
    assert not check_confusion_matrix(confusion.T, Y, y_pred)
    assert "transposed" in capsys.readouterr().out
    assert not check_confusion_matrix(confusion + np.eye(3, dtype=int), Y, y_pred)
    assert "add up to" in capsys.readouterr().out
    assert not check_confusion_matrix(confusion[:2], Y, y_pred)
    assert "3 x 3" in capsys.readouterr().out
    assert not check_confusion_matrix(confusion, Y, y_pred.astype(float))
    assert "integer labels" in capsys.readouterr().out


# --- ex-ch5-constant ------------------------------------------------------------------------


def test_constant_loss(capsys):
    f = np.bincount(Y) / len(Y)
    entropy = -np.sum(f * np.log(f))
    assert check_constant_loss(entropy, Y)
    assert not check_constant_loss(np.log(3), Y)
    assert "not exactly equally frequent" in capsys.readouterr().out
    assert not check_constant_loss(-np.sum(f * np.log2(f)), Y)
    assert "natural logarithm" in capsys.readouterr().out
    assert not check_constant_loss(True, Y)
    # the entropy is the lowest loss of any constant answer q
    rng = np.random.default_rng(0)
    for _ in range(100):
        q = rng.dirichlet(np.ones(3))
        assert -np.sum(f * np.log(q)) >= entropy
