"""The two building blocks every layer shares: Parameter and Module (chapter 2).

A Parameter is an array the network learns, with room for its gradient. A
Module is anything with a forward pass (and, from chapter 4 on, a backward
pass): a layer, an activation, or a whole network.
"""

import numpy as np

__all__ = ["Module", "Parameter"]


class Parameter:
    """A trainable array: `data` holds the values, `grad` (same shape) the gradient
    of the loss with respect to them, accumulated by backward passes."""

    def __init__(self, data):
        self.data = np.array(data, dtype=np.float64)
        self.grad = np.zeros_like(self.data)

    @property
    def shape(self):
        return self.data.shape


class Module:
    """Base class of layers and networks.

    forward(X) maps a batch X of shape (n_samples, in_features) to the output,
    remembering what backward will need; backward(grad_out) takes dLoss/dOutput
    and returns dLoss/dInput, adding dLoss/dParameter into each Parameter.grad.
    """

    def __call__(self, X):
        return self.forward(X)

    def parameters(self):
        """The module's Parameters, in a fixed order (none for a layer without weights)."""
        return []

    def zero_grad(self):
        """Reset the gradient of every parameter to zero before the next backward pass."""
        for p in self.parameters():
            p.grad[...] = 0.0
