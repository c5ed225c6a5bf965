"""How fast does nnlib train the book's networks? A benchmark against scikit-learn,
PyTorch and the floor set by the matrix products alone.

    python benchmarks/bench_training.py             # both cases, 2 minutes (quiet machine)
    python benchmarks/bench_training.py --quick     # a smoke run of everything, under a minute
    python benchmarks/bench_training.py --help      # cases, rounds, output folder

Every implementation trains the same network, in -> hidden (sigmoid) -> out, with
softmax cross-entropy and plain minibatch SGD (no momentum, no weight decay), on the
same data, with the same batch size, dtype, learning rate and number of epochs:

  nnlib         Sequential(Linear, Sigmoid, Linear), CrossEntropyLoss and SGD, trained
                by the loop of chapter 4 (a new permutation of the sample indices every
                epoch; each batch is X[indices]: no copy of the whole data set per epoch)
  numpy loop    the same algorithm as one bare numpy loop: no modules, no input checks, no
                divergence checks, the textbook sigmoid 1 / (1 + exp(-z)), one update per
                parameter; the kind of "clean numpy MLP" a speed comparison starts from.
                nnlib / numpy loop is what nnlib's API and its checks cost.
  scikit-learn  MLPClassifier(solver="sgd", momentum=0, alpha=0, activation="logistic")
  PyTorch       CPU, torch.set_num_threads(2); skipped with a message when not installed.
                "PyTorch 1 thread" is the same with torch.set_num_threads(1), for reference:
                on a 2-core machine that something else keeps busy, PyTorch's two OpenMP
                threads wait for each other and it slows down many times over, while one
                thread does not. The targets are stated against 2 threads.
  GEMM floor    only the five matrix products of one SGD step per batch (forward: 2,
                backward: 3, no gradient for the input), on contiguous batches: no
                activation, loss, update or shuffling. No implementation of this
                algorithm on this machine's BLAS can be faster.

The implementations take turns in rounds (nnlib, scikit-learn, PyTorch, floor, nnlib,
...), each round training from scratch with the round's seed, after one warm-up round
that is not recorded; so a slow phase of a shared machine hits all of them alike. Each
round gives one time per epoch (training time / epochs) for each implementation; the
report gives their median and spread, the ratios to PyTorch and to the floor (median of
the per-round ratios), the final test accuracy (mean over the rounds) and the peak
memory, as a markdown table (printed, and saved with a PNG plot and a JSON file in the
output folder, _build/benchmarks/ by default), and a profile of one nnlib epoch.

Peak memory is measured in a fresh subprocess per implementation and case, because a
process's peak resident set size (RSS) only grows: the child builds the data, resets
its peak RSS (Linux: /proc/self/clear_refs), trains for one round and reports how far
the peak rose above the RSS at the start of training. RSS sees every allocation,
numpy's, scikit-learn's and PyTorch's (whose memory tracemalloc cannot see), at page
granularity. For the numpy-based implementations the child also reports the peak of
numpy's own allocations during training, traced by tracemalloc (exact, in bytes).

Timings on a shared machine are noisy: the report states ratios from one interleaved
run; nothing here asserts an absolute time.
"""

import argparse
import cProfile
import datetime
import functools
import io
import json
import os
import platform
import pstats
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnlib.activations import Sigmoid
from nnlib.data import load_digits_split
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss
from nnlib.optim import SGD

ROOT = Path(__file__).resolve().parents[1]
TORCH_THREADS = 2
IMPLEMENTATIONS = ("nnlib", "numpy loop", "scikit-learn", "PyTorch", "PyTorch 1 thread",
                   "GEMM floor")

# The targets of issue 7, checked at the end of a full run (never in a test).
TARGETS = {
    "digits": [("nnlib / PyTorch", 0.25), ("nnlib / scikit-learn", 0.35)],
    "mnist-sized": [("nnlib / PyTorch", 0.7), ("nnlib / GEMM floor", 1.6)],
}


# --- the cases -----------------------------------------------------------------------------


