"""Training end to end with nnlib: results of the kind chapter 5 reports.

These tests use recipes like the chapter's (network, learning rate, batch size, epochs,
seed), so that a change in nnlib that would break the chapter's claims fails here too,
with a readable message. (The chapter's own numbers are asserted in the chapter, which
nbval re-runs.)
"""


import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.activations import ReLU, Sigmoid, Tanh
from nnlib.data import load_digits_split, make_moons, make_xor
from nnlib.init import glorot_normal, he_normal, init_linear_layers
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, MSELoss
from nnlib.optim import SGD


def train(model, X, y, lr, epochs, batch_size, rng):
    """Minibatch SGD on the cross-entropy, as in chapter 5; returns the loss per epoch."""
    loss_fn, optimizer, losses = CrossEntropyLoss(), SGD(model.parameters(), lr=lr), []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start:start + batch_size]
            optimizer.zero_grad()
            loss_fn(model(X[batch]), y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
        losses.append(loss_fn(model(X), y))
    return losses


def accuracy(model, X, y):
    return float(np.mean(model(X).argmax(axis=1) == y))


def test_xor_is_learnt_perfectly():
    X, y = make_xor()
    rng = np.random.default_rng(0)
    net = Sequential(Linear(2, 4, rng=rng), Tanh(), Linear(4, 2, rng=rng))
    losses = train(net, X, y, lr=0.5, epochs=500, batch_size=4, rng=rng)
    assert accuracy(net, X, y) == 1.0
    assert losses[-1] < 0.05 < losses[0]


def test_two_moons_generalise():
    X, y = make_moons(n_samples=300, noise=0.25, rng=1)
    X_test, y_test = make_moons(n_samples=300, noise=0.25, rng=2)
    rng = np.random.default_rng(0)
    net = Sequential(Linear(2, 32, rng=rng), Tanh(), Linear(32, 32, rng=rng), Tanh(),
                     Linear(32, 2, rng=rng))
    train(net, X, y, lr=0.1, epochs=100, batch_size=16, rng=rng)
    assert accuracy(net, X_test, y_test) >= 0.9


def test_digits_reach_97_percent():
    X_train, X_test, y_train, y_test = load_digits_split()
    rng = np.random.default_rng(0)
    net = Sequential(Linear(64, 100), ReLU(), Linear(100, 10))
    init_linear_layers(net, he_normal, rng=rng)
    train(net, X_train, y_train, lr=0.1, epochs=60, batch_size=32, rng=rng)
    train(net, X_train, y_train, lr=0.01, epochs=20, batch_size=32, rng=rng)
    # (No time is asserted: speed is measured by make bench and make timings.)
    assert accuracy(net, X_test, y_test) >= 0.97
    assert accuracy(net, X_train, y_train) > 0.99


def test_forgetting_zero_grad_accumulates_gradients():
    rng = np.random.default_rng(0)
    net = Sequential(Linear(3, 4, rng=rng), Sigmoid(), Linear(4, 2, rng=rng))
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, size=5)
    loss_fn = CrossEntropyLoss()
    grads = []
    for _ in range(2):
        loss_fn(net(X), y)
        net.backward(loss_fn.backward())
        grads.append([p.grad.copy() for p in net.parameters()])
    for once, twice in zip(grads[0], grads[1], strict=True):
        np.testing.assert_allclose(twice, 2 * once, rtol=1e-14)
    net.zero_grad()
    assert all(not p.grad.any() for p in net.parameters())


@settings(deadline=None, max_examples=25)
@given(seed=st.integers(0, 2**32 - 1), use_mse=st.booleans())
def test_a_small_step_against_the_gradient_lowers_the_loss(seed, use_mse):
    # The defining property of a correct gradient: a small enough step downhill helps.
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(4, 6, rng=rng), Tanh(), Linear(6, 3, rng=rng))
    X = rng.normal(size=(8, 4))
    loss_fn = MSELoss() if use_mse else CrossEntropyLoss()
    target = rng.normal(size=(8, 3)) if use_mse else rng.integers(0, 3, size=8)
    before = loss_fn(net(X), target)
    net.zero_grad()
    net.backward(loss_fn.backward())
    squared_norm = sum(float(np.sum(p.grad**2)) for p in net.parameters())
    lr = 1e-4
    SGD(net.parameters(), lr=lr).step()
    after = loss_fn(net(X), target)
    # First-order Taylor: the loss drops by about lr * |grad|^2.
    assert after < before
    assert np.isclose(before - after, lr * squared_norm, rtol=0.05)


def deep_network(activation, scheme, seed, depth=8, width=32):
    layers = [Linear(64, width), activation()]
    for _ in range(depth - 1):
        layers += [Linear(width, width), activation()]
    layers.append(Linear(width, 10))
    return init_linear_layers(Sequential(*layers), scheme, rng=seed)


def test_gradients_vanish_in_a_deep_sigmoid_network_but_not_with_relu():
    X_train, _, y_train, _ = load_digits_split()
    X = (X_train[:500] - X_train.mean(axis=0)) / (X_train.std(axis=0) + 0.1)
    y = y_train[:500]
    ratios = {}
    for name, activation, scheme in (("sigmoid", Sigmoid, glorot_normal),
                                     ("relu", ReLU, he_normal)):
        net = deep_network(activation, scheme, seed=0)
        loss_fn = CrossEntropyLoss()
        net.zero_grad()
        loss_fn(net(X), y)
        net.backward(loss_fn.backward())
        norms = [np.linalg.norm(layer.weight.grad) for layer in net.layers
                 if isinstance(layer, Linear)]
        ratios[name] = norms[0] / norms[-1]
    assert ratios["sigmoid"] < 1e-4
    assert 0.1 < ratios["relu"] < 10


def test_digits_recipe_with_momentum_and_weight_decay_reaches_97_percent():
    # Chapter 5's recipe: a validation quarter held out, SGD with momentum 0.9 and weight
    # decay 1e-4, 30 epochs at lr 0.1 and 10 at 0.01, tested once.
    X_rest, X_test, y_rest, y_test = load_digits_split()
    order = np.random.default_rng(0).permutation(len(X_rest))
    X, y = X_rest[order[len(X_rest) // 4:]], y_rest[order[len(X_rest) // 4:]]
    rng = np.random.default_rng(0)
    net = init_linear_layers(Sequential(Linear(64, 100), ReLU(), Linear(100, 10)), he_normal,
                             rng=rng)
    net[0].needs_input_grad = False
    loss_fn, optimizer = CrossEntropyLoss(), SGD(net.parameters(), lr=0.1, momentum=0.9,
                                                 weight_decay=1e-4)
    for epoch in range(40):
        optimizer.lr = 0.1 if epoch < 30 else 0.01
        order = rng.permutation(len(X))
        for start in range(0, len(X), 32):
            batch = order[start:start + 32]
            optimizer.zero_grad()
            loss_fn(net(X[batch]), y[batch])
            net.backward(loss_fn.backward())
            optimizer.step()
    assert accuracy(net, X_test, y_test) >= 0.97
