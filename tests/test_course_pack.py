"""The course pack (tools/course_pack.py): portable student notebooks, nnlib's wheel.

Fast checks, on the converted notebooks (no wheel, no kernel):
- no MyST syntax is left in any Markdown cell, as MyST's own parser sees it and as a
  plain search for its marks sees it;
- no solution's code is left; each exercise keeps its number and title as a heading;
- citations read "(Author, Year)" / "Author (Year)" and every cited work is listed at
  the end; labelled equations carry their number; figures get their caption as text.
Slow checks (`make test`): the .zip holds what its README promises; its wheel installs
into a fresh virtual environment without the network, and chapter 1 of the pack runs
top to bottom there, first stopping with the set-up cell's message while nnlib is
missing.
"""

import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import nbformat
import pytest
from test_student import solution_cells  # what a solution's code is, defined once

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
spec = importlib.util.spec_from_file_location("course_pack", ROOT / "tools/course_pack.py")
course_pack = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course_pack)
spec = importlib.util.spec_from_file_location("student", ROOT / "tools/student_notebooks.py")
student_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student_tool)

CHAPTERS = course_pack.chapters()
# Marks of MyST that plain Markdown renderers show raw (a second net, beside the parser).
MYST_MARKS = re.compile(
    r"\{[a-z][\w:-]*\}`"                    # a role: {term}`...`
    r"|^\s*(```+|~~~+|:::+)\s*\{[\w-]+\}"   # a directive: ```{exercise}
    r"|^\s*:(label|class|name|filter|keyprefix):"  # a directive's options
    r"|^\s*\([\w-]+\)=\s*$"                 # a target: (label)=
    r"|\$\$\s*\([\w-]+\)\s*$",              # a labelled equation: $$ (label)
    re.MULTILINE,
)


@pytest.fixture(scope="module")
def pack():
    """{file name: portable notebook} for every chapter."""
    return {name: notebook for name, _, notebook in course_pack.notebooks()}


def markdown_of(notebook):
    return [c.source for c in notebook.cells if c.cell_type == "markdown"]


def test_every_chapter_is_in_the_pack(pack):
    assert [p.with_suffix(".ipynb").name for _, p in CHAPTERS] == list(pack)
    assert len(pack) >= 6


def test_no_myst_syntax_is_left(pack):
    for name, notebook in pack.items():
        for source in markdown_of(notebook):
            assert course_pack.myst_leftovers(source) == [], (name, source[:300])
            marks = [m.group(0) for m in MYST_MARKS.finditer(source)]
            assert not marks, (name, marks)
        for cell in notebook.cells:
            assert "mystnb" not in cell.metadata, name
        nbformat.validate(notebook)


def test_the_myst_checks_see_myst():
    """The two nets catch each kind of MyST the chapters use."""
    samples = ["a {term}`bias`", "```{exercise} T\n:label: ex\nx\n```",
               "(sec-x)=\n## X", "$$ a $$ (eq-1)", ":::{note}\nx\n:::",
               "```{math}\n:label: eq\nx\n```", "% a comment"]
    for sample in samples:
        assert course_pack.myst_leftovers(sample), sample
    for sample in samples[:4]:
        assert MYST_MARKS.search(sample), sample
    assert course_pack.myst_leftovers("Plain $x$, `{term}` in code, and $$y$$.") == []


def test_no_solution_code_is_left(pack):
    checked = 0
    for _, path in CHAPTERS:
        if path.suffix != ".ipynb":
            continue
        chapter = nbformat.read(path, as_version=4)
        solutions = solution_cells(chapter)
        assert solutions, f"{path.name} has no solution code to check"
        body = "\n".join(c.source for c in chapter.cells
                         if c.cell_type == "code" and c.source not in solutions)
        pack_code = "\n".join(c.source for c in pack[path.name].cells if c.cell_type == "code")
        for solution in solutions:
            for line in solution.splitlines():
                line = line.strip()
                # A line that also stands outside the solutions (an import) may stay.
                if len(line) < 12 or line in body or line.startswith(("check_", "assert check_")):
                    continue
                assert line not in pack_code, f"{path.name}: solution line left: {line!r}"
                checked += 1
    assert checked > 50


def exercises(chapter):
    """(label, title) of each exercise, in order."""
    found = []
    for cell in chapter.cells:
        if cell.cell_type == "markdown":
            for m in re.finditer(r"```\{exercise\}([^\n]*)\n:label: (\S+)", cell.source):
                found.append((m.group(2), m.group(1).strip()))
    return found


def test_exercises_keep_number_and_title(pack):
    for number, path in CHAPTERS:
        if path.suffix != ".ipynb":
            continue
        wanted = [f"Exercise {number}.{k} ({title})" if title else f"Exercise {number}.{k}"
                  for k, (_, title) in enumerate(exercises(nbformat.read(path, 4)), start=1)]
        headings = [line.lstrip("#").strip() for s in markdown_of(pack[path.name])
                    for line in s.splitlines() if re.match(r"#{2,6} Exercise \d", line)]
        assert headings == wanted, path.name
        stubs = [c for c in pack[path.name].cells if "student-answer" in c.metadata.get("tags", [])]
        assert len(stubs) == len(wanted), "one cell to fill in per exercise"