@dataclass
class Case:
    """One training problem: data, network width and the training settings."""

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    hidden: int
    batch_size: int
    lr: float
    epochs: int  # per round
    rounds: int  # recorded rounds, after one warm-up round
    note: str = ""

    @property
    def dtype(self):
        return self.X_train.dtype

    @property
    def sizes(self):
        return self.X_train.shape[1], self.hidden, int(self.y_train.max()) + 1

    def describe(self):
        d_in, hidden, k = self.sizes
        return (f"{self.name}: {len(self.X_train)} x {d_in} training samples, "
                f"{len(self.X_test)} test, {d_in}-{hidden}-{k}, batch {self.batch_size}, "
                f"{self.dtype}, lr {self.lr}, {self.epochs} epochs per round, "
                f"{self.rounds} rounds (+1 warm-up)")


def digits_case(quick=False):
    """scikit-learn's 8x8 digits as the book loads them: 1347 training images, float64."""
    X_train, X_test, y_train, y_test = load_digits_split()
    return Case("digits", X_train, y_train, X_test, y_test, hidden=100, batch_size=32,
                lr=0.3, epochs=10 if quick else 60, rounds=1 if quick else 10,
                note="nnlib.data.load_digits_split()")


def make_mnist_sized(n_train=60_000, n_test=10_000, n_features=784, n_classes=10,
                     latent=16, spread=0.9, seed=0, dtype=np.float32):
    """MNIST-sized synthetic data, reproducible from `seed`, with no download.

    Each class is a Gaussian blob in a `latent`-dimensional space (unit covariance,
    class means drawn once from N(0, spread**2)); a fixed random linear map lifts the
    points to `n_features` "pixels", and independent pixel noise is added. With the
    default spread the classes overlap a little, so test accuracy is informative
    (about 0.9, not 1.0); a large spread makes them separable. Built in chunks of
    10000 rows directly in `dtype`, so it never needs a float64 copy of the whole set.
    Returns X_train, X_test (float `dtype`), y_train, y_test (int64).
    """
    rng = np.random.default_rng(seed)
    means = rng.normal(0.0, spread, size=(n_classes, latent))
    lift = rng.normal(0.0, 1.0 / np.sqrt(latent), size=(latent, n_features)).astype(dtype)
    n = n_train + n_test
    y = rng.integers(0, n_classes, size=n)
    X = np.empty((n, n_features), dtype=dtype)
    for start in range(0, n, 10_000):
        rows = slice(start, min(start + 10_000, n))
        z = (means[y[rows]] + rng.standard_normal((len(y[rows]), latent))).astype(dtype)
        np.matmul(z, lift, out=X[rows])
        X[rows] += rng.standard_normal((len(y[rows]), n_features), dtype=dtype)
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def tiny_case(quick=True):
    """A smoke test: 4 well-separated classes, 32-16-4, float64; any correct trainer
    reaches test accuracy 1.0 within a few epochs. Runs in well under a second."""
    X_train, X_test, y_train, y_test = make_mnist_sized(
        400, 200, n_features=32, n_classes=4, latent=8, spread=3.0, dtype=np.float64)
    return Case("tiny", X_train, y_train, X_test, y_test, hidden=16, batch_size=16,
                lr=0.3, epochs=8, rounds=1, note="well-separated blobs")


def mnist_sized_case(quick=False):
    """784-100-10 on 60000 synthetic samples, batch 128, float32."""
    n_train, n_test = (6_000, 1_000) if quick else (60_000, 10_000)
    X_train, X_test, y_train, y_test = make_mnist_sized(n_train, n_test)
    return Case("mnist-sized", X_train, y_train, X_test, y_test, hidden=100, batch_size=128,
                lr=0.1, epochs=1 if quick else 2, rounds=1 if quick else 5,
                note="make_mnist_sized(): Gaussian blobs in 16 dimensions, lifted to 784")


CASES = {"digits": digits_case, "mnist-sized": mnist_sized_case, "tiny": tiny_case}
MAIN_CASES = ("digits", "mnist-sized")  # --case all


# --- the implementations -------------------------------------------------------------------
# Each trains a fresh network for case.epochs epochs and returns the seconds that the
# training took (not building the network), a function predict(X) -> class scores (None
# for the floor, which learns nothing) and the dtype(s) of the arrays it computed with.


