"""Activation functions, their derivatives, and activation layers (chapter 3).

An activation function g is applied element-wise to a pre-activation z and
gives the activation a = g(z). For each g this module has

- a plain function `g(z)` and its derivative `g_derivative(z)`: both take an
  array of any shape (a number, a vector, a batch Z of shape (n, d_out)) and
  return a float array of the same shape (float32 for float32 input, else float64);
- a layer (an nnlib Module without parameters) whose forward(Z) returns g(Z)
  and whose backward(grad_out) returns grad_out * g'(Z), the chain rule for an
  element-wise function.

Convention at kinks: where g has a corner (z = 0 for the step, ReLU and leaky
ReLU), g_derivative returns the LEFT derivative, so relu_derivative(0) == 0.
It is chosen once, here, and every layer and chapter uses it.

The output activations softmax and log_softmax act on whole rows instead: they
take logits Z of shape (n, k), one row per sample.
"""

import numpy as np

from nnlib.module import Module
from nnlib.validation import check_array, check_positive

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


def identity(z):
    """g(z) = z. Range (-inf, inf). The output activation for regression."""
    return check_array(z, "z").copy()


def identity_derivative(z):
    """g'(z) = 1 everywhere."""
    return np.ones_like(check_array(z, "z"))


def step(z):
    """Heaviside step g(z) = 1 if z >= 0 else 0 (the perceptron's). Range {0, 1}."""
    z = check_array(z, "z")
    return (z >= 0).astype(z.dtype)


def step_derivative(z):
    """g'(z) = 0 for z != 0; undefined at 0, where we use the left derivative 0.

    Zero everywhere: no gradient can flow through a step, which is why networks
    trained by gradient descent use smooth or piecewise-linear activations instead.
    """
    return np.zeros_like(check_array(z, "z"))


def sigmoid(z):
    """Logistic sigmoid g(z) = 1 / (1 + exp(-z)). Range (0, 1); g(0) = 1/2.

    Stable for any finite z: exp is only taken of numbers <= 0, so it never
    overflows. The numerator exp(min(z, 0)) is 1 for z >= 0, which gives
    1 / (1 + exp(-z)), and exp(z) for z < 0, which gives the equal form
    exp(z) / (1 + exp(z)). (One formula for all z is about twice as fast as
    computing two and picking one per element with np.where.)
    """
    z = check_array(z, "z")
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


def sigmoid_derivative(z):
    """g'(z) = g(z) (1 - g(z)) = exp(-|z|) / (1 + exp(-|z|))**2, at most 1/4 (at z = 0).

    The second form keeps full relative accuracy in the tails, where 1 - g(z)
    rounds to 0 long before the true derivative does.
    """
    z = check_array(z, "z")
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2


def tanh(z):
    """Hyperbolic tangent g(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)) = 2 sigmoid(2z) - 1.

    Range (-1, 1), zero-centred: g(0) = 0. numpy's tanh is stable for any z.
    """
    return np.tanh(check_array(z, "z"))


def tanh_derivative(z):
    """g'(z) = 1 - tanh(z)**2 = 4 exp(-2|z|) / (1 + exp(-2|z|))**2, at most 1 (at z = 0)."""
    z = check_array(z, "z")
    e = np.exp(-np.abs(z)) ** 2  # exp(-2|z|), without overflow in 2|z|
    return 4.0 * e / (1.0 + e) ** 2


def relu(z):
    """Rectified linear unit g(z) = max(0, z). Range [0, inf)."""
    z = check_array(z, "z")
    return np.maximum(z, 0.0)


def relu_derivative(z):
    """g'(z) = 1 if z > 0 else 0 (the left derivative, 0, at the kink z = 0)."""
    z = check_array(z, "z")
    return (z > 0).astype(z.dtype)


