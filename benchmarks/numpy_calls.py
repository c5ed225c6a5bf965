"""Count the numpy calls a piece of training code makes: work, not time.

On small batches each numpy call costs about a microsecond whatever its size, so the
number of calls per training step explains most of the gap between nnlib and a bare
numpy loop, and unlike a time it is the same on every machine and every run.

A numpy call, here, is one entry from Python code into numpy: a ufunc (np.exp, and
every operator on arrays: @, *, -, +=, comparisons), a numpy function (np.arange), an
array method (.sum(), .astype()) or an index into an array (X[batch], P[rows, y] -= 1,
grad[...] = 0). Calls that numpy makes inside numpy are not counted (x.mean() is one
call, however it is implemented).

How: ufuncs and operators have no Python-level hook, so the arrays of the training run
are made instances of a counting subclass of ndarray (its __array_ufunc__ sees every
ufunc, its __getitem__ and __setitem__ every index); sys.setprofile sees the rest.
The subclass spreads to every result; np.asarray and np.array, which would strip it,
keep it while counting, and every Parameter that nnlib makes while counting is made
of it. Counting slows the code down many times: never time it.

    python benchmarks/numpy_calls.py      # calls per training step, nnlib and numpy loop
"""

import sys
import threading
from pathlib import Path

import numpy as np

NUMPY_DIR = str(Path(np.__file__).parent)
THIS_FILE = __file__


def _outside_numpy(frame):
    """True for a frame of training code: neither numpy's nor this counter's."""
    name = frame.f_code.co_filename
    return not (name.startswith(NUMPY_DIR) or name == THIS_FILE)


class Counting(np.ndarray):
    """An ndarray that reports each ufunc applied to it and each index into it."""

    counter = None  # the active NumpyCalls, set while counting

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        _note(sys._getframe(1), ufunc.__name__ if method == "__call__" else
              f"{ufunc.__name__}.{method}")
        inputs = [x.view(np.ndarray) if isinstance(x, Counting) else x for x in inputs]
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, Counting) else o
                                  for o in out)
        result = getattr(ufunc, method)(*inputs, **kwargs)
        if out is not None:  # in place (x -= y): the caller's own arrays are the result
            return out[0] if len(out) == 1 else out
        if isinstance(result, tuple):
            return tuple(_as_counting(r) for r in result)
        return _as_counting(result)

    def __getitem__(self, index):
        _note(sys._getframe(1), "[]")
        return super().__getitem__(index)

    def __setitem__(self, index, value):
        _note(sys._getframe(1), "[]=")
        super().__setitem__(index, value)


def _as_counting(value):
    return value.view(Counting) if type(value) is np.ndarray else value


def _note(frame, name):
    counter = Counting.counter
    if counter is not None and counter.depth == 0 and _outside_numpy(frame):
        counter.calls[name] = counter.calls.get(name, 0) + 1


class NumpyCalls:
    """Context manager: counts the numpy calls of the code run inside it (this thread).

    calls: {name: count}; total(): their sum. track(array) returns the array as a
    counting view (the data a training run reads); every nnlib Parameter made inside
    the context is counting already.
    """

    def __init__(self):
        self.calls, self.depth = {}, 0

    def total(self):
        return sum(self.calls.values())

    @staticmethod
    def track(array):
        return np.asarray(array).view(Counting)

    def _profile(self, frame, event, arg):
        # Entries into numpy that are C functions or numpy's Python functions, not
        # ufuncs or indexes (those report themselves): count the outermost only.
        if event in ("c_call", "c_return", "c_exception") and _is_numpy(arg):
            name = getattr(arg, "__qualname__", "?").replace("Counting.", "ndarray.")
            from_outside = _outside_numpy(frame)
        elif event in ("call", "return") and frame.f_code.co_filename.startswith(NUMPY_DIR):
            name = frame.f_code.co_name
            from_outside = frame.f_back is not None and _outside_numpy(frame.f_back)
        else:
            return
        if event in ("c_call", "call"):
            # (a dispatcher runs just before its numpy function: not a call of its own)
            if self.depth == 0 and from_outside and not name.endswith("_dispatcher"):
                self.calls[name] = self.calls.get(name, 0) + 1
            self.depth += 1
        else:
            self.depth -= 1

    def __enter__(self):
        from nnlib import module

        if threading.active_count() > 1 or Counting.counter is not None:
            raise RuntimeError("NumpyCalls counts one thread, and one count at a time")
        self._saved = np.asarray, np.array, module.Parameter.__init__
        real_asarray, real_array, real_init = self._saved

        def asarray(a, *args, **kwargs):  # keeps the subclass (np.asanyarray would too)
            _note(sys._getframe(1), "asarray")
            return _keep(a, real_asarray(a, *args, **kwargs))

        def array(a, *args, **kwargs):
            _note(sys._getframe(1), "array")
            return _keep(a, real_array(a, *args, **kwargs))

        def init(parameter, *args, **kwargs):
            real_init(parameter, *args, **kwargs)
            parameter.data, parameter.grad = map(_as_counting, (parameter.data, parameter.grad))

        np.asarray, np.array, module.Parameter.__init__ = asarray, array, init
        Counting.counter = self
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc):
        from nnlib import module

        sys.setprofile(None)
        Counting.counter = None
        np.asarray, np.array, module.Parameter.__init__ = self._saved
        return False


def _keep(original, result):
    return _as_counting(result) if isinstance(original, Counting) else result


def _is_numpy(function):
    """Is this C function numpy's (a numpy function, or a method of an array or ufunc)?"""
    owner = getattr(function, "__self__", None)
    module = getattr(function, "__module__", None) or ""
    return (module.startswith("numpy") or isinstance(owner, (np.ndarray, np.ufunc, np.generic))
            or type(owner).__module__.startswith("numpy"))


def calls_per_step(train, case, steps_per_epoch=None):
    """Numpy calls per training step of train(case, seed) (a benchmark implementation).

    Counts a run of one epoch and a run of two on the case's data and divides the
    difference by the steps of one epoch: building the network, which both runs do,
    cancels out; the per-epoch shuffle is spread over the epoch's steps. Returns
    (calls per step, {name: calls per epoch}).
    """
    from dataclasses import replace

    counts = []
    for epochs in (1, 2):
        with NumpyCalls() as counter:
            tracked = replace(case, X_train=counter.track(case.X_train),
                              y_train=counter.track(case.y_train), epochs=epochs)
            train(tracked, seed=0)
        counts.append(counter.calls)
    per_epoch = {name: counts[1].get(name, 0) - counts[0].get(name, 0)
                 for name in counts[1]}
    per_epoch = {name: n for name, n in per_epoch.items() if n}
    steps = steps_per_epoch or -(-len(case.X_train) // case.batch_size)
    return sum(per_epoch.values()) / steps, per_epoch


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    import bench_training as bench

    for make_case in (bench.digits_case, bench.mnist_sized_case):
        case = make_case(quick=True)
        for name in ("nnlib", "nnlib, no checks", "numpy loop"):
            per_step, per_epoch = calls_per_step(bench.TRAIN[name], case)
            steps = -(-len(case.X_train) // case.batch_size)
            detail = ", ".join(f"{k} {v / steps:.2f}" for k, v in
                               sorted(per_epoch.items(), key=lambda kv: -kv[1]))
            print(f"{case.name:12s} {name:16s} {per_step:6.2f} numpy calls per step: {detail}")
