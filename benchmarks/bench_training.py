"""How fast does nnlib train the book's network, next to a bare numpy loop,
scikit-learn and PyTorch? (benchmarks/README.md says what is measured and why.)

    python benchmarks/bench_training.py               # both cases (make bench)
    python benchmarks/bench_training.py --quick       # a smoke run, well under a minute
    python benchmarks/bench_training.py --case digits --rounds 30 --threads 0

Every implementation trains the same network, in -> 100 sigmoid units -> out, with
softmax cross-entropy and plain minibatch SGD on the same data, with the same batch
size, dtype, learning rate and number of epochs, on one thread by default. The
implementations take turns in interleaved rounds, so that a busy phase of a shared
machine slows all of them. The report gives, per implementation, the median time per
epoch in CPU time and wall-clock time, the ratio to the bare numpy loop (the median of
the per-round ratios) and the test accuracy, as a table and a plot in
_build/benchmarks/. Timings are noisy: nothing here asserts a time.
"""

import argparse
import contextlib
import json
import os
import platform
import time
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from nnlib.activations import Sigmoid
from nnlib.data import load_digits_split
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss
from nnlib.optim import SGD

ROOT = Path(__file__).resolve().parents[1]
# Issue 12: nnlib's time per epoch at most this many times the bare numpy loop's.
TARGETS = {"digits": 1.30, "mnist-sized": 1.15}


# --- the cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One training problem: the data, the hidden width and the training settings."""

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

    @property
    def dtype(self):
        return self.X_train.dtype

    @property
    def sizes(self):
        return self.X_train.shape[1], self.hidden, int(self.y_train.max()) + 1

    def describe(self):
        return (f"{self.name}: {'-'.join(map(str, self.sizes))}, {len(self.X_train)} "
                f"training and {len(self.X_test)} test samples, batch {self.batch_size}, "
                f"{self.dtype}, lr {self.lr}, {self.rounds} rounds of {self.epochs} epochs")


def make_mnist_sized(n_train=60_000, n_test=10_000, n_features=784, n_classes=10,
                     latent=16, spread=0.9, seed=0, dtype=np.float32):
    """MNIST-sized synthetic data, made from `seed` without any download.

    Each class is a Gaussian blob in a `latent`-dimensional space (unit covariance,
    class means drawn from N(0, spread**2)); a fixed random linear map lifts the points
    to `n_features` "pixels" and unit pixel noise is added. With the default spread the
    classes overlap, so test accuracy says something (about 0.9). Made in chunks,
    directly in `dtype`. Returns X_train, X_test, y_train, y_test (labels int64).
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


def digits_case(quick=False):
    """scikit-learn's 8x8 digits as the book loads them (chapter 5), float64."""
    X_train, X_test, y_train, y_test = load_digits_split()
    return Case("digits", X_train, y_train, X_test, y_test, hidden=100, batch_size=32,
                lr=0.3, epochs=5 if quick else 60, rounds=1 if quick else 10)


def mnist_sized_case(quick=False):
    """784-100-10 on 60000 synthetic samples (6000 in a quick run), float32."""
    n_train, n_test = (6_000, 1_000) if quick else (60_000, 10_000)
    X_train, X_test, y_train, y_test = make_mnist_sized(n_train, n_test)
    return Case("mnist-sized", X_train, y_train, X_test, y_test, hidden=100,
                batch_size=128, lr=0.1, epochs=1, rounds=1 if quick else 15)


def tiny_case(quick=True):
    """For tests: 4 well-separated classes, 32-16-4, float64; well under a second."""
    X_train, X_test, y_train, y_test = make_mnist_sized(
        400, 200, n_features=32, n_classes=4, latent=8, spread=3.0, dtype=np.float64)
    return Case("tiny", X_train, y_train, X_test, y_test, hidden=16, batch_size=16,
                lr=0.3, epochs=8, rounds=1)


CASES = {"digits": digits_case, "mnist-sized": mnist_sized_case, "tiny": tiny_case}


# --- the implementations ---------------------------------------------------------------
# Each trains a new network on case.X_train for case.epochs epochs from `seed` and
# returns (seconds of training, predict), where predict(X) gives one row of class
# scores per sample. Building the network and predicting are not timed.


def clock():
    """[wall-clock seconds, CPU seconds of this process]: clock() - start gives both.

    CPU time counts this process's own work only, so other programs on a shared
    machine disturb it far less than the wall clock; with BLAS or PyTorch on several
    threads it adds up their threads' time (hence --threads 1 by default).
    """
    return np.array([time.perf_counter(), time.process_time()])


