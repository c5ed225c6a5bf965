"""Every chapter, run twice in a row, prints the same text; and no run reaches the network.

Strict nbval compares one fresh run with the stored outputs. This test executes each
chapter twice more, consecutively, in the same folder, each time from a fresh kernel
(tools/execute_notebooks.py, as `make execute` does), and compares every text output
of the two runs: streams, text/plain, text/html and other text/* results, and errors.
(Figures are PNG, which nbval does not compare either; their number must match.) Both
runs happen with tests/network_guard on: any attempt to reach another machine is logged
and fails the test.

It works on copies in a temporary folder; the stored notebooks are never touched. The two
halves of the chapters run in two processes side by side (about a minute on 2 cores).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_no_network import attempts, guarded_env

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
EXECUTE = ROOT / "tools" / "execute_notebooks.py"


def text_outputs(path):
    """Per code cell: the list of its text outputs, in order (a figure counts as '<png>').

    Consecutive prints to the same stream are joined: how the kernel cuts a cell's
    output into messages depends on timing (nbval joins them too)."""
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for output in cell.outputs:
            if output.output_type == "stream":
                text = f"{output.name}: {output.text}"
                if texts and texts[-1].startswith(f"{output.name}: "):
                    text = texts.pop() + output.text
                texts.append(text)
            elif output.output_type == "error":
                texts.append(f"error: {output.ename}: {output.evalue}")
            else:
                for kind, value in sorted(output.get("data", {}).items()):
                    texts.append(f"{kind}: {value}" if kind.startswith("text/") else f"<{kind}>")
        cells.append(texts)
    return cells


def differences(first, second):
    """The (cell number, first, second) of every code cell whose text outputs differ."""
    a, b = text_outputs(first), text_outputs(second)
    assert len(a) == len(b), f"{len(a)} and {len(b)} code cells"
    return [(i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def execute_in_two_processes(groups, log, cwd):
    """Run tools/execute_notebooks.py on each group of notebooks, the groups side by side."""
    # One BLAS thread per process: two processes on two cores, not four threads fighting.
    env = {**guarded_env(log), "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    processes = [subprocess.Popen([sys.executable, str(EXECUTE), *map(str, group)], cwd=cwd,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for group in groups]
    for process in processes:
        output, _ = process.communicate(timeout=900)
        assert process.returncode == 0, output[-4000:]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """{chapter name: (first run, second run)}, executed under the network guard."""
    folder = tmp_path_factory.mktemp("reruns") / "chapters"
    folder.mkdir()
    runs = {}
    for path in CHAPTERS:
        first, second = folder / f"{path.stem}.run1.ipynb", folder / f"{path.stem}.run2.ipynb"
        shutil.copy(path, first)
        shutil.copy(path, second)
        runs[path.name] = (first, second)
    # Balance the two processes by the chapters' sizes (a proxy for their running time).
    groups, loads = [[], []], [0, 0]
    for name in sorted(runs, key=lambda n: -(ROOT / "chapters" / n).stat().st_size):
        lighter = loads.index(min(loads))
        groups[lighter] += list(runs[name])  # run 1, then run 2: consecutive
        loads[lighter] += (ROOT / "chapters" / name).stat().st_size
    log = folder.parent / "network.log"
    execute_in_two_processes(groups, log, folder)
    return runs, log


def test_there_are_chapters_to_rerun():
    assert len(CHAPTERS) >= 4


@pytest.mark.parametrize("name", [p.name for p in CHAPTERS])
def test_two_runs_print_the_same(two_runs, name):
    runs, _ = two_runs
    first, second = runs[name]
    outputs = text_outputs(first)
    assert sum(1 for texts in outputs if texts) >= 5, "hardly any outputs: did the run happen?"
    changed = differences(first, second)
    assert not changed, "\n".join(f"cell {i}:\n  {x}\n  {y}" for i, x, y in changed[:5])


def test_no_run_reached_for_the_network(two_runs):
    runs, log = two_runs
    assert attempts(log) == []
    for first, second in runs.values():
        for path in (first, second):
            assert "blocked by tests/network_guard" not in path.read_text(encoding="utf-8")


def test_the_comparison_catches_a_cell_that_prints_something_new(tmp_path):
    # The check bites: a notebook with an unseeded random number, run twice, differs.
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print('same every time')"),
        nbformat.v4.new_code_cell("import numpy as np\nprint(np.random.default_rng().random())"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    first, second = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(notebook, first)
    nbformat.write(notebook, second)
    execute_in_two_processes([[first], [second]], tmp_path / "network.log", tmp_path)
    changed = differences(first, second)
    assert [i for i, _, _ in changed] == [1]
    # And an edited stored output is caught too.
    edited = json.loads(first.read_text(encoding="utf-8"))
    edited["cells"][0]["outputs"][0]["text"] = ["same every time?\n"]
    first.write_text(json.dumps(edited), encoding="utf-8")
    assert [i for i, _, _ in differences(first, second)] == [0, 1]


def test_the_runs_leave_the_stored_chapters_alone(two_runs):
    runs, _ = two_runs
    for name, (first, _) in runs.items():
        assert first.parent != ROOT / "chapters" and os.path.exists(ROOT / "chapters" / name)
