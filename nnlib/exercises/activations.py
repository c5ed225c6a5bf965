"""Checkers for the exercises of chapter 3 (activation functions).

Each checker prints friendly feedback and returns True or False; a None
placeholder gets "not answered yet" instead of an error.
"""

import numpy as np

from nnlib.exercises import not_answered, report

__all__ = [
    "check_gradient_growth",
    "check_he_std_leaky",
    "check_layers_to_vanish",
    "check_silu_derivative",
    "check_softmax_jacobian",
    "check_symmetry_breaking",
]


def _silu(z):
    return z / (1.0 + np.exp(-z))  # fine on the moderate grid the checker uses


def check_silu_derivative(silu_derivative):
    """Check a function z -> d/dz [z sigmoid(z)] against central differences on [-6, 6]."""
    if not_answered(silu_derivative):
        return False
    if not callable(silu_derivative):
        return report([f"pass a function of z, got {type(silu_derivative).__name__}"], "")
    z = np.linspace(-6.0, 6.0, 241)
    try:
        got = np.asarray(silu_derivative(z), dtype=np.float64)
    except Exception as error:  # the learner's code may raise anything; report it kindly
        return report([f"calling your function on an array raised {type(error).__name__}: "
                       f"{error}"], "")
    if got.shape != z.shape:
        return report([f"for z of shape {z.shape} return shape {z.shape}, got {got.shape}"], "")
    eps = 1e-5
    numeric = (_silu(z + eps) - _silu(z - eps)) / (2 * eps)
    err = np.abs(got - numeric) / np.maximum(np.maximum(np.abs(got), np.abs(numeric)), 1e-3)
    problems = []
    if not np.all(np.isfinite(got)):
        problems.append("your derivative returns NaN or infinity somewhere on [-6, 6]")
    elif err.max() > 1e-6:
        worst = int(np.argmax(err))
        problems.append(
            f"at z = {z[worst]:.2f} you return {got[worst]:.6f}, but central differences give "
            f"{numeric[worst]:.6f} (hint: product rule, and sigmoid' = sigmoid (1 - sigmoid))"
        )
    return report(problems, "Your SiLU derivative matches central differences on [-6, 6].")


def check_layers_to_vanish(n_layers):
    """Check the smallest L with (1/4)**L < 1e-9."""
    if not_answered(n_layers):
        return False
    if isinstance(n_layers, bool) or not isinstance(n_layers, (int, np.integer)):
        return report([f"answer with a whole number of layers, got {n_layers!r}"], "")
    expected = int(np.ceil(9 / np.log10(4)))
    while 0.25 ** (expected - 1) < 1e-9:  # guard against rounding in the logarithm
        expected -= 1
    problems = []
    if n_layers < expected:
        problems.append(f"(1/4)^{n_layers} = {0.25**n_layers:.2e} is not below 1e-9 yet")
    elif n_layers > expected:
        problems.append(f"(1/4)^{n_layers - 1} = {0.25 ** (n_layers - 1):.2e} is already "
                        "below 1e-9: look for the smallest L")
    return report(problems, f"(1/4)^{expected} = {0.25**expected:.2e} < 1e-9 < "
                            f"(1/4)^{expected - 1} = {0.25 ** (expected - 1):.2e}.")


# Why each start of the chapter's XOR network (train_xor) does or does not end with
# hidden units that differ from each other.
_SYMMETRY_REASONS = {
    "a": "(a) leaves them equal: with all weights 0, A1 = tanh(0) = 0 and W2 = 0, so "
         "dL/dW2 = A1^T dL/dZ2 = 0 and dL/dA1 = dL/dZ2 W2^T = 0; the weights never move",
    "b": "(b) makes them differ: different outgoing weights send each unit a different "
         "dL/dA1 = dL/dZ2 W2^T",
    "c": "(c) keeps them different: random W1 makes the units compute different functions, "
         "and W2 = 0 is no obstacle, since dL/dW2 = A1^T dL/dZ2 differs from unit to unit",
    "d": "(d) makes them differ: different biases give the units different "
         "pre-activations, hence different g'(Z1) and different gradients",
}


def check_symmetry_breaking(answer):
    """Check which starts of the chapter's XOR network end with hidden units that differ.

    answer: the letters of those starts, as a string such as "ab" or a set of letters.
    """
    if not_answered(answer):
        return False
    if isinstance(answer, str):
        letters = set(answer.lower()) - set(" ,;{}[]()'\"")
    else:
        try:
            letters = {str(letter).strip().lower() for letter in answer}
        except TypeError:
            return report([f"answer with letters, such as \"ab\" or {{\"a\", \"b\"}}, "
                           f"got {answer!r:.40}"], "")
    unknown = sorted(letters - set(_SYMMETRY_REASONS))
    if unknown:
        return report([f"choose among the starts a, b, c and d, got {unknown}"], "")
    expected = {"b", "c", "d"}
    problems = [_SYMMETRY_REASONS[letter] for letter in sorted(letters ^ expected)]
    return report(problems, "b, c and d: whatever tells the units apart breaks the "
                            "symmetry.")


