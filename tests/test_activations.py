"""Tests of nnlib.activations: values, derivatives, layers, stability, softmax.

Derivatives are checked against central finite differences in float64 with
err = |analytic - numeric| / max(|analytic|, |numeric|, 1e-3) < 1e-7: a relative
error, except where the derivative itself is below 1e-3 (a saturated tail, or
where GELU's derivative crosses zero), where a pure relative error says nothing
and we bound the absolute error instead. Points within 1e-4 of a kink are left out.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from nnlib import activations as A
from nnlib.layers import Linear, Sequential

H = 1e-5  # finite-difference step: truncation ~H**2, round-off ~1e-16 / H, both << 1e-7
TOL = 1e-7

# name: (function, derivative, layer class); every function with default parameters.
FUNCTIONS = {
    "identity": (A.identity, A.identity_derivative, A.Identity),
    "step": (A.step, A.step_derivative, A.Step),
    "sigmoid": (A.sigmoid, A.sigmoid_derivative, A.Sigmoid),
    "tanh": (A.tanh, A.tanh_derivative, A.Tanh),
    "relu": (A.relu, A.relu_derivative, A.ReLU),
    "leaky_relu": (A.leaky_relu, A.leaky_relu_derivative, A.LeakyReLU),
    "softplus": (A.softplus, A.softplus_derivative, A.Softplus),
    "elu": (A.elu, A.elu_derivative, A.ELU),
    "gelu": (A.gelu, A.gelu_derivative, A.GELU),
}
NAMES = sorted(FUNCTIONS)

away_from_kinks = st.floats(-6, 6).filter(lambda v: abs(v) > 1e-4)
z_arrays = arrays(np.float64, array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=away_from_kinks)


def fd_error(g, g_prime, z):
    """Largest err (see the module docstring) between g'(z) and its central difference."""
    numeric = (g(z + H) - g(z - H)) / (2 * H)
    analytic = g_prime(z)
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), 1e-3)
    return float(np.max(np.abs(analytic - numeric) / scale))


# --- values against hand-computed ones ---------------------------------------------------

def test_values_by_hand():
    log2, log3 = math.log(2.0), math.log(3.0)
    assert A.step([-1.0, 0.0, 2.0]).tolist() == [0.0, 1.0, 1.0]  # H(0) = 1, as in chapter 1
    assert A.identity([-2.5, 3.0]).tolist() == [-2.5, 3.0]
    assert A.sigmoid(0.0) == 0.5
    assert np.isclose(A.sigmoid(log3), 0.75, rtol=1e-15, atol=0)  # 1 / (1 + 1/3)
    assert np.isclose(A.sigmoid(-log3), 0.25, rtol=1e-15, atol=0)
    assert np.isclose(A.tanh(log2), 0.6, rtol=1e-15, atol=0)  # (2 - 1/2) / (2 + 1/2)
    assert A.relu([-2.0, 0.0, 3.0]).tolist() == [0.0, 0.0, 3.0]
    assert A.leaky_relu([-2.0, 3.0]).tolist() == [-0.02, 3.0]
    assert A.leaky_relu([-2.0, 3.0], negative_slope=0.1).tolist() == [-0.2, 3.0]
    assert np.isclose(A.softplus(0.0), log2, rtol=1e-15, atol=0)
    assert np.isclose(A.softplus(log3), math.log(4.0), rtol=1e-15, atol=0)  # log(1 + 3)
    assert np.isclose(A.elu(-log2), -0.5, rtol=1e-15, atol=0)  # exp(-log 2) - 1
    assert np.isclose(A.elu(-log2, alpha=2.0), -1.0, rtol=1e-15, atol=0)
    assert A.elu(3.0) == 3.0
    assert A.gelu(0.0) == 0.0 and A.gelu(10.0) == 10.0