def train_nnlib(case, seed):
    """The book's network and training loop (chapter 4), in the case's dtype."""
    d_in, hidden, k = case.sizes
    rng = np.random.default_rng(seed)
    model = Sequential(Linear(d_in, hidden, rng=rng, dtype=case.dtype), Sigmoid(),
                       Linear(hidden, k, rng=rng, dtype=case.dtype))
    loss_fn = CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=case.lr)
    X, y, batch_size = case.X_train, case.y_train, case.batch_size
    start = time.perf_counter()
    for _epoch in range(case.epochs):
        order = rng.permutation(len(X))  # a new random order every epoch
        for first in range(0, len(X), batch_size):
            batch = order[first:first + batch_size]
            optimizer.zero_grad()
            logits = model(X[batch])
            loss_fn(logits, y[batch])
            model.backward(loss_fn.backward(), input_grad=False)  # as chapter 4's loop
            optimizer.step()
    seconds = time.perf_counter() - start
    return seconds, model, dtypes_seen(model, loss_fn)


def dtypes_seen(model, loss_fn):
    """The dtypes of every array of the last step: inputs, parameters, gradients, loss.

    One dtype means the network computed in it end to end; two mean that something
    converted float32 to float64 on the way (slower, and twice the memory).
    """
    arrays = [loss_fn.backward()]
    arrays += [getattr(layer, name) for layer in model.layers for name in ("X", "Z")
               if hasattr(layer, name)]
    arrays += [p.data for p in model.parameters()] + [p.grad for p in model.parameters()]
    return "+".join(sorted({str(a.dtype) for a in arrays}))


def train_numpy_loop(case, seed):
    """The same training as one loop of numpy operations, without nnlib's API or checks."""
    d_in, hidden, k = case.sizes
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_in, hidden)).astype(case.dtype)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, k)).astype(case.dtype)
    b1, b2 = np.zeros(hidden, case.dtype), np.zeros(k, case.dtype)
    X, y, batch_size, lr = case.X_train, case.y_train, case.batch_size, case.lr

    def forward(Xb):
        A = 1.0 / (1.0 + np.exp(-(Xb @ W1 + b1)))  # exp overflows to inf for z < -709: A = 0
        return A, A @ W2 + b2

    start = time.perf_counter()
    with np.errstate(over="ignore"):
        for _epoch in range(case.epochs):
            order = rng.permutation(len(X))
            for first in range(0, len(X), batch_size):
                batch = order[first:first + batch_size]
                Xb, yb = X[batch], y[batch]
                rows = np.arange(len(batch))
                A, Z = forward(Xb)
                P = np.exp(Z - Z.max(axis=1, keepdims=True))
                P /= P.sum(axis=1, keepdims=True)  # softmax
                _loss = -np.log(P[rows, yb]).mean()  # computed, as every other loop does
                P[rows, yb] -= 1.0
                dZ = P / len(batch)  # dL/dZ
                dZ1 = (dZ @ W2.T) * A * (1.0 - A)  # dL/d(first layer's output)
                W2 -= lr * (A.T @ dZ)
                b2 -= lr * dZ.sum(axis=0)
                W1 -= lr * (Xb.T @ dZ1)
                b1 -= lr * dZ1.sum(axis=0)
    seconds = time.perf_counter() - start

    def predict(X_test):
        with np.errstate(over="ignore"):
            return forward(X_test)[1]

    return seconds, predict, str(W1.dtype)


