"""nnlib.Perceptron: the learning rule, the convergence bound, scikit-learn's API.

nnlib's Perceptron is a scikit-learn classifier: scikit-learn's own estimator checks
pass, and scikit-learn's tools (clone, cross_val_score, GridSearchCV, Pipeline,
OneVsRestClassifier) take it. Its input checks are scikit-learn's (validate_data,
check_classification_targets, _parameter_constraints, check_is_fitted); the tests
below pin the messages a learner sees for each kind of bad input.
"""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError
from sklearn.utils.estimator_checks import (
    check_classifiers_train,
    check_do_not_raise_errors_in_init_or_set_params,
    check_estimators_unfitted,
    parametrize_with_checks,
)

from nnlib.data import load_iris_2d, logic_gate
from nnlib.perceptron import Perceptron

# --- the learning rule ---------------------------------------------------------------------


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
    assume(len(np.unique(labels)) == 2)  # both classes drawn
    bound, gamma = novikoff_bound(X, 2 * labels - 1, u)
    p = Perceptron(lr=lr, max_epochs=10_000, shuffle=True, rng=seed).fit(X, labels)
    assert p.converged_ and p.score(X, labels) == 1.0
    assert sum(p.mistakes_) <= bound


def test_shuffling_is_reproducible():
    X, y = load_iris_2d()
    a = Perceptron(shuffle=True, rng=3).fit(X, y)
    b = Perceptron(shuffle=True, rng=3).fit(X, y)
    assert np.array_equal(a.history_, b.history_)
    c = Perceptron(shuffle=True, rng=np.random.default_rng(3)).fit(X, y)  # a Generator
    assert np.array_equal(a.history_, c.history_)


def test_numbers_it_reports_are_python_numbers_and_weights_float64():
    X, y = logic_gate("AND")
    for X_in in (X.astype(np.float32), X.astype(np.int64)):
        p = Perceptron(lr=np.float32(0.5), max_epochs=np.int64(20)).fit(X_in, y)
        assert p.coef_.dtype == np.float64 and p.decision_function(X_in).dtype == np.float64
        assert type(p.intercept_) is float and type(p.n_iter_) is int
        assert type(p.converged_) is bool and all(type(m) is int for m in p.mistakes_)
        assert np.array_equal(p.coef_, 0.5 * Perceptron().fit(X, y).coef_)


# --- a scikit-learn estimator ----------------------------------------------------------------


@parametrize_with_checks([Perceptron()])
def test_scikit_learn_estimator_checks(estimator, check):
    # About 55 checks; two are skipped when pandas or SCIPY_ARRAY_API are absent.
    check(estimator)


def test_binary_only_is_declared_in_the_tags():
    tags = Perceptron().__sklearn_tags__()
    assert tags.estimator_type == "classifier" and tags.classifier_tags.multi_class is False


