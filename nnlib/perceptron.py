"""Rosenblatt's perceptron (chapter 1), with scikit-learn's estimator API.

Notation of the book: a sample x has d features, the unit computes the
pre-activation z = w . x + b and predicts the sign of z. Labels are any two
classes; inside, the first class (in sorted order) is -1 and the second +1.
"""

import numpy as np

from nnlib.validation import check_array, check_positive, check_same_length

__all__ = ["Perceptron"]


class Perceptron:
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

    def __init__(self, lr=1.0, max_epochs=100, shuffle=False, rng=None):
        self.lr = check_positive(lr, "lr")
        self.max_epochs = check_positive(max_epochs, "max_epochs", integer=True)
        self.shuffle = shuffle
        self.rng = rng

    def fit(self, X, y):
        X = check_array(X, "X", ndim=2)
        y = self._check_targets(y, len(X))
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
        self.coef_, self.intercept_ = w, b
        self.n_iter_ = len(self.mistakes_)
        self.converged_ = self.mistakes_[-1] == 0
        self.history_ = np.array(history)
        return self

    def decision_function(self, X):
        """z = X w + b, shape (n_samples,): positive on the positive class's side."""
        self._check_fitted()
        X = check_array(X, "X", ndim=2, n_columns=len(self.coef_))
        return X @ self.coef_ + self.intercept_

    def predict(self, X):
        """Predicted labels, shape (n_samples,): classes_[1] where z >= 0, else classes_[0]."""
        return np.where(self.decision_function(X) >= 0, self.classes_[1], self.classes_[0])

    def score(self, X, y):
        """Accuracy: the fraction of samples in X whose predicted label equals y."""
        predictions = self.predict(X)
        if np.ndim(y) != 1:  # a column (n, 1) would broadcast against the (n,) predictions
            raise ValueError(f"y must be a 1-D array of shape (n_samples,), got {y!r:.60}")
        check_same_length(X, "X", y, "y")
        return float(np.mean(predictions == np.asarray(y)))

    def _check_targets(self, y, n_samples):
        """Store the two classes and return y recoded as -1 / +1."""
        if y is None or isinstance(y, (str, bytes)) or np.ndim(y) != 1:
            raise ValueError(f"y must be a 1-D array of shape (n_samples,), got {y!r:.60}")
        y = np.asarray(y)
        if y.dtype.kind == "f":
            y = check_array(y, "y", ndim=1)
        check_same_length(range(n_samples), "X", y, "y")
        self.classes_ = np.unique(y)
        if len(self.classes_) != 2:
            raise ValueError(
                "y must hold exactly two classes for a perceptron, "
                f"got {len(self.classes_)}: {self.classes_[:5].tolist()}"
            )
        return np.where(y == self.classes_[1], 1.0, -1.0)

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise RuntimeError("this Perceptron is not fitted yet: call fit(X, y) first")