def train_sklearn(case, seed):
    """MLPClassifier set up as the same network and the same plain SGD.

    Its fit() runs all the epochs (max_iter); n_iter_no_change > epochs stops it from
    ending early. Timed: the whole fit(), which includes its input validation.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=(case.hidden,), activation="logistic", solver="sgd", alpha=0.0,
        batch_size=case.batch_size, learning_rate="constant", learning_rate_init=case.lr,
        momentum=0.0, nesterovs_momentum=False, max_iter=case.epochs, shuffle=True,
        tol=0.0, n_iter_no_change=case.epochs + 1, random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached, as intended
        start = time.perf_counter()
        model.fit(case.X_train, case.y_train)
        seconds = time.perf_counter() - start
    assert model.n_iter_ == case.epochs, model.n_iter_
    return seconds, model.predict_proba, str(model.coefs_[0].dtype)


def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch


def train_torch(case, seed, threads=TORCH_THREADS):
    """The same network in PyTorch, written as its tutorials write a training loop."""
    torch = torch_or_none()
    torch.set_num_threads(threads)
    nn = torch.nn
    d_in, hidden, k = case.sizes
    torch.manual_seed(seed)
    dtype = getattr(torch, str(case.dtype))
    model = nn.Sequential(nn.Linear(d_in, hidden), nn.Sigmoid(), nn.Linear(hidden, k)).to(dtype)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=case.lr)
    X, y = torch.from_numpy(case.X_train), torch.from_numpy(case.y_train)  # no copies
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _epoch in range(case.epochs):
        order = torch.randperm(len(X), generator=generator)
        for first in range(0, len(X), case.batch_size):
            batch = order[first:first + case.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X[batch]), y[batch])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start

    def predict(X):
        with torch.no_grad():
            return model(torch.from_numpy(X)).numpy()

    return seconds, predict, str(next(model.parameters()).dtype).removeprefix("torch.")


def train_gemm_floor(case, seed):
    """Only the matrix products of each SGD step; the weights never change."""
    d_in, hidden, k = case.sizes
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_in, hidden)).astype(case.dtype)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, k)).astype(case.dtype)
    X, batch_size = case.X_train, case.batch_size
    start = time.perf_counter()
    for _epoch in range(case.epochs):
        for first in range(0, len(X), batch_size):
            Xb = X[first:first + batch_size]  # a view, not a copy
            H = Xb @ W1  # forward, layer 1
            Z = H @ W2  # forward, layer 2
            H.T @ Z  # backward: gradient of W2 (Z stands in for dL/dZ)
            dH = Z @ W2.T  # backward: gradient of the hidden layer
            Xb.T @ dH  # backward: gradient of W1
    return time.perf_counter() - start, None, str(dH.dtype)


TRAIN = {"nnlib": train_nnlib, "numpy loop": train_numpy_loop, "scikit-learn": train_sklearn,
         "PyTorch": train_torch,
         "PyTorch 1 thread": functools.partial(train_torch, threads=1),
         "GEMM floor": train_gemm_floor}


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Result:
    """The measurements of one implementation on one case."""

    per_epoch: list = field(default_factory=list)  # seconds per epoch, one per round
    accuracy: list = field(default_factory=list)  # test accuracy, one per round
    dtype: str = ""
    memory: dict = field(default_factory=dict)

    def quantiles(self):
        return np.percentile(self.per_epoch, [0, 25, 50, 75, 100])


def available_implementations(log=print):
    names = list(IMPLEMENTATIONS)
    if torch_or_none() is None:
        log("PyTorch is not installed: skipping it (pip install torch for the comparison).")
        names.remove("PyTorch")
        names.remove("PyTorch 1 thread")
    return names


def run_rounds(case, names, log=print):
    """Interleave the implementations: one warm-up round, then case.rounds recorded ones."""
    results = {name: Result() for name in names}
    for round_index in range(case.rounds + 1):
        for name in names:
            seconds, predict, result_dtype = TRAIN[name](case, seed=round_index)
            if round_index == 0:
                continue  # warm-up: caches, thread pools, lazy initialisation
            result = results[name]
            result.per_epoch.append(seconds / case.epochs)
            result.dtype = result_dtype
            if predict is not None:
                scores = predict(case.X_test)  # logits or probabilities, (n_test, k)
                result.accuracy.append(float(np.mean(scores.argmax(axis=1) == case.y_test)))
        if round_index:
            times = ", ".join(f"{n} {results[n].per_epoch[-1]:.4f}" for n in names)
            log(f"  round {round_index}/{case.rounds}: s/epoch {times}")
    return results


def paired_ratio(results, a, b):
    """Median, min and max over the rounds of (a's time / b's time) in the same round."""
    ratios = np.array(results[a].per_epoch) / np.array(results[b].per_epoch)
    return float(np.median(ratios)), float(ratios.min()), float(ratios.max())


def rss_kib(field_name):
    """VmRSS or VmHWM (peak RSS) of this process in KiB, from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field_name} not in /proc/self/status")


