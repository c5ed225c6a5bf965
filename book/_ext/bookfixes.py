"""Small Sphinx fixes for this book, loaded by _config.yml (sphinx: local_extensions).

1. No inline script twice. With Sphinx 7.4, an inline script that an extension adds
   after the builder started (sphinx-thebe's `const THEBE_JS_URL = ...`,
   sphinx-togglebutton's selector) lands in every page twice, and declaring a `const`
   twice is a JavaScript SyntaxError in the reader's console on every page. We drop
   the second copy. (tests/test_browser.py fails on any console error.)

2. Docstrings become reStructuredText that renders what the author wrote. nnlib's
   docstrings are plain text (shapes such as "X (n, d)", `*` for products, names such
   as coef_), in one of two layouts:

   - numpy style (sections such as "Parameters" underlined with dashes, entries
     "name : type" with an indented description): the plain text is escaped and the
     layout kept, and sphinx.ext.napoleon turns the sections into field lists;
   - the older free layout of the teaching modules: a summary line, then blocks of
     prose, "name: description" lines (shown as a list with the names as code),
     "- " bullets, and indented or column-aligned blocks (shown verbatim).

   Backticks mark code in both. Nothing in a docstring is read as reST markup, so no
   docstring can break the strict (-W) build or be mangled by the reST parser.

3. Code that fits. The text column holds about 80 characters of code (72 inside a
   solution or an admonition). A notebook cell or a code block with a longer line, or
   a figure wider than the column, gets the theme's `full-width` class: on a wide
   screen it spreads over the right-hand sidebar (which folds away while it is on
   screen) instead of scrolling sideways (book/_static/book.css).

4. Inline maths stays with the punctuation after it: "$x$," is wrapped in a
   no-wrap span, so that the comma never starts a line on its own.

5. The landing page's browser title is the book's title, once.
"""

from __future__ import annotations

import inspect
import re
import struct
from pathlib import Path

from docutils import nodes

# --- 1. duplicate inline scripts ---------------------------------------------------------


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


# --- 2. docstrings -----------------------------------------------------------------------


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


def literal(text):
    """An inline literal showing `text` exactly (reST has no escapes inside ``...``)."""
    if "``" in text or text != text.strip() or not text:
        return prose(text)
    return f"``{text}``"


NUMPY_SECTIONS = {
    "Parameters", "Other Parameters", "Returns", "Yields", "Receives", "Raises",
    "Warns", "Attributes", "Methods", "Notes", "References", "Examples", "See Also",
    "Warnings",
}  # fmt: skip
ENTRY_SECTIONS = {
    "Parameters", "Other Parameters", "Returns", "Yields", "Receives", "Raises",
    "Warns", "Attributes", "Methods",
}  # fmt: skip
# A name, or several, each with an optional shape: "X (n, 2), y (n,)", "pred (yhat) and
# target (y)", "coef_ (n_features,)", "in_features, out_features", "nnlib.data".
_TERM = r"[A-Za-z_][\w.]*(?:\s*\([^()]*\))?"
TERM_LINE = re.compile(rf"^({_TERM}(?:\s*(?:,|and)\s*{_TERM})*):\s+(\S.*)$")
ONE_TERM = re.compile(r"^([A-Za-z_]\w*)\s*(\([^()]*\))?$")
# The parameters of the function or class whose docstring is being rendered: a
# "name: description" line that names only these becomes a parameter field (the API
# page's "Parameters" list), while the teaching modules' docstrings, which the chapters
# show line by line, stay compact. render_docstring sets it.
PARAMETERS: set[str] = set()


def parameter_fields(term, description):
    """':param name: ...' lines if `term` names only parameters of the callable, else None."""
    names = [ONE_TERM.match(t.strip()) for t in re.split(r"\s*,\s*|\s+and\s+", term)]
    if not names or not all(m and m.group(1) in PARAMETERS for m in names):
        return None
    return [f":param {m.group(1)}: " + (f"{prose(m.group(2))} " if m.group(2) else "")
            + prose(description) for m in names]
ALIGNED = re.compile(r"\S {3,}\S")  # columns: three spaces or more inside a line


def indent_of(line):
    return len(line) - len(line.lstrip())


def blocks_of(lines):
    """Split lines at blank lines into blocks (lists of lines)."""
    blocks, block = [], []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def split_aligned_terms(line):
    """ "coef_ (k,): the weights.    intercept_ (float): the bias." -> two entries, or None."""
    pieces = re.split(r" {3,}", line.strip())
    if len(pieces) > 1 and all(TERM_LINE.match(p) for p in pieces):
        return pieces
    return None


