"""Tests of nnlib.init: shapes, reproducibility, variances against theory, networks.

Variance tolerances come from the sample size N = fan_in * fan_out. For N
independent draws the sample variance v has standard error
    var * sqrt(2 / N)    (normal law: Var(w**2) = 2 var**2)
    var * sqrt(0.8 / N)  (uniform on (-a, a): Var(w**2) = 4 a**4 / 45 = 0.8 var**2)
and the sample mean has standard error sqrt(var / N). We allow 5 standard errors:
a correct initialiser fails with probability below 1e-6 (and the seeds are fixed).
"""

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import init
from nnlib.activations import ReLU, Tanh
from nnlib.layers import Linear, Sequential

# name: (scheme, theoretical variance as a function of (fan_in, fan_out), Var(w^2)/var^2)
SCHEMES = {
    "normal": (functools.partial(init.normal, std=0.05), lambda i, o: 0.05**2, 2.0),
    "glorot_normal": (init.glorot_normal, lambda i, o: 2.0 / (i + o), 2.0),
    "glorot_uniform": (init.glorot_uniform, lambda i, o: 2.0 / (i + o), 0.8),
    "he_normal": (init.he_normal, lambda i, o: 2.0 / i, 2.0),
    "he_uniform": (init.he_uniform, lambda i, o: 2.0 / i, 0.8),
}


@pytest.mark.parametrize("name", sorted(SCHEMES))
@settings(max_examples=15, deadline=None)
@given(fan_in=st.integers(50, 600), fan_out=st.integers(50, 600), seed=st.integers(0, 2**32 - 1))
def test_empirical_variance_matches_theory(name, fan_in, fan_out, seed):
    scheme, variance, kurtosis_term = SCHEMES[name]
    W = scheme(fan_in, fan_out, rng=seed)
    assert W.shape == (fan_in, fan_out) and W.dtype == np.float64
    n = W.size
    var = variance(fan_in, fan_out)
    assert abs(W.var() - var) < 5 * var * np.sqrt(kurtosis_term / n)
    assert abs(W.mean()) < 5 * np.sqrt(var / n)


def test_uniform_schemes_stay_within_their_limit():
    W = init.glorot_uniform(30, 70, rng=0)
    assert np.abs(W).max() <= np.sqrt(6 / 100)
    assert np.abs(W).max() > 0.95 * np.sqrt(6 / 100)  # and fill it
    W = init.he_uniform(30, 70, rng=0)
    assert np.abs(W).max() <= np.sqrt(6 / 30)


def test_the_schemes_by_formula():
    # For a square layer Glorot equals 1 / fan_in, Linear's default; He doubles it.
    assert init.glorot_normal(256, 256, rng=0).std() == pytest.approx(1 / 16, rel=0.02)
    assert init.he_normal(256, 256, rng=0).std() == pytest.approx(np.sqrt(2) / 16, rel=0.02)
    assert init.normal(256, 256, rng=0).std() == pytest.approx(0.01, rel=0.02)  # default std


def test_the_variance_check_can_fail():
    W = init.he_normal(300, 300, rng=0)
    var, n = 2.0 / 300, W.size
    assert abs(W.var() - var) < 5 * var * np.sqrt(2 / n)
    assert abs(W.var() - 1.0 / 300) > 5 * var * np.sqrt(2 / n)  # Glorot's would fail


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_seeded_draws_are_reproducible(name):
    scheme = SCHEMES[name][0]
    assert np.array_equal(scheme(4, 3, rng=7), scheme(4, 3, rng=7))
    assert not np.array_equal(scheme(4, 3, rng=7), scheme(4, 3, rng=8))
    rng = np.random.default_rng(0)
    assert not np.array_equal(scheme(4, 3, rng=rng), scheme(4, 3, rng=rng))


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_bad_sizes_are_rejected(name):
    scheme = SCHEMES[name][0]
    with pytest.raises(ValueError, match="fan_in must be a positive integer"):
        scheme(0, 3)
    with pytest.raises(TypeError, match="fan_out must be a positive integer"):
        scheme(3, 2.5)


