"""Loss functions: how wrong is the network? (chapter 4)

A loss turns the network's output for a batch into one number L, the mean over
the batch of a per-sample loss, and its backward pass gives dL/d(output), where
backpropagation starts. Both losses follow one pattern: forward(pred, target)
returns L as a float and remembers what backward() needs.
"""

import numpy as np

from nnlib.activations import log_softmax
from nnlib.validation import (
    check_array,
    check_finite_loss,
    check_logits_and_labels,
    check_pred_and_target,
)

__all__ = ["CrossEntropyLoss", "Loss", "MSELoss"]


class Loss:
    """Base class of losses: loss(pred, target) checks both once, here where a user
    calls in, then returns forward(pred, target); backward() gives dL/dpred.

    A loss of inf or NaN (a run that diverges) stops with an error that names the call
    and suggests a smaller learning rate, instead of letting NaN flow into the weights.
    """

    calls = 0  # how many times this loss was computed

    def __call__(self, pred, target):
        self.calls += 1
        pred, target = self.check(pred, target)
        return check_finite_loss(self.forward(pred, target), self)

    def check(self, pred, target):
        """pred as a finite float array (a subclass checks target too), and target."""
        return check_array(pred, "pred", hint=self.diverged), target

    def __getattr__(self, name):
        # Called only for a missing attribute: most often backward() before any loss(...).
        raise AttributeError(f"{type(self).__name__} has no {name!r}: no loss computed yet?")

    def diverged(self):
        """The likely cause of inf or NaN in pred or in the loss, for error messages."""
        return (f"in call {self.calls} of {type(self).__name__}: training diverged? "
                "Try a smaller learning rate")


class MSELoss(Loss):
    """Mean squared error L = 1/(n k) * sum_i sum_j (yhat_ij - y_ij)^2, as scikit-learn's
    mean_squared_error: pred (yhat) and target (y) of one shape, (n,) or (n, k)."""

    def check(self, pred, target):
        return check_pred_and_target(pred, target, hint=self.diverged)  # one shape

    def forward(self, pred, target):
        self.diff = pred - target  # yhat - y, kept for backward
        return float(np.mean(self.diff**2))

    def backward(self):
        """dL/dyhat = 2 (yhat - y) / (n k), same shape as pred."""
        return 2.0 * self.diff / self.diff.size


class CrossEntropyLoss(Loss):
    """Softmax and cross-entropy in one: L = -1/n * sum_i log softmax(z_i)[y_i].

    pred: logits Z (n, k), the last Linear layer's output; target: n labels in 0 .. k-1.
    """

    def check(self, pred, target):
        return check_logits_and_labels(pred, target, hint=self.diverged)

    def forward(self, pred, target):
        self.rows, self.y = np.arange(len(pred)), target  # row i, label y_i: kept for backward
        log_p = log_softmax.unchecked(pred)  # log-sum-exp inside: no overflow for large logits
        self.p = np.exp(log_p)  # softmax(Z), the probabilities, kept for backward
        return float(-log_p[self.rows, target].mean())

    def backward(self):
        """dL/dZ = (softmax(Z) - onehot(y)) / n, shape (n, k)."""
        n = len(self.p)
        grad = self.p / n  # a new array: self.p stays as it is
        grad[self.rows, self.y] -= 1.0 / n  # subtract the one-hot row of each label, / n
        return grad