def _check_slope(value, name):
    """Return `value` if it is a finite real number >= 0, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number >= 0, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def leaky_relu(z, negative_slope=0.01):
    """Leaky ReLU g(z) = z if z > 0 else negative_slope * z. Range (-inf, inf) if slope > 0."""
    z = check_array(z, "z")
    negative_slope = _check_slope(negative_slope, "negative_slope")
    return np.where(z > 0, z, negative_slope * z)


def leaky_relu_derivative(z, negative_slope=0.01):
    """g'(z) = 1 if z > 0 else negative_slope (the left derivative at z = 0)."""
    z = check_array(z, "z")
    negative_slope = _check_slope(negative_slope, "negative_slope")
    return np.where(z > 0, 1.0, negative_slope).astype(z.dtype)


def softplus(z):
    """Softplus g(z) = log(1 + exp(z)), a smooth ReLU. Range (0, inf).

    np.logaddexp(0, z) = log(exp(0) + exp(z)) computes it without overflow.
    """
    return np.logaddexp(0.0, check_array(z, "z"))


def softplus_derivative(z):
    """g'(z) = sigmoid(z), in (0, 1)."""
    return sigmoid(z)


def elu(z, alpha=1.0):
    """Exponential linear unit g(z) = z if z > 0 else alpha (exp(z) - 1). Range (-alpha, inf).

    exp is only taken of min(z, 0) <= 0, so it never overflows; expm1 keeps
    accuracy for small |z|.
    """
    z = check_array(z, "z")
    alpha = check_positive(alpha, "alpha")
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def elu_derivative(z, alpha=1.0):
    """g'(z) = 1 if z > 0 else alpha exp(z) (the left derivative at 0; no kink if alpha = 1)."""
    z = check_array(z, "z")
    alpha = check_positive(alpha, "alpha")
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


_GELU_C = float(np.sqrt(2.0 / np.pi))  # constants of the tanh approximation, as Python
_GELU_A = 0.044715  # floats: a numpy float64 constant would turn a float32 z into float64


def _gelu_inner(z):
    """u(z) = sqrt(2/pi) (z + 0.044715 z**3) and its derivative u'(z)."""
    # Clipping only keeps z**3 finite: for |z| >= 1e6, sigmoid(2u) is exactly 0 or 1 anyway.
    z = np.clip(z, -1e6, 1e6)
    return _GELU_C * (z + _GELU_A * z**3), _GELU_C * (1.0 + 3.0 * _GELU_A * z**2)


def gelu(z):
    """Gaussian error linear unit, tanh approximation (Hendrycks and Gimpel 2016).

    g(z) = z Phi(z) ~ z (1 + tanh(u)) / 2 = z sigmoid(2u), u = sqrt(2/pi) (z + 0.044715 z^3),
    where Phi is the standard normal CDF. Range about [-0.17, inf); smooth everywhere.
    This is PyTorch's GELU(approximate="tanh"); it differs from z Phi(z) by < 1e-3.
    """
    z = check_array(z, "z")
    u, _ = _gelu_inner(z)
    return z * sigmoid(2.0 * u)


def gelu_derivative(z):
    """g'(z) = sigmoid(2u) + z sigmoid'(2u) 2 u'(z) (product and chain rules)."""
    z = check_array(z, "z")
    u, du = _gelu_inner(z)
    return sigmoid(2.0 * u) + z * sigmoid_derivative(2.0 * u) * 2.0 * du


class Activation(Module):
    """An element-wise activation layer A = g(Z) (no parameters).

    Subclasses set `function` (g) and `derivative` (g'). forward caches its
    input Z, because backward needs g'(Z) (local_gradient).
    """

    function = None
    derivative = None

    def forward(self, Z):
        """Z (any shape, usually (n, d)) -> A = g(Z), same shape."""
        self.Z = check_array(Z, "Z")
        return self.function(self.Z)

    def backward(self, grad_out, input_grad=True):
        """grad_out = dL/dA -> dL/dZ = dL/dA * g'(Z), element-wise (the chain rule).

        With no parameters to update, input_grad=False leaves nothing to do: None.
        """
        if not hasattr(self, "Z"):
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        grad_out = check_array(grad_out, "grad_out")
        if grad_out.shape != self.Z.shape:
            raise ValueError(
                f"grad_out must have the shape of the last forward input {self.Z.shape}, "
                f"got {grad_out.shape}"
            )
        return grad_out * self.local_gradient() if input_grad else None

    def local_gradient(self):
        """g'(Z) at the last forward input Z, entry by entry."""
        return self.derivative(self.Z)


