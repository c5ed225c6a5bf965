"""Fully connected layers and networks (chapter 2; backward passes in chapter 4).

Batch-first: X has shape (n_samples, in_features), the weight matrix W has
shape (in_features, out_features), so that one matrix product X @ W + b runs
the layer on the whole batch at once.
"""

import numpy as np

from nnlib.module import Module, Parameter
from nnlib.validation import check_array, check_positive

__all__ = ["Linear", "Sequential"]


class Linear(Module):
    """The fully connected layer Z = X @ W + b.

    in_features, out_features: sizes d_in and d_out of its input and output.
    rng: numpy Generator or seed for the initial weights, drawn from a normal
        distribution with standard deviation 1 / sqrt(d_in) (so that Z keeps the
        scale of X); chapter 3 discusses better choices. The bias starts at 0.
    weight (d_in, d_out) and bias (d_out,) are Parameters.
    """

    def __init__(self, in_features, out_features, rng=None):
        check_positive(in_features, "in_features", integer=True)
        check_positive(out_features, "out_features", integer=True)
        rng = np.random.default_rng(rng)
        std = 1.0 / np.sqrt(in_features)
        self.weight = Parameter(rng.normal(0.0, std, size=(in_features, out_features)))
        self.bias = Parameter(np.zeros(out_features))

    def forward(self, X):
        """X (n, d_in) -> Z (n, d_out)."""
        self.X = check_array(X, "X", ndim=2, n_columns=self.weight.shape[0])
        return self.X @ self.weight.data + self.bias.data

    def parameters(self):
        return [self.weight, self.bias]

    def backward(self, grad_out):
        """grad_out = dL/dZ (n, d_out) -> dL/dX (n, d_in); adds dL/dW and dL/db into .grad."""
        grad_out = check_array(grad_out, "grad_out", ndim=2, n_columns=self.weight.shape[1])
        self.weight.grad += self.X.T @ grad_out  # sum over the batch of x_i^T dL/dz_i
        self.bias.grad += grad_out.sum(axis=0)
        return grad_out @ self.weight.data.T


class Sequential(Module):
    """A network: its layers applied one after another, output of one = input of the next."""

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"layer {i} must be an nnlib Module, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, X):
        for layer in self.layers:
            X = layer(X)
        return X

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def backward(self, grad_out):
        """Run the layers' backward passes in reverse order (the chain rule)."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out

    def __getitem__(self, index):
        return self.layers[index]

    def __len__(self):
        return len(self.layers)
