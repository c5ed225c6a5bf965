"""Tests of nnlib.module (Parameter, Module) and nnlib.layers (Linear, Sequential).

Forward values are checked against numbers computed by hand and against explicit
loops; backward passes against central finite differences in float64 (relative
error < 1e-7) on shapes drawn by Hypothesis.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.activations import Sigmoid
from nnlib.layers import Linear, Sequential
from nnlib.module import Module, Parameter

TOL = 1e-7
sizes = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)


def relative_error(a, b):
    """|a - b| / (|a| + |b|), elementwise norms; 0 when both are 0."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)


def numerical_gradient(f, array, eps=1e-5):
    """Central differences of the scalar function f() with respect to `array`, in place.

    Deliberately not nnlib.gradcheck: the layers are checked against a reference that
    shares no code with the library under test."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        plus = f()
        array[index] = saved - eps
        minus = f()
        array[index] = saved
        grad[index] = (plus - minus) / (2 * eps)
    return grad


class Tanh(Module):
    """An elementwise, parameter-free module to build non-linear networks in these tests
    (nnlib's own activations come in chapter 3 and are tested there)."""

    def forward(self, Z):
        self.A = np.tanh(Z)
        return self.A

    def backward(self, grad_out):
        return (1 - self.A**2) * grad_out


# ------------------------------------------------------------------- Parameter


def test_parameter_holds_float64_data_and_zero_grad_of_the_same_shape():
    p = Parameter([[1, 2, 3], [4, 5, 6]])
    assert p.data.dtype == np.float64 and p.shape == (2, 3)
    assert p.grad.shape == (2, 3) and not p.grad.any()
    assert repr(p) == "Parameter(shape=(2, 3))"


def test_parameter_copies_its_input():
    source = np.ones(3)
    p = Parameter(source)
    source[0] = 5.0
    assert p.data[0] == 1.0


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ("abc", TypeError, "data must be an array of numbers"),
        (None, TypeError, "data must be an array of numbers"),
        ([1.0, np.nan], ValueError, "data must be finite"),
        (np.zeros((0, 3)), ValueError, "data must not be empty"),
    ],
)
def test_parameter_refuses_bad_data(data, error, message):
    with pytest.raises(error, match=message):
        Parameter(data)


# ---------------------------------------------------------------------- Module


def test_module_call_runs_forward_and_base_class_says_what_is_missing():
    class Double(Module):
        def forward(self, X):
            return 2 * X

    assert np.array_equal(Double()(np.ones((2, 2))), 2 * np.ones((2, 2)))
    assert Double().parameters() == [] and repr(Double()) == "Double()"
    with pytest.raises(NotImplementedError, match="Module must define forward"):
        Module()(np.ones((1, 1)))
    with pytest.raises(NotImplementedError, match="Double must define backward"):
        Double().backward(np.ones((1, 1)))


def test_zero_grad_resets_every_parameter():
    net = Sequential(Linear(2, 3, rng=0), Linear(3, 1, rng=1))
    for p in net.parameters():
        p.grad += 1.0
    net.zero_grad()
    assert all(not p.grad.any() for p in net.parameters())


# ---------------------------------------------------------------- Linear: forward


def test_linear_forward_matches_hand_computed_values():
    layer = Linear(2, 3)
    layer.weight.data[...] = [[1, 0, -1], [2, 1, 0]]
    layer.bias.data[...] = [0.5, 0, -0.5]
    Z = layer(np.array([[1.0, 2.0], [0.0, 0.0], [-1.0, 1.0]]))
    # row 1: (1*1 + 2*2 + .5, 1*0 + 2*1 + 0, 1*(-1) + 2*0 - .5); row 2: the bias; row 3 ...
    assert np.array_equal(Z, [[5.5, 2.0, -1.5], [0.5, 0.0, -0.5], [1.5, 1.0, 0.5]])


