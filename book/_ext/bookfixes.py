"""Two small Sphinx fixes for this book, loaded by _config.yml (sphinx: local_extensions).

1. No inline script twice. With Sphinx 7.4, an inline script that an extension adds
   after the builder started (sphinx-thebe's `const THEBE_JS_URL = ...`,
   sphinx-togglebutton's selector) lands in every page twice, and declaring a `const`
   twice is a JavaScript SyntaxError in the reader's console on every page. We drop
   the second copy. (tests/test_browser.py fails on any console error.)

2. nnlib's docstrings are plain text, not reStructuredText: shapes such as
   "X (n, d)", aligned columns, `*` for products, names such as coef_. The API
   reference shows each docstring as written: its first paragraph as prose (with
   `code` as code), the rest verbatim in a literal block. No docstring can then
   break the strict (-W) build or be mangled by the reST parser.
"""

import re


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (
            str(getattr(script, "filename", script) or ""),
            tuple(sorted((k, str(v)) for k, v in attributes.items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def prose(text):
    """reST that displays exactly `text`: `code` becomes an inline literal, every other
    punctuation character is escaped (so "coef_", "a * b" or "|x|" mean nothing)."""
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no literals at all
        parts = [text]
    out = []
    for i, part in enumerate(parts):
        if i % 2 and part.strip() and part == part.strip():
            out.append(f"\\ ``{part}``\\ ")  # "\ " separates without a visible space
        else:
            out.append(re.sub(r"([^A-Za-z0-9\s])", r"\\\1", part if i % 2 == 0 else f"`{part}`"))
    return "".join(out)


def plain_text_docstring(app, what, name, obj, options, lines):
    text = [line.rstrip() for line in lines]
    while text and not text[-1]:
        text.pop()
    if not text:
        return
    summary = []
    while text and text[0]:  # the first paragraph
        summary.append(text.pop(0).strip())
    while text and not text[0]:
        text.pop(0)
    new = [prose(" ".join(summary))]
    if text:
        new += ["", "::", ""] + [f"    {line}" if line else "" for line in text]
    lines[:] = [*new, ""]


def setup(app):
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("autodoc-process-docstring", plain_text_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
