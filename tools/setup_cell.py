"""The set-up cell: every chapter's first code cell, hidden on the website.

    python tools/setup_cell.py [--check] [NOTEBOOK ...]   (default: every chapter;
                                                            `make setup-cells`)

A chapter opened where nnlib is not installed (a downloaded notebook, the course pack
before its set-up, VS Code with the wrong Python, Colab) would fail at its first
`from nnlib ...` with a bare ImportError. The set-up cell runs first and, when nnlib
cannot be imported, stops with a message that says exactly what to run there: the
`%pip install` of the course pack's wheel, of the clone the notebook sits in, or of
the book's repository; in Google Colab it installs nnlib from the repository itself,
when one is configured. Where nnlib is installed it prints nothing, so nbval and the
stored outputs do not change.

The cell's code is written once, below (CELL). Its only setting is the book's
repository, `repository: url` (and `branch`) in _config.yml, read when the cell is
written: after changing the URL, run this tool again (a test checks that every chapter
holds the current cell). The tool is idempotent: it inserts the cell before the first
code cell, moves it there, or updates its source, and writes a notebook only when
something changed. A chapter stored executed in order (counts 1..n) stays so: the new
cell takes execution count 1 and every later count moves up by one, which is what a
fresh run gives, since the cell prints nothing. A chapter whose counts are not in
order keeps them, so that it still shows it needs `make execute`. `--check` changes
nothing and exits 1 when a notebook lacks the current cell.
"""

import json
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
TAG = "nnlib-setup"  # marks the cell; remove-cell hides it on the website
TAGS = ["remove-cell", TAG]

CELL = '''\
# Set-up (hidden on the book's website). The chapters import nnlib, the
# library this book builds. If this Python cannot import it, this cell
# says what to run (in Google Colab, it installs nnlib from the book's
# repository, when the book has one).
import importlib.util
import sys
from pathlib import Path

# The book's repository ("" until it is public) and its branch.
REPOSITORY = {repository}
BRANCH = {branch}

if importlib.util.find_spec("nnlib") is None:
    here = Path.cwd().resolve()
    folders = [here, here.parent]
    wheels = [w for f in folders for w in sorted(f.glob("nnlib-*.whl"))]
    clones = [f for f in folders if (f / "nnlib" / "__init__.py").is_file()]
    source = f"git+{{REPOSITORY}}@{{BRANCH}}" if REPOSITORY else ""
    if "google.colab" in sys.modules and source:
        import subprocess

        pip = [sys.executable, "-m", "pip", "install", "-q", source]
        subprocess.run(pip, check=True)
        importlib.invalidate_caches()
    else:

        class SetupError(Exception):
            def _render_traceback_(self):  # IPython: the message only
                return [str(self)]

        if wheels:  # the course pack: README.md has the one command
            todo = f"%pip install {{wheels[-1]}}"
        elif clones:  # a clone of the book's repository
            todo = (
                f"make lab   (in a terminal, in {{clones[0]}}: it sets up"
                " .venv and opens the chapters with its Python)\\nor, in a"
                f" cell here:   %pip install -e {{clones[0]}}"
            )
        elif source:
            todo = f"%pip install {{source}}"
        else:
            todo = (
                "download the course pack (a .zip linked on every chapter"
                " of the book's website) and follow its README.md"
            )
        raise SetupError(
            "This chapter needs nnlib, the library the book builds, and"
            f" this Python ({{sys.executable}}) does not have it.\\n"
            f"Run:   {{todo}}\\nthen run this cell again."
        )
'''


def repository(config_path=ROOT / "_config.yml"):
    """The book's repository URL ("" while unset) and branch, from _config.yml."""
    config = yaml.safe_load(Path(config_path).read_text(encoding="utf-8")) or {}
    repo = config.get("repository") or {}
    return str(repo.get("url") or "").strip(), str(repo.get("branch") or "main")


def cell_source(url=None, branch=None):
    if url is None:
        url, default_branch = repository()
        branch = branch or default_branch
    return CELL.format(repository=json.dumps(url), branch=json.dumps(branch or "main"))


def is_setup_cell(cell):
    return cell.cell_type == "code" and TAG in cell.metadata.get("tags", [])


def first_code_index(notebook):
    return next((i for i, c in enumerate(notebook.cells) if c.cell_type == "code"), None)


def has_current_cell(notebook, source=None):
    i = first_code_index(notebook)
    return i is not None and is_setup_cell(notebook.cells[i]) and (
        notebook.cells[i].source == (source or cell_source())
    )


def _renumber(notebook):
    """Execution counts 1..n over the code cells, as a fresh run from the top gives."""
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if "execution_count" in output:
                output["execution_count"] = count


def ensure(notebook, source=None):
    """Make the current set-up cell the first code cell of `notebook` (in place).
    Returns True when the notebook changed. A notebook without code is left alone."""
    source = source or cell_source()
    if first_code_index(notebook) is None or has_current_cell(notebook, source):
        return False
    # Stored executed in order (counts 1..n): keep it so. Otherwise (a chapter mid-edit)
    # leave the counts alone, so that the notebook still shows it needs re-executing.
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    executed = counts == list(range(1, len(counts) + 1))
    existing = [c for c in notebook.cells if is_setup_cell(c)]
    notebook.cells = [c for c in notebook.cells if not is_setup_cell(c)]
    cell = existing[0] if existing else nbformat.v4.new_code_cell("", outputs=[])
    cell.source = source
    cell.metadata["tags"] = list(dict.fromkeys(cell.metadata.get("tags", []) + TAGS))
    position = first_code_index(notebook)
    notebook.cells.insert(len(notebook.cells) if position is None else position, cell)
    if executed:
        _renumber(notebook)
    return True


def main(argv):
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"]
    paths = paths or sorted((ROOT / "chapters").glob("*.ipynb"))
    source, stale = cell_source(), []
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if check:
            if first_code_index(notebook) is not None and not has_current_cell(notebook, source):
                stale.append(path)
            continue
        if ensure(notebook, source):
            nbformat.write(notebook, path)
            print(f"{path}: set-up cell written")
        else:
            print(f"{path}: up to date")
    if stale:
        print("no current set-up cell in: " + ", ".join(map(str, stale)))
        print("run: python tools/setup_cell.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
