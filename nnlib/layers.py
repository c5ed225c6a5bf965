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
    dtype: np.float64 (the default) or np.float32 for the weights; forward converts
        its input X to this dtype, so a float32 layer computes in float32.
    weight (d_in, d_out) and bias (d_out,) are Parameters.
    """

    def __init__(self, in_features, out_features, rng=None, dtype=np.float64):
        self.in_features = check_positive(in_features, "in_features", integer=True)
        self.out_features = check_positive(out_features, "out_features", integer=True)
        rng = np.random.default_rng(rng)
        std = 1.0 / np.sqrt(in_features)
        W = rng.normal(0.0, std, size=(in_features, out_features))  # float64 draws
        self.weight = Parameter(W, dtype=dtype)
        self.bias = Parameter(np.zeros(out_features), dtype=dtype)

    def forward(self, X):
        """X (n, d_in) -> Z (n, d_out)."""
        # Keep X: the backward pass (chapter 4) needs it to compute dL/dW.
        self.X = check_array(X, "X", ndim=2, n_columns=self.in_features,
                             dtype=self.weight.data.dtype)
        return self.X @ self.weight.data + self.bias.data

    def parameters(self):
        return [self.weight, self.bias]

    def __repr__(self):
        return (f"Linear(in_features={self.in_features}, "
                f"out_features={self.out_features})")

    def backward(self, grad_out, input_grad=True):
        """grad_out = dL/dZ (n, d_out) -> dL/dX (n, d_in); adds dL/dW and dL/db into .grad.

        input_grad=False returns None instead of dL/dX, saving a matrix product as large
        as the forward pass's: the first layer's input is the data, which training never
        changes, so nothing needs its gradient.
        """
        if not hasattr(self, "X"):
            raise RuntimeError("Linear.backward called before forward")
        grad_out = check_array(grad_out, "grad_out", ndim=2, n_columns=self.weight.shape[1])
        if len(grad_out) != len(self.X):  # one row per sample of the last forward pass
            raise ValueError(f"grad_out must have {len(self.X)} rows (one per sample of the "
                             f"last forward input), got shape {grad_out.shape}")
        self.weight.grad += self.X.T @ grad_out  # sum over the batch of x_i^T dL/dz_i
        self.bias.grad += grad_out.sum(axis=0)
        return grad_out @ self.weight.data.T if input_grad else None


class Sequential(Module):
    """A network: its layers applied in turn, each output the next one's input."""

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none")
        for i, layer in enumerate(layers):
            if isinstance(layer, type) and issubclass(layer, Module):
                name = layer.__name__  # the class Linear where Linear(...) belongs
                raise TypeError(f"layer {i} must be a Module instance, got the class "
                                f"{name} (add parentheses: {name}(...))")
            if not isinstance(layer, Module):
                got = type(layer).__name__
                raise TypeError(f"layer {i} must be an nnlib Module, got {got}")
        self.layers = list(layers)

    def forward(self, X):
        """X (n, features the first layer takes) -> the last layer's output."""
        for i, layer in enumerate(self.layers):
            try:
                X = layer(X)
            except ValueError as error:  # say which layer failed, not only why
                name = type(layer).__name__
                raise ValueError(f"layer {i} ({name}) of the Sequential rejected its "
                                 f"input: {error}") from error
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

    def backward(self, grad_out, input_grad=True):
        """Run the layers' backward passes in reverse order (the chain rule).

        Returns dL/dX for the network's input X, or None with input_grad=False (for
        training, which only needs the parameters' gradients: see Linear.backward).
        """
        for layer in reversed(self.layers[1:]):
            grad_out = layer.backward(grad_out)
        if input_grad:  # a module whose backward only takes grad_out works here too
            return self.layers[0].backward(grad_out)
        return self.layers[0].backward(grad_out, input_grad=False)
