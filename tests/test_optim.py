"""nnlib.optim.SGD: exact steps, zero_grad, sharing with the model, errors."""

import numpy as np
import pytest

from nnlib.layers import Linear, Sequential
from nnlib.module import Parameter
from nnlib.optim import SGD


def test_one_step_is_theta_minus_lr_times_gradient():
    p = Parameter([1.0, -2.0, 3.0])
    p.grad[...] = [0.5, 0.5, -1.0]
    SGD([p], lr=0.1).step()
    np.testing.assert_array_equal(p.data, [1.0 - 0.05, -2.0 - 0.05, 3.0 + 0.1])


def test_steps_use_the_current_gradient_and_leave_it_alone():
    p = Parameter(np.zeros((2, 2)))
    opt = SGD([p], lr=0.5)
    p.grad[...] = 1.0
    opt.step()
    opt.step()  # same gradient again: moves twice
    np.testing.assert_array_equal(p.data, -np.ones((2, 2)))
    np.testing.assert_array_equal(p.grad, np.ones((2, 2)))


def test_zero_grad_resets_every_gradient_in_place():
    ps = [Parameter(np.ones(3)), Parameter(np.ones((2, 2)))]
    grads = [p.grad for p in ps]
    for p in ps:
        p.grad += 7.0
    SGD(ps, lr=1.0).zero_grad()
    for p, g in zip(ps, grads, strict=True):
        assert p.grad is g  # same array: views held elsewhere stay valid
        assert not p.grad.any()


def test_sgd_updates_the_model_it_was_given():
    model = Sequential(Linear(3, 2, rng=0), Linear(2, 1, rng=1))
    before = [p.data.copy() for p in model.parameters()]
    opt = SGD(model.parameters(), lr=0.1)
    X = np.ones((4, 3))
    model.backward(np.ones((4, 1)) + 0 * model(X))
    opt.step()
    for p, old in zip(model.parameters(), before, strict=True):
        np.testing.assert_allclose(p.data, old - 0.1 * p.grad, rtol=1e-15)


def test_gradient_descent_on_a_quadratic_converges_to_its_minimum():
    # L(theta) = |theta - c|^2 / 2 has gradient theta - c: with lr 0.5 the distance halves.
    c = np.array([3.0, -1.0])
    p = Parameter(np.zeros(2))
    opt = SGD([p], lr=0.5)
    for _ in range(60):
        opt.zero_grad()
        p.grad += p.data - c
        opt.step()
    np.testing.assert_allclose(p.data, c, rtol=1e-15)


def test_sgd_accepts_a_generator_of_parameters():
    model = Linear(2, 2, rng=0)
    opt = SGD((p for p in model.parameters()), lr=0.1)
    assert len(opt.parameters) == 2


@pytest.mark.parametrize(
    ("lr", "error", "message"),
    [
        (0.0, ValueError, "lr must be a positive finite number, got 0.0"),
        (-0.1, ValueError, "lr must be a positive finite number"),
        (np.inf, ValueError, "lr must be a positive finite number"),
        ("0.1", TypeError, "lr must be a positive number, got str"),
        (None, TypeError, "lr must be a positive number"),
    ],
)
def test_sgd_rejects_a_bad_learning_rate(lr, error, message):
    with pytest.raises(error, match=message):
        SGD([Parameter([1.0])], lr=lr)