def free_block(block):
    """One block of a free-layout docstring, as reST lines (ending with a blank line)."""
    base = min(indent_of(line) for line in block)
    if base > 0 or any(ALIGNED.search(line.strip()) and not split_aligned_terms(line)
                       for line in block):
        # Indented or column-aligned: a table or a formula laid out by hand. Verbatim.
        return ["", ".. code-block:: text", ""] + [f"   {line[base:]}" for line in block] + [""]
    items = []  # [kind, text] with kind "prose", "term" or "bullet"
    for line in block:
        text, deeper = line.strip(), indent_of(line) > base
        previous = items[-1] if items else None
        can_start_entry = previous is None or previous[0] != "prose" or (
            previous[1].endswith(":"))
        pieces = split_aligned_terms(line) if not deeper else None
        if pieces and can_start_entry:
            items += [["term", p] for p in pieces]
        elif not deeper and text.startswith("- "):
            items.append(["bullet", text[2:]])
        elif not deeper and can_start_entry and TERM_LINE.match(text):
            items.append(["term", text])
        elif previous and (deeper or previous[0] == "prose" or not re.search(
                r"[.!?:]$", previous[1])):
            previous[1] += " " + text  # a continuation line
        else:
            items.append(["prose", text])
    out, last = [], None
    for kind, text in items:
        if kind == "prose":
            out += ["", prose(text), ""]
        elif kind == "bullet":
            out += [""] * (last == "field") + [f"- {prose(text)}"]
        else:
            term, description = TERM_LINE.match(text).groups()
            fields = parameter_fields(term, description)
            if fields:
                out += [""] * (last in ("term", "bullet")) + fields
                kind = "field"
            else:
                out += [""] * (last == "field") + [f"- {literal(term)}: {prose(description)}"]
        last = kind
    return out + [""]


def free_text(lines):
    """A free-layout docstring (or a part of one) as reST lines."""
    out = []
    for block in blocks_of(lines):
        out += free_block(block)
    return out


def first_paragraph(lines):
    """(the summary as one reST line, the remaining lines)."""
    lines = list(lines)
    while lines and not lines[0].strip():
        lines.pop(0)
    summary = []
    while lines and lines[0].strip():
        summary.append(lines.pop(0).strip())
    return prose(" ".join(summary)), lines


def numpy_sections(lines):
    """[(title or None, lines)] if the docstring has numpy-style sections, else None."""
    starts = [
        i for i in range(len(lines) - 1)
        if lines[i].strip() in NUMPY_SECTIONS and indent_of(lines[i]) == 0
        and re.fullmatch(r"-{3,}", lines[i + 1].strip())
    ]  # fmt: skip
    if not starts:
        return None
    parts = [(None, lines[: starts[0]])]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        parts.append((lines[start].strip(), lines[start + 2 : end]))
    return parts


def entry_section(lines):
    """The entries of a Parameters-like section, escaped, in napoleon's layout."""
    out, entry = [], None

    def flush():
        if entry is not None:
            head, body = entry
            name, sep, kind = head.partition(" : ")
            out.append(prose(name.strip()) + (f" : {prose(kind.strip())}" if sep else ""))
            described = [line for line in free_text(body) if line.strip()]
            out.extend(f"    {line}" for line in described)

    for line in lines:
        if line.strip() and indent_of(line) == 0:
            flush()
            entry = (line, [])
        elif entry is not None:
            entry[1].append(line[4:] if line.startswith("    ") else line.strip())
    flush()
    return out


def numpy_text(parts):
    out = free_text(parts[0][1])
    for title, body in parts[1:]:
        out += ["", title, "-" * len(title)]
        if title in ENTRY_SECTIONS:
            out += entry_section(body)
        elif title in {"Examples", "See Also"}:
            out += body  # doctest blocks and references: reST already
        else:
            out += free_text(body)
        out.append("")
    return out


