"""Reverse-mode automatic differentiation over numpy arrays (chapter 4).

Every operation on Tensors computes its result and records, in the result,
its inputs and a small rule that turns the gradient of the result into
gradients of the inputs. backward() sorts the recorded graph and applies the
rules from the output back to the inputs: what PyTorch's loss.backward()
does, for the few operations that the networks of chapter 4 need. In the
spirit of micrograd's engine (one number per node), with an array per node.
"""

import numpy as np

from nnlib.activations import (
    log_softmax,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)
from nnlib.validation import check_array, check_logits_and_labels

__all__ = ["Tensor"]


def unbroadcast(grad, shape):
    """Sum grad back to `shape`: undo numpy's broadcasting (of a bias)."""
    while grad.ndim > len(shape):  # axes that broadcasting put in front
        grad = grad.sum(axis=0)
    stretched = tuple(i for i, n in enumerate(shape) if n == 1)
    return grad.sum(axis=stretched, keepdims=True)


def tensor(value):
    """value as a Tensor: a Tensor stays itself, anything else is a leaf."""
    return value if isinstance(value, Tensor) else Tensor(value)


class Tensor:
    """An array, data (float64), that remembers how it was computed.

    parents: the Tensors it was computed from; none for a leaf (an input or
    a parameter), which is checked once, here. rule: adds its grad, times
    the local derivatives, into its parents' grads. grad: d(loss)/d(data)
    after loss.backward().
    """

    def __init__(self, data, parents=()):
        if parents:  # the result of an operation: not checked again
            self.data = np.asarray(data, dtype=float)
        else:
            self.data = check_array(data, "data", dtype=float)
        self.grad = np.zeros_like(self.data)
        self.parents = parents
        self.rule = lambda: None  # a leaf has nothing to pass on

    def __add__(self, other):
        other = tensor(other)
        out = Tensor(self.data + other.data, (self, other))

        def rule():  # d(a + b)/da = 1: the gradient passes through
            self.grad += unbroadcast(out.grad, self.data.shape)
            other.grad += unbroadcast(out.grad, other.data.shape)

        out.rule = rule
        return out

    def __mul__(self, other):
        other = tensor(other)
        out = Tensor(self.data * other.data, (self, other))

        def rule():  # d(a * b)/da = b, element-wise
            self.grad += unbroadcast(out.grad * other.data, self.data.shape)
            other.grad += unbroadcast(out.grad * self.data, other.data.shape)

        out.rule = rule
        return out

    def __matmul__(self, other):
        other = tensor(other)
        out = Tensor(self.data @ other.data, (self, other))

        def rule():  # Z = A W: dL/dA = G W^T, dL/dW = A^T G (as Linear)
            self.grad += out.grad @ other.data.T
            other.grad += self.data.T @ out.grad

        out.rule = rule
        return out

    def __sub__(self, other):
        return self + tensor(other) * -1.0

    def sum(self):
        out = Tensor(self.data.sum(), (self,))

        def rule():  # every entry counts once: it gets the sum's gradient
            self.grad += out.grad

        out.rule = rule
        return out

    def mean(self):
        return self.sum() * (1.0 / self.data.size)

    def _elementwise(self, g, derivative):
        """A Tensor of g(data), whose rule multiplies by g'(data): chapter 3's
        g and g' (bare: no check): in the tails more accurate than the layers."""
        out = Tensor(g.unchecked(self.data), (self,))

        def rule():  # the chain rule, entry by entry: dL/dZ = dL/dA * g'(Z)
            self.grad += out.grad * derivative.unchecked(self.data)

        out.rule = rule
        return out

    def sigmoid(self):
        return self._elementwise(sigmoid, sigmoid_derivative)

    def tanh(self):
        return self._elementwise(tanh, tanh_derivative)

    def relu(self):
        return self._elementwise(relu, relu_derivative)

    def cross_entropy(self, target):
        """Mean cross-entropy of softmax(self) and labels (CrossEntropyLoss)."""
        Z, y = check_logits_and_labels(self.data, target)  # (n, k), n labels
        log_p = log_softmax.unchecked(Z)
        n = len(y)
        out = Tensor(-log_p[np.arange(n), y].mean(), (self,))

        def rule():  # dL/dZ = (softmax(Z) - onehot(y)) / n
            grad = np.exp(log_p)
            grad[np.arange(n), y] -= 1.0
            self.grad += out.grad * grad / n

        out.rule = rule
        return out

    def backward(self):
        """Fill the grad of every Tensor that this scalar (a loss) depends on.

        Leaves accumulate, as nnlib's Parameters do (reset: t.grad[...] = 0);
        every other Tensor of the graph starts from zero.
        """
        if self.data.size != 1:
            raise ValueError("backward() needs a scalar (a loss), got shape "
                             f"{self.data.shape}")
        order, seen = [], set()

        def visit(t):  # depth first: t joins the order after its parents
            if id(t) not in seen:
                seen.add(id(t))
                for parent in t.parents:
                    visit(parent)
                order.append(t)

        visit(self)
        for t in order:
            if t.parents:
                t.grad = np.zeros_like(t.data)
        self.grad = np.ones_like(self.data)  # dL/dL = 1
        for t in reversed(order):  # a rule runs after every use of its Tensor
            t.rule()