class Identity(Activation):
    """Identity layer A = Z (a regression network's output activation)."""

    function = staticmethod(identity)
    derivative = staticmethod(identity_derivative)


class Step(Activation):
    """Step layer A = step(Z); its backward returns zeros."""

    function = staticmethod(step)
    derivative = staticmethod(step_derivative)


class Sigmoid(Activation):
    """Sigmoid layer A = sigmoid(Z).

    forward computes sigmoid(Z) as sigmoid() does, and keeps e = exp(-|Z|) and
    d = 1 + e on the way, so that backward gets g'(Z) = e / d**2 (the form of
    sigmoid_derivative, to the last bit) without a new exponential: keeping in
    forward what backward will need trades a little memory for time.
    """

    function = staticmethod(sigmoid)
    derivative = staticmethod(sigmoid_derivative)

    def forward(self, Z):
        self.Z = check_array(Z, "Z")
        self.e = np.exp(-np.abs(self.Z))
        self.d = 1.0 + self.e
        return np.exp(np.minimum(self.Z, 0.0)) / self.d

    def local_gradient(self):
        return self.e / self.d**2


class Tanh(Activation):
    """Tanh layer A = tanh(Z)."""

    function = staticmethod(tanh)
    derivative = staticmethod(tanh_derivative)


class ReLU(Activation):
    """ReLU layer A = max(0, Z)."""

    function = staticmethod(relu)
    derivative = staticmethod(relu_derivative)


class Softplus(Activation):
    """Softplus layer A = log(1 + exp(Z))."""

    function = staticmethod(softplus)
    derivative = staticmethod(softplus_derivative)


class GELU(Activation):
    """GELU layer (tanh approximation) A = gelu(Z)."""

    function = staticmethod(gelu)
    derivative = staticmethod(gelu_derivative)


class LeakyReLU(Activation):
    """Leaky ReLU layer with slope `negative_slope` >= 0 for z <= 0 (0.01 as in PyTorch)."""

    def __init__(self, negative_slope=0.01):
        self.negative_slope = _check_slope(negative_slope, "negative_slope")

    def function(self, Z):
        return leaky_relu(Z, self.negative_slope)

    def derivative(self, Z):
        return leaky_relu_derivative(Z, self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class ELU(Activation):
    """ELU layer with saturation value -alpha for z -> -inf (alpha > 0, default 1)."""

    def __init__(self, alpha=1.0):
        self.alpha = float(check_positive(alpha, "alpha"))

    def function(self, Z):
        return elu(Z, self.alpha)

    def derivative(self, Z):
        return elu_derivative(Z, self.alpha)

    def __repr__(self):
        return f"ELU(alpha={self.alpha})"


def softmax(Z):
    """softmax(z)_j = exp(z_j) / sum_i exp(z_i), row by row: Z (n, k) -> probabilities (n, k).

    Each row is positive and sums to 1. Subtracting the row maximum first does
    not change the result (softmax(z + c) = softmax(z)) but prevents overflow.
    """
    Z = check_array(Z, "Z", ndim=2)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_softmax(Z):
    """log softmax(Z) row by row: Z (n, k) of logits -> (n, k), each row's exp sums to 1.

    log softmax(z)_j = z_j - logsumexp(z), with logsumexp(z) = m + log sum_i exp(z_i - m)
    and m = max_i z_i: every exponent is <= 0, so nothing overflows, and the
    largest term is exp(0) = 1, so the sum is >= 1 and its log is safe.
    """
    Z = check_array(Z, "Z", ndim=2)
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