@settings(deadline=None, max_examples=50)
@given(n=sizes, d_in=sizes, d_out=sizes, seed=seeds)
def test_linear_forward_shape_and_values_equal_the_sum_over_inputs(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(d_in, d_out, rng=rng)
    layer.bias.data[...] = rng.normal(size=d_out)
    X = rng.normal(size=(n, d_in))
    Z = layer(X)
    assert Z.shape == (n, d_out) and Z.dtype == np.float64
    W, b = layer.weight.data, layer.bias.data
    loops = [[sum(X[i, k] * W[k, j] for k in range(d_in)) + b[j] for j in range(d_out)]
             for i in range(n)]
    np.testing.assert_allclose(Z, loops, rtol=1e-12, atol=1e-12)


def test_linear_has_the_documented_parameters_and_sizes():
    layer = Linear(4, 3, rng=0)
    assert (layer.in_features, layer.out_features) == (4, 3)
    assert layer.weight.shape == (4, 3) and layer.bias.shape == (3,)
    assert layer.parameters() == [layer.weight, layer.bias]
    assert all(isinstance(p, Parameter) for p in layer.parameters())
    assert not layer.bias.data.any()
    assert repr(layer) == "Linear(in_features=4, out_features=3)"


def test_linear_accepts_lists_and_integers_and_does_not_change_its_input():
    layer = Linear(2, 1, rng=0)
    X = np.array([[1, 2], [3, 4]])
    Z = layer(X)
    assert Z.dtype == np.float64
    assert np.array_equal(X, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(layer([[1, 2], [3, 4]]), Z)


def test_linear_initialisation_is_reproducible_from_a_seed_or_generator():
    assert np.array_equal(Linear(5, 4, rng=7).weight.data, Linear(5, 4, rng=7).weight.data)
    assert not np.array_equal(Linear(5, 4, rng=7).weight.data, Linear(5, 4, rng=8).weight.data)
    rng_a, rng_b = np.random.default_rng(3), np.random.default_rng(3)
    first, second = Linear(5, 4, rng=rng_a), Linear(5, 4, rng=rng_a)
    assert not np.array_equal(first.weight.data, second.weight.data)  # the generator moves on
    assert np.array_equal(first.weight.data, Linear(5, 4, rng=rng_b).weight.data)


def test_linear_initial_weights_have_standard_deviation_one_over_sqrt_fan_in():
    for d_in in (4, 100, 400):
        W = Linear(d_in, 500, rng=0).weight.data
        assert abs(W.mean()) < 0.1 / np.sqrt(d_in)
        assert abs(W.std() * np.sqrt(d_in) - 1.0) < 0.03


@pytest.mark.parametrize(
    ("X", "message"),
    [
        (np.ones((4, 3)), r"X must have 2 columns \(features\), got shape \(4, 3\)"),
        (np.ones((2, 4)), r"got shape \(2, 4\) \(is it transposed\?\)"),
        (np.ones(2), r"X must be a 2-D array .* got shape \(2,\) \(reshape a single sample"),
        (np.ones((1, 2, 2)), r"X must be a 2-D array"),
        (np.array([[1.0, np.inf]]), r"X must be finite, got inf at index \(0, 1\)"),
        (np.ones((0, 2)), r"X must not be empty"),
    ],
)
def test_linear_refuses_wrong_inputs_with_a_clear_message(X, message):
    with pytest.raises(ValueError, match=message):
        Linear(2, 3, rng=0)(X)


def test_linear_refuses_non_numeric_input():
    with pytest.raises(TypeError, match="X must be an array of numbers, got str"):
        Linear(2, 3, rng=0)("not an array")


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, 3), ValueError, "in_features must be a positive integer, got 0"),
        ((2, -1), ValueError, "out_features must be a positive integer, got -1"),
        ((2.0, 3), TypeError, "in_features must be a positive integer, got float"),
        ((2, "3"), TypeError, "out_features must be a positive integer, got str"),
        ((True, 3), TypeError, "in_features must be a positive integer, got bool"),
    ],
)
def test_linear_refuses_bad_sizes(args, error, message):
    with pytest.raises(error, match=message):
        Linear(*args)


# --------------------------------------------------------------- Linear: backward


