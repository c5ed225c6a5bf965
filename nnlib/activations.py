"""Activation functions, their derivatives, and activation layers (chapter 3).

An activation function g is applied element-wise to a pre-activation z and
gives the activation a = g(z). For each g this module has

- a plain function `g(z)` and its derivative `g_derivative(z)`: both take an
  array of any shape (a number, a vector, a batch Z of shape (n, d_out)) and
  return a float array of the same shape (float32 for float32 input, else float64).
  @array_function checks z where a user calls in; `g.unchecked` is the bare math;
- a layer (an nnlib Module without parameters) whose forward(Z) returns g(Z)
  and whose backward(grad_out) returns grad_out * g'(Z), the chain rule for an
  element-wise function.

Convention where g' does not exist (z = 0 for the step, ReLU, leaky ReLU, and ELU with
alpha != 1): g_derivative(0) is the limit of g'(z) as z rises to 0, the slope just left
of 0. So relu_derivative(0) == 0, leaky_relu_derivative(0) == negative_slope,
elu_derivative(0) == alpha and step_derivative(0) == 0. For a continuous g this is the
left derivative; the step jumps at 0 (H(0) = 1), its left difference quotient
(H(0) - H(-h)) / h = 1 / h diverges, and the value 0 is its right derivative.
It is chosen once, here, and every layer and chapter uses it.

The output activations softmax and log_softmax act on whole rows instead: they
take logits Z of shape (n, k), one row per sample.
"""

import numpy as np

from nnlib.module import Module
from nnlib.validation import array_function, check_non_negative, check_positive, unchecked

__all__ = [
    "ELU",
    "GELU",
    "Activation",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softplus",
    "Step",
    "Tanh",
    "elu",
    "elu_derivative",
    "gelu",
    "gelu_derivative",
    "identity",
    "identity_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "log_softmax",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "softplus",
    "softplus_derivative",
    "step",
    "step_derivative",
    "tanh",
    "tanh_derivative",
]


@array_function()
def identity(z):
    """g(z) = z. Range (-inf, inf). The output activation for regression."""
    return z.copy()


@array_function()
def identity_derivative(z):
    """g'(z) = 1 everywhere."""
    return np.ones_like(z)


@array_function()
def step(z):
    """Heaviside step g(z) = 1 if z >= 0 else 0 (the perceptron's). Range {0, 1}."""
    return (z >= 0).astype(z.dtype)


@array_function()
def step_derivative(z):
    """g'(z) = 0 for z != 0, and 0 at z = 0 (the limit from the left): no gradient flows."""
    return np.zeros_like(z)


@array_function()
def sigmoid(z):
    """Logistic sigmoid g(z) = 1 / (1 + exp(-z)). Range (0, 1); g(0) = 1/2.

    For z < -709.78 (-88.72 in float32) exp(-z) overflows to inf and 1 / (1 + inf) = 0,
    off by less than the smallest normal float (2.2e-308; 1.2e-38 in float32): the
    overflow is harmless, so its warning is switched off. Elsewhere it is accurate.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


@array_function()
def sigmoid_derivative(z):
    """g'(z) = g(z) (1 - g(z)) = exp(-|z|) / (1 + exp(-|z|))**2, at most 1/4 (at z = 0).

    The second form keeps full relative accuracy in the tails, where 1 - g(z)
    rounds to 0 long before the true derivative does.
    """
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


@array_function()
def tanh(z):
    """Hyperbolic tangent g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)) = 2 sigmoid(2z) - 1.

    Range (-1, 1), zero-centred: g(0) = 0. numpy's tanh is stable for any z.
    """
    return np.tanh(z)


@array_function()
def tanh_derivative(z):
    """g'(z) = 1 - tanh(z)**2 = 4 exp(-2|z|) / (1 + exp(-2|z|))**2, at most 1 (at z = 0)."""
    e = np.exp(-np.abs(z)) ** 2  # exp(-2|z|), without overflow in 2|z|
    return 4.0 * e / (1.0 + e) ** 2


