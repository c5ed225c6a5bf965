"""nnlib: the small numpy neural-network library built in the book.

Chapter 1 adds the perceptron; later chapters add layers, activations, losses,
an optimiser and a gradient checker. Read the modules in chapter order.
"""

from nnlib.data import load_digits_split, load_iris_2d, logic_gate, make_moons, make_xor
from nnlib.perceptron import Perceptron

__all__ = [
    "Perceptron",
    "load_digits_split",
    "load_iris_2d",
    "logic_gate",
    "make_moons",
    "make_xor",
]