def measure_memory_here(case_name, name, quick):
    """In a fresh process: peak RSS growth during one training run, and numpy's traced peak."""
    case = CASES[case_name](quick)
    if name.startswith("PyTorch"):
        torch_or_none()  # import before the baseline: the library's code is not training memory
    import sklearn.neural_network  # noqa: F401  (same reason)

    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak RSS (VmHWM) to the current RSS
    baseline = rss_kib("VmRSS")
    TRAIN[name](case, seed=0)  # the first run: one-time set-up counts too
    memory = {"rss_peak_growth_mib": (rss_kib("VmHWM") - baseline) / 1024}
    if not name.startswith("PyTorch"):  # torch's allocator is invisible to tracemalloc
        tracemalloc.start()
        TRAIN[name](case, seed=0)
        memory["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return memory


def measure_memory(case_name, name, quick):
    """measure_memory_here() in a subprocess (this process's peak RSS is already spent)."""
    if not Path("/proc/self/clear_refs").exists():
        return {}
    command = [sys.executable, __file__, "--memory-child", case_name, name]
    command += ["--quick"] if quick else []
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"  memory of {name} not measured: {done.stderr.strip()[-300:]}")
        return {}
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_nnlib_phases(case, epochs=3):
    """Where one nnlib epoch's time goes: milliseconds per epoch of each step of the loop.

    The book's loop, with the network's layers called one by one (what Sequential's
    forward and backward do) and a perf_counter around each step; the median over
    `epochs` epochs. Returns [(phase, ms per epoch)], the total, and the GEMM floor's
    time for one epoch measured in between, for scale.
    """
    d_in, hidden, k = case.sizes
    rng = np.random.default_rng(0)
    model = Sequential(Linear(d_in, hidden, rng=rng, dtype=case.dtype), Sigmoid(),
                       Linear(hidden, k, rng=rng, dtype=case.dtype))
    loss_fn = CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=case.lr)
    X, y, batch_size = case.X_train, case.y_train, case.batch_size
    names = ["batch X[batch], y[batch]", "zero_grad"]
    names += [f"forward {i} {type(layer).__name__}" for i, layer in enumerate(model.layers)]
    names += ["loss forward (value)", "loss backward"]
    names += [f"backward {i} {type(layer).__name__}" for i, layer in
              reversed(list(enumerate(model.layers)))]
    names += ["optimizer step"]
    per_epoch, floors = [], []
    for _epoch in range(epochs + 1):  # the first epoch warms up
        seconds = dict.fromkeys(names, 0.0)
        order = rng.permutation(len(X))
        for first in range(0, len(X), batch_size):
            ticks = [time.perf_counter()]
            batch = order[first:first + batch_size]
            Xb, yb = X[batch], y[batch]
            ticks.append(time.perf_counter())
            optimizer.zero_grad()
            ticks.append(time.perf_counter())
            out = Xb
            for layer in model.layers:
                out = layer(out)
                ticks.append(time.perf_counter())
            loss_fn(out, yb)
            ticks.append(time.perf_counter())
            grad = loss_fn.backward()
            ticks.append(time.perf_counter())
            for i in reversed(range(len(model.layers))):
                grad = model.layers[i].backward(grad, input_grad=i > 0)
                ticks.append(time.perf_counter())
            optimizer.step()
            ticks.append(time.perf_counter())
            for name, a, b in zip(names, ticks[:-1], ticks[1:], strict=True):
                seconds[name] += b - a
        per_epoch.append(seconds)
        floors.append(train_gemm_floor(Case(**{**case.__dict__, "epochs": 1}), seed=0)[0])
    phases = [(name, 1000 * float(np.median([e[name] for e in per_epoch[1:]])))
              for name in names]
    return phases, sum(ms for _, ms in phases), 1000 * float(np.median(floors[1:]))


def format_phases(case, phases, total, floor):
    lines = [f"Where one nnlib epoch's time goes ({case.name}; median of 3 epochs, "
             f"perf_counter around each step of the loop):", "",
             "| step | ms per epoch | share |", "|---|---|---|"]
    lines += [f"| {name} | {ms:.2f} | {100 * ms / total:.0f}% |" for name, ms in phases]
    lines += [f"| **total** | **{total:.2f}** | 100% |",
              f"| (GEMM floor, for scale) | {floor:.2f} | {100 * floor / total:.0f}% |"]
    return "\n".join(lines)