def test_citations_read_as_text_and_are_listed(pack):
    bib = course_pack.Bibliography()
    for number, path in CHAPTERS:
        # What the student copy cites: a solution's citations went with the solution.
        chapter = course_pack.read_notebook(path)
        if path.suffix == ".ipynb":
            chapter = student_tool.strip_solutions(chapter)
        text = json.dumps([c.source for c in chapter.cells] + [
            c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "")
            for c in chapter.cells])
        labels = course_pack.Labels()
        labels.collect(number, path)
        prefix = labels.keyprefix.get(number, "")
        cited = {bib.key(key.strip(), prefix)
                 for _, keys in re.findall(r"\{cite:([pt])\}`([^`]+)`", text)
                 for key in keys.split(",")}
        pack_text = "\n".join(markdown_of(pack[path.with_suffix(".ipynb").name]))
        references = pack_text[pack_text.rindex("## References"):]
        for key in cited:
            authors, year = bib.authors_year(key)
            assert f"**{authors} ({year}).**" in references, (path.name, key)
            assert (f"{authors}, {year}" in pack_text or f"{authors} ({year})" in pack_text)
        assert cited, f"{path.name} cites nothing?"


def test_citation_forms():
    labels = course_pack.Labels()
    converter = course_pack.Converter(1, labels, course_pack.Bibliography())
    out = converter.markdown(
        "See {cite:p}`rosenblatt1958perceptron`; {cite:t}`minsky1969perceptrons` showed"
        " it {cite:p}`block1962perceptron,novikoff1962convergence`, as did"
        " {cite:p}`pedregosa2011scikit`."
    )
    assert out == (
        "See (Rosenblatt, 1958); Minsky and Papert (1969) showed it (Block, 1962;"
        " Novikoff, 1962), as did (Pedregosa et al., 2011)."
    )


def test_equations_figures_and_references_read_as_on_the_site(pack):
    every = course_pack.Labels()  # all chapters' labels: a chapter may cite another's
    for number, path in CHAPTERS:
        if path.suffix == ".ipynb":
            every.collect(number, path)
    for number, path in CHAPTERS:
        if path.suffix != ".ipynb":
            continue
        chapter = nbformat.read(path, as_version=4)
        labels = course_pack.Labels()
        labels.collect(number, path)
        text = "\n".join(markdown_of(pack[path.name]))
        equations = [k for k, v in labels.text.items() if v.startswith("(")]
        for label in equations:
            assert f"\\tag{{{labels.text[label][1:-1]}}}" in text, (path.name, label)
        for label in re.findall(r"\{eq\}`([^`]+)`", json.dumps(chapter.cells)):
            assert every.text[label] in text
        figures = [c for c in chapter.cells if c.metadata.get("mystnb", {}).get("figure")]
        captions = [s for s in markdown_of(pack[path.name]) if s.startswith("**Fig. ")]
        assert len(captions) == len(figures), path.name
        assert captions == sorted(captions, key=lambda s: int(re.match(
            r"\*\*Fig\. \d+\.(\d+)", s).group(1)))


def convert(text, labels=None):
    labels = labels or course_pack.Labels()
    return course_pack.Converter(1, labels, course_pack.Bibliography()).markdown(text)


def test_converter_on_each_construct():
    labels = course_pack.Labels(text={"ex-a": "Exercise 1.1", "eq-a": "(1.1)",
                                      "fig-a": "Fig. 1.2", "sec-a": "A section"})
    assert convert("```{admonition} Time\n:class: tip\nAbout **5 minutes**.\n```") == (
        "> **Time**\n>\n> About **5 minutes**.")
    assert convert("```{note}\nA {term}`weight`.\n```") == "> **Note**\n>\n> A weight."
    assert convert("## Exercises\n\n```{exercise} Gates\n:label: ex-a\nDo it.\n```",
                   labels) == "## Exercises\n\n### Exercise 1.1 (Gates)\n\nDo it."
    assert convert("```{solution} ex-a\n:class: dropdown\nThe answer.\n```") == ""
    assert convert("See {ref}`ex-a`, {eq}`eq-a`, {numref}`fig-a`, {ref}`sec-a`"
                   " and {ref}`that <sec-a>`.", labels) == (
        "See Exercise 1.1, (1.1), Fig. 1.2, A section and that.")
    assert convert("{term}`layers <layer>` and `{term}` in code") == (
        "layers and `{term}` in code")
    assert convert("```{math}\n:label: eq-a\na = b\n```", labels) == (
        "$$\na = b\n\\tag{1.1}\n$$")
    assert convert("$$\nx\n$$ (eq-a)", labels) == "$$\nx\n\\tag{1.1}\n$$"
    assert convert("(sec-a)=\n## A section\n\n% a comment\ntext") == "## A section\n\ntext"
    assert convert("- item\n  ```{math}\n  x\n  ```") == "- item\n  $$\n  x\n  $$"
    table = convert("```{list-table}\n:header-rows: 1\n\n* - a\n  - b\n* - {term}`c`\n"
                    "  - d\n```")
    assert table == "| a | b |\n|---|---|\n| c | d |"
    with pytest.raises(ValueError, match="directive {glue}"):
        convert("```{glue} x\n```")
    with pytest.raises(ValueError, match="role {unknownrole}"):
        convert("an {unknownrole}`x`")


