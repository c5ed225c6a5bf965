"""Numerical edge cases: activations, softmax and losses at inputs of magnitude 1e3 to 1e6.

Each value is compared with an independent reference computed in decimal arithmetic with
400 significant digits (Python's decimal module), so that the reference cannot share a
rounding or overflow problem with nnlib's float64 code. Every test runs with numpy's
floating-point errors raised (overflow, invalid, division by zero) and warnings turned
into errors, so "finite" also means "computed without an overflow on the way".

test_activations.py already checks that nothing overflows at these magnitudes and a few
limits; this file checks the values themselves, the tails where the stable formulas keep
full relative accuracy, and the losses.
"""

import decimal
import math
from decimal import Decimal

import numpy as np
import pytest

from nnlib import activations as A
from nnlib.losses import CrossEntropyLoss, MSELoss

pytestmark = pytest.mark.filterwarnings("error")

CONTEXT = decimal.Context(prec=400, Emin=-10**7, Emax=10**7)
MAGNITUDES = [1e3, 1e4, 1e5, 1e6]
LARGE = sorted(m * s for m in MAGNITUDES for s in (-1, 1))
# Tails where the naive formulas lose every digit but the true value is a normal float64.
TAILS = [-745.0, -700.0, -100.0, -30.0, -10.0, 10.0, 30.0, 100.0, 700.0]


@pytest.fixture(autouse=True)
def raise_floating_point_errors():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        yield


def D(x):
    return Decimal(float(x))  # exact: every float64 is a decimal number


def exp(x):
    return CONTEXT.exp(x)


def ln(x):
    return CONTEXT.ln(x)


def sigmoid(z):
    e = exp(-abs(z))  # the exponent is never huge: GELU's 2u reaches 1e17
    return 1 / (1 + e) if z >= 0 else e / (1 + e)


# Reference values: one function of a Decimal z each, written from the definitions.
REFERENCES = {
    "identity": lambda z: z,
    "identity_derivative": lambda z: Decimal(1),
    "step": lambda z: Decimal(1 if z >= 0 else 0),
    "step_derivative": lambda z: Decimal(0),
    "sigmoid": sigmoid,
    "sigmoid_derivative": lambda z: exp(-abs(z)) / (1 + exp(-abs(z))) ** 2,
    "tanh": lambda z: (exp(z) - exp(-z)) / (exp(z) + exp(-z)),
    "tanh_derivative": lambda z: 4 / (exp(z) + exp(-z)) ** 2,
    "relu": lambda z: max(z, Decimal(0)),
    "relu_derivative": lambda z: Decimal(1 if z > 0 else 0),
    "leaky_relu": lambda z: z if z > 0 else D(0.01) * z,
    "leaky_relu_derivative": lambda z: Decimal(1) if z > 0 else D(0.01),
    "softplus": lambda z: ln(1 + exp(z)),
    "softplus_derivative": sigmoid,
    "elu": lambda z: z if z > 0 else exp(z) - 1,
    "elu_derivative": lambda z: Decimal(1) if z > 0 else exp(z),
}


def gelu_u(z):
    c, a = D(np.sqrt(2.0 / np.pi)), D(0.044715)  # nnlib's constants, as float64
    return c * (z + a * z**3), c * (1 + 3 * a * z**2)


def gelu(z):
    u, _ = gelu_u(z)
    return z * sigmoid(2 * u)


def gelu_derivative(z):
    u, du = gelu_u(z)
    s = sigmoid(2 * u)
    return s + z * exp(-abs(2 * u)) / (1 + exp(-abs(2 * u))) ** 2 * 2 * du


REFERENCES |= {"gelu": gelu, "gelu_derivative": gelu_derivative}


def reference(name, values):
    with decimal.localcontext(CONTEXT):
        return np.array([float(REFERENCES[name](D(z))) for z in values])


def test_every_elementwise_function_has_a_reference():
    functions = {n for n in A.__all__ if n[0].islower() and n not in ("softmax", "log_softmax")}
    assert functions == set(REFERENCES)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_at_large_inputs_are_finite_and_correct(name):
    z = np.array(LARGE)
    got = getattr(A, name)(z)
    assert np.all(np.isfinite(got)), got
    np.testing.assert_allclose(got, reference(name, z), rtol=1e-13, atol=0)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_values_in_the_tails_keep_their_relative_accuracy(name):
    # Here the textbook formulas (1 - sigmoid, log(1 + exp(z)), 1 - tanh^2) lose all
    # digits or overflow; the true values are ordinary float64 numbers down to 1e-323.
    z = np.array(TAILS)
    got = getattr(A, name)(z)
    expected = reference(name, z)
    subnormal = np.abs(expected) < np.finfo(np.float64).tiny
    np.testing.assert_allclose(got[~subnormal], expected[~subnormal], rtol=1e-12, atol=0)
    np.testing.assert_allclose(got[subnormal], expected[subnormal], rtol=0, atol=1e-320)


