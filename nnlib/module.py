"""The two building blocks every layer shares: Parameter and Module (chapter 2).

A Parameter is an array the network learns, with room for its gradient. A
Module is anything with a forward pass (and, from chapter 4 on, a backward
pass): a layer, an activation, or a whole network.
"""

import numpy as np

from nnlib.validation import check_array

__all__ = ["Module", "Parameter"]


class Parameter:
    """A trainable array: `data` holds the values, `grad` (same shape) the gradient
    of the loss with respect to them, accumulated by backward passes.

    dtype: float64 (the default) or float32, which halves the memory and roughly the
        time of large matrix products, at the price of 7 significant digits instead of 16.
    """

    def __init__(self, data, dtype=np.float64):
        if dtype not in (np.float32, np.float64, "float32", "float64"):
            raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
        # np.array copies: the Parameter owns its values, whatever array it came from.
        self.data = np.array(check_array(data, "data"), dtype=dtype)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self):
        return self.data.shape

    def __repr__(self):
        return f"Parameter(shape={self.shape})"


class Module:
    """Base class of layers and networks.

    forward(X) maps a batch X of shape (n_samples, in_features) to the output,
    remembering what backward will need; backward(grad_out) takes dLoss/dOutput
    and returns dLoss/dInput, adding dLoss/dParameter into each Parameter.grad.
    backward(grad_out, input_grad=False) skips dLoss/dInput and returns None.
    """

    def __call__(self, X):
        return self.forward(X)

    def forward(self, X):
        raise NotImplementedError(f"{type(self).__name__} must define forward(X)")

    def parameters(self):
        """Its Parameters, in a fixed order (an empty list if it has no weights)."""
        return []

    def zero_grad(self):
        """Set every parameter's gradient to zero (before the next backward pass)."""
        for p in self.parameters():
            p.grad[...] = 0.0

    def __repr__(self):
        return f"{type(self).__name__}()"

    def backward(self, grad_out, input_grad=True):
        name = type(self).__name__
        raise NotImplementedError(f"{name} must define backward(grad_out)")
