"""The chapter 1 checkers accept right answers, reject wrong ones, explain why, and never raise."""

import numpy as np
import pytest

from nnlib.data import logic_gate
from nnlib.exercises.perceptron import (
    check_epoch,
    check_gate,
    check_novikoff,
    check_separable_count,
)


def rosenblatt(X, y, w, b, lr):
    mistakes = 0
    for x_i, y_i in zip(X, y, strict=True):
        if y_i * (x_i @ w + b) <= 0:
            w, b, mistakes = w + lr * y_i * x_i, b + lr * y_i, mistakes + 1
    return w, b, mistakes


def strict(X, y, w, b, lr):  # writes < where the rule needs <=
    mistakes = 0
    for x_i, y_i in zip(X, y, strict=True):
        if y_i * (x_i @ w + b) < 0:
            w, b, mistakes = w + lr * y_i * x_i, b + lr * y_i, mistakes + 1
    return w, b, mistakes


def by_prediction(X, y, w, b, lr):  # compares H(z) with the label: z = 0 passes for +1
    mistakes = 0
    for x_i, y_i in zip(X, y, strict=True):
        if (1.0 if x_i @ w + b >= 0 else -1.0) != y_i:
            w, b, mistakes = w + lr * y_i * x_i, b + lr * y_i, mistakes + 1
    return w, b, mistakes


def whole_batch(X, y, w, b, lr):  # one update with every mistake of the epoch
    wrong = y * (X @ w + b) <= 0
    return w + lr * y[wrong] @ X[wrong], b + lr * y[wrong].sum(), int(wrong.sum())


def batch_mean(X, y, w, b, lr):
    wrong = y * (X @ w + b) <= 0
    return (
        w + lr * y[wrong] @ X[wrong] / len(X),
        b + lr * y[wrong].sum() / len(X),
        int(wrong.sum()),
    )


def strict_batch(X, y, w, b, lr):
    wrong = y * (X @ w + b) < 0
    return w + lr * y[wrong] @ X[wrong], b + lr * y[wrong].sum(), int(wrong.sum())


def test_placeholders_are_not_answers(capsys):
    assert not check_gate("NOR", None, 0.5)
    assert not check_epoch(None)
    assert not check_separable_count(None)
    assert not check_novikoff([[0.0, 0.0]], [0], [1, 1], 0.0, None, 0.1)
    assert capsys.readouterr().out.count("Not answered yet") == 4


def test_gate(capsys):
    assert check_gate("NOR", [-1.0, -1.0], 0.5)
    assert not check_gate("NOR", [1.0, 1.0], -0.5)  # OR, not NOR
    assert "NOR outputs" in capsys.readouterr().out
    assert not check_gate("NOR", "w", 0.5)


def test_epoch_accepts_the_rule(capsys):
    assert check_epoch(rosenblatt)
    assert "Correct!" in capsys.readouterr().out


def test_epoch_explains_that_z_zero_is_a_mistake(capsys):
    assert not check_epoch(strict)
    out = capsys.readouterr().out
    assert "must count as a mistake" in out and "<= 0, not < 0" in out
    assert "w = 0, b = 0" in out and "never makes its first update" in out


def test_epoch_explains_that_z_zero_is_a_mistake_for_either_class(capsys):
    assert not check_epoch(by_prediction)
    out = capsys.readouterr().out
    assert "for either class" in out and "H(0) = 1" in out
    assert "<= 0, not < 0" not in out and "one sample at a time" not in out


@pytest.mark.parametrize("answer", [whole_batch, batch_mean], ids=["sum", "mean"])
def test_epoch_recognises_a_whole_batch_update(answer, capsys):
    assert not check_epoch(answer)
    out = capsys.readouterr().out
    assert "one sample at a time" in out and "must see the new w and b" in out
    assert "<= 0, not < 0" not in out


def test_epoch_names_both_slips_at_once(capsys):
    assert not check_epoch(strict_batch)
    out = capsys.readouterr().out
    assert "one sample at a time" in out and "<= 0, not < 0" in out


