"""The whole book as a PDF (``make pdf``: tools/build_pdf.py), read as a reader would.

``make test`` builds the PDF (``_build/latex/book.pdf``) before the website, so these
tests read a fresh one. Run alone they skip when there is no PDF, except under CI
(``CI=true``), where a missing PDF is a failure. They use poppler's command-line tools
(``pdfinfo``, ``pdftotext``, ``pdfimages``; Debian's poppler-utils).

What they prove: every chapter and reference page is in the PDF, under the website's
chapter numbers; no reference is left unresolved ("??"); the chapters' figures are
embedded; the exercises keep their website numbers, and their solutions sit in an
appendix at the end, not under the exercises; no line runs off the page; and every page
of the website links this PDF from its download menu (instead of the print dialog).
test_checks_bite_on_a_broken_pdf shows that each check fails when its thing is broken.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
LATEX = ROOT / "_build" / "latex"
PDF = LATEX / "book.pdf"
HTML = ROOT / "_build" / "html"
PDF_NAME = "neural-networks-book.pdf"  # book/_ext/pdfbook.py copies the PDF under this name
APPENDIX_OPENING = "The solutions of the exercises of every chapter, in order."  # pdfbook.py
OVERFULL_LIMIT_PT = 10.0  # wider than this, a line visibly runs into the margin


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _need(condition: bool, message: str) -> None:
    if not condition:
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pdf() -> Path:
    _need(shutil.which("pdftotext") is not None,
          "poppler-utils (pdftotext, pdfinfo, pdfimages) is not installed")
    _need(PDF.is_file(), f"{PDF.relative_to(ROOT)} is missing: run make pdf (needs TeX Live)")
    return PDF


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


# --- what the book holds, read from its sources ---------------------------------------------


def toc_documents() -> list[tuple[str, bool]]:
    """(file, numbered) for every document of _toc.yml's parts, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [(entry["file"], part.get("numbered", False))
            for part in toc["parts"] for entry in part["chapters"]]


def document_title(file: str) -> str:
    """The first H1 of a chapter (.ipynb or .md), as plain text."""
    path = next(p for p in (ROOT / f"{file}.ipynb", ROOT / f"{file}.md") if p.is_file())
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        source = path.read_text(encoding="utf-8")
    title = next(line[2:].strip() for line in source.splitlines() if line.startswith("# "))
    return re.sub(r"[`*]", "", title)


def chapter_figures() -> int:
    """PNG outputs shown in the chapters: cells that the website shows with their output."""
    count = 0
    for file, _ in toc_documents():
        path = ROOT / f"{file}.ipynb"
        if not path.is_file():
            continue
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if cell["cell_type"] != "code" or tags & {"remove-cell", "remove-output"}:
                continue
            count += sum("image/png" in out.get("data", {}) for out in cell["outputs"])
    return count


# --- the checks, as functions of what a reader gets (so that the bite test can break it) ----


def squash(text: str) -> str:
    """Text with every run of whitespace as one space, and no hyphenation at line ends."""
    return re.sub(r"\s+", " ", re.sub(r"-\n\s*", "-", text))


def missing_titles(text: str) -> list[str]:
    flat = squash(text)
    problems = []
    chapter = 0
    for file, numbered in toc_documents():
        title = document_title(file)
        if numbered:
            chapter += 1
            if not re.search(rf"\b{chapter}\s+{re.escape(title)}", flat):
                problems.append(f"chapter {chapter} ({title}) not found as '{chapter} {title}'")
        elif title not in flat:
            problems.append(f"{title} not found")
    return problems


def unresolved_references(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if "??" in line]


def solutions_out_of_place(text: str) -> list[str]:
    """Every solution after the appendix heading; every exercise numbered as on the site."""
    flat = squash(text)
    appendix = flat.find(APPENDIX_OPENING)
    problems = []
    if appendix < 0:
        return ["no appendix 'Solutions to the exercises'"]
    before = flat[:appendix]
    if "Solution to Exercise" in before:
        problems.append("a solution is printed before the appendix, under its exercise")
    if "Solution to Exercise" not in flat[appendix:]:
        problems.append("the appendix holds no solution")
    for number in re.findall(r"Exercise (\d+\.\d+\.\d+)", flat):
        problems.append(f"Exercise {number}: numbered by section, not as on the website")
    return problems


def overfull_lines(log: str) -> list[str]:
    widths = re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)
    return [f"a line {w} pt too wide" for w in widths if float(w) > OVERFULL_LIMIT_PT]


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def embedded_images(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    # two header lines; a PNG with transparency adds an "smask" row for the same image
    return sum(1 for row in listing[2:] if row.split()[2] == "image")


# --- the tests ----------------------------------------------------------------------------


def test_every_chapter_and_reference_page_is_in_the_pdf(pdf, text):
    print(f"\n{pdf.relative_to(ROOT)}: {pdf_pages(pdf)} pages, "
          f"{pdf.stat().st_size / 1e6:.1f} MB")
    assert missing_titles(text) == []
    for page in ("Notation", "Glossary", "Bibliography"):
        assert page in text


def test_no_unresolved_reference(text):
    assert unresolved_references(text) == []


def test_the_figures_are_embedded(pdf):
    figures, images = chapter_figures(), embedded_images(pdf)
    print(f"\n{figures} figures in the chapters, {images} images in the PDF")
    assert figures > 0
    assert images >= figures


def test_solutions_are_in_the_appendix_and_exercises_numbered_as_on_the_site(text):
    assert solutions_out_of_place(text) == []


def test_no_line_runs_off_the_page(pdf):
    log = (LATEX / "book.log").read_text(encoding="utf-8", errors="replace")
    assert overfull_lines(log) == []


def test_every_page_of_the_site_links_the_pdf(pdf):
    _need((HTML / "index.html").is_file(), "no website in _build/html: run make book")
    assert (HTML / "_static" / PDF_NAME).read_bytes() == pdf.read_bytes()
    pages = [p for p in HTML.rglob("*.html")
             if "_static" not in p.parts and p.name not in {"search.html", "genindex.html"}]
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "download-buttons" not in html:
            continue  # pages without a source file have no download menu
        assert f"_static/{PDF_NAME}" in html, f"{page.name}: no link to the PDF"
        assert "window.print()" not in html, f"{page.name}: still offers the print dialog"


def test_checks_bite_on_a_broken_pdf(text):
    """Each check above fails on what it guards against."""
    first = document_title(toc_documents()[0][0])
    assert missing_titles(text.replace(first, "Untitled"))
    assert unresolved_references(text + "\nas shown in Figure ??.\n")
    solution = "Solution to Exercise 1.1"
    assert solutions_out_of_place(solution + "\n" + text)  # a solution under its exercise
    assert solutions_out_of_place(text.replace(APPENDIX_OPENING, "Answers."))
    assert solutions_out_of_place(text + "\nExercise 1.12.4 (Centring)\n")
    assert overfull_lines("Overfull \\hbox (35.2pt too wide) in paragraph at lines 1--2")
    assert not overfull_lines("Overfull \\hbox (2.78pt too wide) in paragraph at lines 1--2")