def test_the_reference_catches_the_textbook_formulas():
    # The check bites: the textbook sigmoid derivative s (1 - s) is 0 at z = 40 (true value
    # 4.2e-18), and log(1 + exp(z)) is 0 at z = -40 (true value 4.2e-18).
    z = np.array([40.0])
    s = 1.0 / (1.0 + np.exp(-z))
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(s * (1 - s), reference("sigmoid_derivative", z), rtol=1e-12)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(np.log(1 + np.exp(-z)), reference("softplus", -z), rtol=1e-12)


def reference_log_softmax(row):
    with decimal.localcontext(CONTEXT):
        row = [D(z) for z in row]
        top = max(row)
        log_sum = ln(sum(exp(z - top) for z in row))
        return np.array([float(z - top - log_sum) for z in row])


def large_logits():
    rows = []
    for m in MAGNITUDES:
        rows += [[m, m - 1, m - 2], [-m, 0.0, m], [m, m, -m], [-m, -m - 1, -m - 0.5],
                 [m, -m, 0.5 * m]]
    return np.array(rows)


def test_softmax_and_log_softmax_at_large_logits():
    Z = large_logits()
    expected = np.array([reference_log_softmax(row) for row in Z])
    log_p, p = A.log_softmax(Z), A.softmax(Z)
    assert np.all(np.isfinite(log_p)) and np.all(np.isfinite(p))
    np.testing.assert_allclose(log_p, expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(p, np.exp(expected), rtol=1e-13, atol=0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-15)


@pytest.mark.parametrize("m", MAGNITUDES)
def test_cross_entropy_of_a_confident_answer(m):
    logits = np.array([[m, -m, 0.0], [0.0, m, -m]])
    loss = CrossEntropyLoss()
    right = loss(logits, np.array([0, 1]))
    assert 0.0 <= right < 1e-300  # log(1 + e^-m + e^-2m) underflows to 0: near 0 indeed
    assert np.all(np.isfinite(loss.backward()))
    wrong = loss(logits, np.array([1, 2]))
    assert math.isfinite(wrong)
    # Wrong by 2m in the first row and by 2m in the second: the mean is 2m, to the last digit.
    assert wrong == pytest.approx(np.mean([reference_log_softmax(r)[k] for r, k in
                                           zip(logits, [1, 2], strict=True)]) * -1, rel=1e-15)
    assert wrong == pytest.approx(2 * m, rel=1e-15)
    grad = loss.backward()
    # (softmax - onehot) / n: the full probability on the wrong class, -1 on the right one.
    np.testing.assert_allclose(grad, [[0.5, -0.5, 0.0], [0.0, 0.5, -0.5]], rtol=0, atol=1e-300)


def test_cross_entropy_at_large_logits_matches_the_reference():
    Z = large_logits()
    labels = np.arange(len(Z)) % 3
    expected = -np.mean([reference_log_softmax(row)[k] for row, k in zip(Z, labels, strict=True)])
    got = CrossEntropyLoss()(Z, labels)
    assert math.isfinite(got)
    assert got == pytest.approx(expected, rel=1e-13)


def test_cross_entropy_of_a_moderately_confident_right_answer_is_near_zero():
    # log(1 + e^-30) = 9.4e-14: not representable as 1 + tiny, so only absolute accuracy.
    for m in (30.0, 100.0, 700.0):
        got = CrossEntropyLoss()(np.array([[m, 0.0]]), np.array([0]))
        assert got == pytest.approx(-reference_log_softmax([m, 0.0])[0], abs=1e-15)


@pytest.mark.parametrize("m", MAGNITUDES)
def test_mse_at_large_values(m):
    pred, target = np.array([[m, -m], [0.5 * m, m]]), np.array([[-m, -m], [m, m]])
    loss = MSELoss()
    value = loss(pred, target)
    assert value == (4 * m**2 + 0.25 * m**2) / 4  # exact: all are sums of powers of two times m^2
    np.testing.assert_array_equal(loss.backward(), 2 * (pred - target) / 4)


@pytest.mark.parametrize("name", ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "ELU",
                                  "GELU", "Identity", "Step"])
def test_activation_layers_backpropagate_large_inputs(name):
    Z = np.array(LARGE).reshape(2, 4)
    layer = getattr(A, name)()
    layer(Z)
    G = np.linspace(-2.0, 2.0, 8).reshape(2, 4)
    derivative = {"Sigmoid": "sigmoid", "Tanh": "tanh", "ReLU": "relu", "LeakyReLU": "leaky_relu",
                  "Softplus": "softplus", "ELU": "elu", "GELU": "gelu", "Identity": "identity",
                  "Step": "step"}[name] + "_derivative"
    expected = G * reference(derivative, Z.ravel()).reshape(2, 4)
    np.testing.assert_allclose(layer.backward(G), expected, rtol=1e-13, atol=0)
