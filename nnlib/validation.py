"""Input checks shared by every part of nnlib.

A learner's first contact with a library is often a mistake: a transposed
array, labels stored as floats, a forgotten reshape. Each helper here turns such
a mistake into one clear message that names the argument, says what was
expected and shows what came, instead of a NaN or a numpy broadcasting error
three calls deeper.
"""

from numbers import Integral, Real

import numpy as np

__all__ = [
    "check_array",
    "check_labels",
    "check_non_negative",
    "check_positive",
    "check_same_length",
]


def _describe(value):
    """A short description of `value` for error messages: type, and shape for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"[:80]


def check_array(
    value, name, *, ndim=None, n_columns=None, dtype=None, allow_empty=False, hint=None
):
    """Return `value` as a finite floating-point ndarray, or raise a clear error.

    value: array-like (ndarray, list or tuple of numbers; not a string or None).
    name: the argument's name, used in messages (for example "X").
    ndim: required number of dimensions (None: any).
    n_columns: required size of the last axis (None: any).
    dtype: floating dtype of the result. None (the default) keeps float32 and float64
        arrays as they are, as numpy does, and turns anything else (integers,
        booleans, lists) into float64.
    hint: a sentence added (in parentheses) to the error for inf or NaN, where the
        caller knows a likely cause (a loss: "training diverged?").

    Raises TypeError for non-numeric input and ValueError for a wrong number of
    dimensions, a wrong number of columns, an empty array, NaN or infinity.

    Every layer calls this on every batch, so it is cheap when the input is already
    right: no copy, a few attribute tests, and one pass over the data for NaN and inf.
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {_describe(value)}")
    array = np.asarray(value)
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
    if dtype is None:
        dtype = array.dtype if array.dtype in (np.float32, np.float64) else np.float64
    array = array.astype(dtype, copy=False)
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name} must be finite, got {array[tuple(bad)]} at index {tuple(int(i) for i in bad)}"
            + (f" ({hint})" if hint else "")
        )
    return array


def check_labels(value, name, *, n_samples=None, n_classes=None):
    """Return integer class labels as a 1-D int64 array, or raise a clear error.

    value: array-like of shape (n_samples,) holding whole numbers 0 .. n_classes - 1
        (or any integers when n_classes is None).
    n_samples: required length (None: any).
    n_classes: labels must lie in 0 .. n_classes - 1 (None: any integers).
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of integer labels, got {_describe(value)}")
    labels = np.asarray(value)
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
    labels = labels.astype(np.int64, copy=False)
    if n_samples is not None and labels.shape[0] != n_samples:
        raise ValueError(
            f"{name} must have {n_samples} labels (one per sample), got {labels.shape[0]}"
        )
    if n_classes is not None and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must hold labels in 0..{n_classes - 1}, "
            f"got values from {labels.min()} to {labels.max()}"
        )
    return labels


def check_same_length(a, a_name, b, b_name):
    """Raise ValueError unless arrays `a` and `b` have the same first dimension.

    Raises TypeError if either is not an array-like with at least one axis (None, a
    string or a single number).
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
    """Return `value` if it is a positive finite number (an int if `integer`), else raise."""
    kind = Integral if integer else Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "a positive integer" if integer else "a positive number"
        raise TypeError(f"{name} must be {expected}, got {_describe(value)}")
    if not np.isfinite(value) or value <= 0:
        expected = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value


def check_non_negative(value, name):
    """Return `value` as a float if it is a finite number >= 0, else raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number >= 0, got {_describe(value)}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)
