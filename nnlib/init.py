"""Weight initialisation schemes (chapter 3).

Each scheme returns a fresh weight matrix W of shape (fan_in, fan_out) =
(d_in, d_out), the shape of Linear.weight, drawn with a numpy Generator `rng`
(or a seed). They differ only in the spread of the entries, chosen so that the
scale of the signal neither shrinks nor grows from layer to layer:

    naive   normal(std):  Var W = std**2, whatever the layer's size
    Glorot  (2010):       Var W = 2 / (fan_in + fan_out)   (for tanh, sigmoid, linear)
    He      (2015):       Var W = 2 / fan_in               (for ReLU)

PyTorch calls the last two xavier_* and kaiming_*. `init_linear_layers` applies
a scheme to every Linear layer of a network.
"""

import numpy as np

from nnlib.layers import Linear
from nnlib.validation import check_array, check_fans, check_init

__all__ = [
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "init_linear_layers",
    "normal",
]


def normal(fan_in, fan_out, std=0.01, rng=None):
    """Naive initialisation: W ~ N(0, std**2) of shape (fan_in, fan_out), std fixed by hand."""
    check_fans(fan_in, fan_out, std=std)
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out))


def glorot_normal(fan_in, fan_out, rng=None):
    """Glorot (Xavier) normal: W ~ N(0, 2 / (fan_in + fan_out)), shape (fan_in, fan_out)."""
    check_fans(fan_in, fan_out)
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out))


def glorot_uniform(fan_in, fan_out, rng=None):
    """Glorot (Xavier) uniform: W ~ U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).

    A uniform law on (-a, a) has variance a**2 / 3 = 2 / (fan_in + fan_out), as for glorot_normal.
    """
    check_fans(fan_in, fan_out)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return np.random.default_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng=None):
    """He (Kaiming) normal: W ~ N(0, 2 / fan_in), shape (fan_in, fan_out)."""
    check_fans(fan_in, fan_out)
    std = np.sqrt(2.0 / fan_in)
    return np.random.default_rng(rng).normal(0.0, std, size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng=None):
    """He (Kaiming) uniform: W ~ U(-a, a) with a = sqrt(6 / fan_in), so Var W = 2 / fan_in."""
    check_fans(fan_in, fan_out)
    limit = np.sqrt(6.0 / fan_in)
    return np.random.default_rng(rng).uniform(-limit, limit, size=(fan_in, fan_out))


def init_linear_layers(model, scheme, rng=None):
    """Re-initialise every Linear layer of `model` in place and return `model`.

    model: a Linear layer or a Sequential (nested Sequentials are searched too).
    scheme: a function scheme(fan_in, fan_out, rng=rng) -> W of shape (fan_in, fan_out),
        such as he_normal, or functools.partial(normal, std=1.0).
    rng: one Generator (or seed) shared by all layers, so the layers differ.
    Biases are set to 0.
    """
    check_init(model, scheme)  # a Module, and a function
    rng = np.random.default_rng(rng)
    for layer in getattr(model, "layers", [model]):  # a network's layers, or the one layer
        if hasattr(layer, "layers"):  # a network inside the network
            init_linear_layers(layer, scheme, rng=rng)
        elif isinstance(layer, Linear):
            W = scheme(*layer.weight.shape, rng=rng)
            # in place: code holding the array (W = layer.weight.data) sees the change
            layer.weight.data[...] = check_array(W, "the scheme's W", shape=layer.weight.shape)
            layer.bias.data[...] = 0.0
    return model
