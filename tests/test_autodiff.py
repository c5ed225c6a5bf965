"""nnlib.autodiff: every operation's rule against central differences (1e-7), whole networks
against nnlib's layer-by-layer backward passes (1e-12), on fixed and on random shapes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.activations import ReLU, Sigmoid, Tanh, sigmoid
from nnlib.autodiff import Tensor, unbroadcast
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Linear, Sequential
from nnlib.losses import CrossEntropyLoss, MSELoss

RNG = np.random.default_rng(0)
A, B = RNG.normal(size=(4, 3)), RNG.normal(size=(3, 5))
ROW, COLUMN, R = RNG.normal(size=(3,)), RNG.normal(size=(4, 1)), RNG.normal(size=(4, 3))
B1, W2 = RNG.normal(size=(5,)), RNG.normal(size=(5, 2))
LABELS = np.array([0, 2, 1, 2])

# Each expression maps leaf Tensors to a scalar Tensor; the leaves' arrays are nudged in place.
EXPRESSIONS = {
    "add, broadcast row": ((A, ROW), lambda a, b: ((a + b) * R).sum()),
    "add, broadcast column": ((A, COLUMN), lambda a, b: ((a + b) * R).sum()),
    "add a number": ((A,), lambda a: ((a + 2.5) * R).sum()),
    "sub": ((A, R), lambda a, b: ((a - b) * (a - b)).mean()),
    "mul, broadcast row": ((A, ROW), lambda a, b: (a * b * R).sum()),
    "mul by itself": ((A,), lambda a: (a * a * R).sum()),
    "matmul": ((A, B), lambda a, b: (a @ b).tanh().sum()),
    "mean": ((A,), lambda a: (a * a).mean()),
    "sigmoid": ((A,), lambda a: (a.sigmoid() * R).sum()),
    "tanh": ((A,), lambda a: (a.tanh() * R).sum()),
    "relu": ((A + 0.05,), lambda a: (a.relu() * R).sum()),  # no entry within eps of the kink
    "cross_entropy": ((A,), lambda a: (a * 3.0).cross_entropy(LABELS)),
    "a two-layer network": ((A, B, B1, W2),
                            lambda x, w1, b1, w2: ((x @ w1 + b1).relu() @ w2).sigmoid().sum()),
}


@pytest.mark.parametrize("name", EXPRESSIONS)
def test_every_rule_matches_central_differences(name):
    arrays, expression = EXPRESSIONS[name]
    arrays = [np.array(a, dtype=np.float64) for a in arrays]  # our copies, nudged in place
    leaves = [Tensor(a) for a in arrays]
    assert all(t.data is a for t, a in zip(leaves, arrays, strict=True))  # no copy: shared
    expression(*leaves).backward()
    for t, a in zip(leaves, arrays, strict=True):
        numeric = numerical_gradient(lambda: float(expression(*leaves).data), a)
        assert relative_error(t.grad, numeric) < 1e-7, name


def test_a_rule_that_is_wrong_is_caught():
    # The check above can fail: a sigmoid whose rule forgets the factor (1 - s).
    class Broken(Tensor):
        def sigmoid(self):
            return self._elementwise(sigmoid, sigmoid)  # g' = g: no factor (1 - s)

    a = np.array(A)
    x = Broken(a)
    (x.sigmoid() * R).sum().backward()
    numeric = numerical_gradient(lambda: float((Broken(a).sigmoid() * R).sum().data), a)
    assert relative_error(x.grad, numeric) > 1e-2


TAILS = np.array([[-1e3, -40.0, -20.0, -1.0, 0.0, 1.0, 20.0, 40.0, 1e3]])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activations_match_the_layers_in_the_tails(name):
    # The engine uses chapter 3's derivatives, which keep their relative accuracy where
    # s (1 - s) and 1 - tanh(z)**2 round to 0: at z = 40, sigmoid' is 4.2e-18, not 0.
    # The Sigmoid and Tanh layers use those forms, from their outputs: they agree with
    # the engine to 4e-16, and give exactly 0 in the far tails.
    layer = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU}[name]()
    layer(TAILS)
    G = R[:1, :1] * np.ones_like(TAILS)
    expected = layer.backward(G)
    x = Tensor(TAILS)
    (getattr(x, name)() * R[:1, :1]).sum().backward()
    if name == "relu":
        assert np.array_equal(x.grad, expected)
    else:
        assert np.max(np.abs(x.grad - expected)) <= 4e-16 * np.abs(G).max()
        assert np.all(x.grad[:, 1:-1] > 0)  # no zero where the true derivative is not
        assert expected[0, -2] == 0.0  # z = 40: the layer's form rounds to 0
    s = 1.0 / (1.0 + np.exp(-40.0))
    assert s * (1.0 - s) == 0.0 and 1.0 - np.tanh(20.0) ** 2 == 0.0  # the forms avoided


def recorded(net, X):
    """net's forward pass as Tensors: (output, leaves X, W1, b1, W2, b2, ...)."""
    out = Tensor(X)
    leaves = [out]
    for layer in net.layers:
        if isinstance(layer, Linear):
            W, b = Tensor(layer.weight.data), Tensor(layer.bias.data)
            leaves += [W, b]
            out = out @ W + b
        else:
            out = getattr(out, type(layer).__name__.lower())()
    return out, leaves


