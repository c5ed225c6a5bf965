"""Plotting helpers that more than one chapter uses.

One colour and one marker per class, the same in every chapter (Okabe and
Ito's colour-blind safe palette), so that "class 1" always looks the same.
"""

import base64
import html
import io
import json

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from PIL import Image

from nnlib.validation import (
    check_array,
    check_labels,
    check_non_negative,
    check_positive,
)

__all__ = [
    "CLASS_COLORS",
    "CLASS_MARKERS",
    "plot_data",
    "plot_decision_regions",
    "plot_line",
    "Slider",
    "use_book_style",
]

CLASS_COLORS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#999999",
    "#882255",
]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "h", "<"]


def use_book_style():
    """The book's figure style; every chapter calls it in its first cell.

    Text at 11 points, readable on a web page; in a notebook, figures are drawn at
    twice their displayed resolution ("retina" PNG), so they stay sharp on
    high-density screens and when zoomed. Outside IPython only the text size changes.

    Returns
    -------
    None
        It changes matplotlib's settings (`plt.rcParams`) and IPython's figure format.
    """
    plt.rcParams["font.size"] = 11
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # plain Python: nothing to configure
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def plot_data(X, y, ax=None, labels=None, s=40, **scatter_kwargs):
    """Scatter 2-D points X (n, 2) coloured and shaped by their integer class y (n,).

    Parameters
    ----------
    X : array-like, shape (n, 2)
        The points.
    y : array-like of int, shape (n,)
        Their classes, 0 .. 9: class k is drawn in `CLASS_COLORS[k]` with marker
        `CLASS_MARKERS[k]`, in every chapter.
    ax : matplotlib Axes, optional
        Where to draw (default: the current axes).
    labels : sequence of str, optional
        A name for each class, for the legend (default: "class 0", "class 1", ...).
    s : float, default 40
        Marker size, in points squared.
    **scatter_kwargs
        Passed on to `ax.scatter`.

    Returns
    -------
    matplotlib Axes
        The axes drawn on.
    """
    X = check_array(X, "X", ndim=2, n_columns=2)
    y = check_labels(y, "y", n_samples=len(X), n_classes=len(CLASS_COLORS))
    if labels is not None and (np.ndim(labels) != 1 or len(labels) <= y.max()):
        raise ValueError(f"labels must name every class 0..{y.max()}, got {labels!r:.60}")
    ax = ax or plt.gca()
    for k in np.unique(y):
        name = labels[k] if labels is not None else f"class {k}"
        ax.scatter(
            *X[y == k].T,
            c=CLASS_COLORS[k],
            marker=CLASS_MARKERS[k],
            label=name,
            edgecolors="white",
            linewidths=0.6,
            s=s,
            zorder=3,
            **scatter_kwargs,
        )
    return ax


def plot_decision_regions(
    predict, X, y=None, ax=None, labels=None, resolution=300, margin=0.5, s=40
):
    """Shade the plane by the class `predict` gives each point, then scatter (X, y).

    Parameters
    ----------
    predict : callable
        A function taking an array (m, 2) and returning m integer classes, such as a
        fitted model's `predict`.
    X : array-like, shape (n, 2)
        The data; it also fixes the plotted window (plus `margin` on every side).
    y : array-like of int, shape (n,), optional
        The data's classes; without them only the regions are drawn.
    ax : matplotlib Axes, optional
        Where to draw (default: the current axes).
    labels : sequence of str, optional
        A name for each class, for the legend.
    resolution : int, default 300
        Grid points along each axis at which `predict` is evaluated.
    margin : float, default 0.5
        Space around the data, in the data's units.
    s : float, default 40
        Marker size of the data points.

    Returns
    -------
    matplotlib Axes
        The axes drawn on.
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function of X (m, 2), got {type(predict).__name__}")
    X = check_array(X, "X", ndim=2, n_columns=2)
    if y is not None:
        y = check_labels(y, "y", n_samples=len(X), n_classes=len(CLASS_COLORS))
    check_positive(resolution, "resolution", integer=True)
    check_non_negative(margin, "margin")
    ax = ax or plt.gca()
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    grid_x, grid_y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    classes = np.ravel(predict(np.c_[grid_x.ravel(), grid_y.ravel()]))
    if classes.dtype.kind == "f" and np.all(classes == np.round(classes)):
        classes = classes.astype(np.int64)  # whole numbers stored as floats, such as 0.0 and 1.0
    classes = check_labels(
        classes, "predict(grid)", n_samples=grid_x.size, n_classes=len(CLASS_COLORS)
    ).reshape(grid_x.shape)
    n_classes = int(max(classes.max(), 0 if y is None else np.max(y))) + 1
    ax.contourf(
        grid_x,
        grid_y,
        classes,
        levels=np.arange(n_classes + 1) - 0.5,
        cmap=ListedColormap(CLASS_COLORS[:n_classes]),
        alpha=0.2,
    )
    if y is not None:
        plot_data(X, y, ax=ax, labels=labels, s=s)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def plot_line(w, b, ax=None, **line_kwargs):
    """Draw the line w[0] x + w[1] y + b = 0 across the current axes' window.

    Parameters
    ----------
    w : array-like, shape (2,)
        The line's normal vector (w1, w2); not zero.
    b : float
        The bias.
    ax : matplotlib Axes, optional
        Where to draw (default: the current axes); its limits are kept.
    **line_kwargs
        Passed on to `ax.plot` (colour, line style, label, ...).

    Returns
    -------
    matplotlib Axes
        The axes drawn on.
    """
    w, b = check_array(w, "w"), check_array(b, "b")
    if w.size != 2:
        raise ValueError(f"w must hold two weights (w1, w2), got shape {w.shape}")
    if b.size != 1:
        raise ValueError(f"b must be one number (the bias), got shape {b.shape}")
    w, b = w.ravel(), b.item()
    if w[0] == 0 and w[1] == 0:
        raise ValueError(f"w must not be zero: with w = {w.tolist()} there is no boundary line")
    ax = ax or plt.gca()
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    if abs(w[1]) > abs(w[0]):  # closer to horizontal: solve for y
        xs = np.array([x0, x1])
        ax.plot(xs, -(w[0] * xs + b) / w[1], **line_kwargs)
    else:
        ys = np.array([y0, y1])
        ax.plot(-(w[1] * ys + b) / w[0], ys, **line_kwargs)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def _palette_png(png):
    """The same picture as a 256-colour PNG: about a third of the bytes of a plot."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=256, dither=Image.Dither.NONE).save(buffer, format="PNG",
                                                              optimize=True)
    return buffer.getvalue()


