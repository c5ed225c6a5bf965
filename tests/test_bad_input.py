"""Bad input, everywhere: a table of (public entry point, bad input) pairs.

A learner's first contact with nnlib is often a mistake: a transposed array, labels
stored as floats, a learning rate of 0. Every public function, class and method of
nnlib must answer each such mistake with a ValueError or TypeError (the builtin ones,
not a numpy or scikit-learn error) whose message names the argument, says what was
expected and shows what was given. Each case below lists three fragments of the
message: the argument's name, a piece of what was expected, a piece of what came.
Nothing may return NaN silently, nothing may fail with a bare numpy broadcasting error.

The catalogue is checked against the modules' __all__ (test_the_catalogue_covers_...):
a new public name, or a new public method taking arguments, fails that test until it
has bad-input cases here (or an exemption with its reason in EXEMPT).

The exercise checkers (nnlib.exercises.*) have a different contract, stated in
nnlib/exercises/__init__.py: they never raise on a learner's answer; they print what is
wrong and return False. They have their own table at the end.
"""

import contextlib
import importlib
import inspect
import io
import pkgutil
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no window, no display needed

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib  # noqa: E402
import nnlib.exercises  # noqa: E402
from nnlib import activations as A  # noqa: E402
from nnlib import data, init, plotting, validation  # noqa: E402
from nnlib.autodiff import Tensor  # noqa: E402
from nnlib.layers import Linear, Sequential  # noqa: E402
from nnlib.losses import CrossEntropyLoss, MSELoss  # noqa: E402
from nnlib.module import Parameter  # noqa: E402
from nnlib.optim import SGD  # noqa: E402

# The module, not the function nnlib re-exports under the same name.
gradcheck = importlib.import_module("nnlib.gradcheck")


@dataclass
class Case:
    entry: str  # "module.name" or "module.Class.method"
    what: str  # the bad input, in words
    call: Any  # a function of no arguments that passes the bad input
    error: type  # ValueError or TypeError
    fragments: tuple  # (argument name, piece of what was expected, piece of what was given)


CASES = []


def case(entry, what, call, error, *fragments):
    CASES.append(Case(entry, what, call, error, fragments))


# --- families of bad input, each built around a good value --------------------------------


def bad_arrays(entry, name, call, good, *, ndim=None, n_columns=None, allow_empty=False):
    """One case per kind of bad array: wrong type, wrong dtype, NaN or inf, empty, and for
    matrices a wrong number of dimensions and a transposed one. `good` has the right shape.
    allow_empty: an empty array is valid input here (no such case)."""
    good = np.asarray(good, dtype=np.float64)
    with_nan = good.copy()
    with_nan.flat[-1] = np.nan
    case(entry, f"{name} a string", lambda: call("abc"), TypeError, name, "array of numbers", "str")
    complex_ = good.astype(complex)
    case(entry, f"{name} complex", lambda: call(complex_), TypeError, name, "real", "complex128")
    if not allow_empty:
        empty = np.empty((0,) + good.shape[1:])
        case(entry, f"{name} empty", lambda: call(empty), ValueError, name, "not be empty", "(0")
    case(entry, f"{name} NaN", lambda: call(with_nan), ValueError, name, "finite", "nan")
    if ndim == 2:
        flat = good.ravel()
        case(entry, f"{name} 1-D", lambda: call(flat), ValueError, name, "2-D", f"{flat.shape}")
    if n_columns is not None:
        n, d = good.shape
        assert n != d and d == n_columns, "the transposed case needs a non-square good value"
        case(entry, f"{name} transposed", lambda: call(good.T), ValueError,
             name, f"{d} columns", f"({d}, {n}) (is it transposed?)")


def bad_sizes(entry, name, call):
    """Sizes (numbers of units, samples, epochs): positive integers. Non-positive; not an int."""
    for value, error, got in [(0, ValueError, "got 0"), (2.5, TypeError, "float 2.5")]:
        case(entry, f"{name}={value!r}", lambda v=value: call(v), error,
             name, "positive integer", got)


def bad_rates(entry, name, call):
    """Learning rates, standard deviations, step sizes: positive finite numbers.
    Non-positive; not finite; not a number."""
    for value, error, got in [(0.0, ValueError, "got 0.0"), (np.nan, ValueError, "nan"),
                              ("0.1", TypeError, "str '0.1'")]:
        case(entry, f"{name}={value!r}", lambda v=value: call(v), error,
             name, "positive", got)


def bad_non_negative(entry, name, call):
    """Slopes, noise levels, margins: finite numbers >= 0. Negative; not a number."""
    for value, error, got in [(-0.1, ValueError, "-0.1"), ("0.1", TypeError, "str '0.1'")]:
        case(entry, f"{name}={value!r}", lambda v=value: call(v), error, name, ">= 0", got)


