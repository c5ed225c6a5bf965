"""Small data sets for the chapters: thin wrappers over scikit-learn, no downloads.

Every loader returns (X, y) with X of shape (n_samples, n_features), float64,
and y of shape (n_samples,), integer labels 0 .. n_classes - 1. scikit-learn
ships iris and digits inside the package and generates moons, so nothing is
ever fetched from the network.
"""

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

from nnlib.validation import check_non_negative, check_positive

__all__ = ["GATES", "load_digits_split", "load_iris_2d", "logic_gate", "make_moons", "make_xor"]

# Truth tables of the logic gates on the inputs (0, 0), (0, 1), (1, 0), (1, 1).
GATES = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}

IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")


def logic_gate(name):
    """The four inputs of a two-input gate and its outputs: X (4, 2), y (4,).

    Parameters
    ----------
    name : str
        One of "AND", "OR", "NAND", "NOR", "XOR" (the keys of `GATES`).

    Returns
    -------
    X : ndarray of float64, shape (4, 2)
        The inputs (0, 0), (0, 1), (1, 0), (1, 1).
    y : ndarray of int64, shape (4,)
        The gate's output for each.
    """
    if not isinstance(name, str) or name not in GATES:
        raise ValueError(f"name must be one of {sorted(GATES)}, got {name!r}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(GATES[name], dtype=np.int64)


def make_xor():
    """The XOR problem: X (4, 2) with the four corners of the unit square, y (4,)."""
    return logic_gate("XOR")


def load_iris_2d(
    classes=("setosa", "versicolor"), features=("sepal length (cm)", "petal length (cm)")
):
    """Two of Fisher's iris species, described by two of the four measurements.

    Parameters
    ----------
    classes : tuple of two str
        Two of "setosa", "versicolor" and "virginica", in order: the first is
        class 0, the second class 1.
    features : tuple of two str
        Two of the four measurements "sepal length (cm)", "sepal width (cm)",
        "petal length (cm)" and "petal width (cm)".

    Returns
    -------
    X : ndarray of float64, shape (100, 2)
        The two measurements of each flower, in centimetres (50 flowers per species).
    y : ndarray of int64, shape (100,)
        0 for classes[0] and 1 for classes[1].
    """
    for name, allowed, given in (
        ("classes", IRIS_CLASSES, classes),
        ("features", IRIS_FEATURES, features),
    ):
        if (
            not isinstance(given, (list, tuple))
            or len(set(given)) != 2
            or not set(given) <= set(allowed)
        ):
            raise ValueError(f"{name} must be two different ones of {list(allowed)}, got {given!r}")
    iris = datasets.load_iris()
    species = [IRIS_CLASSES.index(c) for c in classes]
    keep = np.isin(iris.target, species)
    columns = [IRIS_FEATURES.index(f) for f in features]
    X = iris.data[keep][:, columns]
    y = (iris.target[keep] == species[1]).astype(np.int64)
    return X, y


def make_moons(n_samples=200, noise=0.2, rng=0):
    """Two interleaving half circles (scikit-learn's make_moons): X (n_samples, 2), y.

    Parameters
    ----------
    n_samples : int, default 200
        How many points, split between the two moons.
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to each point.
    rng : numpy Generator or int, default 0
        The randomness (a seed gives the same points every time).

    Returns
    -------
    X : ndarray of float64, shape (n_samples, 2)
        The points.
    y : ndarray of int64, shape (n_samples,)
        The moon each point belongs to, 0 or 1.
    """
    check_positive(n_samples, "n_samples", integer=True)
    check_non_negative(noise, "noise")
    seed = np.random.default_rng(rng).integers(2**31)
    return datasets.make_moons(n_samples=n_samples, noise=noise, random_state=int(seed))


def load_digits_split(test_size=0.25, rng=0):
    """scikit-learn's 8x8 handwritten digits, split once into train and test sets.

    Pixels are scaled from 0..16 to 0..1. The split is stratified by class (each set
    has the ten digits in the same proportions) and fixed by `rng`.

    Parameters
    ----------
    test_size : float, default 0.25
        The fraction of the 1797 images kept for testing, between 0 and 1.
    rng : numpy Generator or int, default 0
        The randomness of the split.

    Returns
    -------
    X_train, X_test : ndarray of float64, shape (n, 64)
        The images, one row of 64 pixels each.
    y_train, y_test : ndarray of int64, shape (n,)
        The digits they show, 0 .. 9.
    """
    check_positive(test_size, "test_size")
    if test_size >= 1:
        raise ValueError(f"test_size must be a fraction between 0 and 1, got {test_size!r}")
    digits = datasets.load_digits()
    seed = np.random.default_rng(rng).integers(2**31)
    return train_test_split(
        digits.data / 16.0,
        digits.target,
        test_size=test_size,
        stratify=digits.target,
        random_state=int(seed),
    )