@array_function()
def relu(z):
    """Rectified linear unit g(z) = max(0, z). Range [0, inf)."""
    return np.maximum(z, 0.0)


@array_function()
def relu_derivative(z):
    """g'(z) = 1 if z > 0 else 0 (at the kink z = 0, the slope from the left, 0)."""
    return (z > 0).astype(z.dtype)


@array_function(negative_slope=check_non_negative)
def leaky_relu(z, negative_slope=0.01):
    """Leaky ReLU g(z) = z if z > 0 else negative_slope * z. Range (-inf, inf) if slope > 0."""
    return np.where(z > 0, z, negative_slope * z)


@array_function(negative_slope=check_non_negative)
def leaky_relu_derivative(z, negative_slope=0.01):
    """g'(z) = 1 if z > 0 else negative_slope (at z = 0, the slope from the left)."""
    return np.where(z > 0, 1.0, negative_slope).astype(z.dtype)


@array_function()
def softplus(z):
    """Softplus g(z) = log(1 + exp(z)), a smooth ReLU. Range (0, inf).

    np.logaddexp(0, z) = log(exp(0) + exp(z)) computes it without overflow.
    """
    return np.logaddexp(0.0, z)


@array_function()
def softplus_derivative(z):
    """g'(z) = sigmoid(z), in (0, 1)."""
    return sigmoid.unchecked(z)


@array_function(alpha=check_positive)
def elu(z, alpha=1.0):
    """Exponential linear unit g(z) = z if z > 0 else alpha (exp(z) - 1). Range (-alpha, inf).

    exp is only taken of min(z, 0) <= 0, so it never overflows; expm1 keeps
    accuracy for small |z|.
    """
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


@array_function(alpha=check_positive)
def elu_derivative(z, alpha=1.0):
    """g'(z) = 1 if z > 0 else alpha exp(z) (at 0, the slope from the left: alpha)."""
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


_GELU_C = float(np.sqrt(2.0 / np.pi))  # constants of the tanh approximation, as Python
_GELU_A = 0.044715  # floats: a numpy float64 constant would turn a float32 z into float64


def _gelu_inner(z):
    """q(z) = sqrt(2/pi) (z + 0.044715 z**3) and its derivative q'(z)."""
    # Clipping only keeps z**3 finite: for |z| >= 1e6, sigmoid(2q) is exactly 0 or 1 anyway.
    z = np.clip(z, -1e6, 1e6)
    return _GELU_C * (z + _GELU_A * z**3), _GELU_C * (1.0 + 3.0 * _GELU_A * z**2)


@array_function()
def gelu(z):
    """Gaussian error linear unit, tanh approximation (Hendrycks and Gimpel 2016).

    g(z) = z Phi(z) ~ z (1 + tanh(q)) / 2 = z sigmoid(2q), q = sqrt(2/pi) (z + 0.044715 z^3),
    where Phi is the standard normal CDF. Range about [-0.17, inf); smooth everywhere.
    This is PyTorch's GELU(approximate="tanh"); it differs from z Phi(z) by < 1e-3.
    """
    q, _ = _gelu_inner(z)
    return z * sigmoid.unchecked(2.0 * q)


@array_function()
def gelu_derivative(z):
    """g'(z) = sigmoid(2q) + z sigmoid'(2q) 2 q'(z) (product and chain rules)."""
    q, dq = _gelu_inner(z)
    return sigmoid.unchecked(2.0 * q) + z * sigmoid_derivative.unchecked(2.0 * q) * 2.0 * dq


