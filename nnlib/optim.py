"""The optimiser: stochastic gradient descent (chapter 4).

After a backward pass every Parameter holds dL/dParameter in .grad; one step of
gradient descent moves each parameter a little way downhill, against its
gradient. Named after PyTorch's torch.optim.SGD.
"""

from nnlib.validation import check_finite_updates, check_parameters, check_positive

__all__ = ["SGD"]


class SGD:
    """Gradient descent: theta <- theta - lr * dL/dtheta for every parameter theta.

    parameters: the Parameters to train, for example model.parameters().
    lr: the learning rate (step size) eta, a positive number.
    """

    def __init__(self, parameters, lr):
        self.parameters = check_parameters(parameters)
        self.lr = check_positive(lr, "lr")
        self.steps = 0  # steps taken so far

    def step(self):
        """Move every parameter one step against its gradient (in place), or none.

        If an update holds inf or NaN (training diverged), no parameter changes: a
        step is all or nothing, so the weights stay as they were before the error.
        """
        self.steps += 1
        updates = [self.lr * p.grad for p in self.parameters]
        check_finite_updates(updates, self)
        for p, update in zip(self.parameters, updates, strict=True):
            p.data -= update

    def zero_grad(self):
        """Reset every gradient to zero: backward passes add to .grad, they do not overwrite it."""
        for p in self.parameters:
            p.grad[...] = 0.0