def book_network(case, rng):
    """in -> hidden sigmoid units -> out in nnlib, in the case's dtype; the first layer
    skips dL/dX (the data needs no gradient)."""
    d_in, hidden, k = case.sizes
    model = Sequential(Linear(d_in, hidden, rng=rng, dtype=case.dtype), Sigmoid(),
                       Linear(hidden, k, rng=rng, dtype=case.dtype))
    model[0].needs_input_grad = False
    return model


def train_nnlib(case, seed):
    """The book's network and training loop (chapter 5), in the case's dtype."""
    rng = np.random.default_rng(seed)
    model = book_network(case, rng)
    loss_fn = CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=case.lr)
    X, y = case.X_train, case.y_train
    start = clock()
    for _epoch in range(case.epochs):
        order = rng.permutation(len(X))  # a new random order every epoch
        for first in range(0, len(X), case.batch_size):
            batch = order[first:first + case.batch_size]
            optimizer.zero_grad()
            logits = model(X[batch])
            loss_fn(logits, y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
    return clock() - start, model


def train_nnlib_unchecked(case, seed):
    """nnlib's modules without its checks (--unchecked): what the checks cost.

    The same network and arithmetic as train_nnlib, but the loop calls model.forward
    and loss_fn.forward, which check nothing, and updates each parameter in place
    without the step's finiteness test. Not a way to train: a NaN would go unnoticed.
    """
    rng = np.random.default_rng(seed)
    model = book_network(case, rng)
    loss_fn = CrossEntropyLoss()
    params = model.parameters()
    X, y = case.X_train, case.y_train
    start = clock()
    for _epoch in range(case.epochs):
        order = rng.permutation(len(X))
        for first in range(0, len(X), case.batch_size):
            batch = order[first:first + case.batch_size]
            model.zero_grad()
            loss_fn.forward(model.forward(X[batch]), y[batch])
            model.backward(loss_fn.backward())
            for p in params:
                p.data -= case.lr * p.grad
    return clock() - start, model


def train_numpy_loop(case, seed):
    """The same training as one loop of bare numpy: no modules, no checks.

    It draws the same initial weights and the same batches as train_nnlib from the
    same seed, so the two end with the same network (tests/test_benchmark.py). The
    sigmoid is the textbook 1 / (1 + exp(-z)), whose exp overflows harmlessly to inf
    (sigmoid 0) for z < -709 (-88 in float32).
    """
    d_in, hidden, k = case.sizes
    rng = np.random.default_rng(seed)
    W1 = rng.normal(0.0, 1.0 / np.sqrt(d_in), size=(d_in, hidden)).astype(case.dtype)
    W2 = rng.normal(0.0, 1.0 / np.sqrt(hidden), size=(hidden, k)).astype(case.dtype)
    b1, b2 = np.zeros(hidden, case.dtype), np.zeros(k, case.dtype)
    X, y, lr = case.X_train, case.y_train, case.lr

    def forward(Xb):
        A = 1.0 / (1.0 + np.exp(-(Xb @ W1 + b1)))
        return A, A @ W2 + b2

    start = clock()
    with np.errstate(over="ignore"):
        for _epoch in range(case.epochs):
            order = rng.permutation(len(X))
            for first in range(0, len(X), case.batch_size):
                batch = order[first:first + case.batch_size]
                Xb, yb, rows = X[batch], y[batch], np.arange(len(batch))
                A, Z = forward(Xb)
                P = np.exp(Z - Z.max(axis=1, keepdims=True))
                P /= P.sum(axis=1, keepdims=True)  # softmax
                _loss = -np.log(P[rows, yb]).mean()  # computed, as the other loops do
                P[rows, yb] -= 1.0
                dZ = P / len(batch)  # dL/dZ of the output layer
                dZ1 = (dZ @ W2.T) * A * (1.0 - A)  # dL/dZ of the hidden layer
                W2 -= lr * (A.T @ dZ)
                b2 -= lr * dZ.sum(axis=0)
                W1 -= lr * (Xb.T @ dZ1)
                b1 -= lr * dZ1.sum(axis=0)
    seconds = clock() - start

    def predict(X_test):
        with np.errstate(over="ignore"):
            return forward(X_test)[1]

    predict.parameters = [W1, b1, W2, b2]  # in nnlib's order, for the tests
    return seconds, predict


def train_sklearn(case, seed):
    """MLPClassifier as the same network and the same plain SGD; times all of fit()."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=(case.hidden,), activation="logistic", solver="sgd", alpha=0.0,
        batch_size=case.batch_size, learning_rate="constant", learning_rate_init=case.lr,
        momentum=0.0, nesterovs_momentum=False, max_iter=case.epochs, shuffle=True,
        tol=0.0, n_iter_no_change=case.epochs + 1, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter reached: intended
        start = clock()
        model.fit(case.X_train, case.y_train)
        seconds = clock() - start
    return seconds, model.predict_proba


def train_torch(case, seed):
    """The same network in PyTorch, trained by the loop its tutorials show."""
    import torch

    torch.manual_seed(seed)
    d_in, hidden, k = case.sizes
    model = torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.Sigmoid(),
                                torch.nn.Linear(hidden, k)).to(getattr(torch, str(case.dtype)))
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=case.lr)
    X, y = torch.from_numpy(case.X_train), torch.from_numpy(case.y_train)  # no copies
    start = clock()
    for _epoch in range(case.epochs):
        order = torch.randperm(len(X))
        for first in range(0, len(X), case.batch_size):
            batch = order[first:first + case.batch_size]
            optimizer.zero_grad()
            loss_fn(model(X[batch]), y[batch]).backward()
            optimizer.step()
    seconds = clock() - start

    def predict(X_test):
        with torch.no_grad():
            return model(torch.from_numpy(X_test)).numpy()

    return seconds, predict


TRAIN = {"nnlib": train_nnlib, "numpy loop": train_numpy_loop,
         "scikit-learn": train_sklearn, "PyTorch": train_torch,
         "nnlib, no checks": train_nnlib_unchecked}
OPTIONAL = {"nnlib, no checks"}  # only with --unchecked


def implementations(unchecked=False):
    """The names in TRAIN, without PyTorch when it is not installed, and without
    "nnlib, no checks" unless `unchecked`."""
    names = [name for name in TRAIN if unchecked or name not in OPTIONAL]
    try:
        import torch  # noqa: F401
    except ImportError:
        return [name for name in names if name != "PyTorch"]
    return names


# --- measuring and reporting -----------------------------------------------------------


@dataclass
class Result:
    wall: list = field(default_factory=list)  # wall-clock seconds per epoch, per round
    cpu: list = field(default_factory=list)  # CPU seconds per epoch, per round
    accuracy: list = field(default_factory=list)  # test accuracy, per round


def run_rounds(case, names, log=print):
    """Interleaved rounds: each round trains every implementation once, in turn, with
    the round's seed. Round 0 warms up (caches, thread pools) and is not recorded."""
    results = {name: Result() for name in names}
    for round_index in range(case.rounds + 1):
        for name in names:
            seconds, predict = TRAIN[name](case, seed=round_index)
            if round_index > 0:
                result = results[name]
                result.wall.append(float(seconds[0]) / case.epochs)
                result.cpu.append(float(seconds[1]) / case.epochs)
                scores = np.asarray(predict(case.X_test))
                result.accuracy.append(float(np.mean(scores.argmax(axis=1) == case.y_test)))
        if round_index > 0:
            log(f"  round {round_index}/{case.rounds}, s/epoch (wall, CPU): " + ", ".join(
                f"{name} {results[name].wall[-1]:.4f} {results[name].cpu[-1]:.4f}"
                for name in names))
    return results


def ratio(results, a, b, clock="cpu"):
    """Median and quartiles over the rounds of a's time / b's time in the same round."""
    r = np.array(getattr(results[a], clock)) / np.array(getattr(results[b], clock))
    return tuple(float(q) for q in np.percentile(r, [50, 25, 75]))


def table(case, results, judge="cpu"):
    """The markdown table of a case; the target is judged on the `judge` clock (CPU time
    on one thread; the wall clock when the libraries run several threads)."""
    lines = [f"**{case.describe()}**", "",
             "| implementation | s/epoch, CPU | s/epoch, wall | x numpy loop, CPU "
             "(quartiles) | x numpy loop, wall | test accuracy |", "|---|---|---|---|---|---|"]
    for name, r in results.items():
        cpu, q1, q3 = ratio(results, name, "numpy loop")
        lines.append(f"| {name} | {np.median(r.cpu):.4f} | {np.median(r.wall):.4f} | "
                     f"{cpu:.2f} ({q1:.2f} - {q3:.2f}) | "
                     f"{ratio(results, name, 'numpy loop', 'wall')[0]:.2f} | "
                     f"{np.mean(r.accuracy):.4f} |")
    target = TARGETS.get(case.name)
    if target:
        value = {c: ratio(results, "nnlib", "numpy loop", c)[0] for c in ("cpu", "wall")}
        other = "wall" if judge == "cpu" else "cpu"
        names = {"cpu": "CPU time", "wall": "wall-clock time"}
        lines += ["", f"Target (issue 12): nnlib <= {target:.2f} x the numpy loop in "
                  f"{names[judge]}: {value[judge]:.2f}, "
                  f"{'met' if value[judge] <= target else 'NOT met'} "
                  f"({names[other]}: {value[other]:.2f})."]
    return "\n".join(lines)


def plot(all_results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(all_results), figsize=(5.2 * len(all_results), 3.4),
                             squeeze=False)
    for ax, (case, results) in zip(axes[0], all_results, strict=True):
        names = list(results)[::-1]
        y = np.arange(len(names))
        for offset, clock, color in ((0.2, "cpu", "#1f77b4"), (-0.2, "wall", "#aec7e8")):
            q1, median, q3 = np.percentile([getattr(results[n], clock) for n in names],
                                           [25, 50, 75], axis=1) * 1000  # milliseconds
            ax.barh(y + offset, median, height=0.4, xerr=[median - q1, q3 - median],
                    capsize=2, color=color, label=f"{clock} (median, IQR)")
            for yi, m, right in zip(y, median, q3, strict=True):
                ax.text(right, yi + offset, f"  {m:.1f}", va="center", fontsize=7)
        ax.set_yticks(y, names)
        ax.set_xlabel("milliseconds per epoch")
        ax.set_title(f"{case.name}: {'-'.join(map(str, case.sizes))}, "
                     f"batch {case.batch_size}, {case.dtype}", fontsize=10)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
        ax.set_xlim(0, ax.get_xlim()[1] * 1.2)
    fig.suptitle("Time per training epoch (shorter is faster)", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def machine():
    """One line: the machine, its load, the library versions and BLAS threads."""
    import sklearn
    from threadpoolctl import threadpool_info

    info = [platform.platform(), f"{os.cpu_count()} CPUs", "load average " + " ".join(
        f"{x:.2f}" for x in os.getloadavg()), f"Python {platform.python_version()}",
        f"numpy {np.__version__}", f"scikit-learn {sklearn.__version__}"]
    if "PyTorch" in implementations():
        import torch

        info.append(f"torch {torch.__version__}, threads: {torch.get_num_threads()}")
    info += [f"{pool['internal_api']} {pool['version']}, threads: {pool['num_threads']}"
             for pool in threadpool_info() if pool["user_api"] == "blas"]
    return "; ".join(info)


@contextlib.contextmanager
def limit_threads(n):
    """Inside the block, numpy's BLAS and PyTorch use n threads (None: their defaults)."""
    if n is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    torch = __import__("torch") if "PyTorch" in implementations() else None
    before = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(n)
    try:
        with threadpool_limits(n, user_api="blas"):
            yield
    finally:
        if torch:
            torch.set_num_threads(before)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=[*CASES, "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="small and short: a smoke run")
    parser.add_argument("--rounds", type=int, help="recorded rounds (default: the case's)")
    parser.add_argument("--threads", type=int, default=1, help="threads for numpy's BLAS "
                        "and PyTorch (default 1; 0: each library's own choice)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "benchmarks")
    parser.add_argument("--unchecked", action="store_true", help="also nnlib without its "
                        "input and update checks: what they cost")
    args = parser.parse_args(argv)
    names = implementations(args.unchecked)
    if "PyTorch" not in names:
        print("PyTorch is not installed: skipped (it is optional, not in requirements.txt)")
    all_results = []
    with limit_threads(args.threads or None):
        report = [f"Measured on {machine()}", ""]
        for case_name in ["digits", "mnist-sized"] if args.case == "all" else [args.case]:
            case = CASES[case_name](args.quick)
            case = replace(case, rounds=args.rounds) if args.rounds else case
            print(f"== {case.describe()}")
            results = run_rounds(case, names)
            all_results.append((case, results))
            report += [table(case, results, "cpu" if args.threads == 1 else "wall"), ""]
            print("\n" + report[-2] + "\n")
    report.append("Load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench_training.md").write_text("\n".join(report) + "\n")
    plot(all_results, args.out / "bench_training.png")
    raw = {case.name: {name: vars(r) for name, r in results.items()}
           for case, results in all_results}
    (args.out / "bench_training.json").write_text(json.dumps(raw, indent=1))
    print(f"{report[-1]}\nwrote {args.out}/bench_training.md, .png and .json")


if __name__ == "__main__":
    main()
