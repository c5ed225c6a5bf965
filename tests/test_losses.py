"""nnlib.losses: values (by hand and against scikit-learn), gradients, stability, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss, mean_squared_error

from nnlib.activations import softmax
from nnlib.gradcheck import gradcheck_loss, numerical_gradient
from nnlib.losses import CrossEntropyLoss, MSELoss

seeds = st.integers(0, 2**32 - 1)


# ---------------------------------------------------------------- MSELoss


def test_mse_value_by_hand():
    pred = np.array([[1.0, 2.0], [3.0, 4.0]])
    target = np.array([[0.0, 2.0], [3.0, 2.0]])
    # squared differences 1, 0, 0, 4: mean 5 / 4
    assert MSELoss()(pred, target) == 1.25


def test_mse_gradient_by_hand():
    loss = MSELoss()
    loss(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[0.0, 2.0], [3.0, 2.0]]))
    # 2 (yhat - y) / (n k) with n k = 4
    np.testing.assert_array_equal(loss.backward(), [[0.5, 0.0], [0.0, 1.0]])


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 12), k=st.integers(1, 5), vector=st.booleans(), seed=seeds)
def test_mse_matches_sklearn_and_finite_differences(n, k, vector, seed):
    rng = np.random.default_rng(seed)
    shape = (n,) if vector else (n, k)
    pred, target = rng.normal(size=shape), rng.normal(size=shape)
    assert np.isclose(MSELoss()(pred, target), mean_squared_error(target, pred), rtol=1e-12)
    assert gradcheck_loss(MSELoss(), pred, target) < 1e-7


def test_mse_is_zero_only_for_a_perfect_prediction():
    y = np.array([[1.0], [2.0]])
    assert MSELoss()(y, y) == 0.0
    assert MSELoss()(y + 1e-3, y) > 0.0


def test_mse_refuses_shapes_that_would_broadcast():
    # (n, 1) against (n,) would silently broadcast to (n, n) in plain numpy.
    expected = r"target must have shape \(3, 1\), got shape \(3,\)"
    with pytest.raises(ValueError, match=expected):
        MSELoss()(np.zeros((3, 1)), np.zeros(3))


def test_mse_refuses_nan_and_non_numbers():
    with pytest.raises(ValueError, match="pred must be finite"):
        MSELoss()(np.array([1.0, np.nan]), np.zeros(2))
    with pytest.raises(TypeError, match="target must be an array of numbers"):
        MSELoss()(np.zeros(2), "ab")


def test_mse_backward_before_forward():
    with pytest.raises(AttributeError, match=r"MSELoss has no 'diff': no loss computed yet"):
        MSELoss().backward()


# ---------------------------------------------------------------- CrossEntropyLoss


def test_cross_entropy_value_by_hand():
    # Two equal logits: p = 1/2 for each class, L = log 2.
    assert np.isclose(CrossEntropyLoss()(np.zeros((1, 2)), np.array([0])), np.log(2.0), rtol=1e-15)
    # Logits (1, 2, 3), label 2: L = -log(e^3 / (e + e^2 + e^3)).
    e = np.exp([1.0, 2.0, 3.0])
    expected = -np.log(e[2] / e.sum())
    assert np.isclose(CrossEntropyLoss()(np.array([[1.0, 2.0, 3.0]]), [2]), expected, rtol=1e-14)
    # The mean over a batch of two samples.
    both = CrossEntropyLoss()(np.array([[0.0, 0.0], [1.0, 2.0]]), np.array([0, 1]))
    assert np.isclose(both, (np.log(2.0) + np.log1p(np.exp(-1.0))) / 2, rtol=1e-14)


def test_cross_entropy_gradient_by_hand():
    loss = CrossEntropyLoss()
    Z = np.array([[0.0, 0.0], [np.log(3.0), 0.0]])  # probabilities (1/2, 1/2) and (3/4, 1/4)
    loss(Z, np.array([1, 0]))
    expected = np.array([[0.5, -0.5], [-0.25, 0.25]]) / 2  # (softmax - onehot) / n
    np.testing.assert_allclose(loss.backward(), expected, rtol=1e-14, atol=1e-16)


@settings(deadline=None, max_examples=40)
@given(n=st.integers(1, 12), k=st.integers(2, 6), scale=st.sampled_from([0.1, 1.0, 5.0]),
       seed=seeds)
def test_cross_entropy_matches_sklearn_and_finite_differences(n, k, scale, seed):
    rng = np.random.default_rng(seed)
    Z = scale * rng.normal(size=(n, k))
    y = rng.integers(0, k, size=n)
    expected = log_loss(y, softmax(Z), labels=np.arange(k))
    assert np.isclose(CrossEntropyLoss()(Z, y), expected, rtol=1e-10)
    if scale < 5.0:
        assert gradcheck_loss(CrossEntropyLoss(), Z, y) < 1e-7
    else:
        # Confident logits: a sample's gradient can be ~1e-6, below what central
        # differences resolve relatively (their rounding error is up to ~2e-10 absolute), so
        # compare entry by entry with an absolute floor at that rounding level.
        loss = CrossEntropyLoss()
        loss(Z, y)
        backprop = loss.backward()
        numeric = numerical_gradient(lambda: loss(Z, y), Z)  # nudges Z in place
        np.testing.assert_allclose(backprop, numeric, rtol=1e-7, atol=1e-9)


@settings(deadline=None, max_examples=30)
@given(n=st.integers(1, 10), k=st.integers(2, 6), seed=seeds)
def test_cross_entropy_gradient_is_softmax_minus_onehot(n, k, seed):
    rng = np.random.default_rng(seed)
    Z, y = rng.normal(size=(n, k)), rng.integers(0, k, size=n)
    loss = CrossEntropyLoss()
    loss(Z, y)
    grad = loss.backward()
    np.testing.assert_allclose(grad, (softmax(Z) - np.eye(k)[y]) / n, rtol=1e-12, atol=1e-15)
    # Each row sums to zero: raising every logit of a sample by the same amount changes nothing.
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-15)


def test_cross_entropy_is_stable_for_huge_logits():
    Z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    loss = CrossEntropyLoss()
    value = loss(Z, np.array([0, 2]))
    # Right and confident: loss 0. Wrong by 2000: loss 2000. Mean: 1000.
    assert np.isclose(value, 1000.0, rtol=1e-12)
    grad = loss.backward()
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad, [[0.0, 0.0, 0.0], [0.5, 0.0, -0.5]], atol=1e-15)


def test_cross_entropy_accepts_any_integer_dtype():
    Z = np.zeros((3, 4))
    assert CrossEntropyLoss()(Z, np.array([0, 3, 1], dtype=np.int8)) == pytest.approx(np.log(4.0))
    assert CrossEntropyLoss()(Z, [0, 3, 1]) == pytest.approx(np.log(4.0))


@pytest.mark.parametrize(
    ("labels", "error", "message"),
    [
        (np.array([0, 1, 3]), ValueError, r"target must hold labels in 0\.\.2, got .* 0 to 3"),
        (np.array([0, -1, 2]), ValueError, r"target must hold labels in 0\.\.2, got .* -1 to 2"),
        (np.array([0.0, 1.0, 2.0]), TypeError, r"target must hold integer labels, got dtype float"),
        (np.array([0, 1]), ValueError, r"target must have 3 labels \(one per sample\), got 2"),
        (np.array([[0], [1], [2]]), ValueError, r"target must be a 1-D array"),
        (None, TypeError, r"target must be an array of integer labels"),
    ],
)
def test_cross_entropy_rejects_bad_labels(labels, error, message):
    with pytest.raises(error, match=message):
        CrossEntropyLoss()(np.zeros((3, 3)), labels)


def test_cross_entropy_rejects_bad_logits():
    with pytest.raises(ValueError, match=r"pred must be a 2-D array.*got shape \(3,\)"):
        CrossEntropyLoss()(np.zeros(3), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="pred must be finite"):
        CrossEntropyLoss()(np.array([[0.0, np.inf]]), np.array([0]))


def test_cross_entropy_backward_before_forward():
    with pytest.raises(AttributeError, match=r"CrossEntropyLoss has no 'p': no loss computed yet"):
        CrossEntropyLoss().backward()


def test_cross_entropy_gradient_does_not_vanish_on_a_confident_mistake():
    # The chapter's argument for cross-entropy: a confident wrong answer still gets a
    # gradient of size about 1 (per sample); through a sigmoid, MSE's gradient vanishes.
    loss = CrossEntropyLoss()
    loss(np.array([[10.0, -10.0]]), np.array([1]))
    assert np.abs(loss.backward()).max() > 0.99
    z, y = -20.0, 1.0
    s = 1.0 / (1.0 + np.exp(-z))
    mse_gradient = 2 * (s - y) * s * (1 - s)
    assert abs(mse_gradient) < 1e-8
