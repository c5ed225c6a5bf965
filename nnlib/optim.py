"""The optimiser: stochastic gradient descent (chapter 4), with momentum and weight
decay (chapter 5).

After a backward pass every Parameter holds dL/dParameter in .grad; one step of
gradient descent moves each parameter a little way downhill, against its
gradient. Named after PyTorch's torch.optim.SGD, with the same arguments.
"""

import numpy as np

from nnlib.validation import (
    check_finite_updates,
    check_non_negative,
    check_parameters,
    check_positive,
)

__all__ = ["SGD"]


class SGD:
    """Gradient descent: theta <- theta - lr * dL/dtheta for every parameter theta.

    parameters: the Parameters to train, for example model.parameters().
    lr: the learning rate (step size) eta, a positive number.
    momentum, weight_decay: chapter 5's additions, both 0 (off) by default.
    """

    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0):
        self.parameters = check_parameters(parameters)
        self.lr = check_positive(lr, "lr")
        self.momentum = check_non_negative(momentum, "momentum")
        self.weight_decay = check_non_negative(weight_decay, "weight_decay")
        self.velocities = [np.zeros_like(p.data) for p in self.parameters]
        self.steps = 0  # steps taken so far

    def step(self):
        """Move every parameter one step along -directions() (in place), or none.

        If an update holds inf or NaN (training diverged), no parameter changes: a
        step is all or nothing, so the weights stay as they were before the error.
        """
        self.steps += 1
        directions = self.directions()  # the gradients, unless chapter 5's options
        updates = [self.lr * d for d in directions]
        check_finite_updates(updates, self)
        if self.momentum:  # the velocities, kept for the next step
            self.velocities = directions
        for p, update in zip(self.parameters, updates, strict=True):
            p.data -= update

    def directions(self):
        """Each parameter's step direction: its gradient (chapter 4), plus
        weight_decay * theta, and with momentum the velocity v <- mu v + that."""
        directions = [p.grad for p in self.parameters]
        if self.weight_decay:  # the gradient of (weight_decay / 2) * |theta|^2
            directions = [
                d + self.weight_decay * p.data
                for d, p in zip(directions, self.parameters, strict=True)
            ]
        if self.momentum:  # a running sum of past directions, mu^k weighted
            directions = [
                self.momentum * v + d
                for v, d in zip(self.velocities, directions, strict=True)
            ]
        return directions

    def zero_grad(self):
        """Reset every gradient to zero: backward passes add to .grad, they do not overwrite it."""
        for p in self.parameters:
            p.grad[...] = 0.0