@settings(deadline=None, max_examples=40)
@given(n=sizes, d_in=sizes, d_out=sizes, seed=seeds)
def test_linear_backward_matches_finite_differences(n, d_in, d_out, seed):
    rng = np.random.default_rng(seed)
    layer = Linear(d_in, d_out, rng=rng)
    layer.bias.data[...] = rng.normal(size=d_out)
    X = rng.normal(size=(n, d_in))
    G = rng.normal(size=(n, d_out))  # L = sum(Z * G), so dL/dZ = G

    def loss():
        return float(np.sum(layer(X) * G))

    layer(X)
    grad_X = layer.backward(G)
    assert grad_X.shape == X.shape
    assert relative_error(grad_X, numerical_gradient(loss, X)) < TOL
    assert relative_error(layer.weight.grad, numerical_gradient(loss, layer.weight.data)) < TOL
    assert relative_error(layer.bias.grad, numerical_gradient(loss, layer.bias.data)) < TOL


def test_linear_backward_accumulates_until_zero_grad():
    layer = Linear(3, 2, rng=0)
    X, G = np.ones((4, 3)), np.ones((4, 2))
    layer(X)
    layer.backward(G)
    once = layer.weight.grad.copy()
    layer.backward(G)
    assert np.array_equal(layer.weight.grad, 2 * once)
    layer.zero_grad()
    assert not layer.weight.grad.any() and not layer.bias.grad.any()


def test_linear_backward_before_forward_says_what_to_do():
    with pytest.raises(AttributeError, match=r"Linear has no 'X' \(forward not run yet"):
        Linear(3, 2, rng=0).backward(np.ones((4, 2)))


def test_a_misspelt_attribute_is_not_only_blamed_on_forward():
    # Module.__getattr__ answers every missing name, typos included: it says both.
    with pytest.raises(AttributeError, match=r"Linear has no 'weigth' \(.*or a typo\?\)"):
        Linear(3, 2, rng=0).weigth  # noqa: B018


# ------------------------------------------------------------------ Sequential


def test_sequential_applies_its_layers_in_order():
    first, second = Linear(2, 3, rng=0), Linear(3, 1, rng=1)
    net = Sequential(first, Tanh(), second)
    X = np.random.default_rng(2).normal(size=(5, 2))
    np.testing.assert_array_equal(net(X), second(np.tanh(first(X))))
    assert len(net) == 3 and net[0] is first and net[2] is second and net[-1] is second


def test_sequential_lists_all_parameters_in_layer_order():
    first, second = Linear(2, 3, rng=0), Linear(3, 1, rng=1)
    net = Sequential(first, Tanh(), second)
    assert net.parameters() == [first.weight, first.bias, second.weight, second.bias]
    assert sum(p.data.size for p in net.parameters()) == (2 + 1) * 3 + (3 + 1) * 1


def test_sequential_computes_the_xor_network_of_chapter_2():
    class Step(Module):
        def forward(self, Z):
            return (Z >= 0).astype(np.float64)

    hidden, output = Linear(2, 2), Linear(2, 1)
    hidden.weight.data[...] = [[1, -1], [1, -1]]  # OR and NAND
    hidden.bias.data[...] = [-0.5, 1.5]
    output.weight.data[...] = [[1], [1]]  # AND
    output.bias.data[...] = [-1.5]
    net = Sequential(hidden, Step(), output, Step())
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert np.array_equal(net(X)[:, 0], [0, 1, 1, 0])


def test_sequential_checks_its_sizes_once_at_construction():
    with pytest.raises(ValueError, match=r"layer 2 \(Linear\) must get 2 features, got 3 "
                                         r"from layer 0 \(Linear\)"):
        Sequential(Linear(2, 3, rng=0), Tanh(), Linear(2, 1, rng=1))
    net = Sequential(Linear(2, 3, rng=0), Tanh(), Linear(3, 1, rng=1))
    with pytest.raises(ValueError, match=r"X must have 2 columns \(features\), got shape \(4, 5\)"):
        net(np.ones((4, 5)))


@pytest.mark.parametrize(
    ("layers", "error", "message"),
    [
        ((), ValueError, "Sequential needs at least one layer, got none"),
        ((Linear(2, 2, rng=0), np.ones((2, 2))), TypeError,
         "layer 1 must be an nnlib Module, got ndarray"),
        ((Linear(2, 2, rng=0), np.tanh), TypeError, "layer 1 must be an nnlib Module, got ufunc"),
        ((Linear,), TypeError, r"layer 0 must be a Module instance, got the class Linear "
                               r"\(add parentheses: Linear\(...\)\)"),
    ],
)
def test_sequential_refuses_what_is_not_a_module(layers, error, message):
    with pytest.raises(error, match=message):
        Sequential(*layers)