def bad_labels(entry, name, call, n, k, optional=False):
    """Integer class labels in 0..k-1, one per sample (n of them); optional: None is valid.
    Wrong dtype, out of range, mismatched length, wrong shape, empty."""
    good = np.arange(n) % k
    for what, value, error, expected, got in [
        ("floats", good.astype(float), TypeError, "integer labels", "float64"),
        ("too large", np.r_[good[:-1], k], ValueError, f"0..{k - 1}", f"to {k}"),
        ("one too few", good[:-1], ValueError, f"{n} labels", f"got {n - 1}"),
        ("a column", good[:, None], ValueError, "1-D", f"({n}, 1)"),
        ("empty", np.array([], dtype=int), ValueError, "not be empty", "(0,)"),
    ]:
        case(entry, f"{name} {what}", lambda v=value: call(v), error, name, expected, got)


# --- nnlib.validation --------------------------------------------------------------------

GOOD_X = np.arange(12.0).reshape(4, 3)  # (n_samples, n_features) = (4, 3), not square
GOOD_Y = np.array([0, 1, 2, 0])

bad_arrays("nnlib.validation.check_array", "X",
           lambda v: validation.check_array(v, "X", ndim=2, n_columns=3), GOOD_X,
           ndim=2, n_columns=3)
bad_labels("nnlib.validation.check_labels", "y",
           lambda v: validation.check_labels(v, "y", n_samples=4, n_classes=3), 4, 3)
bad_rates("nnlib.validation.check_positive", "lr", lambda v: validation.check_positive(v, "lr"))
bad_sizes("nnlib.validation.check_positive", "n",
          lambda v: validation.check_positive(v, "n", integer=True))
bad_non_negative("nnlib.validation.check_non_negative", "noise",
                 lambda v: validation.check_non_negative(v, "noise"))
case("nnlib.validation.check_same_length", "lengths 4 and 3",
     lambda: validation.check_same_length(GOOD_X, "X", GOOD_Y[:3], "y"), ValueError,
     "X and y", "same number of samples", "got 4 and 3")
case("nnlib.validation.check_same_length", "y None",
     lambda: validation.check_same_length(GOOD_X, "X", None, "y"), TypeError,
     "y", "one entry per sample", "NoneType")
case("nnlib.validation.check_same_length", "y a number",
     lambda: validation.check_same_length(GOOD_X, "X", 3, "y"), TypeError,
     "y", "one entry per sample", "int 3")

# --- nnlib.perceptron: its bad input is scikit-learn's check_estimator's and
# tests/test_perceptron.py's (scikit-learn's own validation and messages).
X_AND, Y_AND = data.logic_gate("AND")  # for the checkers' cases below
X_SURF = np.array([[1.0, 0.8], [0.5, 0.3], [-1.0, -0.7], [0.2, 0.4]])  # a two-weight surface
Y_SURF = X_SURF @ np.array([1.0, -1.0])

# --- nnlib.module and nnlib.layers ------------------------------------------------------------

bad_arrays("nnlib.module.Parameter", "data", lambda v: Parameter(v), GOOD_X)
case("nnlib.module.Parameter", "dtype int64", lambda: Parameter([1.0], dtype=np.int64), ValueError,
     "dtype", "float32 or float64", "int64")

bad_sizes("nnlib.layers.Linear", "in_features", lambda v: Linear(v, 2))
bad_sizes("nnlib.layers.Linear", "out_features", lambda v: Linear(3, v))
case("nnlib.layers.Linear", "dtype int64", lambda: Linear(3, 2, dtype=np.int64), ValueError,
     "dtype", "float32 or float64", "int64")
bad_arrays("nnlib.layers.Linear.__call__", "X", lambda v: Linear(3, 2, rng=0)(v), GOOD_X,
           ndim=2, n_columns=3)
case("nnlib.layers.Linear.backward", "before forward",
     lambda: Linear(3, 2, rng=0).backward(np.ones((4, 2))), AttributeError,
     "'X'", "forward", "not run yet")

case("nnlib.layers.Sequential", "no layers", lambda: Sequential(), ValueError,
     "layer", "at least one", "got none")
case("nnlib.layers.Sequential", "a number", lambda: Sequential(Linear(3, 2), 3), TypeError,
     "layer 1", "nnlib Module", "int")
case("nnlib.layers.Sequential", "a class", lambda: Sequential(Linear), TypeError,
     "layer 0", "Module instance", "the class Linear")
case("nnlib.layers.Sequential", "layers that do not fit",
     lambda: Sequential(Linear(3, 4), A.Tanh(), Linear(5, 2)), ValueError,
     "layer 2 (Linear)", "must get 5 features", "got 4 from layer 0 (Linear)")
