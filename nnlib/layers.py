"""Fully connected layers and networks (chapter 2; backward passes in chapter 4).

Batch-first: X has shape (n_samples, in_features), the weight matrix W has
shape (in_features, out_features), so that one matrix product X @ W + b runs
the layer on the whole batch at once.
"""

import numpy as np

from nnlib.module import Module, Parameter
from nnlib.validation import check_dtype, check_layers, check_sizes

__all__ = ["Linear", "Sequential"]


class Linear(Module):
    """The fully connected layer Z = X @ W + b.

    in_features, out_features: sizes d_in and d_out of its input and output.
    rng: numpy Generator or seed for the initial weights, drawn from a normal
        distribution with standard deviation 1 / sqrt(d_in) (so that Z keeps the
        scale of X); chapter 3 discusses better choices. The bias starts at 0.
    dtype: np.float64 (the default) or np.float32 for the weights; calling the layer
        converts its input X to this dtype, so a float32 layer computes in float32.
    weight (d_in, d_out) and bias (d_out,) are Parameters.
    """

    def __init__(self, in_features, out_features, rng=None, dtype=np.float64):
        self.in_features, self.out_features = check_sizes(in_features, out_features)
        self.dtype = check_dtype(dtype)
        std = 1.0 / np.sqrt(in_features)
        W = np.random.default_rng(rng).normal(0.0, std, size=(in_features, out_features))
        self.weight = Parameter(W, dtype=dtype)
        self.bias = Parameter(np.zeros(out_features), dtype=dtype)

    def forward(self, X):
        """X (n, d_in) -> Z (n, d_out).

        Keeps X itself, not a copy, for backward (chapter 4), which needs it for
        dL/dW: change X in place between forward and backward and dL/dW is wrong.
        """
        self.X = X
        return X @ self.weight.data + self.bias.data

    def parameters(self):
        return [self.weight, self.bias]

    def __repr__(self):
        return (f"Linear(in_features={self.in_features}, "
                f"out_features={self.out_features})")

    def backward(self, grad_out):
        """grad_out = dL/dZ (n, d_out) -> dL/dX (n, d_in); adds dL/dW and dL/db into .grad.

        Returns None when needs_input_grad is False (a first layer: see chapter 4).
        """
        self.weight.grad += self.X.T @ grad_out  # sum over the batch of x_i^T dL/dz_i
        self.bias.grad += grad_out.sum(axis=0)
        return grad_out @ self.weight.data.T if self.needs_input_grad else None


class Sequential(Module):
    """A network: its layers applied in turn, each output the next one's input.

    layers: Module instances. Sizes are checked here, once: each Linear must take as
    many features as the layer before it gives.
    """

    def __init__(self, *layers):
        check_layers(layers)  # Modules, whose sizes fit together
        self.layers = list(layers)
        # A network takes what its first sized layer takes (activations keep the width).
        self.in_features = next((lay.in_features for lay in layers if lay.in_features), None)
        self.dtype = next((lay.dtype for lay in layers if lay.dtype), None)

    def forward(self, X):
        """X (n, features the first layer takes) -> the last layer's output."""
        for layer in self.layers:
            X = layer.forward(X)  # X was checked once, by calling the network
        return X

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __getitem__(self, index):
        return self.layers[index]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        # One line per layer, nested networks indented.
        lines = [f"  ({i}): " + repr(layer).replace("\n", "\n  ")
                 for i, layer in enumerate(self.layers)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"

    def backward(self, grad_out):
        """Run the layers' backward passes in reverse order (the chain rule): dL/dX."""
        for layer in reversed(self.layers):
            grad_out = layer.backward(grad_out)
        return grad_out
