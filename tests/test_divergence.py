"""Divergence is reported: a learning rate far too large stops training with a clear error.

Gradient descent with too large a step makes the weights grow geometrically, until the
network's outputs or the loss overflow to inf, and then inf - inf = NaN spreads into
every gradient and weight. nnlib stops such a run where it first shows:

- a loss refuses an inf or NaN prediction, and a loss value that overflowed, with an
  error that names the call of the loss (in a loop that computes the loss once per step:
  the step) and suggests a smaller learning rate;
- SGD.step refuses to write an inf or NaN update into the weights, naming its step and lr
  (for a gradient that is not finite for another reason, such as a learner's own layer).

These runs use real networks on real data with real, too-large learning rates. numpy
warns about the overflows on the way (as in a notebook); the tests allow exactly those
warnings and no other.
"""

import warnings

import numpy as np
import pytest

from nnlib.activations import ReLU, Tanh
from nnlib.data import make_moons
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, MSELoss
from nnlib.module import Module, Parameter
from nnlib.optim import SGD


def train(model, X, y, loss_fn, lr, steps):
    """Full-batch gradient descent; returns the losses. On an error, model.failed_at is the
    step (1, 2, ...) in which it was raised."""
    optimizer, losses = SGD(model.parameters(), lr=lr), []
    for step in range(1, steps + 1):
        model.failed_at = step
        optimizer.zero_grad()
        losses.append(loss_fn(model(X), y))
        model.backward(loss_fn.backward())
        optimizer.step()
    model.failed_at = None
    return losses


def regression_problem():
    x = np.linspace(-3.0, 3.0, 64).reshape(-1, 1)
    rng = np.random.default_rng(0)
    model = Sequential(Linear(1, 16, rng=rng), Tanh(), Linear(16, 1, rng=rng))
    return model, x, np.sin(x)


def classification_problem():
    X, y = make_moons(n_samples=200, noise=0.2, rng=0)
    rng = np.random.default_rng(0)
    model = Sequential(Linear(2, 16, rng=rng), ReLU(), Linear(16, 2, rng=rng))
    return model, X, y


def diverge(problem, loss_fn, lr, steps=500):
    """Train until the error; return (model, message). Only numpy's overflow warnings allowed."""
    model, X, y = problem()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ValueError) as info:
            train(model, X, y, loss_fn, lr, steps)
    others = [w for w in caught if not (w.category is RuntimeWarning
                                        and "overflow encountered" in str(w.message))]
    assert not others, [str(w.message) for w in others]
    return model, str(info.value)


@pytest.mark.parametrize(
    ("problem", "loss_fn", "lr", "what"),
    [
        (regression_problem, MSELoss(), 10.0, "the loss must be finite, got inf"),
        (regression_problem, MSELoss(), 1e4, "the loss must be finite, got inf"),
        (classification_problem, CrossEntropyLoss(), 1e5, "the loss must be finite, got inf"),
        (classification_problem, CrossEntropyLoss(), 1e6, "pred must be finite, got -inf"),
    ],
    ids=["regression, lr 10", "regression, lr 1e4", "classification, lr 1e5",
         "classification, lr 1e6"],
)
def test_a_diverging_run_stops_with_the_step_and_a_hint(problem, loss_fn, lr, what):
    model, message = diverge(problem, loss_fn, lr)
    name = type(loss_fn).__name__
    assert what in message
    assert f"in call {model.failed_at} of {name}: training diverged? Try a smaller learning rate" \
        in message, message
    assert model.failed_at > 1  # it ran for a while: the first steps were finite
    # No NaN weights: the error came before anything non-finite was written.
    for p in model.parameters():
        assert np.all(np.isfinite(p.data)) and np.all(np.isfinite(p.grad))


@pytest.mark.parametrize(("problem", "loss_fn", "lr"), [
    (regression_problem, MSELoss(), 0.05),
    (classification_problem, CrossEntropyLoss(), 0.5),
])
def test_a_good_learning_rate_trains_without_any_of_it(problem, loss_fn, lr):
    model, X, y = problem()
    losses = train(model, X, y, loss_fn, lr, steps=300)
    assert model.failed_at is None and losses[-1] < 0.5 * losses[0]


class LearnedPower(Module):
    """A learner's own layer, y = x ** p with a learnt exponent p, without input checks:
    dL/dp = sum(dL/dy * y * log x) is NaN as soon as some x is negative."""

    def __init__(self):
        self.p = Parameter([2.0])

    def forward(self, X):
        self.X, self.Y = X, X ** self.p.data[0]
        return self.Y

    def backward(self, grad_out):
        with np.errstate(invalid="ignore"):  # log of a negative number: NaN, silently
            self.p.grad += np.sum(grad_out * self.Y * np.log(self.X))
        return grad_out * self.p.data[0] * self.X ** (self.p.data[0] - 1)

    def parameters(self):
        return [self.p]


def test_sgd_refuses_to_write_nan_into_the_weights():
    model = LearnedPower()
    X, y = np.array([[1.0], [-2.0]]), np.array([[1.0], [3.0]])
    loss_fn, optimizer = MSELoss(), SGD(model.parameters(), lr=0.1)
    for _ in range(2):  # step 1 is fine on positive inputs only
        optimizer.zero_grad()
        x = X[:1] if optimizer.steps == 0 else X
        loss_fn(model(x), y[: len(x)])
        model.backward(loss_fn.backward())
        before = model.p.data.copy()
        if optimizer.steps == 0:
            optimizer.step()
            continue
        with pytest.raises(ValueError) as info:
            optimizer.step()
    message = str(info.value)
    assert "the update of parameters[0] must be finite, got inf or NaN in step 2" in message
    assert "learning rate below lr=0.1" in message
    np.testing.assert_array_equal(model.p.data, before)  # nothing written


def test_without_the_checks_the_weights_would_be_nan():
    # The checks bite: the same diverging regression run, by hand with numpy, ends in NaN.
    model, X, y = regression_problem()
    (W1, b1), (W2, b2) = ([p.data.copy() for p in model[i].parameters()] for i in (0, 2))
    with np.errstate(all="ignore"):
        for _ in range(200):
            H = np.tanh(X @ W1 + b1)
            G = 2 * (H @ W2 + b2 - y) / len(X)
            dH = G @ W2.T * (1 - H**2)
            W2, b2 = W2 - 10.0 * H.T @ G, b2 - 10.0 * G.sum(axis=0)
            W1, b1 = W1 - 10.0 * X.T @ dH, b1 - 10.0 * dH.sum(axis=0)
    assert np.isnan(W2).any() or np.isnan(W1).any()