NET = Sequential(Linear(3, 5, rng=0), A.Tanh(), Linear(5, 2, rng=1))
bad_arrays("nnlib.layers.Sequential.__call__", "X", lambda v: NET(v), GOOD_X, ndim=2,
           n_columns=3)
case("nnlib.layers.Sequential.backward", "before forward",
     lambda: Sequential(Linear(3, 2)).backward(np.ones((4, 2))), AttributeError,
     "'X'", "forward", "not run yet")

# --- nnlib.activations ---------------------------------------------------------------------

ELEMENTWISE = ["identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "softplus", "elu",
               "gelu"]
for name in ELEMENTWISE:
    for function in (name, f"{name}_derivative"):
        bad_arrays(f"nnlib.activations.{function}", "z", getattr(A, function), GOOD_X)
for function in ("leaky_relu", "leaky_relu_derivative"):
    bad_non_negative(f"nnlib.activations.{function}", "negative_slope",
                     lambda v, f=function: getattr(A, f)(GOOD_X, negative_slope=v))
for function in ("elu", "elu_derivative"):
    bad_rates(f"nnlib.activations.{function}", "alpha",
              lambda v, f=function: getattr(A, f)(GOOD_X, alpha=v))
for function in ("softmax", "log_softmax"):
    bad_arrays(f"nnlib.activations.{function}", "Z", getattr(A, function), GOOD_X, ndim=2)