def test_sgd_rejects_no_parameters_and_non_parameters():
    with pytest.raises(ValueError, match="parameters must not be empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"parameters\[1\] must be a Parameter, got ndarray"):
        SGD([Parameter([1.0]), np.ones(2)], lr=0.1)


def test_a_step_is_all_or_nothing():
    # Before the second edition, SGD.step updated the first parameters and then raised on
    # the NaN in the last one: half a step. Now no parameter changes.
    first, last = Parameter(np.ones(3)), Parameter(np.ones(2))
    first.grad[...] = 1.0
    last.grad[...] = [1.0, np.nan]
    opt = SGD([first, last], lr=0.1)
    with pytest.raises(ValueError, match=r"parameters\[1\] must be finite.*No parameter"):
        opt.step()
    assert np.array_equal(first.data, np.ones(3)) and np.array_equal(last.data, np.ones(2))


def test_a_numpy_learning_rate_becomes_a_python_number():
    # A np.float64 lr would turn a float32 network's updates into float64 arrays.
    opt = SGD([Parameter(np.ones(2), dtype=np.float32)], lr=np.float64(0.1))
    assert type(opt.lr) is float
    opt.parameters[0].grad[...] = 1.0
    update = opt.lr * opt.parameters[0].grad
    assert update.dtype == np.float32
    opt.step()
    assert opt.parameters[0].data.dtype == np.float32


# --- chapter 5: momentum and weight decay (PyTorch's torch.optim.SGD conventions) -----------


def reference_steps(theta, gradient, lr, momentum, weight_decay, steps):
    """PyTorch's SGD, written out: d = g + wd * theta; v = mu * v + d; theta -= lr * v."""
    theta, v, path = np.array(theta, dtype=float), None, []
    for _ in range(steps):
        d = gradient(theta) + weight_decay * theta
        v = d if v is None else momentum * v + d
        theta = theta - lr * v
        path.append(theta.copy())
    return path


@pytest.mark.parametrize(("momentum", "weight_decay"), [(0.9, 0.0), (0.0, 0.1), (0.5, 0.3)])
def test_momentum_and_weight_decay_follow_pytorch(momentum, weight_decay):
    c = np.array([3.0, -1.0, 0.5])
    p = Parameter(np.zeros(3))
    opt = SGD([p], lr=0.1, momentum=momentum, weight_decay=weight_decay)
    expected = reference_steps(np.zeros(3), lambda t: t - c, 0.1, momentum, weight_decay, 6)
    for want in expected:
        opt.zero_grad()
        p.grad += p.data - c
        opt.step()
        np.testing.assert_allclose(p.data, want, rtol=1e-14)


def test_weight_decay_is_the_gradient_of_an_l2_penalty():
    # SGD(weight_decay=lam) on L equals plain SGD on L + (lam / 2) |theta|^2.
    rng = np.random.default_rng(0)
    model_a = Sequential(Linear(3, 4, rng=1), Linear(4, 2, rng=2))
    model_b = Sequential(Linear(3, 4, rng=1), Linear(4, 2, rng=2))
    X, G = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    decayed = SGD(model_a.parameters(), lr=0.05, weight_decay=0.2)
    plain = SGD(model_b.parameters(), lr=0.05)
    for _ in range(3):
        for model, opt in ((model_a, decayed), (model_b, plain)):
            opt.zero_grad()
            model(X)
            model.backward(G)
        for p in model_b.parameters():
            p.grad += 0.2 * p.data  # the penalty's gradient, by hand
        decayed.step()
        plain.step()
    for a, b in zip(model_a.parameters(), model_b.parameters(), strict=True):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-13)


def test_weight_decay_alone_shrinks_by_one_minus_lr_lambda():
    p = Parameter([2.0, -4.0])
    opt = SGD([p], lr=0.1, weight_decay=0.5)
    for _ in range(10):
        opt.zero_grad()  # no loss: only the penalty
        opt.step()
    np.testing.assert_allclose(p.data, np.array([2.0, -4.0]) * (1 - 0.1 * 0.5) ** 10, rtol=1e-14)


def test_momentum_is_faster_in_a_narrow_valley():
    # Polyak's heavy ball on a quadratic with condition number 100: rate (sqrt k - 1) /
    # (sqrt k + 1) = 0.82 per step, against (k - 1) / (k + 1) = 0.98 without momentum.
    curvature = np.array([1.0, 100.0])
    distances = {}
    for name, lr, mu in (("gd", 2 / 101, 0.0), ("momentum", 4 / 11**2, (9 / 11) ** 2)):
        p = Parameter([1.0, 1.0])
        opt = SGD([p], lr=lr, momentum=mu)
        for _ in range(100):
            opt.zero_grad()
            p.grad += curvature * p.data
            opt.step()
        distances[name] = np.linalg.norm(p.data)
    assert distances["momentum"] < 1e-6 < 0.1 < distances["gd"]


def test_velocities_are_kept_apart_from_the_gradients():
    p = Parameter(np.zeros(2))
    opt = SGD([p], lr=0.1, momentum=0.9)
    p.grad[...] = 1.0
    opt.step()
    opt.zero_grad()  # must not reset the velocity
    np.testing.assert_array_equal(opt.velocities[0], [1.0, 1.0])
    opt.step()  # zero gradient: the velocity alone moves the parameter
    np.testing.assert_allclose(p.data, [-0.1 - 0.09, -0.1 - 0.09], rtol=1e-14)


def test_a_failed_momentum_step_changes_neither_parameters_nor_velocities():
    p = Parameter(np.ones(2))
    opt = SGD([p], lr=0.1, momentum=0.9)
    p.grad[...] = 1.0
    opt.step()
    data, velocity = p.data.copy(), opt.velocities[0].copy()
    p.grad[...] = [1.0, np.nan]
    with pytest.raises(ValueError, match="No parameter was changed"):
        opt.step()
    np.testing.assert_array_equal(p.data, data)
    np.testing.assert_array_equal(opt.velocities[0], velocity)
    p.grad[...] = 1.0  # training can go on from where it was
    opt.step()
    np.testing.assert_allclose(opt.velocities[0], 0.9 * velocity + 1.0, rtol=1e-15)


def test_momentum_and_weight_decay_become_python_numbers():
    opt = SGD([Parameter([1.0])], lr=0.1, momentum=np.float64(0.9), weight_decay=np.float32(0))
    assert type(opt.momentum) is float and type(opt.weight_decay) is float


@pytest.mark.parametrize("argument", ["momentum", "weight_decay"])
@pytest.mark.parametrize(
    ("value", "error"), [(-0.1, ValueError), (np.inf, ValueError), ("0.9", TypeError)]
)
def test_sgd_rejects_a_bad_momentum_or_weight_decay(argument, value, error):
    with pytest.raises(error, match=argument):
        SGD([Parameter([1.0])], lr=0.1, **{argument: value})
