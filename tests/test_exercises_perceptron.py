"""The chapter 1 checkers accept right answers, reject wrong ones, explain why, and never raise."""

from functools import partial

import numpy as np
import pytest

from nnlib.data import logic_gate
from nnlib.exercises.perceptron import (
    check_gate,
    check_margin_perceptron,
    check_novikoff,
    check_separable_count,
)


def margin_rule(X, y, m, max_epochs, strict=False, one_epoch=False, no_bias=False):
    """The margin perceptron, and with a flag each of a learner's usual slips."""
    w, b, updates = np.zeros(X.shape[1]), 0.0, 0
    for _ in range(1 if one_epoch else max_epochs):
        before = updates
        for x_i, y_i in zip(X, y, strict=True):
            yz = y_i * (x_i @ w + b)
            if (yz < m) if strict else (yz <= m):
                w, b, updates = w + y_i * x_i, b + (0.0 if no_bias else y_i), updates + 1
        if updates == before:
            break
    return w, b, updates


def whole_batch(X, y, m, max_epochs):  # one update per epoch with every sample too close
    w, b, updates = np.zeros(X.shape[1]), 0.0, 0
    for _ in range(max_epochs):
        close = y * (X @ w + b) <= m
        if not close.any():
            break
        w, b, updates = w + y[close] @ X[close], b + y[close].sum(), updates + int(close.sum())
    return w, b, updates


def test_placeholders_are_not_answers(capsys):
    assert not check_gate("NOR", None, 0.5)
    assert not check_margin_perceptron(None)
    assert not check_separable_count(None)
    assert not check_novikoff([[0.0, 0.0]], [0], [1, 1], 0.0, None, 0.1)
    assert capsys.readouterr().out.count("Not answered yet") == 4


def test_gate(capsys):
    assert check_gate("NOR", [-1.0, -1.0], 0.5)
    assert not check_gate("NOR", [1.0, 1.0], -0.5)  # OR, not NOR
    assert "NOR outputs" in capsys.readouterr().out
    assert not check_gate("NOR", "w", 0.5)


def test_margin_perceptron_accepts_the_rule(capsys):
    assert check_margin_perceptron(margin_rule)
    assert "Correct!" in capsys.readouterr().out
    # The reference makes updates in every trial, and more for a larger m: the trials
    # can tell the rule from a slip.
    from nnlib.exercises.perceptron import _margin_rule, _separable_data

    rng = np.random.default_rng(1)
    counts = [_margin_rule(*_separable_data(rng), m, 1000)[2] for m in (0.0, 1.0, 4.0)]
    assert 0 < counts[0] <= counts[2]


def test_margin_perceptron_explains_that_y_z_equal_to_m_is_updated(capsys):
    assert not check_margin_perceptron(partial(margin_rule, strict=True))
    out = capsys.readouterr().out
    assert "made no update" in out and "<= m, not < m" in out


def test_margin_perceptron_explains_that_it_must_train_until_no_update(capsys):
    assert not check_margin_perceptron(partial(margin_rule, one_epoch=True))
    out = capsys.readouterr().out
    assert "until an epoch makes no update" in out and "expected w=" in out


@pytest.mark.parametrize(
    "answer", [partial(margin_rule, no_bias=True), whole_batch], ids=["no bias", "batch"]
)
def test_margin_perceptron_rejects_other_rules(answer, capsys):
    assert not check_margin_perceptron(answer)
    assert "expected w=" in capsys.readouterr().out


def test_margin_perceptron_reports_other_errors_without_raising(capsys):
    assert not check_margin_perceptron(lambda X, y, m, max_epochs: 1 / 0)
    assert "ZeroDivisionError" in capsys.readouterr().out
    assert not check_margin_perceptron(lambda X, y, m, max_epochs: np.zeros(2))
    assert "three things" in capsys.readouterr().out
    assert not check_margin_perceptron(lambda X, y, m, max_epochs: ("w", "b", "u"))
    assert "a whole number" in capsys.readouterr().out
    assert not check_margin_perceptron(lambda X, y, m, max_epochs: (np.zeros(3), 0.0, 0))
    assert "2 numbers" in capsys.readouterr().out
    assert not check_margin_perceptron(lambda X, y, m, max_epochs: (np.zeros(2), 0.0, 1.0))
    assert not check_margin_perceptron("margin_perceptron")
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