def test_derivatives_by_hand_and_the_kink_convention():
    assert A.sigmoid_derivative(0.0) == 0.25
    assert A.tanh_derivative(0.0) == 1.0
    assert A.softplus_derivative(0.0) == 0.5
    assert A.gelu_derivative(0.0) == 0.5
    # At a kink the derivative is the left one, chosen once in nnlib.activations:
    assert A.relu_derivative([-1.0, 0.0, 1.0]).tolist() == [0.0, 0.0, 1.0]
    assert A.leaky_relu_derivative(0.0, negative_slope=0.2) == 0.2
    assert A.elu_derivative(0.0, alpha=0.5) == 0.5
    assert A.step_derivative([-1.0, 0.0, 1.0]).tolist() == [0.0, 0.0, 0.0]
    assert A.identity_derivative([-1.0, 0.0, 1.0]).tolist() == [1.0, 1.0, 1.0]
    # The ReLU layer uses the same convention.
    relu = A.ReLU()
    relu(np.zeros((2, 3)))
    assert np.array_equal(relu.backward(np.ones((2, 3))), np.zeros((2, 3)))


def test_gelu_tanh_form_is_close_to_the_exact_one():
    z = np.linspace(-8, 8, 1601)
    exact = np.array([v * 0.5 * (1.0 + math.erf(v / math.sqrt(2.0))) for v in z])
    assert np.max(np.abs(A.gelu(z) - exact)) < 1e-3
    assert -0.18 < A.gelu(z).min() < -0.16  # the minimum of about -0.17 at z ~ -0.75


def test_identities_between_functions():
    z = np.linspace(-20, 20, 801)
    s = A.sigmoid(z)
    assert np.allclose(A.sigmoid(-z), 1.0 - s, rtol=0, atol=1e-15)
    assert np.allclose(A.tanh(z), 2.0 * A.sigmoid(2.0 * z) - 1.0, rtol=0, atol=1e-15)
    # s (1 - s) loses relative accuracy as s -> 1, hence the absolute tolerance.
    assert np.allclose(A.sigmoid_derivative(z), s * (1.0 - s), rtol=0, atol=1e-15)
    assert np.allclose(A.tanh_derivative(z), 1.0 - np.tanh(z) ** 2, rtol=0, atol=1e-15)
    assert np.array_equal(A.softplus_derivative(z), s)
    assert np.array_equal(A.leaky_relu(z, negative_slope=0.0), A.relu(z))
    assert np.all(np.diff(s) > 0) and s.min() > 0 and s.max() < 1  # (0, 1), increasing


def test_sigmoid_derivative_keeps_relative_accuracy_in_the_tails():
    # At z = 30, 1 - sigmoid(z) rounds to 0 although the derivative is ~exp(-30) ~ 9.4e-14.
    z = np.array([-30.0, 30.0, 600.0])
    assert np.allclose(A.sigmoid_derivative(z), np.exp(-np.abs(z)), rtol=1e-12, atol=0)
    assert np.allclose(A.tanh_derivative(z), 4 * np.exp(-2 * np.abs(z)), rtol=1e-12, atol=0)


def test_shapes_and_dtype_are_kept():
    for name in NAMES:
        g, g_prime, _ = FUNCTIONS[name]
        for z in (0.5, [1.0, -2.0], np.ones((2, 3, 4), dtype=np.float32), [[1, 2]]):
            # float32 stays float32, as in numpy; anything else becomes float64
            expected = np.float32 if np.asarray(z).dtype == np.float32 else np.float64
            for f in (g, g_prime):
                out = f(z)
                assert out.shape == np.shape(z) and out.dtype == expected, (name, z)


def test_functions_do_not_modify_their_input():
    z = np.linspace(-3, 3, 7)
    before = z.copy()
    for name in NAMES:
        for f in FUNCTIONS[name][:2]:
            f(z)
    assert np.array_equal(z, before)
    out = A.identity(z)
    out[0] = 99.0
    assert z[0] == -3.0


# --- derivatives against central finite differences ------------------------------------

@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(z=z_arrays)
def test_derivative_matches_finite_differences(name, z):
    g, g_prime, _ = FUNCTIONS[name]
    assert fd_error(g, g_prime, z) < TOL


