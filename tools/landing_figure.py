"""Draw the landing page's figure, book/_static/landing.png: what the reader will build.

    .venv/bin/python tools/landing_figure.py

Three panels, each made with nnlib as the book makes it: a perceptron's straight
boundary between two iris species (chapter 1); a multi-layer network trained by
backpropagation, bending its boundary around two interleaving moons (chapters 2 to 4);
and a network reading handwritten digits it has never seen (chapter 5). The script
prints the numbers it draws. It is run by hand when the figure should change (the
website shows the committed PNG); the same nnlib and matplotlib give the same PNG.

The PNG is drawn at twice its displayed size (retina), like the chapters' figures;
intro.md shows it at WIDTH_PX CSS pixels.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.activations import ReLU, Tanh  # noqa: E402
from nnlib.data import load_digits_split, load_iris_2d, make_moons  # noqa: E402
from nnlib.layers import Linear, Sequential  # noqa: E402
from nnlib.losses import CrossEntropyLoss  # noqa: E402
from nnlib.optim import SGD  # noqa: E402
from nnlib.perceptron import Perceptron  # noqa: E402
from nnlib.plotting import plot_decision_regions, use_book_style  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "book" / "_static" / "landing.png"
SEED = 0
WIDTH_IN, HEIGHT_IN, DPI = 6.6, 2.45, 100  # 660 x 245 CSS pixels
WIDTH_PX = int(WIDTH_IN * DPI)


def train(model, X, y, epochs, lr, batch=32, rng=SEED):
    """Mini-batch gradient descent on the cross-entropy, as chapter 4 does it."""
    rng = np.random.default_rng(rng)
    loss, optimizer = CrossEntropyLoss(), SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch):
            i = order[start : start + batch]
            optimizer.zero_grad()
            loss(model(X[i]), y[i])
            model.backward(loss.backward())
            optimizer.step()
    return model


def predict(model, X):
    return np.argmax(model(X), axis=1)


def main():
    use_book_style()
    fig, axes = plt.subplots(1, 3, figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)

    X, y = load_iris_2d()
    perceptron = Perceptron(rng=SEED).fit(X, y)
    plot_decision_regions(perceptron.predict, X, y, ax=axes[0], s=18)
    axes[0].set_title("chapter 1: one neuron", fontsize=11)
    print(f"perceptron on iris: training accuracy {perceptron.score(X, y):.3f}")

    X, y = make_moons(n_samples=200, noise=0.2, rng=SEED)
    rng = np.random.default_rng(SEED)
    net = Sequential(Linear(2, 16, rng=rng), Tanh(), Linear(16, 16, rng=rng), Tanh(),
                     Linear(16, 2, rng=rng))
    train(net, X, y, epochs=300, lr=0.1)
    plot_decision_regions(lambda P: predict(net, P), X, y, ax=axes[1], s=14)
    axes[1].set_title("chapters 2-4: a network", fontsize=11)
    print(f"network on moons: training accuracy {np.mean(predict(net, X) == y):.3f}")

    X_train, X_test, y_train, y_test = load_digits_split(rng=SEED)
    rng = np.random.default_rng(SEED)
    reader = Sequential(Linear(64, 64, rng=rng), ReLU(), Linear(64, 10, rng=rng))
    train(reader, X_train, y_train, epochs=60, lr=0.1)
    guesses = predict(reader, X_test)
    accuracy = np.mean(guesses == y_test)
    print(f"network on digits: test accuracy {accuracy:.3f}")
    ax = axes[2]
    ax.set_title(f"chapter 5: digits, {accuracy:.0%}", fontsize=11)
    ax.set_xlim(0, 3)
    ax.set_ylim(0, 3)
    for k in range(9):
        row, col = divmod(k, 3)
        image = X_test[k].reshape(8, 8)
        extent = (col + 0.05, col + 0.75, 2.95 - row - 0.7, 2.95 - row)
        ax.imshow(image, cmap="gray_r", extent=extent, interpolation="nearest")
        right = guesses[k] == y_test[k]
        ax.text(col + 0.8, 2.95 - row - 0.35, str(guesses[k]), fontsize=11,
                va="center", color="#009E73" if right else "#D55E00", weight="bold")
    for a in axes:
        a.set_xticks([])
        a.set_yticks([])
    fig.tight_layout(pad=0.3, w_pad=0.6)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=2 * DPI, facecolor="white", metadata={"Software": None})
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}, "
          f"{2 * WIDTH_PX} pixels wide, shown at {WIDTH_PX}")


if __name__ == "__main__":
    main()
