"""The optimiser: stochastic gradient descent (chapter 4).

After a backward pass every Parameter holds dL/dParameter in .grad; one step of
gradient descent moves each parameter a little way downhill, against its
gradient. Named after PyTorch's torch.optim.SGD.
"""

import numpy as np

from nnlib.module import Parameter
from nnlib.validation import check_positive

__all__ = ["SGD"]


class SGD:
    """Gradient descent: theta <- theta - lr * dL/dtheta for every parameter theta.

    parameters: the Parameters to train, for example model.parameters().
    lr: the learning rate (step size) eta, a positive number.
    """

    def __init__(self, parameters, lr):
        if hasattr(parameters, "parameters") or not np.iterable(parameters):  # a model, say
            got = type(parameters).__name__
            raise TypeError(
                f"parameters must be a list of Parameters such as model.parameters(), got {got}"
            )
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("parameters must not be empty: the model has nothing to train")
        for i, p in enumerate(self.parameters):
            if not isinstance(p, Parameter):
                raise TypeError(f"parameters[{i}] must be a Parameter, got {type(p).__name__}")
        self.lr = check_positive(lr, "lr")
        self.steps = 0  # steps taken so far

    def step(self):
        """Move every parameter one step against its gradient (in place)."""
        self.steps += 1
        for i, p in enumerate(self.parameters):
            update = self.lr * p.grad
            if not np.isfinite(update).all():  # never write inf or NaN into the weights
                raise ValueError(
                    f"the update of parameters[{i}] must be finite, got inf or NaN in step "
                    f"{self.steps}: is its gradient NaN, or did training diverge? Try a "
                    f"learning rate below lr={self.lr}"
                )
            p.data -= update

    def zero_grad(self):
        """Reset every gradient to zero: backward passes add to .grad, they do not overwrite it."""
        for p in self.parameters:
            p.grad[...] = 0.0
