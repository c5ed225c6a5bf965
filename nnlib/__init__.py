"""nnlib: the small numpy neural-network library built in the book.

Read the modules in the order the chapters build them:

1. perceptron   Rosenblatt's perceptron (chapter 1)
2. module, layers   Parameter, Module, Linear, Sequential (chapter 2)
3. activations, init   non-linearities and weight initialisation (chapter 3)
4. losses, optim, gradcheck, autodiff   losses, SGD, gradient checking and a small
   automatic differentiation engine (chapter 4)

Tools used throughout: data (data sets, no downloads), plotting, validation (input
checks with clear errors) and exercises (checkers for the chapters' exercises).
The names below are re-exported for convenience; the chapters import them from
their modules, so that a reader sees where each one lives.
"""

from nnlib.activations import (
    ELU,
    GELU,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softplus,
    Step,
    Tanh,
    log_softmax,
    sigmoid,
    softmax,
)
from nnlib.data import load_digits_split, load_iris_2d, logic_gate, make_moons, make_xor
from nnlib.gradcheck import gradcheck, numerical_gradient, relative_error
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, MSELoss
from nnlib.module import Module, Parameter
from nnlib.optim import SGD
from nnlib.perceptron import Perceptron

__all__ = [
    "ELU",
    "GELU",
    "SGD",
    "CrossEntropyLoss",
    "Identity",
    "LeakyReLU",
    "Linear",
    "MSELoss",
    "Module",
    "Parameter",
    "Perceptron",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softplus",
    "Step",
    "Tanh",
    "gradcheck",
    "load_digits_split",
    "load_iris_2d",
    "log_softmax",
    "logic_gate",
    "make_moons",
    "make_xor",
    "numerical_gradient",
    "relative_error",
    "sigmoid",
    "softmax",
]