def check_gradient_growth(factor):
    """Check the growth of the gradient's RMS from layer 20 back to layer 1.

    The network: 20 ReLU layers of width 100, weights drawn from N(0, 0.2**2).
    """
    if not_answered(factor):
        return False
    try:
        factor = float(factor)
    except (TypeError, ValueError):
        return report([f"answer with a number, got {factor!r:.40}"], "")
    if not (np.isfinite(factor) and factor > 0):
        return report([f"a growth factor is a positive number, got {factor!r}"], "")
    per_layer = np.sqrt(100 * 0.2**2 * 0.5)  # sqrt(d_out v E[g'(z)^2]), E[relu'^2] = 1/2
    expected = per_layer**19
    problems = []
    if not np.isclose(factor, expected, rtol=0.01):
        if np.isclose(factor, per_layer**38, rtol=0.01):
            problems.append(f"{factor:.4g} = 2^19 is the growth of the mean square, or "
                            "forgets that the ReLU passes only about half the entries: per "
                            "layer the RMS grows by sqrt(d_out v E[g'(z)^2]), with "
                            "E[g'(z)^2] = 1/2")
        elif np.isclose(factor, per_layer**20, rtol=0.01):
            problems.append("from layer 20 back to layer 1 the gradient crosses 19 layers, "
                            "not 20")
        elif factor < 1:
            problems.append(f"{factor:.4g} < 1 says the gradient shrinks; compare the "
                            "weights' variance with He's 2 / d_in")
        else:
            problems.append(f"got {factor:.4g}; per layer the RMS grows by "
                            "sqrt(d_out v E[g'(z)^2]): raise that to the number of layers "
                            "crossed")
    return report(problems, f"sqrt(100 * 0.04 / 2)^19 = {expected:.0f}, as v = 2 * He's.")


def check_he_std_leaky(std, negative_slope, fan_in):
    """Check the standard deviation that keeps E[a^2] constant through leaky ReLU layers."""
    if not_answered(std, negative_slope, fan_in):
        return False
    given = f"{std!r:.30}, {negative_slope!r:.30} and {fan_in!r:.30}"
    try:
        std, negative_slope, fan_in = float(std), float(negative_slope), int(fan_in)
        expected = np.sqrt(2.0 / ((1.0 + negative_slope**2) * fan_in)) if fan_in > 0 else np.nan
    except (TypeError, ValueError, OverflowError):
        std = expected = np.nan  # reported just below
    if not (np.isfinite(std) and np.isfinite(expected)):
        return report([f"std, negative_slope and fan_in must be finite numbers, fan_in >= 1, "
                       f"got {given}"], "")
    problems = []
    if not np.isclose(std, expected, rtol=1e-6, atol=0):
        if np.isclose(std, np.sqrt(2.0 / fan_in), rtol=1e-6):
            problems.append("that is He's value for a plain ReLU; the negative side also "
                            "contributes slope^2 * Var(z) / 2 to E[a^2]")
        else:
            problems.append(f"got {std:.6f}; compute E[g(z)^2] for z ~ N(0, v) on each side "
                            "of 0 and choose Var(w) so that fan_in * Var(w) * E[g(z)^2] = v")
    return report(problems, f"std = sqrt(2 / ((1 + {negative_slope}^2) * {fan_in})) "
                            f"= {expected:.6f}.")


def check_softmax_jacobian(J, z):
    """Check J[i, j] = d y_hat_i / d z_j, y_hat = softmax(z), for a 1-D vector of logits z."""
    if not_answered(J, z):
        return False
    try:
        z = np.asarray(z, dtype=np.float64).ravel()
        J = np.asarray(J, dtype=np.float64)
    except (TypeError, ValueError):
        return report(["J and z must be arrays of numbers"], "")
    k = z.shape[0]
    if k == 0 or not np.all(np.isfinite(z)):
        return report([f"z must be a vector of finite logits, got {z!r:.60}"], "")
    if J.shape != (k, k):
        return report([f"the Jacobian of k = {k} outputs by {k} inputs has shape {(k, k)}, "
                       f"got {J.shape}"], "")

    def softmax(v):
        e = np.exp(v - v.max())
        return e / e.sum()

    eps = 1e-6
    numeric = np.empty((k, k))
    for j in range(k):
        step = np.zeros(k)
        step[j] = eps
        numeric[:, j] = (softmax(z + step) - softmax(z - step)) / (2 * eps)
    problems = []
    if not np.allclose(J, numeric, rtol=1e-5, atol=1e-8):
        problems.append("not the Jacobian yet: differentiate y_hat_i = exp(z_i) / sum_m exp(z_m) "
                        "with respect to z_j, separately for j = i and j != i")
    return report(problems, "J = diag(y_hat) - y_hat y_hat^T; each of its rows sums to 0.")