def test_sequential_repr_lists_its_layers_and_nests():
    net = Sequential(Linear(2, 3, rng=0), Tanh(), Sequential(Linear(3, 1, rng=0)))
    assert repr(net) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3)\n"
        "  (1): Tanh()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=3, out_features=1)\n"
        "  )\n"
        ")"
    )


@settings(deadline=None, max_examples=60)
@given(n=sizes, widths=st.lists(sizes, min_size=2, max_size=4), seed=seeds)
def test_sequential_backward_matches_finite_differences(n, widths, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for d_in, d_out in zip(widths[:-1], widths[1:], strict=True):
        layers += [Linear(d_in, d_out, rng=rng), Tanh()]
    net = Sequential(*layers[:-1])  # no activation after the last layer
    for p in net.parameters():  # moderate weights: tanh not saturated, gradients not tiny
        p.data[...] = 0.5 * rng.normal(size=p.shape)
    X = rng.normal(size=(n, widths[0]))
    G = rng.normal(size=(n, widths[-1]))

    def loss():
        return float(np.sum(net(X) * G))

    net(X)
    grad_X = net.backward(G)
    assert relative_error(grad_X, numerical_gradient(loss, X)) < TOL
    for p in net.parameters():
        assert relative_error(p.grad, numerical_gradient(loss, p.data)) < TOL


def test_the_gradient_check_catches_a_wrong_backward():
    """The finite-difference comparison above must be able to fail."""

    class ForgetsTheTranspose(Linear):
        def backward(self, grad_out):
            self.weight.grad += self.X.T @ grad_out
            self.bias.grad += grad_out.sum(axis=0)
            return grad_out @ np.ones_like(self.weight.data).T  # wrong: not W^T

    rng = np.random.default_rng(0)
    layer = ForgetsTheTranspose(3, 2, rng=rng)
    X, G = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer(X)
    grad_X = layer.backward(G)
    assert relative_error(grad_X, numerical_gradient(lambda: float(np.sum(layer(X) * G)), X)) > 0.1


@pytest.mark.parametrize("first", ["Linear", "Sigmoid"])
def test_a_first_layer_that_skips_its_input_grad_gives_the_same_parameter_gradients(first):
    # Training sets model[0].needs_input_grad = False: the data needs no gradient.
    # Skipping it must not change a single bit of any parameter's gradient.
    rng = np.random.default_rng(0)
    head = [Linear(5, 4, rng=rng)] if first == "Linear" else [Sigmoid()]
    net = Sequential(*head, Linear(5 if first == "Sigmoid" else 4, 3, rng=rng), Sigmoid(),
                     Linear(3, 2, rng=rng))
    X, G = rng.normal(size=(6, 5)), rng.normal(size=(6, 2))
    net(X)
    grad_X = net.backward(G)
    with_input = [p.grad.copy() for p in net.parameters()]
    net.zero_grad()
    net[0].needs_input_grad = False
    skipped = net.backward(G)
    assert (skipped is None) == (first == "Linear")  # only Linear has work to skip
    for p, expected in zip(net.parameters(), with_input, strict=True):
        assert np.array_equal(p.grad, expected)
    assert grad_X.shape == X.shape  # by default, backward returns dL/dX


def test_a_learners_first_module_trains_under_the_books_loop():
    # Tanh (above) is a learner's module: only forward(X) and backward(grad_out). The
    # training loop sets needs_input_grad = False on the first layer, which such a module
    # ignores: it still trains, and returns its dL/dX, which the loop drops.
    from nnlib.losses import MSELoss
    from nnlib.optim import SGD

    rng = np.random.default_rng(0)
    net = Sequential(Tanh(), Linear(3, 1, rng=rng))
    net[0].needs_input_grad = False
    X = rng.normal(size=(20, 3))
    y = X @ np.array([[0.5], [-0.2], [0.1]])
    loss_fn, opt = MSELoss(), SGD(net.parameters(), lr=0.5)
    losses = []
    for _ in range(50):
        opt.zero_grad()
        losses.append(loss_fn(net(X), y))
        net.backward(loss_fn.backward())
        opt.step()
    assert losses[-1] < 0.1 * losses[0]
