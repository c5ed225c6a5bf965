"""Input checks shared by every part of nnlib.

A learner's first contact with a library is often a mistake: a transposed
array, labels stored as floats, a forgotten reshape. Each helper here turns such
a mistake into one clear message that names the argument, says what was
expected and shows what came, instead of a NaN or a numpy broadcasting error
three calls deeper.
"""

import functools
import math
from numbers import Integral, Real

import numpy as np

__all__ = [
    "array_function",
    "check_array",
    "check_dtype",
    "check_fans",
    "check_finite_loss",
    "check_finite_updates",
    "check_float64",
    "check_init",
    "check_gradcheck",
    "check_labels",
    "check_layers",
    "check_logits_and_labels",
    "check_module",
    "check_nudgeable",
    "check_non_negative",
    "check_parameters",
    "check_positive",
    "check_pred_and_target",
    "check_same_length",
    "check_same_shape",
    "check_sizes",
    "unchecked",
]


def _describe(value):
    """A short description of `value` for error messages: type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:80]


def check_array(
    value, name, *, ndim=None, n_columns=None, shape=None, dtype=None, allow_empty=False,
    hint=None,
):
    """Return `value` as a finite floating-point ndarray, or raise a clear error.

    Calling a network checks its batch with this, so it is cheap when the input is
    already right: no copy, a few attribute tests, and one pass over the data for NaN
    and inf (_all_finite).

    Parameters
    ----------
    value : array-like
        An ndarray, or a list or tuple of numbers; not a string or None.
    name : str
        The argument's name, used in messages (for example "X").
    ndim : int, optional
        Required number of dimensions (default: any).
    n_columns : int, optional
        Required size of the last axis (default: any).
    shape : tuple of int, optional
        Required shape (default: any).
    dtype : numpy floating dtype, optional
        Dtype of the result. None (the default) keeps float32 and float64 arrays as
        they are, as numpy does, and turns anything else (integers, booleans, lists)
        into float64.
    allow_empty : bool, default False
        Whether an array with no entries passes.
    hint : callable, optional
        A function of no arguments that returns a sentence to add (in parentheses) to
        the error for inf or NaN, where the caller knows a likely cause (a loss:
        "training diverged?"). It is called only when there is an error.

    Returns
    -------
    ndarray
        `value` as a floating-point array (the same object when nothing changes).

    Raises
    ------
    TypeError
        For input that is not numeric (None, a string, complex numbers, objects).
    ValueError
        For a wrong number of dimensions, a wrong number of columns or a wrong shape,
        an empty array, NaN or infinity.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}")
    array = value if isinstance(value, np.ndarray) else np.asarray(value)
    kind = array.dtype.kind  # "f" float, "i" or "u" integer, "b" bool, "c" complex, ...
    if kind == "c":
        raise TypeError(f"{name} must hold real numbers, got dtype {array.dtype}")
    if kind not in "fiub":
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}")
    if ndim is not None and array.ndim != ndim:
        shape_hint = {1: "(n,)", 2: "(n_samples, n_features)"}.get(ndim, f"{ndim} axes")
        raise ValueError(
            f"{name} must be a {ndim}-D array of shape {shape_hint}, got shape {array.shape}"
            + (
                " (reshape a single sample with x.reshape(1, -1))"
                if ndim == 2 and array.ndim == 1
                else ""
            )
        )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if n_columns is not None and array.shape[-1] != n_columns:
        raise ValueError(
            f"{name} must have {n_columns} columns (features), got shape {array.shape}"
            + (" (is it transposed?)" if array.ndim == 2 and array.shape[0] == n_columns else "")
        )
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {array.shape}")
    if dtype is None:
        dtype = array.dtype if array.dtype in (np.float32, np.float64) else np.float64
    if array.dtype != dtype:
        array = array.astype(dtype)
    if not _all_finite(array):
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} must be finite, got {array[tuple(bad)]} at index {tuple(int(i) for i in bad)}"
            + (f" ({hint()})" if hint else "")
        )
    return array