class ClaimsMultiClass(Perceptron):
    """Perceptron without its binary-only tag: scikit-learn's checks must notice."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


class ChecksInInit(Perceptron):
    """Perceptron that checks its hyperparameters in __init__, against the convention."""

    def __init__(self, lr=1.0, max_epochs=100, shuffle=False, rng=None):
        super().__init__(lr=lr, max_epochs=max_epochs, shuffle=shuffle, rng=rng)
        self._validate_params()


class NotFittedIsAttributeError(Perceptron):
    """Perceptron without check_is_fitted: predicting before fit fails on self.coef_."""

    def decision_function(self, X):
        return np.asarray(X) @ self.coef_ + self.intercept_


def test_the_estimator_checks_can_fail():
    # The checks that passed above catch each of the conventions when it is broken.
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        check_classifiers_train("ClaimsMultiClass", ClaimsMultiClass())
    with pytest.raises(InvalidParameterError, match="'lr' parameter"):
        check_do_not_raise_errors_in_init_or_set_params("ChecksInInit", ChecksInInit())
    with pytest.raises(AssertionError, match="should raise a NotFittedError"):
        check_estimators_unfitted("NotFittedIsAttributeError", NotFittedIsAttributeError())


def test_clone_copies_the_hyperparameters_not_the_fit():
    p = Perceptron(lr=0.5, max_epochs=7, shuffle=True, rng=3).fit(*logic_gate("AND"))
    copy = clone(p)
    assert copy.get_params() == p.get_params() == {
        "lr": 0.5, "max_epochs": 7, "shuffle": True, "rng": 3
    }
    assert not hasattr(copy, "coef_")


def test_cross_val_score_on_separable_iris():
    X, y = load_iris_2d()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    scores = cross_val_score(Perceptron(), X, y, cv=folds)
    assert scores.shape == (5,) and np.all(scores == 1.0)


def test_grid_search_over_lr_and_max_epochs():
    X, y = load_iris_2d()
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    grid = {"lr": [0.25, 1.0, 4.0], "max_epochs": [1, 3, 10]}
    search = GridSearchCV(Perceptron(), grid, cv=folds).fit(X, y)
    scores = search.cv_results_["mean_test_score"].reshape(3, 3)  # rows: lr
    # From w = 0, the learning rate only scales the weights: the same scores for every lr.
    assert np.array_equal(scores, np.tile(scores[0], (3, 1)))
    assert scores[0, 0] < scores[0, 2] == 1.0  # one epoch is too few, ten are enough
    assert search.best_params_ == {"lr": 0.25, "max_epochs": 10}  # the first of the best
    assert search.best_estimator_.score(X, y) == 1.0


def test_pipeline_with_a_scaler():
    X, y = load_iris_2d()
    model = make_pipeline(StandardScaler(), Perceptron()).fit(X, y)
    alone = Perceptron().fit(StandardScaler().fit_transform(X), y)
    assert np.array_equal(model[-1].coef_, alone.coef_)
    assert model.score(X, y) == 1.0


def test_one_vs_rest_for_three_iris_species():
    iris = load_iris()
    X, y = iris.data[:, [0, 2]], iris.target
    model = OneVsRestClassifier(Perceptron(max_epochs=20)).fit(X, y)
    assert len(model.estimators_) == 3
    assert all(list(unit.classes_) == [0, 1] for unit in model.estimators_)
    assert model.decision_function(X).shape == (150, 3)
    assert set(model.predict(X)) <= {0, 1, 2}
    # Setosa against the rest is separable: that unit converges and is always right.
    setosa = model.estimators_[0]
    assert setosa.converged_ and setosa.score(X, y == 0) == 1.0


# --- bad input: scikit-learn's conventions and messages --------------------------------------

X_AND, Y_AND = logic_gate("AND")
X6, Y6 = np.vstack([X_AND, X_AND[:2]]), np.r_[Y_AND, Y_AND[:2]]  # (6, 2): not square
FITTED = Perceptron().fit(X6, Y6)


def parameter_cases():
    real, integer = "a float in the range (0.0, inf)", "an int in the range [1, inf)"
    for value in (0, -0.1, np.nan, np.inf, "0.1", None):
        yield "lr", value, real
    for value in (0, -3, 2.5, "3", None):
        yield "max_epochs", value, integer
    yield "shuffle", "yes", "an instance of 'bool'"
    for value in (-1, "a", 2.5):
        yield "rng", value, "None, an int in the range [0, inf) or an instance of"


@pytest.mark.parametrize("name, value, expected", list(parameter_cases()))
def test_bad_hyperparameters_raise_in_fit_not_in_init(name, value, expected):
    p = Perceptron(**{name: value})  # __init__ only stores (scikit-learn's convention)
    assert p.get_params()[name] is value
    with pytest.raises(InvalidParameterError) as info:
        p.fit(X6, Y6)
    message = str(info.value)
    assert f"The '{name}' parameter of Perceptron must be {expected}" in message
    assert f"Got {value!r} instead" in message


def test_predict_before_fit_raises_not_fitted_error():
    for method in ("predict", "decision_function"):
        with pytest.raises(NotFittedError, match="This Perceptron instance is not fitted yet"):
            getattr(Perceptron(), method)(X6)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        Perceptron().score(X6, Y6)


def bad_x_cases():
    """(what, bad X, fragments of the message) for every method that takes X."""
    nan, inf = X6.copy(), X6.copy()
    nan[-1, -1], inf[0, 0] = np.nan, -np.inf
    return [
        ("None", None, ["Expected 2D array, got scalar array", "array=None"]),
        ("a string", "abc", ["Expected 2D array, got scalar array", "array=abc"]),
        ("strings", np.full((6, 2), "a"), ["not compatible with arrays of bytes/strings"]),
        ("complex", X6 + 1j, ["Complex data not supported"]),
        ("empty", np.empty((0, 2)), ["0 sample(s) (shape=(0, 2))", "minimum of 1 is required"]),
        ("NaN", nan, ["Input X contains NaN"]),
        ("inf", inf, ["Input X contains infinity"]),
        ("1-D", X6.ravel(), ["Expected 2D array, got 1D array"]),
        ("3-D", X6[..., None], ["Found array with dim 3, while dim <= 2 is required"]),
    ]


ENTRY_POINTS = {
    "fit": lambda X: Perceptron().fit(X, Y6),
    "predict": lambda X: FITTED.predict(X),
    "decision_function": lambda X: FITTED.decision_function(X),
    "score": lambda X: FITTED.score(X, Y6),
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("what, X, fragments", bad_x_cases(), ids=[c[0] for c in bad_x_cases()])
def test_bad_x_is_refused_by_every_entry_point(entry, what, X, fragments):
    with pytest.raises(ValueError) as info:
        ENTRY_POINTS[entry](X)
    for fragment in fragments:
        assert fragment in str(info.value), f"{fragment!r} not in {str(info.value)!r}"


@pytest.mark.parametrize("entry", ["predict", "decision_function", "score"])
def test_x_with_other_features_than_fit_saw(entry):
    for X, n_features in ((X6.T, 6), (np.ones((6, 3)), 3)):  # transposed; one too many
        with pytest.raises(ValueError, match=re.escape(
            f"X has {n_features} features, but Perceptron is expecting 2 features as input"
        )):
            ENTRY_POINTS[entry](X)


@pytest.mark.parametrize(
    "what, y, fragments",
    [
        ("None", None, ["requires y to be passed, but the target y is None"]),
        ("a string", "ab", ["y should be a 1d array, got an array of shape () instead"]),
        ("one too few", Y6[:5], ["inconsistent numbers of samples: [6, 5]"]),
        ("one class", np.zeros(6, dtype=int), ["y must hold 2 classes", "got 1 class(es): [0]"]),
        ("three classes", np.arange(6) % 3,
         ["Only binary classification is supported", "got 3 class(es): [0, 1, 2]"]),
        ("NaN", np.r_[np.zeros(5), np.nan], ["Input y contains NaN"]),
        ("continuous", np.linspace(0, 1, 6), ["Unknown label type: continuous"]),
        ("complex", Y6 + 1j, ["Complex data not supported"]),
    ],
)
def test_bad_y_in_fit(what, y, fragments):
    with pytest.raises(ValueError) as info:
        Perceptron().fit(X6, y)
    for fragment in fragments:
        assert fragment in str(info.value), f"{fragment!r} not in {str(info.value)!r}"


def test_x_and_y_of_different_lengths_in_fit_and_score():
    with pytest.raises(ValueError, match=re.escape("inconsistent numbers of samples: [2, 6]")):
        Perceptron().fit(X6.T, Y6)  # transposed: 2 samples of 6 features, 6 labels
    with pytest.raises(ValueError, match=re.escape("inconsistent numbers of samples: [5, 6]")):
        FITTED.score(X6, Y6[:5])
    with pytest.raises(InvalidParameterError, match="'y_true' parameter of accuracy_score"):
        FITTED.score(X6, None)


def test_a_column_of_labels_is_raveled_with_a_warning():
    # scikit-learn's convention (check_supervised_y_2d): warn, then use it as 1-D.
    with pytest.warns(DataConversionWarning, match="A column-vector y was passed"):
        p = Perceptron().fit(X6, Y6[:, None])
    assert np.array_equal(p.coef_, FITTED.coef_)
    # score compares as 1-D too: a column does not broadcast to an (n, n) comparison.
    assert FITTED.score(X6, Y6[:, None]) == FITTED.score(X6, Y6) == 1.0