def largest_error(net, X, target, loss):
    """The largest relative error between the engine's gradients and net.backward's."""
    net.zero_grad()
    loss(net(X), target)
    dX = net.backward(loss.backward())
    out, (x, *leaves) = recorded(net, X)
    if isinstance(loss, CrossEntropyLoss):
        value = out.cross_entropy(target)
    else:
        value = ((out - target) * (out - target)).mean()
    value.backward()
    assert np.isclose(float(value.data), loss(net(X), target), rtol=1e-13)
    errors = [relative_error(p.grad, t.grad) for p, t in zip(net.parameters(), leaves,
                                                            strict=True)]
    return max(errors + [relative_error(dX, x.grad)])


ACTIVATIONS = {"tanh": Tanh, "sigmoid": Sigmoid, "relu": ReLU}


def network(widths, activations, rng):
    layers = []
    for k, (d_in, d_out) in enumerate(zip(widths, widths[1:], strict=False)):
        layers.append(Linear(d_in, d_out, rng=rng))
        layers[-1].bias.data[...] = rng.normal(size=d_out)
        if k < len(widths) - 2:
            layers.append(ACTIVATIONS[activations[k % len(activations)]]())
    return Sequential(*layers)


def test_the_engine_reproduces_the_layers_to_1e_12():
    rng = np.random.default_rng(1)
    net = network([4, 6, 5, 3], ["tanh", "sigmoid"], rng)
    X = rng.normal(size=(8, 4))
    assert largest_error(net, X, rng.integers(0, 3, size=8), CrossEntropyLoss()) < 1e-12
    assert largest_error(net, X, rng.normal(size=(8, 3)), MSELoss()) < 1e-12


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 6), widths=st.lists(st.integers(1, 5), min_size=2, max_size=5),
       activations=st.lists(st.sampled_from(sorted(ACTIVATIONS)), min_size=1, max_size=3),
       seed=st.integers(0, 2**16), cross_entropy=st.booleans())
def test_the_engine_reproduces_the_layers_on_random_shapes(n, widths, activations, seed,
                                                           cross_entropy):
    rng = np.random.default_rng(seed)
    if cross_entropy:
        widths[-1] = max(widths[-1], 2)
    net = network(widths, activations, rng)
    X = rng.normal(size=(n, widths[0]))
    if cross_entropy:
        target, loss = rng.integers(0, widths[-1], size=n), CrossEntropyLoss()
    else:
        target, loss = rng.normal(size=(n, widths[-1])), MSELoss()
    assert largest_error(net, X, target, loss) < 1e-12


def topological_order(root):
    order, seen = [], set()

    def visit(t):
        if id(t) not in seen:
            seen.add(id(t))
            for parent in t.parents:
                visit(parent)
            order.append(t)

    visit(root)
    return order


def test_rules_run_after_every_use_and_the_order_matters():
    x, w = Tensor(A), Tensor(B)
    h = (x @ w).tanh()
    loss = (h * h + h).sum()  # h is used three times
    order = topological_order(loss)
    position = {id(t): i for i, t in enumerate(order)}
    assert all(position[id(p)] < position[id(t)] for t in order for p in t.parents)
    loss.backward()
    expected = x.grad.copy()
    # Run the same rules in the wrong order (forward): the gradients come out wrong.
    for t in order:
        t.grad = np.zeros_like(t.data)
    loss.grad = np.ones_like(loss.data)
    for t in order:
        t.rule()
    assert relative_error(x.grad, expected) > 0.5


def test_leaves_accumulate_and_the_rest_starts_from_zero():
    x = Tensor(A)
    h = x.tanh()
    loss = (h * R).sum()
    loss.backward()
    first, h_grad = x.grad.copy(), h.grad.copy()
    loss.backward()
    assert np.allclose(x.grad, 2 * first, rtol=1e-15)  # a leaf: += as a Parameter's .grad
    assert np.array_equal(h.grad, h_grad)  # inside the graph: recomputed, not doubled


def test_a_tensor_used_twice_gets_both_contributions():
    x = Tensor(A)
    (x * x).sum().backward()
    assert np.allclose(x.grad, 2 * A, rtol=1e-15)


def test_backward_needs_a_scalar():
    with pytest.raises(ValueError, match=r"scalar \(a loss\), got shape \(4, 3\)"):
        Tensor(A).tanh().backward()


def test_leaves_are_float64_and_results_are_not_checked_again():
    assert Tensor([1, 2]).data.dtype == np.float64
    assert Tensor(np.ones(2, dtype=np.float32)).data.dtype == np.float64
    with np.errstate(over="ignore"):
        big = Tensor([1000.0]) * Tensor([1e308])  # overflow inside the graph: no error
    assert np.isinf(big.data).all()


@pytest.mark.parametrize(("grad_shape", "shape"), [((4, 3), (3,)), ((4, 3), (4, 1)),
                                                   ((4, 3), ()), ((4, 3), (1, 3)),
                                                   ((4, 3), (4, 3))])
def test_unbroadcast_sums_what_broadcasting_copied(grad_shape, shape):
    grad = RNG.normal(size=grad_shape)
    summed = unbroadcast(grad, shape)
    assert summed.shape == shape
    assert np.isclose(summed.sum(), grad.sum(), rtol=1e-12)