def test_epoch_reports_other_errors_without_raising(capsys):
    assert not check_epoch(lambda X, y, w, b, lr: (w, b, 0))  # never updates
    assert "expected w=" in capsys.readouterr().out
    assert not check_epoch(lambda X, y, w, b, lr: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not check_epoch(lambda X, y, w, b, lr: w)  # forgot b and mistakes
    assert "three things" in capsys.readouterr().out
    assert not check_epoch(lambda X, y, w, b, lr: ("w", "b", "m"))
    assert "a whole number" in capsys.readouterr().out
    assert not check_epoch(lambda X, y, w, b, lr: (w, b, np.zeros(3)))
    assert not check_epoch("epoch")
    assert "must be a function" in capsys.readouterr().out


def test_separable_count(capsys):
    assert check_separable_count(14)
    assert not check_separable_count(16)
    assert not check_separable_count(12)  # the two constant functions left out
    assert not check_separable_count(14.0)
    assert not check_separable_count(True)
    assert "is not right" in capsys.readouterr().out


def test_novikoff(capsys):
    X, y = logic_gate("AND")
    # The largest margin on the augmented AND: v = (2, 2, -3) meets y_i v . [x_i, 1] >= 1
    # with equality at (0, 1), (1, 0) and (1, 1), and it is a non-negative combination of
    # those y_i [x_i, 1] (the optimality conditions of the SVM): gamma = 1/|v| = 1/sqrt(17).
    w, b = np.array([2.0, 2.0]), -3.0
    Xa = np.c_[X, np.ones(4)]
    yz = (2 * y - 1) * (Xa @ np.append(w, b))
    assert yz.min() == 1 and np.array_equal(yz == 1, [False, True, True, True])
    support = (2 * y - 1)[1:, None] * Xa[1:]  # y_i [x_i, 1] of the three
    assert np.array_equal(np.array([5, 5, 7]) @ support, np.append(w, b))
    u = np.append(w, b) / np.linalg.norm(np.append(w, b))
    R, gamma = np.linalg.norm(Xa, axis=1).max(), np.min((2 * y - 1) * (Xa @ u))
    assert np.isclose(gamma, 1 / np.sqrt(17))
    assert check_novikoff(X, y, w, b, R, gamma)
    assert "(the largest)" in capsys.readouterr().out
    assert check_novikoff(X, y, w / 2, b / 2, R, gamma)  # the same direction
    assert not check_novikoff(X, y, w, b, np.linalg.norm(X, axis=1).max(), gamma)  # not augmented
    assert "augmented" in capsys.readouterr().out
    assert not check_novikoff(X, y, w, b, R, 0.5 / np.sqrt(2))  # the margin of the line in x
    assert not check_novikoff(X, y, w, b, "R", gamma)
    assert not check_novikoff(X, y, [0.0, 0.0], 0.0, R, gamma)


def test_novikoff_wants_the_best_direction(capsys):
    X, y = logic_gate("AND")
    Xa = np.c_[X, np.ones(4)]
    for w, b in [([1.0, 1.0], -1.2), ([1.0, 1.0], -1.5 + 1e-3)]:  # separate, not the best
        u = np.append(w, b) / np.linalg.norm(np.append(w, b))
        R, gamma = np.linalg.norm(Xa, axis=1).max(), np.min((2 * y - 1) * (Xa @ u))
        assert 0 < gamma < 1 / np.sqrt(17)
        assert not check_novikoff(X, y, w, b, R, gamma)
        out = capsys.readouterr().out
        assert "the largest margin is 0.2425" in out and "without intercept" in out
    u = np.array([1.0, 1.0, -0.5]) / 1.5  # OR's line: misclassifies (0, 1) and (1, 0)
    assert not check_novikoff(X, y, u[:2], u[2], np.sqrt(3), np.min((2 * y - 1) * (Xa @ u)))
    assert "does not separate" in capsys.readouterr().out


def test_novikoff_rejects_the_widest_line_in_x_on_the_centred_irises(capsys):
    """The exercise's trap: an SVM with intercept gives the widest line in x, not the best u."""
    from sklearn.svm import SVC

    from nnlib.data import load_iris_2d

    X, y = load_iris_2d(
        classes=("setosa", "versicolor"), features=("sepal length (cm)", "petal length (cm)")
    )
    X = X - X.mean(axis=0)
    Xa, signs = np.c_[X, np.ones(len(X))], np.where(y == 1, 1.0, -1.0)
    svm = SVC(kernel="linear", C=1e6).fit(X, y)
    w, b = svm.coef_[0], svm.intercept_[0]
    u = np.append(w, b) / np.linalg.norm(np.append(w, b))
    R, gamma = np.linalg.norm(Xa, axis=1).max(), np.min(signs * (Xa @ u))
    assert not check_novikoff(X, y, w, b, R, gamma)
    assert "the largest margin is 0.5087" in capsys.readouterr().out