def profile_nnlib_epoch(case, top=12):
    """cProfile of one nnlib epoch: the functions where the time goes (by own time).

    cProfile adds a fixed cost to every Python call, so it inflates the share of small
    calls; time_nnlib_phases() gives undistorted shares.
    """
    one_epoch = Case(**{**case.__dict__, "epochs": 1})
    train_nnlib(one_epoch, seed=0)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    train_nnlib(one_epoch, seed=0)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    return stream.getvalue()


# --- reporting -----------------------------------------------------------------------------


def machine_summary():
    info = [f"{datetime.date.today().isoformat()}", platform.platform(),
            f"{os.cpu_count()} CPUs", f"Python {platform.python_version()}",
            f"numpy {np.__version__}"]
    try:
        import sklearn
        info.append(f"scikit-learn {sklearn.__version__}")
    except ImportError:
        pass
    torch = torch_or_none()
    if torch is not None:
        info.append(f"torch {torch.__version__} ({TORCH_THREADS} threads)")
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                info.append(f"BLAS {pool['internal_api']} {pool.get('version')} "
                            f"({pool.get('architecture')}, {pool['num_threads']} threads)")
    except ImportError:
        pass
    info.append(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}")
    return "; ".join(info)


def format_table(case, results):
    names = list(results)
    has_torch = "PyTorch" in results
    lines = [
        f"**{case.describe()}**",
        "",
        "| implementation | s/epoch (median) | IQR | min - max | x PyTorch | x GEMM floor "
        "| test accuracy | dtype | peak RSS growth (MiB) | numpy peak, traced (MiB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in names:
        r = results[name]
        lo, q1, median, q3, hi = r.quantiles()
        vs_torch = f"{paired_ratio(results, name, 'PyTorch')[0]:.2f}" if has_torch else "-"
        vs_floor = f"{paired_ratio(results, name, 'GEMM floor')[0]:.2f}"
        accuracy = f"{np.mean(r.accuracy):.4f}" if r.accuracy else "-"
        rss, traced = (r.memory.get(key) for key in ("rss_peak_growth_mib", "traced_peak_mib"))
        rss, traced = ("-" if m is None else f"{m:.1f}" for m in (rss, traced))
        lines.append(
            f"| {name} | {median:.4f} | {q1:.4f} - {q3:.4f} | {lo:.4f} - {hi:.4f} | {vs_torch} "
            f"| {vs_floor} | {accuracy} | {r.dtype} | {rss} | {traced} |"
        )
    return "\n".join(lines)


def check_targets(case, results):
    """Lines saying, for each target of issue 7, the measured ratio and whether it is met."""
    lines = []
    for label, limit in TARGETS.get(case.name, []):
        a, b = (part.strip() for part in label.split("/"))
        if b not in results:
            lines.append(f"- {label} <= {limit}: not measured ({b} skipped)")
            continue
        median, low, high = paired_ratio(results, a, b)
        verdict = "met" if median <= limit else "NOT met"
        lines.append(f"- {label} = {median:.2f} (rounds: {low:.2f} - {high:.2f}), "
                     f"target <= {limit}: {verdict}")
        if b == "PyTorch" and "PyTorch 1 thread" in results:
            one = paired_ratio(results, a, "PyTorch 1 thread")[0]
            lines.append(f"  (for reference, {a} / PyTorch 1 thread = {one:.2f})")
    if "numpy loop" in results:  # is a target within reach of numpy at all?
        for label, limit in TARGETS.get(case.name, []):
            b = label.split("/")[1].strip()
            if b in results:
                median = paired_ratio(results, "numpy loop", b)[0]
                verdict = "met" if median <= limit else "NOT met"
                lines.append(f"- for reference, numpy loop / {b} = {median:.2f}: the same "
                             f"target (<= {limit}) {verdict} by a loop without nnlib's API")
        cost = paired_ratio(results, "nnlib", "numpy loop")[0]
        lines.append(f"- nnlib / numpy loop = {cost:.2f}: what nnlib's modules and checks cost")
    accuracies = {n: np.mean(r.accuracy) for n, r in results.items() if r.accuracy}
    if "nnlib" in accuracies:
        gaps = {n: 100 * (accuracies["nnlib"] - a) for n, a in accuracies.items() if n != "nnlib"}
        worst = max(abs(g) for g in gaps.values()) if gaps else 0.0
        detail = ", ".join(f"{n} {g:+.2f}" for n, g in gaps.items())
        verdict = "met" if worst <= 1.0 else "NOT met"
        lines.append(f"- accuracy of nnlib minus the others, in points: {detail}; "
                     f"target within 1 point: {verdict}")
    return lines


def plot(all_results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(all_results), figsize=(5 * len(all_results), 3.2),
                             squeeze=False)
    for ax, (case, results) in zip(axes[0], all_results, strict=True):
        names = list(results)[::-1]
        q = np.array([results[n].quantiles() for n in names])  # min, q1, median, q3, max
        y = np.arange(len(names))
        ax.barh(y, q[:, 2], color=["#1f77b4" if n == "nnlib" else "#999999" for n in names])
        ax.errorbar(q[:, 2], y, xerr=[q[:, 2] - q[:, 1], q[:, 3] - q[:, 2]], fmt="none",
                    ecolor="black", capsize=3, label="interquartile range over rounds")
        for yi, median, q3 in zip(y, q[:, 2], q[:, 3], strict=True):
            ax.text(q3 * 1.15, yi, f"{median * 1000:.1f} ms", va="center", fontsize=8)
        ax.set_xscale("log")
        ax.set_xlim(q[:, 1].min() / 2, q[:, 3].max() * 6)
        ax.set_yticks(y, names)
        ax.set_xlabel("seconds per epoch (median of rounds, log scale)")
        ax.set_title(f"{case.name} ({case.batch_size}/batch, {case.dtype})")
        ax.legend(loc="lower right", fontsize=8)
    fig.suptitle("Time per training epoch: same network, data and SGD (shorter is faster)")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# --- main ----------------------------------------------------------------------------------


def run(case_names, quick=False, out=None, memory=True, profile=True, log=print):
    """Run the benchmark; returns [(case, {implementation: Result})] and writes the report."""
    names = available_implementations(log)
    all_results, report = [], [f"Measured {machine_summary()}", ""]
    for case_name in case_names:
        case = CASES[case_name](quick)
        log(f"== {case.describe()}")
        results = run_rounds(case, names, log)
        if memory:
            for name in names:
                results[name].memory = measure_memory(case_name, name, quick)
        table = format_table(case, results)
        targets = (["- (a quick run: too small and too short for the targets of issue 7)"]
                   if quick else check_targets(case, results))
        log("\n" + table + "\n\n" + "\n".join(targets) + "\n")
        report += [table, "", *targets, ""]
        if profile:
            phases = format_phases(case, *time_nnlib_phases(case))
            text = profile_nnlib_epoch(case)
            report += [phases, "", f"cProfile of one nnlib epoch ({case.name}):", "```",
                       text.strip(), "```", ""]
            log(phases + "\n")
        all_results.append((case, results))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_training.md").write_text("\n".join(report))
        plot(all_results, out / "bench_training.png")
        raw = {case.name: {n: r.__dict__ for n, r in results.items()}
               for case, results in all_results}
        (out / "bench_training.json").write_text(json.dumps(raw, indent=1))
        log(f"wrote {out / 'bench_training.md'}, .png and .json")
    return all_results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "benchmarks",
                        help="folder for the report, plot and raw numbers")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory subprocesses")
    parser.add_argument("--no-profile", action="store_true", help="skip the nnlib profile")
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="limit numpy's BLAS to this many threads (default: its own "
                        "choice, usually one per core)")
    parser.add_argument("--memory-child", nargs=2, metavar=("CASE", "IMPLEMENTATION"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        print(json.dumps(measure_memory_here(*args.memory_child, quick=args.quick)))
        return
    cases = list(MAIN_CASES) if args.case == "all" else [args.case]
    if args.blas_threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.blas_threads, user_api="blas")
    run(cases, quick=args.quick, out=args.out, memory=not args.no_memory,
        profile=not args.no_profile)


if __name__ == "__main__":
    main()
