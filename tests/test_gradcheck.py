"""Every backward pass against central differences, and the checker itself.

Shapes are drawn by Hypothesis; the data come from a seeded Generator, and biases
are random too, so that no pre-activation sits exactly on a kink such as ReLU's 0
(there the network has no derivative and the two methods may rightly disagree).
float64, relative error < 1e-7.

Central differences have an accuracy limit of their own: rounding in f costs about
1e-16 |f| / eps, which is large relative to a gradient much smaller than f (deep
stacks of leaky ReLUs in their 0.01-slope regime get there). The stacks tested
here are up to three Linear layers deep, where that is rare, and the stack test
is derandomized so that a run is reproducible.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.activations import ELU, GELU, Identity, LeakyReLU, ReLU, Sigmoid, Softplus, Tanh
from nnlib.gradcheck import (
    gradcheck,
    gradcheck_loss,
    gradient_errors,
    numerical_gradient,
    relative_error,
)
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, Loss, MSELoss

TOL = 1e-7
seeds = st.integers(0, 2**32 - 1)
sizes = st.integers(1, 7)
ACTIVATIONS = [Sigmoid, Tanh, ReLU, LeakyReLU, Softplus, ELU, GELU, Identity]


# ---------------------------------------------------------------- the checker's pieces


def test_numerical_gradient_of_known_functions_and_restores_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(x**3)), x)
    np.testing.assert_allclose(grad, 3 * original**2, rtol=1e-9)
    np.testing.assert_array_equal(x, original)
    # Central differences are exact on quadratics (up to rounding).
    np.testing.assert_allclose(numerical_gradient(lambda: float(x[0, 0] ** 2), x, eps=1e-3)[0, 0],
                               2.0, rtol=1e-9)


def test_relative_error_properties():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0  # no 0 / 0
    assert relative_error(a, -a) == 1.0
    assert relative_error(a, np.zeros(3)) == 1.0
    assert relative_error(a, 2 * a) == pytest.approx(1 / 3)
    assert relative_error(a, a + 1e-9) == relative_error(a + 1e-9, a)
    # Scale-free: the same relative mistake on a tiny gradient gives the same error.
    assert relative_error(1e-12 * a, 1e-12 * a * 1.01) == pytest.approx(relative_error(a, a * 1.01))
    with pytest.raises(ValueError, match=r"same shape, got \(3,\) and \(2,\)"):
        relative_error(a, a[:2])


def test_numerical_gradient_rejects_a_bad_eps():
    with pytest.raises(ValueError, match="eps must be a positive finite number"):
        numerical_gradient(lambda: 0.0, np.zeros(2), eps=0.0)


def test_gradient_errors_names_every_array():
    model = Sequential(Linear(3, 4, rng=0), Tanh(), Linear(4, 2, rng=1))
    errors = gradient_errors(model, np.random.default_rng(0).normal(size=(5, 3)))
    assert list(errors) == ["input", "parameter 0", "parameter 1", "parameter 2", "parameter 3"]
    assert max(errors.values()) < TOL


def test_gradcheck_does_not_change_the_callers_input():
    X = np.random.default_rng(0).normal(size=(4, 3))
    original = X.copy()
    gradcheck(Linear(3, 2, rng=0), X)
    np.testing.assert_array_equal(X, original)


def test_gradcheck_rejects_what_is_not_a_module_or_a_loss():
    with pytest.raises(TypeError, match="module must be an nnlib Module, got ufunc"):
        gradcheck(np.tanh, np.zeros((2, 2)))
    with pytest.raises(TypeError, match="loss must be an nnlib Loss or None, got function"):
        gradcheck(Tanh(), np.zeros((2, 2)), loss=lambda pred, target: 0.0, target=None)
    with pytest.raises(TypeError, match="loss must be an nnlib Loss, got str"):
        gradcheck_loss("mse", np.zeros((2, 2)), np.zeros((2, 2)))


# ---------------------------------------------------------------- every backward pass


@settings(deadline=None, max_examples=40)
@given(n=sizes, d_in=sizes, d_out=sizes, seed=seeds)
def test_linear_backward(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(d_in, d_out, rng=rng)
    layer.bias.data[...] = rng.normal(size=d_out)
    assert gradcheck(layer, rng.normal(size=(n, d_in)), rng=rng) < TOL


def test_linear_backward_matches_the_formulas():
    rng = np.random.default_rng(1)
    layer, X, G = Linear(3, 2, rng=rng), rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer(X)
    grad_X = layer.backward(G)
    np.testing.assert_allclose(layer.weight.grad, X.T @ G, rtol=1e-14)  # dL/dW = X^T dL/dZ
    np.testing.assert_allclose(layer.bias.grad, G.sum(axis=0), rtol=1e-14)  # column sums
    np.testing.assert_allclose(grad_X, G @ layer.weight.data.T, rtol=1e-14)  # dL/dX = dL/dZ W^T


@settings(deadline=None, max_examples=15)
@given(activation=st.sampled_from(ACTIVATIONS), n=sizes, d=sizes, scale=st.sampled_from([0.5, 3.0]),
       seed=seeds)
def test_activation_backward(activation, n, d, scale, seed):
    rng = np.random.default_rng(seed)
    assert gradcheck(activation(), scale * rng.normal(size=(n, d)), rng=rng) < TOL


@settings(deadline=None, max_examples=60, derandomize=True)
@given(
    widths=st.lists(sizes, min_size=2, max_size=4),
    activations=st.lists(st.sampled_from(ACTIVATIONS), min_size=2, max_size=2),
    n=sizes,
    loss=st.sampled_from(["none", "mse", "cross-entropy"]),
    seed=seeds,
)
def test_sequential_stack_backward(widths, activations, n, loss, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for i, (d_in, d_out) in enumerate(zip(widths[:-1], widths[1:], strict=False)):
        layers.append(Linear(d_in, d_out, rng=rng))
        layers[-1].bias.data[...] = rng.normal(size=d_out)  # no pre-activation exactly at 0
        if i < len(widths) - 2:
            layers.append(activations[i]())
    model = Sequential(*layers)
    X = rng.normal(size=(n, widths[0]))
    k = widths[-1]
    if loss == "mse":
        kwargs = {"loss": MSELoss(), "target": rng.normal(size=(n, k))}
    elif loss == "cross-entropy" and k >= 2:
        kwargs = {"loss": CrossEntropyLoss(), "target": rng.integers(0, k, size=n)}
    else:
        kwargs = {"rng": rng}
    errors = gradient_errors(model, X, **kwargs)
    assert len(errors) == 1 + len(model.parameters())
    assert max(errors.values()) < TOL, errors


# ---------------------------------------------------------------- the checker bites


class LinearForgetsTheBatchSum(Linear):
    """A plausible bug: the bias gradient averaged over the batch instead of summed."""

    def backward(self, grad_out):
        self.weight.grad += self.X.T @ grad_out
        self.bias.grad += grad_out.mean(axis=0)
        return grad_out @ self.weight.data.T


class SigmoidWrongDerivative(Sigmoid):
    """Another: sigma(z) used as its own derivative."""

    def backward(self, grad_out):
        return grad_out / (1.0 + np.exp(-self.Z))


class CrossEntropyForgetsTheMean(CrossEntropyLoss):
    """Another: the 1/n of the mean dropped in backward."""

    def backward(self):
        return super().backward() * len(self.y)


def test_checker_catches_a_wrong_bias_gradient_and_says_where():
    rng = np.random.default_rng(0)
    errors = gradient_errors(LinearForgetsTheBatchSum(3, 2, rng=rng), rng.normal(size=(6, 3)))
    assert errors["input"] < TOL and errors["parameter 0"] < TOL
    assert errors["parameter 1"] > 0.5  # sum vs mean over 6 samples: error 5/7


def test_checker_catches_a_wrong_activation_derivative():
    rng = np.random.default_rng(0)
    assert gradcheck(SigmoidWrongDerivative(), rng.normal(size=(4, 3))) > 0.1
    net = Sequential(Linear(3, 4, rng=rng), SigmoidWrongDerivative(), Linear(4, 2, rng=rng))
    assert gradcheck(net, rng.normal(size=(4, 3))) > 0.1


def test_checker_catches_a_wrong_loss_gradient():
    rng = np.random.default_rng(0)
    Z, y = rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    assert gradcheck_loss(CrossEntropyLoss(), Z, y) < TOL
    assert gradcheck_loss(CrossEntropyForgetsTheMean(), Z, y) > 0.5


def test_checker_catches_a_tiny_bug_too():
    # A gradient off by one part in a million is still far above the 1e-7 tolerance.
    class SlightlyOff(Loss):
        def forward(self, pred, target):
            self.pred = pred
            return float(np.sum(pred**2))

        def backward(self):
            return 2 * self.pred * (1 + 1e-6)

    assert gradcheck_loss(SlightlyOff(), np.ones((2, 2)), None) > 1e-7


def test_gradcheck_refuses_float32_and_says_why():
    # In float32 a correct Linear layer scores about 1e-3, which reads like a bug.
    layer = Linear(3, 2, rng=0, dtype=np.float32)
    X = np.ones((4, 3))
    with pytest.raises(TypeError, match=r"parameter 0 must be float64 .*got float32.*1e-3"):
        gradcheck(layer, X)
    with pytest.raises(TypeError, match=r"X must be float64 .*got float32"):
        gradcheck(Linear(3, 2, rng=0), X.astype(np.float32))
