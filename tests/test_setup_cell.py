"""The set-up cell (tools/setup_cell.py): every chapter's first code cell.

Where nnlib is installed the cell prints nothing; where it is not, it stops with a
message that says exactly what to run there (the course pack's wheel, the clone the
notebook sits in, the book's repository, or the course pack's download), and in
Google Colab it installs nnlib from the book's repository when one is configured.
The branches are run here in-process, with nnlib made unfindable; tests/
test_course_pack.py runs the cell in a real kernel without nnlib.
"""

import copy
import importlib.util
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
spec = importlib.util.spec_from_file_location("setup_cell", ROOT / "tools/setup_cell.py")
setup_cell = importlib.util.module_from_spec(spec)
spec.loader.exec_module(setup_cell)

URL = "https://github.com/example-owner/example-book"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_starts_with_the_setup_cell(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[setup_cell.first_code_index(notebook)]
    assert setup_cell.is_setup_cell(first), (
        f"{path.name}: the first code cell is not the set-up cell; run "
        "`make setup-cells` (tools/setup_cell.py)"
    )
    assert "remove-cell" in first.metadata["tags"], "the set-up cell must be hidden on the site"
    assert first.source == setup_cell.cell_source(), (
        f"{path.name}: the set-up cell is out of date (repository: url changed?); "
        "run `make setup-cells`"
    )
    assert not first.get("outputs"), "where nnlib is installed, the cell prints nothing"


def run_cell(source, cwd, monkeypatch, colab=False):
    """Run the cell's code as a kernel would, in `cwd`, with nnlib not importable."""
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *a: None if name == "nnlib" else real_find_spec(name, *a),
    )
    monkeypatch.chdir(cwd)
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda cmd, **kw: calls.append(cmd))
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    namespace = {}
    try:
        exec(compile(source, "<setup cell>", "exec"), namespace)
    except Exception as error:  # the cell's SetupError
        assert type(error).__name__ == "SetupError", repr(error)
        rendered = error._render_traceback_()
        assert rendered == [str(error)], "IPython must show the message alone"
        return str(error), calls
    return None, calls


def test_with_nnlib_installed_the_cell_does_nothing(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(setup_cell.cell_source(URL, "main"), namespace)
    assert "SetupError" not in namespace


def test_course_pack_says_which_wheel_to_install(monkeypatch, tmp_path):
    (tmp_path / "notebooks").mkdir()
    wheel = tmp_path / "nnlib-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    message, _ = run_cell(setup_cell.cell_source("", "main"), tmp_path / "notebooks",
                          monkeypatch)
    assert f"%pip install {wheel}" in message
    assert "then run this cell again" in message


def test_clone_says_make_lab_or_editable_install(monkeypatch, tmp_path):
    (tmp_path / "nnlib").mkdir()
    (tmp_path / "nnlib" / "__init__.py").write_text("")
    (tmp_path / "chapters").mkdir()
    message, _ = run_cell(setup_cell.cell_source("", "main"), tmp_path / "chapters",
                          monkeypatch)
    assert "make lab" in message and f"%pip install -e {tmp_path}" in message


def test_lone_notebook_points_at_repository_or_pack(monkeypatch, tmp_path):
    message, _ = run_cell(setup_cell.cell_source(URL, "dev"), tmp_path, monkeypatch)
    assert f"%pip install git+{URL}@dev" in message
    message, _ = run_cell(setup_cell.cell_source("", "main"), tmp_path, monkeypatch)
    assert "course pack" in message and "git+" not in message


def test_colab_installs_from_the_repository(monkeypatch, tmp_path):
    message, calls = run_cell(setup_cell.cell_source(URL, "main"), tmp_path, monkeypatch,
                              colab=True)
    assert message is None
    assert calls == [[sys.executable, "-m", "pip", "install", "-q", f"git+{URL}@main"]]
    # No repository configured: no installation, the course pack instead.
    message, calls = run_cell(setup_cell.cell_source("", "main"), tmp_path, monkeypatch,
                              colab=True)
    assert calls == [] and "course pack" in message


def test_cell_takes_the_repository_from_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text(f"repository:\n  url: {URL}\n  branch: dev\n")
    assert setup_cell.repository(config) == (URL, "dev")
    config.write_text('repository:\n  url: ""\n')
    assert setup_cell.repository(config) == ("", "main")
    assert f'REPOSITORY = "{URL}"' in setup_cell.cell_source(URL, "main")


def test_cell_lines_fit_the_page():
    lines = setup_cell.cell_source(URL, "main").splitlines()
    assert max(map(len, lines)) <= 76


def executed_notebook():
    """A small notebook stored executed, counts 1..3."""
    cells = [nbformat.v4.new_markdown_cell("# Title")]
    for i, code in enumerate(["x = 1", "x + 1", "print(x)"], start=1):
        cell = nbformat.v4.new_code_cell(code, execution_count=i)
        if code == "x + 1":
            cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"},
                                                   execution_count=i)]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def test_ensure_inserts_once_and_renumbers():
    notebook = executed_notebook()
    source = setup_cell.cell_source(URL, "main")
    assert setup_cell.ensure(notebook, source)
    assert setup_cell.has_current_cell(notebook, source)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    assert code[2].outputs[0]["execution_count"] == 3
    assert notebook.cells[0].cell_type == "markdown", "the title stays first"
    before = copy.deepcopy(notebook)
    assert not setup_cell.ensure(notebook, source), "a second run changes nothing"
    assert notebook == before
    # A new repository URL: the same cell, updated in place.
    assert setup_cell.ensure(notebook, setup_cell.cell_source("", "main"))
    assert len([c for c in notebook.cells if setup_cell.is_setup_cell(c)]) == 1
    assert [c.execution_count for c in notebook.cells if c.cell_type == "code"] == [1, 2, 3, 4]


def test_ensure_moves_a_misplaced_cell_to_the_top():
    notebook = executed_notebook()
    source = setup_cell.cell_source(URL, "main")
    setup_cell.ensure(notebook, source)
    cell = notebook.cells.pop(1)
    notebook.cells.append(cell)
    assert not setup_cell.has_current_cell(notebook, source)
    assert setup_cell.ensure(notebook, source)
    assert setup_cell.has_current_cell(notebook, source)
    assert sum(setup_cell.is_setup_cell(c) for c in notebook.cells) == 1


def test_check_mode_reports_a_missing_cell(tmp_path, capsys):
    path = tmp_path / "nb.ipynb"
    nbformat.write(executed_notebook(), path)
    assert setup_cell.main(["--check", str(path)]) == 1
    assert setup_cell.main([str(path)]) == 0
    assert setup_cell.main(["--check", str(path)]) == 0


def test_ensure_keeps_out_of_order_counts():
    """A chapter that needs re-executing must still look so after the tool ran."""
    notebook = executed_notebook()
    notebook.cells[2].execution_count = 7
    setup_cell.ensure(notebook, setup_cell.cell_source(URL, "main"))
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == [None, 1, 7, 3]
