"""The whole book as one PDF, and a link to it on every page of the website.

Loaded by _config.yml (sphinx: local_extensions). Two builders, two jobs:

1. LaTeX (`make pdf`, tools/build_pdf.py): the exercises' solutions leave the
   chapters and go, in order, into an appendix "Solutions to the exercises" at the end
   of the book, each under its own title ("Solution to Exercise 1.1 ..."). A reader
   who prints a chapter gets the exercises without their answers; a teacher finds all
   answers in one place. Exercises keep the website's numbers, and the empty
   per-chapter reference lists go (the PDF's bibliography is at its end).

2. HTML: the theme's download menu offers ".pdf" on every page, which calls the
   browser's print dialog (one page, every solution expanded). We replace it by a link
   to the whole book as a PDF, copied into the site as `_static/<PDF_NAME>`, when
   `make pdf` has built it (_build/latex/book.pdf). Without a built PDF the menu has no
   PDF entry at all: a link must point at something that exists.
"""

import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

PDF_NAME = "neural-networks-book.pdf"  # the file name a reader downloads
SOLUTIONS_TITLE = "Solutions to the exercises"


def renumber_exercises(doctree):
    """Number exercises per chapter, as the website does: "Exercise 1.12.4" -> "1.4".

    With the book's parts, sphinx-jupyterbook-latex sets numfig_secnum_depth = 2 so that
    figures and equations carry their chapter number; sphinx-exercise then numbers
    exercises by chapter AND section (1.12.4, the 4th of section 12). The website counts
    them per chapter. Renumber every title and reference in the assembled book.
    """
    pattern = re.compile(r"Exercise (\d+)\.(\d+)\.(\d+)")
    texts = [t for t in doctree.findall(nodes.Text) if pattern.search(t)]
    found = sorted({tuple(map(int, m)) for t in texts for m in pattern.findall(t)})
    new_number, count = {}, {}
    for chapter, section, n in found:
        count[chapter] = count.get(chapter, 0) + 1
        new_number[(chapter, section, n)] = f"Exercise {chapter}.{count[chapter]}"
    for text in texts:
        renumbered = pattern.sub(lambda m: new_number[tuple(map(int, m.groups()))], text)
        text.parent.replace(text, nodes.Text(renumbered))


def chapter_title(node):
    """The title of the chapter (document) that `node` came from, in the assembled book."""
    while node is not None:
        if isinstance(node, addnodes.start_of_file):
            for title in node.findall(nodes.title):
                return title.astext()
        node = node.parent
    return None


def drop_empty_reference_lists(doctree):
    """In LaTeX, Sphinx gathers every citation into one bibliography at the end of the
    book, which leaves each chapter's "References" section and the Bibliography page
    empty: drop them (the book's bibliography, at its end, lists every work cited)."""
    for start in list(doctree.findall(addnodes.start_of_file)):
        if start.get("docname") == "book/bibliography":
            start.parent.remove(start)
    for section in list(doctree.findall(nodes.section)):
        title = section.next_node(nodes.title)
        if title is not None and title.astext() == "References" and not any(
            isinstance(child, nodes.paragraph) for child in section.children
        ):
            section.parent.remove(section)


def shape_latex_book(app, doctree, docname):
    """LaTeX: exercises numbered as on the site, solutions in an appendix at the end."""
    if app.builder.name != "latex":
        return
    from sphinx_exercise.nodes import solution_node

    renumber_exercises(doctree)
    drop_empty_reference_lists(doctree)
    solutions = list(doctree.findall(solution_node))
    if not solutions:
        return
    appendix = [
        nodes.raw("", f"\\appendix\n\\chapter{{{SOLUTIONS_TITLE}}}\n", format="latex"),
        nodes.paragraph(
            text="The solutions of the exercises of every chapter, in order. In the notebooks "
            "and on the website each solution sits under its exercise, folded away, and "
            "its code runs with the chapter."
        ),
    ]
    current = None
    for solution in solutions:
        chapter = chapter_title(solution)
        if chapter != current:
            current = chapter
            appendix.append(nodes.rubric(text=chapter))
        solution.parent.remove(solution)
        appendix.append(solution)
    doctree.extend(appendix)


def built_pdf(app):
    """The PDF that `make pdf` built beside the HTML output, or None."""
    pdf = Path(app.outdir).parent / "latex" / "book.pdf"
    return pdf if pdf.is_file() else None


def copy_pdf(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    pdf = built_pdf(app)
    if pdf is None:
        logger.info("pdfbook: no _build/latex/book.pdf (make pdf): the site links no PDF")
        return
    target = Path(app.outdir) / "_static" / PDF_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, target)


def link_pdf(app, pagename, templatename, context, doctree):
    """Replace the theme's print-to-PDF button by a link to the whole book's PDF."""
    for group in context.get("header_buttons", []):
        buttons = group.get("buttons")
        if not buttons:
            continue
        kept = [b for b in buttons if b.get("label") != "download-pdf-button"]
        if len(kept) == len(buttons):
            continue
        if getattr(app, "nnlib_pdf_available", False):
            kept.append(
                {
                    "type": "link",
                    "url": context["pathto"](f"_static/{PDF_NAME}", 1),
                    "text": "book (.pdf)",
                    "tooltip": "The whole book as a PDF",
                    "icon": "fas fa-file-pdf",
                    "label": "download-book-pdf-button",
                }
            )
        group["buttons"] = kept


def remember_pdf(app):
    app.nnlib_pdf_available = app.builder.format == "html" and built_pdf(app) is not None


def setup(app):
    app.connect("doctree-resolved", shape_latex_book)
    app.connect("builder-inited", remember_pdf)
    # after sphinx-book-theme's add_header_buttons (priority 501)
    app.connect("html-page-context", link_pdf, priority=900)
    app.connect("build-finished", copy_pdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
