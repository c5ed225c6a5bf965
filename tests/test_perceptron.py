"""nnlib.Perceptron: the learning rule, the convergence bound, scikit-learn's API."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Perceptron as SkPerceptron

from nnlib.data import load_iris_2d, logic_gate
from nnlib.perceptron import Perceptron


def test_learns_and_gate_with_the_textbook_updates():
    X, y = logic_gate("AND")
    p = Perceptron().fit(X, y)
    assert p.score(X, y) == 1.0
    assert p.converged_ and p.mistakes_[-1] == 0
    assert p.n_iter_ == len(p.mistakes_)
    # Every update moves [w, b] by lr * y_i * [x_i, 1]: the history's steps say so.
    steps = np.diff(p.history_, axis=0)
    assert len(steps) == sum(p.mistakes_)
    assert np.all(np.isin(np.abs(steps[:, -1]), [1.0]))
    assert np.allclose(p.history_[-1], np.append(p.coef_, p.intercept_))


def test_first_update_by_hand():
    # Zero weights: the first sample is a mistake (z = 0), so w = y_1 x_1, b = y_1.
    X = np.array([[2.0, 1.0], [-1.0, -3.0]])
    p = Perceptron(max_epochs=1).fit(X, [1, 0])
    assert np.allclose(p.history_[1], [2.0, 1.0, 1.0])  # label 1 is the positive class


def test_predict_returns_the_original_labels():
    X, y = load_iris_2d()
    names = np.array(["setosa", "versicolor"])[y]
    p = Perceptron().fit(X, names)
    assert set(p.predict(X)) == {"setosa", "versicolor"}
    assert p.score(X, names) == 1.0


def test_never_converges_on_xor():
    X, y = logic_gate("XOR")
    p = Perceptron(max_epochs=50).fit(X, y)
    assert not p.converged_
    assert p.n_iter_ == 50 and min(p.mistakes_) > 0
    assert p.score(X, y) < 1.0


def test_agrees_with_scikit_learn_on_separable_iris():
    X, y = load_iris_2d()
    ours = Perceptron().fit(X, y)
    # Without shuffling, regularisation or early stopping, scikit-learn's perceptron
    # makes the same updates in the same order.
    theirs = SkPerceptron(shuffle=False, tol=None, max_iter=ours.n_iter_, eta0=1.0).fit(X, y)
    assert np.allclose(theirs.coef_[0], ours.coef_)
    assert np.allclose(theirs.intercept_[0], ours.intercept_)
    assert np.array_equal(theirs.predict(X), ours.predict(X))


def novikoff_bound(X, y_pm, u):
    """(R / gamma)^2 for the separating direction u of the augmented data [x, 1]."""
    Xa = np.c_[X, np.ones(len(X))]
    R = np.linalg.norm(Xa, axis=1).max()
    gamma = np.min(y_pm * (Xa @ u)) / np.linalg.norm(u)
    return (R / gamma) ** 2, gamma


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 40),
    d=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
    lr=st.sampled_from([0.01, 1.0, 7.5]),
)
def test_mistakes_within_novikoff_bound(n, d, seed, lr):
    rng = np.random.default_rng(seed)
    u = rng.normal(size=d + 1)
    X = rng.uniform(-3, 3, size=(n, d))
    margins = np.c_[X, np.ones(n)] @ u
    keep = np.abs(margins) > 0.05 * np.linalg.norm(u)  # a margin of at least 0.05
    X, labels = X[keep], (margins[keep] > 0).astype(int)
    if len(np.unique(labels)) < 2:
        return
    bound, gamma = novikoff_bound(X, 2 * labels - 1, u)
    p = Perceptron(lr=lr, max_epochs=10_000, shuffle=True, rng=seed).fit(X, labels)
    assert p.converged_ and p.score(X, labels) == 1.0
    assert sum(p.mistakes_) <= bound


def test_shuffling_is_reproducible():
    X, y = load_iris_2d()
    a = Perceptron(shuffle=True, rng=3).fit(X, y)
    b = Perceptron(shuffle=True, rng=3).fit(X, y)
    assert np.array_equal(a.history_, b.history_)


@pytest.mark.parametrize(
    "X, y, error, words",
    [
        (np.ones(4), [0, 1, 0, 1], ValueError, "X must be a 2-D array"),
        (np.ones((4, 2)), [0, 1, 0], ValueError, "same number of samples"),
        (np.ones((0, 2)), [], ValueError, "X must not be empty"),
        ([[0.0, np.nan], [1.0, 1.0]], [0, 1], ValueError, "X must be finite"),
        ([[0.0, np.inf], [1.0, 1.0]], [0, 1], ValueError, "X must be finite"),
        (np.ones((3, 2)), [1, 1, 1], ValueError, "exactly two classes"),
        (np.ones((3, 2)), [0, 1, 2], ValueError, "exactly two classes"),
        ("abc", [0, 1], TypeError, "X must be an array of numbers"),
        (None, [0, 1], TypeError, "X must be an array of numbers"),
        (np.ones((2, 2)), None, ValueError, "y must be a 1-D array"),
        (np.ones((2, 2)), np.ones((2, 1)), ValueError, "y must be a 1-D array"),
        (np.ones((2, 2)), [0.0, np.nan], ValueError, "y must be finite"),
    ],
)
def test_bad_input_is_named(X, y, error, words):
    with pytest.raises(error, match=words):
        Perceptron().fit(X, y)


def test_bad_hyperparameters_and_predict_errors():
    with pytest.raises(ValueError, match="lr must be a positive"):
        Perceptron(lr=0)
    with pytest.raises(TypeError, match="max_epochs must be a positive integer"):
        Perceptron(max_epochs=2.5)
    with pytest.raises(RuntimeError, match="not fitted"):
        Perceptron().predict(np.ones((1, 2)))
    p = Perceptron().fit(*logic_gate("AND"))
    with pytest.raises(ValueError, match=r"X must have 2 columns .*transposed"):
        p.predict(np.ones((2, 4)))
    with pytest.raises(ValueError, match="same number of samples"):
        p.score(np.ones((3, 2)), [0, 1])