@settings(max_examples=40, deadline=None)
@given(z=z_arrays, slope=st.floats(0.0, 1.0), alpha=st.floats(0.1, 3.0))
def test_parametrised_derivatives_match_finite_differences(z, slope, alpha):
    assert fd_error(lambda v: A.leaky_relu(v, slope),
                    lambda v: A.leaky_relu_derivative(v, slope), z) < TOL
    assert fd_error(lambda v: A.elu(v, alpha), lambda v: A.elu_derivative(v, alpha), z) < TOL


def test_the_finite_difference_check_can_fail():
    z = np.linspace(-3, 3, 13)
    z = z[z != 0]
    wrong = lambda v: A.sigmoid(v) * (1 - A.sigmoid(v)) + 1e-6  # noqa: E731
    assert fd_error(A.sigmoid, wrong, z) > TOL
    assert fd_error(A.relu, A.identity_derivative, z) > TOL  # wrong for z < 0
    assert fd_error(A.elu, lambda v: A.elu_derivative(v, alpha=1.1), z) > TOL


# --- layers ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25, deadline=None)
@given(Z=arrays(np.float64, array_shapes(min_dims=2, max_dims=2, max_side=6),
                elements=away_from_kinks), seed=st.integers(0, 2**32 - 1))
def test_layer_forward_and_backward(name, Z, seed):
    g, g_prime, Layer = FUNCTIONS[name]
    layer = Layer()
    assert layer.parameters() == []
    A_out = layer(Z)
    assert np.array_equal(A_out, g(Z))
    G = np.random.default_rng(seed).normal(size=Z.shape)
    grad_in = layer.backward(G)
    if name in ("sigmoid", "tanh"):  # g'(Z) from the kept output: equal up to rounding
        atol = 4e-16 * np.max(np.abs(G), initial=0.0)  # where 1 - A rounds (the tails)
        np.testing.assert_allclose(grad_in, G * g_prime(Z), rtol=1e-12, atol=atol)
    else:
        assert np.array_equal(grad_in, G * g_prime(Z))
    # Independent check: dL/dZ of L = sum(G * g(Z)) by central differences, entry by entry.
    # (The outputs are subtracted before summing, so that the entries E leaves unchanged
    # cancel exactly instead of adding round-off.)
    numeric = np.zeros_like(Z)
    for index in np.ndindex(Z.shape):
        E = np.zeros_like(Z)
        E[index] = H
        numeric[index] = np.sum(G * (layer(Z + E) - layer(Z - E))) / (2 * H)
    scale = np.maximum(np.maximum(np.abs(grad_in), np.abs(numeric)), 1e-3)
    assert np.max(np.abs(grad_in - numeric) / scale) < TOL


def test_parametrised_layers_use_their_parameter():
    Z = np.array([[-2.0, 3.0]])
    leaky = A.LeakyReLU(negative_slope=0.2)
    assert np.allclose(leaky(Z), [[-0.4, 3.0]])
    assert np.allclose(leaky.backward(np.ones((1, 2))), [[0.2, 1.0]])
    assert np.allclose(A.LeakyReLU()(Z), [[-0.02, 3.0]])  # PyTorch's default slope
    elu = A.ELU(alpha=2.0)
    assert np.allclose(elu(Z), [[2.0 * np.expm1(-2.0), 3.0]])
    assert np.allclose(elu.backward(np.ones((1, 2))), [[2.0 * np.exp(-2.0), 1.0]])