class Slider:
    """An interactive figure that needs no kernel and no internet: a slider over frames.

    Every frame is drawn once, here, and stored as a PNG inside the HTML, with a few
    lines of JavaScript that swap the picture as the slider moves. So it works on the
    static website, in JupyterLab, VS Code and Colab; the same values always give
    the same HTML. Where HTML cannot be shown (a PDF, GitHub's preview) one frame,
    `still`, appears as a plain image. Frames are stored with 256 colours (a third of
    the bytes; plots use far fewer colours).

    Parameters
    ----------
    fig : matplotlib Figure
        The figure to animate; the slider replaces it (it is closed).
    draw : callable
        `draw(value)` redraws `fig` for one value of the slider.
    values : sequence
        The slider's positions, in order (at least one; about 25 at most keeps a
        notebook small: each frame is a PNG).
    label : str
        What the slider sets, shown beside it with the current value.
    name : str
        A short id, unique on the page: letters, digits and "-".
    alt : str
        What the picture shows, for a reader who cannot see it.
    start : int, default 0
        The index of the first frame shown.
    fmt : str, default "{:.3g}"
        How the current value is printed beside the slider.
    still : int, optional
        The index of the frame shown where the slider cannot be (default: start).
    """

    def __init__(self, fig, draw, values, label, name, alt, start=0, fmt="{:.3g}",
                 still=None):
        if not name.replace("-", "").isalnum():
            raise ValueError(f"name must hold letters, digits and '-', got {name!r}")
        self.name, self.label, self.alt = name, label, alt
        self.values = list(values)
        if not self.values:
            raise ValueError("values must hold at least one slider position, got none")
        self.start = int(start) % len(self.values)
        self.still = self.start if still is None else int(still) % len(self.values)
        self.texts = [fmt.format(v) for v in self.values]
        self.frames = []
        for value in self.values:
            draw(value)
            buffer = io.BytesIO()
            # twice the displayed size: sharp on high-density screens
            fig.savefig(buffer, format="png", dpi=2 * fig.dpi)
            self.frames.append(_palette_png(buffer.getvalue()))
        self.width = int(round(fig.get_figwidth() * fig.dpi))  # displayed width, px
        plt.close(fig)  # the slider replaces the static figure

    def __repr__(self):
        return f"Slider({self.name!r}, {len(self.frames)} frames of {self.label!r})"

    def _repr_png_(self):
        return self.frames[self.still]

    def _repr_html_(self):
        uris = ["data:image/png;base64," + base64.b64encode(f).decode() for f in self.frames]
        root = f"nnlib-slider-{self.name}"
        label = html.escape(self.label)
        return (
            f'<div class="nnlib-slider" id="{root}">'
            f'<img src="{uris[self.start]}" alt="{html.escape(self.alt)}" '
            f'style="width: {self.width}px; max-width: 100%; height: auto;">'
            f'<div><label>{label} <input type="range" min="0" max="{len(uris) - 1}" '
            f'step="1" value="{self.start}" aria-label="{label}" style="width: 60%;">'
            f"</label> <output>{html.escape(self.texts[self.start])}</output></div>"
            "<script>(function () {"
            f"var root = document.getElementById({json.dumps(root)});"
            f"var frames = {json.dumps(uris)}; var texts = {json.dumps(self.texts)};"
            'var img = root.querySelector("img"), out = root.querySelector("output");'
            'root.querySelector("input").addEventListener("input", function () {'
            "img.src = frames[this.value]; out.textContent = texts[this.value];});"
            "})();</script></div>"
        )
