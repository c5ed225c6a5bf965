"""nnlib.plotting.Slider: an interactive figure that needs neither a kernel nor the internet."""

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from nnlib.plotting import Slider  # noqa: E402


def make_slider(values=(0.5, 1.0, 2.0), start=0, still=None):
    fig, ax = plt.subplots(figsize=(3, 2))
    z = np.linspace(-3, 3, 50)
    (line,) = ax.plot(z, np.tanh(z))

    def draw(k):
        line.set_ydata(np.tanh(k * z))

    return Slider(fig, draw, values, label="steepness k", name="tanh-k",
                  alt="tanh(k z) for the chosen k", start=start, still=still)


def frames_of(html):
    return re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)


def test_one_frame_per_value_each_a_different_picture():
    slider = make_slider()
    assert len(slider.frames) == 3
    assert len(set(slider.frames)) == 3  # each value draws its own picture
    assert all(f.startswith(b"\x89PNG") for f in slider.frames)
    html = slider._repr_html_()
    frames = frames_of(html)
    # the <img> shows the start frame; the script holds all of them, in order
    assert frames[0] == base64.b64encode(slider.frames[0]).decode()
    assert frames[1:] == [base64.b64encode(f).decode() for f in slider.frames]


def test_the_html_is_self_contained_and_deterministic():
    html = make_slider()._repr_html_()
    assert "http" not in html  # nothing is loaded from anywhere
    assert 'id="nnlib-slider-tanh-k"' in html and 'type="range"' in html
    assert 'max="2"' in html and 'alt="tanh(k z) for the chosen k"' in html
    assert make_slider()._repr_html_() == html  # the same values, the same text


def test_start_frame_and_plain_image_fallback():
    slider = make_slider(start=2)
    assert slider._repr_png_() == slider.frames[2]
    assert make_slider(start=2, still=1)._repr_png_() == slider.frames[1]
    assert 'value="2"' in slider._repr_html_() and "<output>2</output>" in slider._repr_html_()
    assert repr(slider) == "Slider('tanh-k', 3 frames of 'steepness k')"


def test_frames_are_drawn_at_twice_the_displayed_size():
    slider = make_slider()
    width = int.from_bytes(slider.frames[0][16:20], "big")  # PNG IHDR width
    assert width == 2 * slider.width
    assert f"width: {slider.width}px" in slider._repr_html_()