def test_bad_std_is_rejected():
    with pytest.raises(ValueError, match="std must be a positive"):
        init.normal(3, 3, std=0.0)
    with pytest.raises(TypeError, match="std must be a positive number"):
        init.normal(3, 3, std="0.1")


# --- init_linear_layers ----------------------------------------------------------------

def make_net(rng=0):
    inner = Sequential(Linear(8, 8, rng=rng), Tanh())
    return Sequential(Linear(5, 8, rng=rng), ReLU(), inner, Linear(8, 2, rng=rng))


def test_init_linear_layers_reinitialises_every_linear_layer_in_place():
    net = make_net()
    linears = [net[0], net[2][0], net[3]]
    for layer in linears:
        layer.bias.data[...] = 1.0
    weights = [layer.weight for layer in linears]
    old = [w.data.copy() for w in weights]
    assert init.init_linear_layers(net, init.he_normal, rng=3) is net
    for layer, weight, before in zip(linears, weights, old, strict=True):
        assert layer.weight is weight  # the same Parameter, new values
        assert weight.shape == before.shape and not np.array_equal(weight.data, before)
        assert np.array_equal(layer.bias.data, np.zeros(layer.bias.shape))
    # Reproducible, and equal to drawing the weights in order from one Generator.
    again = init.init_linear_layers(make_net(), init.he_normal, rng=3)
    rng = np.random.default_rng(3)
    for layer, other in zip(linears, [again[0], again[2][0], again[3]], strict=True):
        assert np.array_equal(layer.weight.data, other.weight.data)
        assert np.array_equal(layer.weight.data, init.he_normal(*layer.weight.shape, rng=rng))


def test_init_linear_layers_accepts_a_single_layer_and_partial_schemes():
    layer = Linear(400, 300, rng=0)
    init.init_linear_layers(layer, functools.partial(init.normal, std=1.0), rng=0)
    assert layer.weight.data.std() == pytest.approx(1.0, rel=0.02)


def test_init_linear_layers_errors():
    with pytest.raises(TypeError, match="model must be an nnlib Module"):
        init.init_linear_layers([Linear(2, 2)], init.he_normal)
    with pytest.raises(TypeError, match="scheme must be a function"):
        init.init_linear_layers(Linear(2, 2), "he")
    with pytest.raises(ValueError, match=r"scheme's W must have shape \(2, 3\), got shape"):
        init.init_linear_layers(Linear(2, 3), lambda i, o, rng: np.zeros((3, 2)))


# --- what the schemes are for: keeping the signal's scale through depth ----------------

def layer_stds(activation, scheme, depth=15, width=200, n=300, seed=0):
    layers = []
    for _ in range(depth):
        layers += [Linear(width, width), activation()]
    net = init.init_linear_layers(Sequential(*layers), scheme, rng=seed)
    H = np.random.default_rng(seed + 1).normal(size=(n, width))
    stds = []
    for layer in net.layers:
        H = layer(H)
        if not isinstance(layer, Linear):
            stds.append(H.std())
    return np.array(stds)


def test_he_keeps_relu_signals_at_scale_and_glorot_lets_them_shrink():
    he = layer_stds(ReLU, init.he_normal)
    assert np.all((he > he[0] / 2) & (he < he[0] * 2))
    glorot = layer_stds(ReLU, init.glorot_normal)
    # Each ReLU layer halves the mean square under Glorot (1/fan_in for square layers).
    assert glorot[-1] / glorot[0] == pytest.approx(2 ** (-14 / 2), rel=0.5)


def test_naive_small_init_collapses_tanh_signals():
    stds = layer_stds(Tanh, functools.partial(init.normal, std=0.01))
    # In the linear regime each layer multiplies the std by 0.01 * sqrt(width) ~ 0.14.
    assert stds[-1] / stds[0] == pytest.approx((0.01 * np.sqrt(200)) ** 14, rel=0.5)
