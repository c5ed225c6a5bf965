"""Property tests (Hypothesis) that complete the ones beside each module's unit tests.

Already elsewhere, not repeated here:
- gradients of random stacks of layers against finite differences:
  test_gradcheck.py::test_sequential_stack_backward (and the per-layer ones there and in
  test_layers.py, test_activations.py);
- softmax rows sum to 1 and are shift invariant:
  test_activations.py::test_softmax_rows_are_distributions_and_shift_invariant;
- the perceptron's mistakes stay within Novikoff's bound on separable data:
  test_perceptron.py::test_mistakes_within_novikoff_bound.

Here: Linear is affine, stacked Linear layers are one Linear, backward passes are linear
in the incoming gradient, the losses are non-negative (and zero exactly when right),
cross-entropy ignores a shift of a row of logits, softmax commutes with permuting the
classes, the perceptron does not care about the scale of its learning rate or the names
of its labels, and relative_error is a symmetric, scale-free number in [0, 1].
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib import activations as A
from nnlib.gradcheck import relative_error
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, MSELoss
from nnlib.perceptron import Perceptron

sizes = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)
moderate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
ACTIVATIONS = [A.Sigmoid, A.Tanh, A.ReLU, A.LeakyReLU, A.Softplus, A.ELU, A.GELU, A.Identity]


@settings(max_examples=50, deadline=None)
@given(n=sizes, d_in=sizes, d_out=sizes, a=st.floats(-3, 3), seed=seeds)
def test_linear_is_affine(n, d_in, d_out, a, seed):
    # f(a x + (1 - a) y) = a f(x) + (1 - a) f(y) for every a (not only in [0, 1]).
    rng = np.random.default_rng(seed)
    layer = Linear(d_in, d_out, rng=rng)
    layer.bias.data[...] = rng.normal(size=d_out)  # a non-zero bias: affine, not linear
    X, Y = rng.normal(size=(n, d_in)), rng.normal(size=(n, d_in))
    left = layer(a * X + (1 - a) * Y)
    right = a * layer(X) + (1 - a) * layer(Y)
    scale = np.abs(a * layer(X)).max() + np.abs((1 - a) * layer(Y)).max() + 1
    np.testing.assert_allclose(left, right, rtol=0, atol=1e-13 * scale)


@settings(max_examples=40, deadline=None)
@given(n=sizes, widths=st.lists(sizes, min_size=3, max_size=5), seed=seeds)
def test_stacked_linear_layers_are_one_linear_layer(n, widths, seed):
    # Without activations, depth buys nothing: W = W1 W2 ..., b = (b1 W2 + b2) W3 + ...
    rng = np.random.default_rng(seed)
    layers = [Linear(i, o, rng=rng) for i, o in zip(widths[:-1], widths[1:], strict=True)]
    W, b = np.eye(widths[0]), np.zeros(widths[0])
    for layer in layers:
        layer.bias.data[...] = rng.normal(size=layer.bias.shape)
        W, b = W @ layer.weight.data, b @ layer.weight.data + layer.bias.data
    X = rng.normal(size=(n, widths[0]))
    np.testing.assert_allclose(Sequential(*layers)(X), X @ W + b, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(widths=st.lists(sizes, min_size=2, max_size=4),
       activations=st.lists(st.sampled_from(ACTIVATIONS), min_size=3, max_size=3),
       n=sizes, a=st.floats(-2, 2), seed=seeds)
def test_backward_is_linear_in_the_incoming_gradient(widths, activations, n, a, seed):
    # The chain rule multiplies by the transposed Jacobian: backward(a G + H) equals
    # a backward(G) + backward(H), for the input gradient and every parameter gradient.
    rng = np.random.default_rng(seed)
    layers = []
    for i, (d_in, d_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        layers += [Linear(d_in, d_out, rng=rng), activations[i]()]
    net = Sequential(*layers)
    X = rng.normal(size=(n, widths[0]))
    G, H = rng.normal(size=(n, widths[-1])), rng.normal(size=(n, widths[-1]))

    def gradients(grad_out):
        net(X)
        net.zero_grad()
        return [net.backward(grad_out)] + [p.grad.copy() for p in net.parameters()]

    for combined, g, h in zip(gradients(a * G + H), gradients(G), gradients(H), strict=True):
        scale = np.abs(a * g).max() + np.abs(h).max() + 1e-300
        np.testing.assert_allclose(combined, a * g + h, rtol=0, atol=1e-12 * scale)


@settings(max_examples=60, deadline=None)
@given(pred=arrays(np.float64, st.tuples(sizes, sizes), elements=moderate), seed=seeds)
def test_mse_is_non_negative_and_zero_only_when_right(pred, seed):
    target = pred + np.random.default_rng(seed).normal(size=pred.shape)
    assert MSELoss()(pred, target) > 0.0
    assert MSELoss()(pred, pred.copy()) == 0.0


@settings(max_examples=60, deadline=None)
@given(Z=arrays(np.float64, st.tuples(sizes, st.integers(2, 6)),
                elements=st.floats(-1e6, 1e6)),
       data=st.data())
def test_cross_entropy_is_non_negative_and_ignores_a_shift_of_each_row(Z, data):
    n, k = Z.shape
    labels = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    loss = CrossEntropyLoss()(Z, labels)
    assert loss >= 0.0 and np.isfinite(loss)
    shifts = np.array(data.draw(st.lists(moderate, min_size=n, max_size=n)))[:, None]
    shifted = CrossEntropyLoss()(Z + shifts, labels)
    # Only the rounding of Z + shift differs: a few ulps of the largest logit.
    ulps = 8 * np.finfo(np.float64).eps * (np.abs(Z).max() + np.abs(shifts).max() + 1)
    assert np.isclose(shifted, loss, rtol=1e-12, atol=ulps)


@settings(max_examples=60, deadline=None)
@given(Z=arrays(np.float64, st.tuples(sizes, st.integers(2, 6)), elements=moderate),
       seed=seeds)
def test_softmax_commutes_with_permuting_the_classes(Z, seed):
    perm = np.random.default_rng(seed).permutation(Z.shape[1])
    np.testing.assert_allclose(A.softmax(Z[:, perm]), A.softmax(Z)[:, perm], rtol=1e-14,
                               atol=1e-300)


def separable_data(n, d, seed):
    rng = np.random.default_rng(seed)
    w, b = rng.normal(size=d), rng.normal()
    X = rng.normal(size=(n, d)) * 3
    z = X @ w + b
    keep = np.abs(z) > 0.1 * np.abs(w).sum()  # a margin, so that training converges
    X, z = X[keep], z[keep]
    return X, (z > 0).astype(int)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 40), d=st.integers(1, 4), seed=seeds,
       power=st.integers(-4, 4))
def test_the_perceptron_does_not_care_about_the_scale_of_its_learning_rate(n, d, seed, power):
    # Started from w = 0, b = 0, every weight is lr times a sum of +-x_i: the signs, and so
    # every mistake, are the same for any lr (a power of two keeps the products exact).
    X, y = separable_data(n, d, seed)
    assume(len(set(y)) == 2)  # both classes drawn
    one = Perceptron(lr=1.0, max_epochs=50).fit(X, y)
    scaled = Perceptron(lr=2.0**power, max_epochs=50).fit(X, y)
    assert scaled.mistakes_ == one.mistakes_
    np.testing.assert_array_equal(scaled.coef_, 2.0**power * one.coef_)
    assert scaled.intercept_ == 2.0**power * one.intercept_


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 40), d=st.integers(1, 4), seed=seeds)
def test_the_perceptron_does_not_care_about_the_names_of_its_labels(n, d, seed):
    X, y = separable_data(n, d, seed)
    assume(len(set(y)) == 2)  # both classes drawn
    numbers = Perceptron(max_epochs=50).fit(X, y)
    names = Perceptron(max_epochs=50).fit(X, np.where(y == 1, "yes", "no"))  # "no" < "yes"
    assert names.mistakes_ == numbers.mistakes_
    np.testing.assert_array_equal(names.coef_, numbers.coef_)
    np.testing.assert_array_equal(names.predict(X) == "yes", numbers.predict(X) == 1)


@settings(max_examples=60, deadline=None)
@given(a=arrays(np.float64, st.integers(1, 8), elements=moderate), seed=seeds,
       power=st.integers(-30, 30))
def test_relative_error_is_symmetric_bounded_and_scale_free(a, seed, power):
    b = a + np.random.default_rng(seed).normal(size=a.shape)
    e = relative_error(a, b)
    assert 0.0 <= e <= 1.0
    assert e == relative_error(b, a)
    # Scaling by a power of two is exact, so the error must not move at all. (Any other
    # factor rounds a and b, which a - b can magnify when they nearly cancel.)
    assert relative_error(2.0**power * a, 2.0**power * b) == e
    assert relative_error(a, a.copy()) == 0.0
