"""The book's checks must be able to fail: break a copy of the book, watch them catch it.

Each test copies what it needs to a temporary folder, breaks one thing, runs the
real check (strict nbval, the strict book build, the notebook-contract tests) in a
subprocess and asserts that it fails, for the right reason.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = ROOT / "chapters" / "01_perceptron.ipynb"


def run(args, cwd):
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout + result.stderr


def run_pytest(cwd, *args):
    """Run pytest in a subprocess, in folder `cwd`: (exit code, output)."""
    return run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *map(str, args)], cwd)


def nbval(notebook, cwd):
    # The sanitizers of `make test`, so that the copy is compared as the chapters are.
    return run_pytest(cwd, "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
                      ROOT / "tests" / "sanitize.cfg", notebook)


def edit_chapter(tmp_path, change):
    """A copy of chapter 1 in tmp_path/chapters, with `change(cells)` applied."""
    (tmp_path / "chapters").mkdir(exist_ok=True)
    notebook = json.loads(CHAPTER.read_text(encoding="utf-8"))
    change(notebook["cells"])
    copy = tmp_path / "chapters" / CHAPTER.name
    copy.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    return copy


def first_code_cell_printing(cells, text):
    for cell in cells:
        for output in cell.get("outputs", []):
            if output.get("name") == "stdout" and text in "".join(output["text"]):
                return cell, output
    raise AssertionError(f"no output prints {text!r}")


def change_a_stored_number(cells):
    _, output = first_code_cell_printing(cells, "training accuracy: 1.0")
    output["text"] = [line.replace("accuracy: 1.0", "accuracy: 0.9") for line in output["text"]]


def make_a_cell_raise(cells):
    cell, _ = first_code_cell_printing(cells, "training accuracy: 1.0")
    cell["source"] = 'raise RuntimeError("a broken chapter")\n' + "".join(cell["source"])


def test_nbval_passes_on_the_unbroken_copy(tmp_path):
    code, output = nbval(edit_chapter(tmp_path, lambda cells: None), tmp_path)
    assert code == 0, output[-2000:]


def test_nbval_catches_a_changed_stored_number(tmp_path):
    code, output = nbval(edit_chapter(tmp_path, change_a_stored_number), tmp_path)
    assert code != 0 and "accuracy: 0.9" in output, output[-2000:]


def test_nbval_catches_a_cell_that_raises(tmp_path):
    code, output = nbval(edit_chapter(tmp_path, make_a_cell_raise), tmp_path)
    assert code != 0 and "a broken chapter" in output, output[-2000:]


def test_the_strict_book_build_fails_on_a_cell_that_raises(tmp_path):
    for name in ("_config.yml", "references.bib", "intro.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "book", tmp_path / "book")  # the book's Sphinx extension
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapters/01_perceptron\n"
    )
    edit_chapter(tmp_path, make_a_cell_raise)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    code, output = run(
        [str(jupyter_book), "build", "--all", "-W", "-n", "--keep-going", str(tmp_path)], tmp_path
    )
    assert code != 0 and "a broken chapter" in output, output[-3000:]


@pytest.fixture
def book_copy(tmp_path):
    """The chapters, nnlib and the notebook-contract tests, copied."""
    for folder in ("chapters", "nnlib", "tests"):
        shutil.copytree(
            ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    return tmp_path


def contract_tests(root, selection):
    return run_pytest(root, "-q", root / "tests" / "test_notebooks.py", "-k", selection)


def test_literate_contract_catches_an_edited_library(book_copy):
    code, output = contract_tests(book_copy, "verbatim")
    assert code == 0, output[-2000:]
    library = book_copy / "nnlib" / "perceptron.py"
    text = library.read_text(encoding="utf-8")
    assert "w = w + self.lr * y[i] * X[i]" in text
    library.write_text(
        text.replace("w = w + self.lr * y[i] * X[i]", "w = w + 0.5 * self.lr * y[i] * X[i]")
    )
    code, output = contract_tests(book_copy, "verbatim")
    assert code != 0 and "is not verbatim in nnlib/perceptron.py" in output, output[-2000:]


def test_import_order_check_catches_a_look_ahead(book_copy):
    def import_from_chapter_4(cells):
        cells[2]["source"] = "from nnlib.losses import MSELoss\n" + "".join(cells[2]["source"])

    edit_chapter(book_copy, import_from_chapter_4)
    code, output = contract_tests(book_copy, "imports_only")
    assert code != 0 and "imports nnlib.losses, introduced later" in output, output[-2000:]


# --- the static checks of the built site (tests/test_site.py) -----------------------------


@pytest.fixture
def site_checks():
    """tests/test_site.py's check functions, and the built site they read."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import test_site
    finally:
        sys.path.pop(0)
    if not (test_site.HTML / "intro.html").is_file():
        pytest.skip("no built site: make book first")
    return test_site


def built(site_checks, page):
    return (site_checks.HTML / page).read_text(encoding="utf-8")


def test_api_check_catches_code_blocks_and_evaluated_defaults(site_checks):
    text = built(site_checks, "book/api.html")
    assert site_checks.api_problems(text) == []
    broken = text.replace('<span class="pre">np.float64</span>',
                          '<span class="pre">&lt;class</span> '
                          '<span class="pre">&#39;numpy.float64&#39;&gt;</span>', 1)
    broken = broken.replace('<dl class="field-list', '<dl class="was-a-field-list')
    broken = re.sub(r'<dd>(<p>)', r'<dd><div class="highlight-python notranslate"></div>\1',
                    broken, count=1)
    problems = site_checks.api_problems(broken)
    assert any("field lists" in p for p in problems), problems
    assert any("evaluated defaults" in p for p in problems), problems
    assert any("shown as python code" in p for p in problems), problems


def test_math_punctuation_check_catches_a_loose_comma(site_checks):
    text = built(site_checks, "book/notation.html")
    assert '<span class="nowrap"><span class="math' in text, "no glued maths on the page"
    assert site_checks.math_punctuation_problems(text) == []
    loose = re.sub(r'<span class="nowrap">(<span class="math[^>]*>(?:(?!</span>).)*</span>'
                   r"[,.;:!?)]+)</span>", r"\1", text)
    assert len(site_checks.math_punctuation_problems(loose)) >= 5


def test_licence_check_catches_an_old_footer(site_checks):
    text = built(site_checks, "intro.html")
    assert site_checks.licence_problems(text) == []
    old = re.sub(r'<p class="licence">.*?</p>', "", text, flags=re.S).replace(
        "Copyright 2026", "Copyright 2023")
    problems = site_checks.licence_problems(old)
    assert len(problems) == 3, problems


def test_landing_check_catches_a_bare_landing_page(site_checks):
    chapters = ["chapters/01_perceptron", "chapters/06_conclusion"]
    text = built(site_checks, "intro.html")
    assert site_checks.landing_problems(text, chapters) == []
    bare = re.sub(r"<img [^>]*landing[^>]*>", "", text)
    bare = re.sub(r"Start with chapter 1", "Chapter 1", bare)
    bare = bare.replace("whole course: about", "whole course: roughly")
    bare = bare.replace('href="chapters/06_conclusion.html"', 'href="#"')
    problems = site_checks.landing_problems(bare, chapters)
    assert len(problems) == 4, problems


def test_small_text_check_catches_tiny_fonts(site_checks):
    assert site_checks.small_text_problems('ax.legend(fontsize="small")') == []
    tiny = 'ax.legend(fontsize="x-small")\nax.text(0, 0, "a", fontsize=7)\n'
    assert len(site_checks.small_text_problems(tiny)) == 2