LAYERS = ["Identity", "Step", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softplus", "ELU", "GELU"]
for name in LAYERS:
    bad_arrays(f"nnlib.activations.{name}.__call__", "X", lambda v, n=name: getattr(A, n)()(v),
               GOOD_X, ndim=2)
    case(f"nnlib.activations.{name}.backward", "before forward",
         lambda n=name: getattr(A, n)().backward(GOOD_X), AttributeError,
         "'A'" if name in ("Sigmoid", "Tanh") else "'Z'", "forward", "not run yet")
bad_non_negative("nnlib.activations.LeakyReLU", "negative_slope", lambda v: A.LeakyReLU(v))
bad_rates("nnlib.activations.ELU", "alpha", lambda v: A.ELU(v))

# --- nnlib.init ------------------------------------------------------------------------------

for name in ("normal", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform"):
    scheme = getattr(init, name)
    bad_sizes(f"nnlib.init.{name}", "fan_in", lambda v, s=scheme: s(v, 4))
    bad_sizes(f"nnlib.init.{name}", "fan_out", lambda v, s=scheme: s(3, v))
bad_rates("nnlib.init.normal", "std", lambda v: init.normal(3, 4, std=v))
for what, model, got in [("an array", np.ones((3, 4)), "ndarray"),
                         ("a list", [Linear(3, 4)], "list"), ("None", None, "NoneType")]:
    case("nnlib.init.init_linear_layers", f"model {what}",
         lambda m=model: init.init_linear_layers(m, init.he_normal), TypeError,
         "model", "nnlib Module", got)
for what, scheme, error, expected, got in [
    ("a name", "he_normal", TypeError, "a function", "'he_normal'"),
    ("None", None, TypeError, "a function", "None"),
    ("returning W transposed", lambda i, o, rng: np.ones((o, i)), ValueError, "shape (3, 4)",
     "(4, 3)"),
    ("returning NaN", lambda i, o, rng: np.full((i, o), np.nan), ValueError, "finite", "nan"),
    ("returning a string", lambda i, o, rng: "W", TypeError, "array of numbers", "str"),
]:
    case("nnlib.init.init_linear_layers", f"scheme {what}",
         lambda s=scheme: init.init_linear_layers(Linear(3, 4), s), error, "scheme", expected, got)

# --- nnlib.losses ----------------------------------------------------------------------------

bad_arrays("nnlib.losses.MSELoss.__call__", "pred", lambda v: MSELoss()(v, GOOD_X), GOOD_X)
bad_arrays("nnlib.losses.MSELoss.__call__", "target", lambda v: MSELoss()(GOOD_X, v), GOOD_X)
case("nnlib.losses.MSELoss.__call__", "a vector against a column",
     lambda: MSELoss()(np.ones((4, 1)), np.ones(4)), ValueError,
     "target", "shape (4, 1)", "shape (4,)")
case("nnlib.losses.MSELoss.backward", "before a loss", lambda: MSELoss().backward(),
     AttributeError, "'diff'", "no loss", "computed yet")
bad_arrays("nnlib.losses.CrossEntropyLoss.__call__", "pred",
           lambda v: CrossEntropyLoss()(v, GOOD_Y), GOOD_X, ndim=2)
bad_labels("nnlib.losses.CrossEntropyLoss.__call__", "target",
           lambda v: CrossEntropyLoss()(GOOD_X, v), 4, 3)
case("nnlib.losses.CrossEntropyLoss.backward", "before a loss",
     lambda: CrossEntropyLoss().backward(), AttributeError, "'p'", "no loss",
     "computed yet")

# --- nnlib.optim ------------------------------------------------------------------------------

bad_rates("nnlib.optim.SGD", "lr", lambda v: SGD(NET.parameters(), lr=v))
for argument in ("momentum", "weight_decay"):  # chapter 5's additions: numbers >= 0
    bad_non_negative("nnlib.optim.SGD", argument,
                     lambda v, a=argument: SGD(NET.parameters(), lr=0.1, **{a: v}))
    case("nnlib.optim.SGD", f"{argument}=nan",
         lambda a=argument: SGD(NET.parameters(), lr=0.1, **{a: np.nan}), ValueError,
         argument, "finite number >= 0", "nan")
for what, parameters, error, expected, got in [
    ("the model itself", NET, TypeError, "model.parameters()", "Sequential"),
    ("empty", [], ValueError, "must not be empty", "nothing to train"),
    ("arrays", [np.ones(3)], TypeError, "must be a Parameter", "ndarray"),
]:
    case("nnlib.optim.SGD", f"parameters {what}", lambda p=parameters: SGD(p, lr=0.1), error,
         "parameters", expected, got)

# --- nnlib.gradcheck ------------------------------------------------------------------------

case("nnlib.gradcheck.numerical_gradient", "f not a function",
     lambda: gradcheck.numerical_gradient(3.0, np.ones(2)), TypeError, "f", "a function", "float")
for what, x, error, expected, got in [
    ("a list", [1.0, 2.0], TypeError, "numpy array of floats", "list"),
    ("integers", np.array([1, 2]), TypeError, "numpy array of floats", "int64"),
    ("NaN", np.array([1.0, np.nan]), ValueError, "finite", "nan"),
]:
    case("nnlib.gradcheck.numerical_gradient", f"x {what}",
         lambda x=x: gradcheck.numerical_gradient(lambda: 0.0, x), error, "x", expected, got)
bad_rates("nnlib.gradcheck.numerical_gradient", "eps",
          lambda v: gradcheck.numerical_gradient(lambda: 0.0, np.ones(2), eps=v))
bad_arrays("nnlib.gradcheck.relative_error", "a", lambda v: gradcheck.relative_error(v, GOOD_X),
           GOOD_X, allow_empty=True)
case("nnlib.gradcheck.relative_error", "shapes (2,) and (3,)",
     lambda: gradcheck.relative_error(np.ones(2), np.ones(3)), ValueError,
     "a and b", "same shape", "(2,) and (3,)")
bad_arrays("nnlib.gradcheck.relative_error", "b", lambda v: gradcheck.relative_error(GOOD_X, v),
           GOOD_X, allow_empty=True)  # an empty gradient (a layer without weights) is fine
for name in ("gradcheck", "gradient_errors"):
    entry, function = f"nnlib.gradcheck.{name}", getattr(gradcheck, name)
    case(entry, "module an array", lambda f=function: f(np.ones((3, 2)), GOOD_X), TypeError,
         "module", "nnlib Module", "ndarray")
    case(entry, "loss a name", lambda f=function: f(Linear(3, 2), GOOD_X, loss="mse"), TypeError,
         "loss", "nnlib Loss", "str")
    bad_arrays(entry, "X", lambda v, f=function: f(Linear(3, 2, rng=0), v), GOOD_X,
               ndim=2, n_columns=3)
    case(entry, "float32", lambda f=function: f(Linear(3, 2, rng=0, dtype=np.float32), GOOD_X),
         TypeError, "parameter 0", "must be float64", "float32")
    bad_rates(entry, "eps", lambda v, f=function: f(Linear(3, 2, rng=0), GOOD_X, eps=v))
    bad_labels(entry, "target", lambda v, f=function: f(Linear(3, 3, rng=0), GOOD_X,
                                                      loss=CrossEntropyLoss(), target=v), 4, 3)
case("nnlib.gradcheck.gradcheck_loss", "loss a layer",
     lambda: gradcheck.gradcheck_loss(Linear(3, 2), GOOD_X, GOOD_Y), TypeError,
     "loss", "nnlib Loss", "Linear")
bad_arrays("nnlib.gradcheck.gradcheck_loss", "pred",
           lambda v: gradcheck.gradcheck_loss(CrossEntropyLoss(), v, GOOD_Y), GOOD_X, ndim=2)
bad_labels("nnlib.gradcheck.gradcheck_loss", "target",
           lambda v: gradcheck.gradcheck_loss(CrossEntropyLoss(), GOOD_X, v), 4, 3)
bad_rates("nnlib.gradcheck.gradcheck_loss", "eps",
          lambda v: gradcheck.gradcheck_loss(MSELoss(), GOOD_X, GOOD_X, eps=v))

# --- nnlib.autodiff --------------------------------------------------------------------------

bad_arrays("nnlib.autodiff.Tensor", "data", lambda v: Tensor(v), GOOD_X)
bad_labels("nnlib.autodiff.Tensor.cross_entropy", "target",
           lambda v: Tensor(GOOD_X).cross_entropy(v), 4, 3)

# --- nnlib.data ------------------------------------------------------------------------------

for what, name, got in [("unknown", "XNOR", "'XNOR'"), ("a list", ["AND"], "['AND']")]:
    case("nnlib.data.logic_gate", f"name {what}", lambda n=name: data.logic_gate(n), ValueError,
         "name", "one of ['AND'", got)
for argument in ("classes", "features"):
    good = {"classes": ("setosa", "versicolor"), "features": data.IRIS_FEATURES[:2]}[argument]
    for what, value, got in [("one", good[:1], repr(good[:1])),
                             ("twice the same", (good[0], good[0]), repr((good[0], good[0]))),
                             ("unknown", (good[0], "petal colour"), "'petal colour'")]:
        case("nnlib.data.load_iris_2d", f"{argument} {what}",
             lambda a=argument, v=value: data.load_iris_2d(**{a: v}), ValueError,
             argument, "two different ones of", got)
bad_sizes("nnlib.data.make_moons", "n_samples", lambda v: data.make_moons(n_samples=v))
bad_non_negative("nnlib.data.make_moons", "noise", lambda v: data.make_moons(noise=v))
bad_rates("nnlib.data.load_digits_split", "test_size",
          lambda v: data.load_digits_split(test_size=v))
case("nnlib.data.load_digits_split", "test_size 1.5",
     lambda: data.load_digits_split(test_size=1.5), ValueError,
     "test_size", "fraction between 0 and 1", "1.5")

# --- nnlib.plotting --------------------------------------------------------------------------

X_PLOT = np.arange(10.0).reshape(5, 2)  # (5, 2), not square
Y_PLOT = np.array([0, 1, 0, 1, 1])
bad_arrays("nnlib.plotting.plot_data", "X", lambda v: plotting.plot_data(v, Y_PLOT), X_PLOT,
           ndim=2, n_columns=2)
bad_labels("nnlib.plotting.plot_data", "y", lambda v: plotting.plot_data(X_PLOT, v), 5, 10)
case("nnlib.plotting.plot_data", "labels too few",
     lambda: plotting.plot_data(X_PLOT, Y_PLOT, labels=["zero"]), ValueError,
     "labels", "every class 0..1", "['zero']")


def predict_zero(grid):
    return np.zeros(len(grid), dtype=int)


def regions(**kwargs):
    arguments = {"predict": predict_zero, "X": X_PLOT, "y": Y_PLOT, "resolution": 3, **kwargs}
    return plotting.plot_decision_regions(**arguments)


entry = "nnlib.plotting.plot_decision_regions"
bad_arrays(entry, "X", lambda v: regions(X=v), X_PLOT, ndim=2, n_columns=2)
bad_labels(entry, "y", lambda v: regions(y=v), 5, 10, optional=True)
bad_sizes(entry, "resolution", lambda v: regions(resolution=v))
bad_non_negative(entry, "margin", lambda v: regions(margin=v))
for what, predict, error, expected, got in [
    ("a string", "predict", TypeError, "a function", "str"),
    ("returning too few", lambda grid: np.zeros(3, dtype=int), ValueError, "9 labels", "got 3"),
    ("returning NaN", lambda grid: np.full(len(grid), np.nan), TypeError, "integer labels",
     "float64"),
    ("returning names", lambda grid: np.full(len(grid), "a"), TypeError, "integer labels", "<U1"),
    ("returning class 10", lambda grid: np.full(len(grid), 10), ValueError, "0..9", "to 10"),
]:
    case(entry, f"predict {what}", lambda p=predict: regions(predict=p), error,
         "predict", expected, got)

for what, w, error, expected, got in [
    ("None", None, TypeError, "array of numbers", "None"),
    ("three weights", [1.0, 2.0, 3.0], ValueError, "two weights", "(3,)"),
    ("NaN", [np.nan, 1.0], ValueError, "finite", "nan"),
    ("zero", [0.0, 0.0], ValueError, "not be zero", "[0.0, 0.0]"),
]:
    case("nnlib.plotting.plot_line", f"w {what}", lambda w=w: plotting.plot_line(w, 1.0), error,
         "w", expected, got)
for what, b, error, expected, got in [
    ("a string", "1", TypeError, "array of numbers", "str"),
    ("NaN", np.nan, ValueError, "finite", "nan"),
    ("two numbers", [1.0, 2.0], ValueError, "one number", "(2,)"),
]:
    case("nnlib.plotting.plot_line", f"b {what}", lambda b=b: plotting.plot_line([1.0, 1.0], b),
         error, "b", expected, got)

def slider(**changes):
    fig = plt.figure(figsize=(2, 1))
    arguments = dict(fig=fig, draw=lambda v: None, values=[1, 2], label="k", name="k",
                     alt="a picture") | changes
    try:
        return plotting.Slider(**arguments)
    finally:
        plt.close(fig)


case("nnlib.plotting.Slider", "name with a space", lambda: slider(name="my slider"),
     ValueError, "name", "letters, digits", "'my slider'")
case("nnlib.plotting.Slider", "values empty", lambda: slider(values=[]), ValueError,
     "values", "at least one", "none")

# --- nnlib.exercises (helpers for the checkers) -----------------------------------------------

case("nnlib.exercises.report", "problems a string",
     lambda: nnlib.exercises.report("wrong", "right"), TypeError,
     "problems", "list of strings", "str")


# --- the catalogue covers the public API ---------------------------------------------------

# Entry points that take arguments but have no bad-input cases, each with its reason.
EXEMPT = {
    "nnlib.module.Module.__call__": "abstract base: every concrete module's call is covered",
    "nnlib.module.Module.backward": "abstract: raises NotImplementedError by design",
    "nnlib.activations.Activation.__call__": "abstract base; every concrete layer is covered",
    "nnlib.activations.Activation.backward": "abstract base; every concrete layer is covered",
    "nnlib.losses.Loss.__call__": "abstract base: each loss's call is covered",
    "nnlib.losses.Loss.backward": "abstract base: each loss's backward is covered",
    "nnlib.validation.unchecked": "takes any function; it only unwraps @array_function",
}
# The validation helpers that one entry point each calls are tested through that entry
# point's cases above (the boundary), not a second time on their own.
EXEMPT |= {
    f"nnlib.validation.{name}": "tested through the entry points that call it"
    for name in ("array_function", "check_dtype", "check_fans", "check_finite_loss",
                 "check_finite_updates", "check_float64", "check_gradcheck", "check_init",
                 "check_layers", "check_logits_and_labels", "check_module", "check_nudgeable",
                 "check_parameters", "check_pred_and_target", "check_same_shape", "check_sizes")
}
EXEMPT["nnlib.exercises.not_answered"] = "any object is an acceptable answer; it detects None"
# Methods that the boundary reaches: a module's forward runs inside module(X), which checks
# X first; a loss's check and forward inside loss(pred, target); an activation layer's
# function and derivative are the plain functions, covered by their names. (backward is not
# among them: its case is "before forward".)
INTERNAL = {"forward", "check", "function", "derivative", "diverged"}
CHECKERS = ("activations", "backprop", "multilayer", "perceptron", "training")
# Perceptron follows scikit-learn's conventions; scikit-learn's check_estimator and
# tests/test_perceptron.py test its bad input.
NOT_HERE = {"nnlib.perceptron"}


def nnlib_modules():
    names = [f"nnlib.{m.name}" for m in pkgutil.iter_modules(nnlib.__path__)]
    names = [n for n in names if n not in NOT_HERE and n != "nnlib.exercises"]
    # nnlib.exercises: its helpers; the checkers have their own contract below
    return [importlib.import_module(name) for name in names] + [nnlib.exercises]


def takes_arguments(function):
    parameters = inspect.signature(function).parameters
    return any(name not in ("self", "cls") for name in parameters)


def public_entry_points():
    """Every public function, class (its constructor) and method that takes arguments; for
    modules and losses, the call (the boundary) and backward instead of the internal hops."""
    from nnlib.losses import Loss
    from nnlib.module import Module

    entries = set()
    for module in nnlib_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            where = f"{module.__name__}.{name}"
            if inspect.isclass(obj):
                if obj.__init__ is not object.__init__ and takes_arguments(obj.__init__):
                    entries.add(where)
                if issubclass(obj, (Module, Loss)):
                    entries |= {f"{where}.__call__", f"{where}.backward"}
                for attribute, member in inspect.getmembers(obj, callable):
                    if attribute.startswith("_") or attribute in INTERNAL:
                        continue
                    if getattr(member, "__module__", "").startswith("nnlib") and takes_arguments(
                        member
                    ):
                        entries.add(f"{where}.{attribute}")
            elif callable(obj) and takes_arguments(obj):
                entries.add(where)
    return entries


def test_the_catalogue_covers_every_public_entry_point():
    covered = {c.entry for c in CASES}
    required = public_entry_points()
    missing = sorted(required - covered - set(EXEMPT))
    assert not missing, f"public entry points without bad-input cases: {missing}"
    unknown = sorted(covered - required)
    assert not unknown, f"cases for names that are not public entry points: {unknown}"
    assert set(EXEMPT) <= required, "an exemption for a name that does not exist"
    # A class's constructor and its methods count separately: e.g. Linear, Linear.__call__.
    assert {"nnlib.layers.Linear", "nnlib.layers.Linear.__call__",
            "nnlib.layers.Linear.backward", "nnlib.optim.SGD"} <= covered


def test_no_two_cases_test_the_same_kind_twice():
    # Issue 12: every entry point and every kind of bad input once, no near-duplicates.
    seen = [(c.entry, c.what) for c in CASES]
    assert len(seen) == len(set(seen))


def test_the_package_re_exports_only_covered_names():
    for name in nnlib.__all__:
        obj = getattr(nnlib, name)
        home = importlib.import_module(obj.__module__)
        assert name in home.__all__ and getattr(home, name) is obj, name


def test_the_checks_of_the_catalogue_can_fail():
    # A missing entry point is noticed: drop every case of one function.
    assert "nnlib.activations.gelu" in public_entry_points()
    without = {c.entry for c in CASES if c.entry != "nnlib.activations.gelu"}
    assert "nnlib.activations.gelu" in public_entry_points() - without - set(EXEMPT)
    # A bare numpy broadcasting error is noticed: it names no argument.
    with pytest.raises(AssertionError, match="is not in the message"):
        assert_clear_refusal(Case("x", "y", lambda: np.ones((4, 1)) - np.ones((4, 3)) @ np.ones(4),
                                  ValueError, ("X", "4 columns", "(3,)")))
    # A call that returns (NaN, say) instead of raising is noticed.
    with pytest.raises(pytest.fail.Exception, match="DID NOT RAISE"):
        assert_clear_refusal(Case("x", "y", lambda: np.nan, ValueError, ("a", "b", "c")))
    # So is a scikit-learn error: a subclass of ValueError, but not nnlib's message.
    from sklearn.utils._param_validation import InvalidParameterError

    def sklearn_refuses():
        raise InvalidParameterError("The 'test_size' parameter must be a float, got 'a'")

    with pytest.raises(AssertionError, match="InvalidParameterError"):
        assert_clear_refusal(Case("x", "y", sklearn_refuses, ValueError,
                                  ("test_size", "float", "'a'")))


def assert_clear_refusal(c):
    with pytest.raises((ValueError, TypeError, AttributeError)) as info:
        c.call()
    # The builtin classes, not a numpy or scikit-learn subclass: nnlib's own message.
    assert type(info.value) is c.error, f"{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    for fragment in c.fragments:
        assert fragment in message, f"{fragment!r} is not in the message {message!r}"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("c", CASES, ids=[f"{c.entry.removeprefix('nnlib.')}: {c.what}"
                                          for c in CASES])
def test_bad_input_is_refused_with_a_clear_message(c):
    assert_clear_refusal(c)


# --- parameters ------------------------------------------------------------------------------


def test_parameter_refuses_an_unknown_dtype_name():
    assert_clear_refusal(Case("nnlib.module.Parameter", "dtype 'abc'",
                              lambda: Parameter([1.0], dtype="abc"), ValueError,
                              ("dtype", "float32 or float64", "'abc'")))


# --- the exercise checkers: never raise on an answer, say what is wrong, return False -------

NAN = float("nan")
WRONG_TYPES = ["abc", NAN, float("inf"), -1, [1, 2, 3], np.full((2, 2), NAN), object(), True, [],
               {}, 1e300]


def raises(*args, **kwargs):
    raise RuntimeError("the learner's code crashed")


ANSWERS = {  # checker -> function of the bad answer
    "perceptron.check_gate w": lambda a: nnlib.exercises.perceptron.check_gate("AND", a, 0.0),
    "perceptron.check_gate b": lambda a: nnlib.exercises.perceptron.check_gate("AND", [1, 1], a),
    "perceptron.check_margin_perceptron":
        lambda a: nnlib.exercises.perceptron.check_margin_perceptron(a),
    "perceptron.check_separable_count":
        lambda a: nnlib.exercises.perceptron.check_separable_count(a),
    "perceptron.check_novikoff R":
        lambda a: nnlib.exercises.perceptron.check_novikoff(X_AND, Y_AND, [1, 1], -1.5, a, 0.3),
    "perceptron.check_novikoff gamma":
        lambda a: nnlib.exercises.perceptron.check_novikoff(X_AND, Y_AND, [1, 1], -1.5, 2.0, a),
    "perceptron.check_novikoff w":
        lambda a: nnlib.exercises.perceptron.check_novikoff(X_AND, Y_AND, a, -1.5, 2.0, 0.3),
    "multilayer.check_parameter_count":
        lambda a: nnlib.exercises.multilayer.check_parameter_count(a),
    "multilayer.check_parity_network":
        lambda a: nnlib.exercises.multilayer.check_parity_network(a),
    "multilayer.check_xor_network": lambda a: nnlib.exercises.multilayer.check_xor_network(a),
    "multilayer.check_diamond_network":
        lambda a: nnlib.exercises.multilayer.check_diamond_network(a),
    "multilayer.check_approximation net":
        lambda a: nnlib.exercises.multilayer.check_approximation(a, 81),
    "multilayer.check_approximation n_hidden":
        lambda a: nnlib.exercises.multilayer.check_approximation(lambda x: x**2, a),
    "activations.check_silu_derivative":
        lambda a: nnlib.exercises.activations.check_silu_derivative(a),
    "activations.check_layers_to_vanish":
        lambda a: nnlib.exercises.activations.check_layers_to_vanish(a),
    "activations.check_he_std_leaky std":
        lambda a: nnlib.exercises.activations.check_he_std_leaky(a, 0.01, 100),
    "activations.check_he_std_leaky fan_in":
        lambda a: nnlib.exercises.activations.check_he_std_leaky(0.1, 0.01, a),
    "activations.check_softmax_jacobian J":
        lambda a: nnlib.exercises.activations.check_softmax_jacobian(a, [1.0, 2.0]),
    "activations.check_softmax_jacobian z":
        lambda a: nnlib.exercises.activations.check_softmax_jacobian(np.eye(2), a),
    "activations.check_symmetry_breaking":
        lambda a: nnlib.exercises.activations.check_symmetry_breaking(a),
    "activations.check_gradient_growth":
        lambda a: nnlib.exercises.activations.check_gradient_growth(a),
    "backprop.check_multiply_adds forward":
        lambda a: nnlib.exercises.backprop.check_multiply_adds(a, 268800, 3556736000),
    "backprop.check_multiply_adds backward":
        lambda a: nnlib.exercises.backprop.check_multiply_adds(236800, a, 3556736000),
    "backprop.check_multiply_adds finite_differences":
        lambda a: nnlib.exercises.backprop.check_multiply_adds(236800, 268800, a),
    "backprop.check_critical_learning_rate answer":
        lambda a: nnlib.exercises.backprop.check_critical_learning_rate(a, np.eye(2)),
    "backprop.check_critical_learning_rate X":
        lambda a: nnlib.exercises.backprop.check_critical_learning_rate(0.5, a),
    "backprop.check_residual": lambda a: nnlib.exercises.backprop.check_residual(a),
    "backprop.check_tensor_exp": lambda a: nnlib.exercises.backprop.check_tensor_exp(a),
    "backprop.check_bce_loss": lambda a: nnlib.exercises.backprop.check_bce_loss(a),
    "training.check_stratified_split":
        lambda a: nnlib.exercises.training.check_stratified_split(a),
    "training.check_noise_with_replacement":
        lambda a: nnlib.exercises.training.check_noise_with_replacement(a),
    "training.check_momentum_rescue momentum":
        lambda a: nnlib.exercises.training.check_momentum_rescue(a, 0.05, X_SURF, Y_SURF),
    "training.check_momentum_rescue lr":
        lambda a: nnlib.exercises.training.check_momentum_rescue(0.5, a, X_SURF, Y_SURF),
    "training.check_early_stopping": lambda a: nnlib.exercises.training.check_early_stopping(a),
    "training.check_confusion_matrix confusion":
        lambda a: nnlib.exercises.training.check_confusion_matrix(a, Y_AND, Y_AND),
    "training.check_confusion_matrix y_pred":
        lambda a: nnlib.exercises.training.check_confusion_matrix(np.eye(2), Y_AND, a),
    "training.check_constant_loss":
        lambda a: nnlib.exercises.training.check_constant_loss(a, Y_AND),
}
# The approximation checker must not accept a network that answers NaN.
EXTRA = {"multilayer.check_approximation net": [lambda x: np.full_like(x, NAN)]}
CHECKER_CASES = [(name, answer) for name in ANSWERS
                 for answer in WRONG_TYPES + [raises] + EXTRA.get(name, [])]


def test_every_checker_has_bad_answer_cases():
    checkers = {f"{module}.{name}" for module in CHECKERS
                for name in importlib.import_module(f"nnlib.exercises.{module}").__all__}
    assert checkers == {name.split(" ")[0] for name in ANSWERS}


@pytest.mark.parametrize(("name", "answer"), CHECKER_CASES,
                         ids=[f"{n}: {a!r:.25}" for n, a in CHECKER_CASES])
def test_checkers_report_a_bad_answer_without_raising(name, answer):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        assert ANSWERS[name](answer) is False
    assert output.getvalue().strip(), "the checker returned False without saying why"