def test_code_tables_become_html_on_one_line():
    out = convert("````{list-table}\n:header-rows: 1\n\n* - nnlib\n  - torch\n"
                  "* - ```python\n    a = 1\n\n    b = 2\n    ```\n  - ```python\n    c\n"
                  "    ```\n````")
    assert out.startswith("<table>") and "\n" not in out
    assert "a = 1&#10;&#10;b = 2" in out and "<th" in out


# --- the .zip, its wheel, and a chapter run from it ----------------------------------------

@pytest.fixture(scope="module")
def built_pack(tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    path = course_pack.build(out / "nnlib-course-pack.zip")
    with zipfile.ZipFile(path) as archive:
        archive.extractall(out)
    return out / course_pack.NAME


@pytest.mark.slow
def test_the_zip_holds_what_its_readme_promises(built_pack):
    names = sorted(p.relative_to(built_pack).as_posix() for p in built_pack.rglob("*")
                   if p.is_file())
    (wheel,) = [n for n in names if n.endswith(".whl")]
    assert re.fullmatch(r"nnlib-[\d.]+-py3-none-any\.whl", wheel)
    notebooks = [n for n in names if n.startswith("notebooks/")]
    assert notebooks == [f"notebooks/{p.with_suffix('.ipynb').name}" for _, p in CHAPTERS]
    readme = (built_pack / "README.md").read_text()
    command = (f"python3 -m venv .venv && .venv/bin/pip install -r requirements.txt {wheel}"
               " && .venv/bin/jupyter lab notebooks")
    assert command in readme
    pins = (built_pack / "requirements.txt").read_text().splitlines()
    book_pins = (ROOT / "requirements.txt").read_text().splitlines()
    assert pins and all(pin in book_pins for pin in pins)
    for name in ("jupyterlab==", "numpy==", "matplotlib==", "scikit-learn=="):
        assert any(pin.startswith(name) for pin in pins), name


def fresh_venv(path):
    """A new virtual environment that sees .venv's packages (numpy, ipykernel, ...)
    through a .pth file, so that installing nnlib's wheel needs no network."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "book_venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


RUN_NOTEBOOK = """
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                        resources={"metadata": {"path": sys.argv[2]}})
try:
    client.execute()
except CellExecutionError as error:
    print("STOPPED:", error)
    sys.exit(3)
nbformat.write(notebook, path)
"""


@pytest.mark.slow
def test_wheel_installs_offline_and_chapter_1_runs(built_pack, tmp_path):
    python = fresh_venv(tmp_path / "venv")
    notebooks = built_pack / "notebooks"
    chapter = tmp_path / "01_perceptron.ipynb"
    chapter.write_text((notebooks / "01_perceptron.ipynb").read_text())
    env = {**os.environ, "PYTHONNOUSERSITE": "1"}
    # The kernel is the fresh environment's Python (nbclient's python3 kernel runs
    # sys.executable); it must not find the repository's nnlib.
    where = subprocess.run([python, "-c", "import nnlib"], cwd=notebooks, env=env,
                           capture_output=True, text=True)
    assert where.returncode != 0, "the fresh environment sees an nnlib before the wheel"

    # Without nnlib, the set-up cell stops the notebook with what to run, no traceback.
    stopped = subprocess.run([python, "-c", RUN_NOTEBOOK, str(chapter), str(notebooks)],
                             env=env, capture_output=True, text=True)
    assert stopped.returncode == 3, stopped.stdout + stopped.stderr
    (wheel,) = built_pack.glob("nnlib-*.whl")
    assert f"%pip install {wheel}" in stopped.stdout
    assert "ModuleNotFoundError" not in stopped.stdout and "Traceback" not in stopped.stdout

    install = subprocess.run(
        [python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check",
         str(wheel)], env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr
    chapter.write_text((notebooks / "01_perceptron.ipynb").read_text())
    notebook = nbformat.read(chapter, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import nnlib\nprint(nnlib.__file__)"))
    nbformat.write(notebook, chapter)
    ran = subprocess.run([python, "-c", RUN_NOTEBOOK, str(chapter), str(notebooks)],
                         env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    notebook = nbformat.read(chapter, as_version=4)
    where = notebook.cells[-1].outputs[0]["text"].strip()
    assert where.startswith(str(tmp_path / "venv")), f"nnlib came from {where}"
    stubs = [c for c in notebook.cells if "student-answer" in c.metadata.get("tags", [])]
    assert stubs and all(
        "Not answered yet" in "".join(o.get("text", "") for o in c.outputs) for c in stubs)