def test_layers_describe_themselves():
    assert repr(A.ReLU()) == "ReLU()"
    assert repr(A.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(A.ELU()) == "ELU(alpha=1.0)"


def test_backward_does_not_modify_grad_out():
    layer = A.Sigmoid()
    layer(np.ones((2, 2)))
    G = np.full((2, 2), 3.0)
    layer.backward(G)
    assert np.array_equal(G, np.full((2, 2), 3.0))


def test_network_with_activations_backpropagates_correctly():
    rng = np.random.default_rng(0)
    net = Sequential(Linear(3, 4, rng=rng), A.Tanh(), Linear(4, 4, rng=rng), A.GELU(),
                     Linear(4, 2, rng=rng), A.Sigmoid())
    X = rng.normal(size=(5, 3))
    G = rng.normal(size=(5, 2))
    net(X)
    grad_X = net.backward(G)
    numeric = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        E = np.zeros_like(X)
        E[index] = H
        numeric[index] = (np.sum(G * net(X + E)) - np.sum(G * net(X - E))) / (2 * H)
    assert np.max(np.abs(grad_X - numeric) / np.maximum(np.abs(numeric), 1e-3)) < TOL


def test_layer_errors_are_clear():
    layer = A.ReLU()
    with pytest.raises(AttributeError, match=r"ReLU has no 'Z' \(forward not run yet"):
        layer.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="X must be finite"):
        layer(np.array([[1.0, np.nan]]))
    with pytest.raises(TypeError, match="negative_slope must be a number"):
        A.LeakyReLU(negative_slope="0.1")
    with pytest.raises(ValueError, match="negative_slope must be a finite number >= 0"):
        A.LeakyReLU(negative_slope=-0.1)
    with pytest.raises(ValueError, match="alpha must be a positive"):
        A.ELU(alpha=0.0)


@pytest.mark.parametrize("name", NAMES)
def test_functions_reject_bad_input(name):
    g, g_prime, _ = FUNCTIONS[name]
    for f in (g, g_prime):
        with pytest.raises(TypeError, match="z must be an array of numbers"):
            f("1.0")
        with pytest.raises(TypeError, match="z must be an array of numbers"):
            f(None)
        with pytest.raises(ValueError, match="z must be finite"):
            f([0.0, np.inf])
        with pytest.raises(ValueError, match="z must not be empty"):
            f([])


def test_parameters_are_checked():
    with pytest.raises(TypeError, match="negative_slope"):
        A.leaky_relu([1.0], negative_slope=True)
    with pytest.raises(ValueError, match="negative_slope"):
        A.leaky_relu_derivative([1.0], negative_slope=float("nan"))
    with pytest.raises(ValueError, match="alpha"):
        A.elu([1.0], alpha=-1.0)
    with pytest.raises(TypeError, match="alpha"):
        A.elu_derivative([1.0], alpha="1")


# --- stability at extreme inputs (pyproject turns every warning into an error) ----------

EXTREME = np.array([-np.finfo(np.float64).max, -1e6, -1e5, -1e4, -1e3,
                    1e3, 1e4, 1e5, 1e6, np.finfo(np.float64).max])


@pytest.mark.parametrize("name", NAMES)
def test_no_overflow_warning_and_no_nan_at_extreme_inputs(name):
    g, g_prime, Layer = FUNCTIONS[name]
    for f in (g, g_prime):
        out = f(EXTREME)
        assert np.all(np.isfinite(out)), (name, f.__name__, out)
    layer = Layer()
    layer(EXTREME.reshape(2, 5))
    assert np.all(np.isfinite(layer.backward(np.ones((2, 5)))))


def test_limits_at_extreme_inputs():
    z = np.array([-1e6, -1e3, 1e3, 1e6])
    assert A.sigmoid(z).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert A.tanh(z).tolist() == [-1.0, -1.0, 1.0, 1.0]
    assert A.softplus(z).tolist() == [0.0, 0.0, 1e3, 1e6]
    assert A.elu(z).tolist() == [-1.0, -1.0, 1e3, 1e6]
    assert np.array_equal(A.gelu(z), [0.0, 0.0, 1e3, 1e6])
    for f in (A.sigmoid_derivative, A.tanh_derivative):
        assert f(z).tolist() == [0.0, 0.0, 0.0, 0.0]  # saturated: the gradient is gone
    assert A.gelu_derivative(z).tolist() == [0.0, 0.0, 1.0, 1.0]
    assert A.elu_derivative(z).tolist() == [0.0, 0.0, 1.0, 1.0]