def callable_parameters(obj):
    """The names a call of `obj` takes (a class: its constructor's), without self."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        return set(inspect.signature(target).parameters) - {"self", "cls"}
    except (TypeError, ValueError):  # a module, a property, a builtin without signature
        return set()


def render_docstring(app, what, name, obj, options, lines):
    PARAMETERS.clear()
    if what in ("class", "function", "method"):
        PARAMETERS.update(callable_parameters(obj))
    text = [line.rstrip() for line in lines]
    while text and not text[-1]:
        text.pop()
    if not text:
        return
    summary, rest = first_paragraph(text)
    parts = numpy_sections(rest)
    body = numpy_text(parts) if parts else free_text(rest)
    new = [summary, ""] + body
    while new and not new[-1].strip():
        new.pop()
    lines[:] = [*new, ""]


# --- 3. code and figures that fit --------------------------------------------------------

COLUMN_CHARS = 80  # code characters per line that fit in the text column
NESTED_CHARS = 72  # ... inside an admonition, a solution or a dropdown
COLUMN_PX = 660  # a figure wider than this (CSS pixels) spreads out too


def png_width(path: Path) -> int | None:
    try:
        with path.open("rb") as f:
            head = f.read(24)
    except OSError:
        return None
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">I", head[16:20])[0]


def css_px(value) -> float | None:
    match = re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", str(value or ""))
    return float(match.group(1)) if match else None


def image_width(app, node) -> float | None:
    """The width a figure was drawn for, in CSS pixels: a retina PNG's declared width,
    else its width in pixels."""
    declared = css_px(node.get("width"))
    if declared:
        return declared
    uri = node.get("uri", "")
    if "://" in uri or uri.startswith("data:"):
        return None
    return png_width(Path(app.srcdir) / uri)


SLIDER_WIDTH = re.compile(r'class="nnlib-slider".*?<img [^>]*style="width: (\d+)px', re.S)


def nested(node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, (nodes.Admonition, nodes.topic, nodes.sidebar)) or any(
            c in parent.get("classes", []) for c in ("solution", "dropdown", "toggle")
        ):
            return True
        parent = parent.parent
    return False


def too_wide(app, node) -> bool:
    limit = NESTED_CHARS if nested(node) else COLUMN_CHARS
    for block in node.findall(nodes.literal_block):
        if max((len(line) for line in block.astext().splitlines()), default=0) > limit:
            return True
    for image in node.findall(nodes.image):
        width = image_width(app, image)
        if width and width > COLUMN_PX:
            return True
    for raw in node.findall(nodes.raw):
        match = SLIDER_WIDTH.search(raw.astext())
        if match and int(match.group(1)) > COLUMN_PX:
            return True
    return False


def spread_wide_blocks(app, doctree, docname):
    """Give notebook cells, and code blocks outside cells, that do not fit the text
    column the theme's `full-width` class; and wide figures the class `wide-figure`
    (on a phone they keep a readable size and scroll in their box). HTML only."""
    if app.builder.format != "html":
        return
    for image in doctree.findall(nodes.image):
        width = image_width(app, image)
        if width and width > COLUMN_PX:
            image["classes"].append("wide-figure")
    for node in list(doctree.findall(nodes.container)):
        if "cell" in node.get("classes", []) and too_wide(app, node):
            node["classes"].append("full-width")
    for block in list(doctree.findall(nodes.literal_block)):
        inside_cell = any(
            "cell" in getattr(p, "get", lambda *_: [])("classes", []) for p in _ancestors(block)
        )
        if not inside_cell and too_wide(app, block):
            block["classes"].append("full-width")


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


# --- 4. maths and the punctuation after it -----------------------------------------------

PUNCTUATION = re.compile(r"^[,.;:!?)\]\u2019'\"]+")


def keep_punctuation_with_math(app, doctree, docname):
    if app is not None and app.builder.format != "html":
        return
    for math in list(doctree.findall(nodes.math)):
        parent = math.parent
        if parent is None:
            continue
        index = parent.index(math)
        if index + 1 >= len(parent.children):
            continue
        after = parent[index + 1]
        if not isinstance(after, nodes.Text):
            continue
        match = PUNCTUATION.match(str(after))
        if not match:
            continue
        glued = nodes.inline(classes=["nowrap"])
        parent.remove(math)
        glued += math
        glued += nodes.Text(match.group(0))
        rest = str(after)[match.end() :]
        parent.replace(after, glued)
        if rest:
            parent.insert(parent.index(glued) + 1, nodes.Text(rest))


# --- 5. the landing page's title ---------------------------------------------------------


TITLE = re.compile(r"<title>(.*?) &#8212; (.*?)</title>")


def title_once(app, exception):
    """ "Book title - Book title" (the landing page's title, then the book's) becomes
    "Book title". The theme's template adds the suffix, so the written page is fixed."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        match = TITLE.search(text)
        if match and match.group(1) == match.group(2):
            page.write_text(text.replace(match.group(0), f"<title>{match.group(1)}</title>", 1),
                            encoding="utf-8")


def setup(app):
    app.connect("html-page-context", drop_duplicate_scripts)
    app.connect("build-finished", title_once)
    # Before sphinx.ext.napoleon (priority 500), which then reads the numpy sections.
    app.connect("autodoc-process-docstring", render_docstring, priority=400)
    app.connect("doctree-resolved", spread_wide_blocks)
    app.connect("doctree-resolved", keep_punctuation_with_math)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