def _all_finite(array):
    """True if every entry of the float array `array` is finite (no NaN, no inf).

    Fast, because training calls it on every batch and every update: np.vdot(x, x),
    the sum of the squares of the entries, one BLAS call without a temporary array,
    is finite exactly when every entry is, unless it overflows (entries beyond about
    1e154, or 1e19 in float32): then the entry-by-entry test decides. (For an array
    that is not C-contiguous, vdot would copy it; the entry-by-entry test does not.)
    """
    if array.flags.c_contiguous and math.isfinite(np.vdot(array, array)):
        return True
    return bool(np.isfinite(array).all())


def check_labels(value, name, *, n_samples=None, n_classes=None):
    """Return integer class labels as a 1-D int64 array, or raise a clear error.

    Parameters
    ----------
    value : array-like of int, shape (n_samples,)
        Whole numbers 0 .. n_classes - 1 (any integers when n_classes is None).
        Floats are refused, even 0.0 and 1.0: the message says how to convert them.
    name : str
        The argument's name, used in messages (for example "y").
    n_samples : int, optional
        Required length (default: any).
    n_classes : int, optional
        Labels must lie in 0 .. n_classes - 1 (default: any integers).

    Returns
    -------
    ndarray of int64, shape (n_samples,)
        The labels.

    Raises
    ------
    TypeError
        For None, a string or labels that are not integers.
    ValueError
        For a wrong shape or length, no labels, or labels out of range.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(value)}")
    labels = value if isinstance(value, np.ndarray) else np.asarray(value)
    if labels.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-D array of shape (n_samples,), got shape {labels.shape}"
        )
    if labels.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {labels.shape}")
    if labels.dtype.kind not in "iub":  # integer, unsigned integer or bool
        raise TypeError(
            f"{name} must hold integer labels, got dtype {labels.dtype}"
            + (" (convert with y.astype(int))" if labels.dtype.kind == "f" else "")
        )
    if labels.dtype != np.int64:
        labels = labels.astype(np.int64)
    if n_samples is not None and labels.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have {n_samples} labels (one per sample), got {labels.shape[0]}"
        )
    # Viewed as unsigned, a negative label is above 2**63: one max() finds both kinds.
    if n_classes is not None and labels.view(np.uint64).max() >= n_classes:
        raise ValueError(
            f"{name} must hold labels in 0..{n_classes - 1}, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels


def check_same_length(a, a_name, b, b_name):
    """Raise ValueError unless arrays `a` and `b` have the same first dimension.

    Parameters
    ----------
    a, b : array-like
        Arrays with one entry (or row) per sample.
    a_name, b_name : str
        Their names, used in messages.

    Raises
    ------
    TypeError
        If either is not an array-like with at least one axis (None, a string or a
        single number).
    ValueError
        If their lengths differ.
    """
    for value, name in ((a, a_name), (b, b_name)):
        if value is None or isinstance(value, (str, bytes)) or np.ndim(value) == 0:
            raise TypeError(
                f"{name} must be an array with one entry per sample, got {_describe(value)}"
            )
    if len(a) != len(b):
        raise ValueError(
            f"{a_name} and {b_name} must have the same number of samples, got {len(a)} and {len(b)}"
        )


def check_positive(value, name, *, integer=False):
    """Return `value` as a Python number if it is a positive finite number, else raise.

    Python numbers, not numpy scalars: a np.float64 learning rate would silently turn
    a float32 network's updates into float64.

    Parameters
    ----------
    value : int or float
        The number to check (not a bool).
    name : str
        The argument's name, used in messages (for example "lr").
    integer : bool, default False
        Require a whole number and return an int (else a float).

    Returns
    -------
    int or float
        `value` as a Python number.
    """
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "a positive integer" if integer else "a positive number"
        raise TypeError(f"{name} must be {expected}, got {_describe(value)}")
    if not np.isfinite(value) or value <= 0:
        expected = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return int(value) if integer else float(value)


def check_non_negative(value, name):
    """Return `value` as a float if it is a finite number >= 0, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number >= 0, got {_describe(value)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def check_dtype(dtype):
    """Return np.float32 or np.float64 for `dtype` given as either (type, dtype or name)."""
    if dtype not in (np.float32, np.float64, "float32", "float64"):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    return np.dtype(dtype).type


def check_module(value, name):
    """Raise a clear TypeError unless `value` is an nnlib Module instance (not the class)."""
    from nnlib.module import Module  # here, not at the top: module.py imports this file

    if isinstance(value, type) and issubclass(value, Module):
        raise TypeError(f"{name} must be a Module instance, got the class {value.__name__} "
                        f"(add parentheses: {value.__name__}(...))")
    if not isinstance(value, Module):
        raise TypeError(f"{name} must be an nnlib Module, got {type(value).__name__}")
    return value


def check_layers(layers):
    """Raise a clear error unless `layers` can be chained: Sequential's layers.

    Parameters
    ----------
    layers : sequence of Module
        One or more Module instances, each of which takes as many features as the one
        before gives. Layers that state no size (activations: in_features None) keep
        the width they get.
    """
    if not layers:
        raise ValueError("Sequential needs at least one layer, got none")
    for i, layer in enumerate(layers):
        check_module(layer, f"layer {i}")
    width, giver = None, None
    for i, layer in enumerate(layers):
        wanted = getattr(layer, "in_features", None)
        if wanted is not None and width is not None and wanted != width:
            raise ValueError(f"layer {i} ({type(layer).__name__}) must get {wanted} features, "
                             f"got {width} from layer {giver} ({type(layers[giver]).__name__})")
        if getattr(layer, "out_features", None) is not None:
            width, giver = layer.out_features, i
        elif wanted is not None:  # a sized layer that does not say its output width
            width = None


def check_finite_updates(updates, optimizer):
    """Raise ValueError, naming the parameter and the step, if any update holds inf or NaN."""
    for i, update in enumerate(updates):
        if not _all_finite(update):
            raise ValueError(
                f"the update of parameters[{i}] must be finite, got inf or NaN in step "
                f"{optimizer.steps}: is its gradient NaN, or did training diverge? No "
                f"parameter was changed. Try a learning rate below lr={optimizer.lr}"
            )


def check_parameters(parameters):
    """Return `parameters` as a non-empty list of Parameters (model.parameters()), or raise."""
    from nnlib.module import Parameter

    if hasattr(parameters, "parameters") or not np.iterable(parameters):  # a model, say
        raise TypeError("parameters must be a list of Parameters such as model.parameters(), "
                        f"got {type(parameters).__name__}")
    parameters = list(parameters)
    if not parameters:
        raise ValueError("parameters must not be empty: the model has nothing to train")
    for i, p in enumerate(parameters):
        if not isinstance(p, Parameter):
            raise TypeError(f"parameters[{i}] must be a Parameter, got {type(p).__name__}")
    return parameters


def array_function(ndim=None, **param_checks):
    """Decorator for nnlib's array functions g(z, **params) (chapter 3).

    The decorated g checks its array argument once (check_array, with `ndim` axes if
    given) and each named parameter with its check (for example
    negative_slope=check_non_negative), then computes: this is the boundary where a user
    calls g. g.unchecked is the bare function: activation layers and losses call it on a
    batch that was checked when the network or the loss was called.
    """

    def decorate(g):
        array_name = g.__code__.co_varnames[0]  # "z", or "Z" for a batch of rows

        @functools.wraps(g)
        def checked(z, *args, **params):
            params.update(zip(list(param_checks)[: len(args)], args, strict=False))
            for name, check in param_checks.items():
                if name in params:
                    params[name] = check(params[name], name)
            return g(check_array(z, array_name, ndim=ndim), **params)

        checked.unchecked = g
        return checked

    return decorate


def check_gradcheck(module, X, loss, name="X"):
    """The arguments of nnlib.gradcheck's functions: return X as a float64 array, or raise.

    Parameters
    ----------
    module : Module or None
        An nnlib Module (None for gradcheck_loss).
    X : array-like
        The input; it and every parameter of `module` must be float64 (check_float64).
    loss : Loss or None
        An nnlib Loss (None is allowed only with a module).
    name : str, default "X"
        The input's name, used in messages.
    """
    from nnlib.losses import Loss

    if module is not None:
        check_module(module, "module")
    if not isinstance(loss, Loss) and (loss is not None or module is None):
        raise TypeError(f"loss must be an nnlib Loss{' or None' if module else ''}, "
                        f"got {type(loss).__name__}")
    X = check_array(X, name)
    check_float64(module, X, name)
    return X


def check_nudgeable(f, x, eps):
    """The arguments of numerical_gradient: f callable, x a finite float ndarray, eps > 0."""
    check_positive(eps, "eps")
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":  # ints would round each nudge away
        got = f"{type(x).__name__} of dtype {np.asarray(x).dtype}"
        raise TypeError(f"x must be a numpy array of floats (nudged in place), got {got}")
    check_array(x, "x", allow_empty=True)  # finite


def check_same_shape(a, a_name, b, b_name):
    """Return a and b as finite float arrays of one shape, or raise a clear error."""
    a, b = check_array(a, a_name, allow_empty=True), check_array(b, b_name, allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"{a_name} and {b_name} must have the same shape, got {a.shape} and "
                         f"{b.shape}")
    return a, b


def check_float64(module, X, name="X"):
    """Raise TypeError unless X and every parameter of `module` (None: no module) are float64.

    Gradient checking by central differences needs float64 (see nnlib.gradcheck).
    """
    arrays = [(name, X)] + [(f"parameter {i}", p.data)
                            for i, p in enumerate(module.parameters() if module else [])]
    for what, array in arrays:
        if array.dtype != np.float64:
            raise TypeError(
                f"{what} must be float64 for a gradient check, got {array.dtype}: in float32, "
                "central differences are off by about 1e-3 and would hide a correct backward "
                "pass (build the layers with dtype=np.float64)"
            )


def unchecked(g):
    """The bare function of an @array_function g (g itself for any other function, such as
    a learner's own activation)."""
    return getattr(g, "unchecked", g)


def check_fans(fan_in, fan_out, std=None):
    """Raise a clear error unless fan_in and fan_out are positive integers (and std, if
    given, a positive number): the arguments of nnlib.init's schemes."""
    check_positive(fan_in, "fan_in", integer=True)
    check_positive(fan_out, "fan_out", integer=True)
    if std is not None:
        check_positive(std, "std")


def check_init(model, scheme):
    """The arguments of init_linear_layers: an nnlib Module and a function."""
    check_module(model, "model")
    if not callable(scheme):
        raise TypeError(f"scheme must be a function (fan_in, fan_out, rng), got {scheme!r}")


def check_sizes(in_features, out_features):
    """Return (in_features, out_features) as Python ints if both are positive integers."""
    return (check_positive(in_features, "in_features", integer=True),
            check_positive(out_features, "out_features", integer=True))


def check_pred_and_target(pred, target, hint=None):
    """Return (pred, target) as finite float arrays of one shape, target in pred's dtype."""
    pred = check_array(pred, "pred", hint=hint)
    return pred, check_array(target, "target", dtype=pred.dtype, shape=pred.shape)


def check_logits_and_labels(pred, target, hint=None):
    """Return (Z, y): logits Z of shape (n, k) and n integer labels y in 0 .. k-1."""
    Z = check_array(pred, "pred", ndim=2, hint=hint)
    return Z, check_labels(target, "target", n_samples=len(Z), n_classes=Z.shape[1])


def check_finite_loss(loss, loss_fn):
    """Return the float `loss` if it is finite; else raise ValueError with the likely cause."""
    if not math.isfinite(loss):
        raise ValueError(f"the loss must be finite, got {loss} ({loss_fn.diverged()})")
    return loss
