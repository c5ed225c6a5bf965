"""Rosenblatt's perceptron (chapter 1), a scikit-learn classifier.

Notation of the book: a sample x has d features, the unit computes the
pre-activation z = w . x + b and predicts the sign of z. Labels are any two
classes; inside, the first class (in sorted order) is -1 and the second +1.

It follows scikit-learn's conventions, so scikit-learn's tools take it (clone,
cross_val_score, GridSearchCV, Pipeline, OneVsRestClassifier) and its
check_estimator passes: __init__ only stores the hyperparameters, fit checks them
against _parameter_constraints and checks the data with scikit-learn's
validate_data, predict before fit raises NotFittedError, score (accuracy) comes
from ClassifierMixin, and the tags say that it learns two classes only.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["Perceptron"]


class Perceptron(ClassifierMixin, BaseEstimator):
    """A single threshold unit trained with Rosenblatt's mistake-driven rule.

    lr: learning rate eta > 0 (the step added on each mistake).
    max_epochs: the most passes over the data; training stops earlier as soon
        as one pass makes no mistake.
    shuffle, rng: visit the samples in a new random order each epoch, drawn
        from `rng` (a numpy Generator or a seed); default: the given order.

    After fit(X, y), with X of shape (n_samples, n_features):
    coef_ (n_features,): the weights w.    intercept_ (float): the bias b.
    classes_ (2,): the two labels, the second one is the positive class.
    n_iter_: epochs run.    mistakes_: mistakes (= updates) in each epoch.
    converged_: True if the last epoch made no mistake.
    history_ (n_updates + 1, n_features + 1): [w, b] at the start and after
        every update, to watch the boundary move.
    """

    _parameter_constraints = {  # what fit accepts for each hyperparameter
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "rng": [None, Interval(Integral, 0, None, closed="left"), np.random.Generator],
    }

    def __init__(self, lr=1.0, max_epochs=100, shuffle=False, rng=None):
        self.lr = lr
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.rng = rng

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # one unit separates two classes
        return tags

    def fit(self, X, y):
        self._validate_params()  # lr, max_epochs, shuffle, rng: see _parameter_constraints
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_, y = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError("Only binary classification is supported: y must hold 2 classes,"
                             f" got {len(self.classes_)} class(es): {self.classes_[:5].tolist()}")
        y = 2.0 * y - 1.0  # the first class becomes -1, the second +1
        rng = np.random.default_rng(self.rng)
        w, b = np.zeros(X.shape[1]), 0.0
        history, self.mistakes_ = [np.append(w, b)], []
        for _ in range(self.max_epochs):
            order = rng.permutation(len(X)) if self.shuffle else range(len(X))
            mistakes = 0
            for i in order:
                # A mistake: x_i lies on the wrong side of (or on) the boundary.
                if y[i] * (X[i] @ w + b) <= 0:
                    w = w + self.lr * y[i] * X[i]  # turn w towards y_i x_i
                    b = b + self.lr * y[i]
                    mistakes += 1
                    history.append(np.append(w, b))
            self.mistakes_.append(mistakes)
            if mistakes == 0:
                break
        self.coef_, self.intercept_ = w, float(b)
        self.n_iter_ = len(self.mistakes_)
        self.converged_ = self.mistakes_[-1] == 0
        self.history_ = np.array(history)
        return self

    def decision_function(self, X):
        """z = X w + b, shape (n_samples,): positive on the positive class's side."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return X @ self.coef_ + self.intercept_

    def predict(self, X):
        """Predicted labels, shape (n_samples,): classes_[1] where z >= 0, else classes_[0]."""
        return np.where(self.decision_function(X) >= 0, self.classes_[1], self.classes_[0])