def test_the_warning_check_can_fail():
    # The bare textbook formula warns of its (harmless) overflow; nnlib's sigmoid, which
    # switches that warning off, does not (the test above): pytest would report it.
    with pytest.warns(RuntimeWarning, match="overflow"):
        1.0 / (1.0 + np.exp(-np.array([-1e3])))


# --- softmax and log_softmax -----------------------------------------------------------

logits = arrays(np.float64, array_shapes(min_dims=2, max_dims=2, max_side=6),
                elements=st.floats(-1e3, 1e3))


@settings(max_examples=60, deadline=None)
@given(Z=logits, shift=st.floats(-1e3, 1e3))
def test_softmax_rows_are_distributions_and_shift_invariant(Z, shift):
    P = A.softmax(Z)
    assert P.shape == Z.shape
    assert np.all(P >= 0) and np.all(P <= 1)
    assert np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    assert np.allclose(A.softmax(Z + shift), P, rtol=0, atol=1e-12)
    # Shifting each row by its own constant changes nothing either.
    row_shifts = np.linspace(-shift, shift, len(Z))[:, None]
    assert np.allclose(A.softmax(Z + row_shifts), P, rtol=0, atol=1e-12)
    # The largest logit gets the largest probability.
    assert np.array_equal(P[np.arange(len(Z)), Z.argmax(axis=1)], P.max(axis=1))


@settings(max_examples=60, deadline=None)
@given(Z=logits)
def test_log_softmax_is_the_log_of_softmax(Z):
    L = A.log_softmax(Z)
    assert np.all(np.isfinite(L)) and np.all(L <= 0)
    assert np.allclose(np.exp(L), A.softmax(Z), rtol=0, atol=1e-12)
    # log sum exp of each row of log_softmax is 0.
    assert np.allclose(np.log(np.exp(L).sum(axis=1)), 0.0, rtol=0, atol=1e-12)
    # Differences between logits are kept exactly up to rounding.
    assert np.allclose(L - L[:, :1], Z - Z[:, :1], rtol=1e-12, atol=1e-9)


def test_softmax_matches_the_textbook_formula_on_small_logits():
    Z = np.random.default_rng(1).normal(size=(4, 5))
    naive = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    assert np.allclose(A.softmax(Z), naive, rtol=1e-14, atol=0)
    assert np.allclose(A.softmax([[0.0, 0.0, 0.0, 0.0]]), 0.25)


def test_softmax_of_two_logits_is_the_sigmoid():
    z = np.linspace(-30, 30, 61)
    P = A.softmax(np.c_[np.zeros_like(z), z])
    assert np.allclose(P[:, 1], A.sigmoid(z), rtol=1e-14, atol=1e-300)


def test_softmax_at_huge_logits():
    Z = np.array([[1000.0, 0.0, -1000.0], [1e6, 1e6, -1e6]])
    P = A.softmax(Z)
    assert np.array_equal(P, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    L = A.log_softmax(Z)
    assert np.array_equal(L[0], [0.0, -1000.0, -2000.0])  # log(softmax) would give -inf
    assert np.allclose(L[1], [-np.log(2), -np.log(2), -2e6 - np.log(2)], rtol=1e-15)


def test_softmax_rejects_bad_input():
    for f in (A.softmax, A.log_softmax):
        with pytest.raises(ValueError, match=r"Z must be a 2-D array .*got shape \(3,\)"):
            f([1.0, 2.0, 3.0])
        with pytest.raises(ValueError, match="Z must be finite"):
            f([[1.0, np.nan]])
        with pytest.raises(TypeError, match="Z must be an array of numbers"):
            f("logits")


def test_numpy_parameters_become_python_numbers():
    # np.float64(1) as alpha must not turn a float32 z into float64.
    z32 = np.linspace(-2, 2, 5, dtype=np.float32)
    assert A.elu(z32, alpha=np.float64(1.0)).dtype == np.float32
    assert A.leaky_relu(z32, np.float64(0.1)).dtype == np.float32
    assert type(A.ELU(alpha=np.float64(2.0)).params["alpha"]) is float