class Activation(Module):
    """An element-wise activation layer A = g(Z), without weights.

    A subclass names g and g' in `function` and `derivative` (two functions above)
    and, if g has parameters, sets them in `params`. forward keeps its input Z,
    because backward needs g'(Z), and its output A, from which a subclass's backward
    may compute g'(Z) more cheaply (Sigmoid and Tanh do).
    """

    function = derivative = None
    params = {}  # keyword arguments of function and derivative, such as negative_slope

    def forward(self, Z):
        """Z (n, d) -> A = g(Z), same shape."""
        self.Z = Z
        self.A = unchecked(self.function)(Z, **self.params)  # Z was checked by module(X)
        return self.A

    def backward(self, grad_out):
        """grad_out = dL/dA -> dL/dZ = dL/dA * g'(Z), element-wise (the chain rule)."""
        return grad_out * unchecked(self.derivative)(self.Z, **self.params)

    def __repr__(self):
        args = ", ".join(f"{name}={value}" for name, value in self.params.items())
        return f"{type(self).__name__}({args})"


class Identity(Activation):
    """Identity layer A = Z (a regression network's output activation)."""

    function, derivative = staticmethod(identity), staticmethod(identity_derivative)


class Step(Activation):
    """Step layer A = step(Z); its backward returns zeros."""

    function, derivative = staticmethod(step), staticmethod(step_derivative)


class Sigmoid(Activation):
    """Sigmoid layer A = sigmoid(Z)."""

    function, derivative = staticmethod(sigmoid), staticmethod(sigmoid_derivative)

    def backward(self, grad_out):
        """dL/dZ = dL/dA * A (1 - A): sigmoid'(Z) from the kept output, with no exp."""
        return grad_out * self.A * (1.0 - self.A)


class Tanh(Activation):
    """Tanh layer A = tanh(Z)."""

    function, derivative = staticmethod(tanh), staticmethod(tanh_derivative)

    def backward(self, grad_out):
        """dL/dZ = dL/dA * (1 - A^2): tanh'(Z) from the kept output, with no exp."""
        return grad_out * (1.0 - self.A**2)


class ReLU(Activation):
    """ReLU layer A = max(0, Z)."""

    function, derivative = staticmethod(relu), staticmethod(relu_derivative)


class Softplus(Activation):
    """Softplus layer A = log(1 + exp(Z))."""

    function, derivative = staticmethod(softplus), staticmethod(softplus_derivative)


class GELU(Activation):
    """GELU layer (tanh approximation) A = gelu(Z)."""

    function, derivative = staticmethod(gelu), staticmethod(gelu_derivative)


class LeakyReLU(Activation):
    """Leaky ReLU layer with slope `negative_slope` >= 0 for z <= 0 (0.01 as in PyTorch)."""

    function, derivative = staticmethod(leaky_relu), staticmethod(leaky_relu_derivative)

    def __init__(self, negative_slope=0.01):
        self.params = {"negative_slope": check_non_negative(negative_slope, "negative_slope")}


class ELU(Activation):
    """ELU layer with saturation value -alpha for z -> -inf (alpha > 0, default 1)."""

    function, derivative = staticmethod(elu), staticmethod(elu_derivative)

    def __init__(self, alpha=1.0):
        self.params = {"alpha": check_positive(alpha, "alpha")}


@array_function(ndim=2)
def softmax(Z):
    """softmax(z)_j = exp(z_j) / sum_i exp(z_i), row by row: Z (n, k) -> probabilities (n, k).

    Each row is positive and sums to 1. Subtracting the row maximum first does
    not change the result (softmax(z - m) = softmax(z)) but prevents overflow.
    """
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@array_function(ndim=2)
def log_softmax(Z):
    """log softmax(Z) row by row: Z (n, k) of logits -> (n, k), each row's exp sums to 1.

    log softmax(z)_j = z_j - logsumexp(z), with logsumexp(z) = m + log sum_i exp(z_i - m)
    and m = max_i z_i: every exponent is <= 0, so nothing overflows, and the
    largest term is exp(0) = 1, so the sum is >= 1 and its log is safe.
    """
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
