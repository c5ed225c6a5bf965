"""book/_ext/bookfixes.py, the book's Sphinx extension, on small inputs (no build).

The built site's checks (test_site.py, test_browser.py) see its effect on every page;
these pin down how it reads a docstring and when it widens a block.
"""

import importlib.util
import inspect
from pathlib import Path
from types import SimpleNamespace

from docutils import nodes
from docutils.core import publish_doctree

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("bookfixes", ROOT / "book" / "_ext" / "bookfixes.py")
bookfixes = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bookfixes)


def rendered(obj) -> list[str]:
    lines = inspect.cleandoc(obj.__doc__).splitlines()
    bookfixes.render_docstring(None, "function", "x", obj, {}, lines)
    return lines


def parses_cleanly(lines) -> nodes.document:
    """The reST parses with no warning or error (the strict build would fail)."""
    doctree = publish_doctree("\n".join(lines), settings_overrides={
        "report_level": 5, "warning_stream": False})
    messages = list(doctree.findall(nodes.system_message))
    assert messages == [], [m.astext() for m in messages]
    return doctree


def test_a_plain_docstring_becomes_prose_and_parameter_fields():
    # "in_features, out_features: ..." names the constructor's parameters: one
    # parameter field each (the API page's Parameters list); the compact docstring
    # that chapter 2 shows stays as it is.
    from nnlib.layers import Linear

    lines = rendered(Linear)
    text = "\n".join(lines)
    assert ":param in_features: sizes d\\_in and d\\_out" in text
    assert ":param out_features: sizes d\\_in and d\\_out" in text
    assert ":param rng:" in text and ":param dtype:" in text
    assert "code-block" not in text and "::" not in text.replace("\\:", "")
    doctree = parses_cleanly(lines)
    assert len(list(doctree.findall(nodes.field_list))) == 1
    assert "X @ W + b" in doctree.astext()  # escaped in reST, shown as written


def test_names_that_are_not_parameters_stay_a_list():
    def f(x):
        """Summary.

        x: a parameter.
        y: not one of f's parameters.
        """

    lines = rendered(f)
    text = "\n".join(lines)
    assert ":param x: a parameter\\." in text and "- ``y``: not one" in text
    doctree = parses_cleanly(lines)
    assert len(list(doctree.findall(nodes.field_list))) == 1
    assert len(list(doctree.findall(nodes.bullet_list))) == 1


def test_aligned_columns_stay_verbatim_and_two_entries_on_a_line_split():
    from nnlib import init
    from nnlib.perceptron import Perceptron

    table = "\n".join(rendered(init))
    assert ".. code-block:: text" in table and "naive   normal(std)" in table
    entries = "\n".join(rendered(Perceptron))
    assert "- ``coef_ (n_features,)``: the weights w\\." in entries
    assert "- ``intercept_ (float)``: the bias b\\." in entries
    parses_cleanly(rendered(init))
    parses_cleanly(rendered(Perceptron))


def test_a_numpy_docstring_keeps_its_sections_for_napoleon():
    from nnlib.validation import check_array

    lines = rendered(check_array)
    assert lines[lines.index("Parameters") + 1] == "----------"
    assert "value : array\\-like" in lines
    assert any(line.startswith("    An ndarray") for line in lines)
    assert "Raises" in lines and "TypeError" in lines


def test_wide_code_is_marked_full_width():
    app = SimpleNamespace(srcdir=str(ROOT), builder=SimpleNamespace(format="html"))
    short, wide = nodes.literal_block(text="x = 1"), nodes.literal_block(text="x" * 90)
    nested = nodes.note("", nodes.literal_block(text="y" * 75))
    doctree = nodes.section("", short, wide, nested)
    bookfixes.spread_wide_blocks(app, doctree, "page")
    assert "full-width" not in short["classes"] and "full-width" in wide["classes"]
    assert "full-width" in nested[0]["classes"]  # 75 characters do not fit in a note


def test_maths_is_glued_to_the_punctuation_after_it():
    paragraph = nodes.paragraph("", "", nodes.Text("for "), nodes.math(text="x"),
                                nodes.Text(", and "), nodes.math(text="y"), nodes.Text(" ok"))
    doctree = nodes.section("", paragraph)
    bookfixes.keep_punctuation_with_math(None, doctree, "page")
    glued = [n for n in paragraph.children if isinstance(n, nodes.inline)]
    assert len(glued) == 1 and glued[0].astext() == "x," and "nowrap" in glued[0]["classes"]
    assert paragraph.astext() == "for x, and y ok"
