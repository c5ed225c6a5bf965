"""Determinism: the same seed gives bit-identical data, weights and losses.

Twice in one process, and in two separate Python processes (with different hash seeds,
so that nothing may depend on the order of a set or a dict of strings). A different
seed must give different numbers, or the comparison would prove nothing.

That every chapter prints the same text twice is in test_notebook_reruns.py.
"""

import hashlib
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from nnlib.activations import ReLU, Tanh
from nnlib.data import load_digits_split, make_moons
from nnlib.init import he_normal, init_linear_layers
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss
from nnlib.optim import SGD
from nnlib.perceptron import Perceptron


def digest(*arrays):
    """sha256 of the arrays' bytes, dtypes and shapes: equal only if bit for bit equal."""
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def train_moons(seed):
    """Chapter 4's recipe in small: minibatch SGD with a fresh shuffle every epoch."""
    X, y = make_moons(n_samples=200, noise=0.25, rng=seed)
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(2, 16, rng=rng), Tanh(), Linear(16, 2, rng=rng))
    loss_fn, optimizer, losses = CrossEntropyLoss(), SGD(net.parameters(), lr=0.1), []
    for _ in range(5):
        order = rng.permutation(len(X))
        for start in range(0, len(X), 16):
            batch = order[start:start + 16]
            optimizer.zero_grad()
            losses.append(loss_fn(net(X[batch]), y[batch]))
            net.backward(loss_fn.backward())
            optimizer.step()
    return [p.data.copy() for p in net.parameters()], np.array(losses)


def train_digits(seed):
    X_train, _, y_train, _ = load_digits_split(rng=seed)
    rng = np.random.default_rng(seed)
    net = init_linear_layers(Sequential(Linear(64, 32), ReLU(), Linear(32, 10)), he_normal,
                             rng=rng)
    loss_fn, optimizer, losses = CrossEntropyLoss(), SGD(net.parameters(), lr=0.1), []
    for start in range(0, 640, 32):
        optimizer.zero_grad()
        losses.append(loss_fn(net(X_train[start:start + 32]), y_train[start:start + 32]))
        net.backward(loss_fn.backward())
        optimizer.step()
    return [p.data.copy() for p in net.parameters()], np.array(losses)


def perceptron(seed):
    X, y = make_moons(n_samples=100, noise=0.1, rng=seed)
    model = Perceptron(max_epochs=20, shuffle=True, rng=seed).fit(X, y)
    return [model.coef_, np.array([model.intercept_]), model.history_], np.array(model.mistakes_)


def fingerprints(seed):
    """One digest per computation, for a given seed."""
    result = {}
    for name, run in (("moons", train_moons), ("digits", train_digits),
                      ("perceptron", perceptron)):
        weights, losses = run(seed)
        result[name] = digest(*weights, losses)
    # Each loader on its own, so that one that ignored its seed would be noticed.
    result["moons data"] = digest(*make_moons(rng=seed))
    result["digits split"] = digest(*load_digits_split(rng=seed))
    return result


def test_training_twice_in_one_process_is_bit_identical():
    for run in (train_moons, train_digits, perceptron):
        (w1, l1), (w2, l2) = run(0), run(0)
        assert all(np.array_equal(a, b) for a, b in zip(w1, w2, strict=True)), run.__name__
        assert np.array_equal(l1, l2), run.__name__
        # The comparison can fail: another seed gives other weights.
        w3, _ = run(1)
        assert not all(np.array_equal(a, b) for a, b in zip(w1, w3, strict=True)), run.__name__


SCRIPT = """
import json, sys
from test_determinism import fingerprints
print(json.dumps(fingerprints(int(sys.argv[1]))))
"""


def fingerprints_in_a_new_process(seed, hash_seed):
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    # Run in tests/, so that `python -c` finds this module and, like this process, takes
    # nnlib from where it is installed (or from PYTHONPATH), not from a copy in the cwd.
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(seed)], capture_output=True,
                            text=True, env=env, timeout=300, check=True,
                            cwd=os.path.dirname(os.path.abspath(__file__)))
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_two_processes_give_bit_identical_results():
    first = fingerprints_in_a_new_process(seed=0, hash_seed=1)
    second = fingerprints_in_a_new_process(seed=0, hash_seed=2)
    assert first == second
    assert first == fingerprints(0)  # and the same as in this process
    other = fingerprints_in_a_new_process(seed=1, hash_seed=1)
    assert all(other[name] != first[name] for name in first)
