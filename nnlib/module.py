"""The two building blocks every layer shares: Parameter and Module (chapter 2).

A Parameter is an array the network learns, with room for its gradient. A
Module is anything with a forward pass (and, from chapter 4 on, a backward
pass): a layer, an activation, or a whole network.

Inputs are checked once, at the boundary: calling a module, module(X), checks X
and then runs forward(X). Inside a network, each layer's forward is called
directly with what the previous layer returned, which needs no new check.
"""

import numpy as np

from nnlib.validation import check_array, check_dtype

__all__ = ["Module", "Parameter"]


class Parameter:
    """A trainable array: `data` holds the values, `grad` (same shape) the gradient
    of the loss with respect to them, accumulated by backward passes.

    dtype: float64 (the default) or float32, which halves the memory, at the price of
        about 7 significant digits instead of about 16.
    """

    def __init__(self, data, dtype=np.float64):
        # np.array copies: the Parameter owns its values, whatever array it came from.
        self.data = np.array(check_array(data, "data"), dtype=check_dtype(dtype))
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
    A subclass defines these two (and parameters(), if it has weights); module(X)
    checks X and calls forward.
    """

    in_features = None  # the number of columns X must have; None: any
    dtype = None  # the float dtype X is converted to; None: float32 stays, the rest float64
    needs_input_grad = True  # False: backward may skip dLoss/dInput (chapter 4)

    def __call__(self, X):
        """module(X): check X once, here where a user calls in, then return forward(X)."""
        X = check_array(X, "X", ndim=2, n_columns=self.in_features, dtype=self.dtype)
        return self.forward(X)

    def forward(self, X):
        raise NotImplementedError(f"{type(self).__name__} must define forward(X)")

    def backward(self, grad_out):
        raise NotImplementedError(f"{type(self).__name__} must define backward(grad_out)")

    def parameters(self):
        """Its Parameters, in a fixed order (an empty list if it has no weights)."""
        return []

    def zero_grad(self):
        """Set every parameter's gradient to zero (before the next backward pass)."""
        for p in self.parameters():
            p.grad[...] = 0.0

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __getattr__(self, name):
        # Python calls this only for a missing attribute: backward looking for what forward
        # keeps (such as Linear's X) before any forward pass, or a misspelt name.
        raise AttributeError(
            f"{type(self).__name__} has no {name!r} (forward not run yet, or a typo?)")
