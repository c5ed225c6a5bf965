"""Student notebooks (tools/student_notebooks.py): no solutions, still runnable.

Each student notebook must hold no line of any solution's code, run top to bottom
from a fresh kernel, and answer every unsolved exercise with the checker's
friendly "Not answered yet" instead of an error. (That every reference solution
passes its checker is asserted inside the chapters, which nbval runs.)
"""

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
spec = importlib.util.spec_from_file_location("student", ROOT / "tools/student_notebooks.py")
student_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student_tool)


def solution_cells(notebook):
    """The sources of the code cells inside the notebook's solutions."""
    sources, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for marker in student_tool.MARKER.finditer(cell.source):
                inside = "solution-start" in marker.group(0)
        elif inside:
            sources.append(cell.source)
    return sources


def exercise_count(notebook):
    return sum(c.source.count("```{exercise}") for c in notebook.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_student_notebook_has_no_solutions_and_runs(path, tmp_path):
    chapter = nbformat.read(path, as_version=4)
    student = student_tool.strip_solutions(chapter)
    stubs = [c for c in student.cells if "student-answer" in c.metadata.get("tags", [])]
    assert exercise_count(chapter) >= 3
    assert len(stubs) == exercise_count(chapter), "one answer cell per exercise"

    text = json.dumps([c.source for c in student.cells])
    assert "solution-start" not in text and "solution-end" not in text
    solutions = solution_cells(chapter)
    assert solutions, "the chapter has no solution code"
    body = [c.source for c in chapter.cells if c.cell_type == "code" and c.source not in solutions]
    student_code = [c.source for c in student.cells if c.cell_type == "code" and c not in stubs]
    assert student_code == body, "the student notebook must keep exactly the chapter's other code"
    for stub in stubs:  # a stub holds placeholders and checker calls, nothing else
        for line in stub.source.split("\n")[1:]:
            assert line.endswith("= None") or line.startswith("check_"), line

    # Runs top to bottom, from the chapter's folder, like a learner's kernel.
    NotebookClient(
        student,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "chapters")}},
    ).execute()
    for stub in stubs:
        output = "".join(o.get("text", "") for o in stub.outputs)
        assert "Not answered yet" in output, f"unfriendly answer to an empty exercise: {output!r}"
        # the checker's own message, and no bare True/False echoed after it
        assert all(o.output_type == "stream" for o in stub.outputs), stub.outputs


def test_a_solution_without_checker_is_refused():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("```{solution-start} ex\n:class: dropdown\n```"),
            nbformat.v4.new_code_cell("answer = 42"),
            nbformat.v4.new_markdown_cell("```{solution-end}\n```"),
        ]
    )
    with pytest.raises(ValueError, match="no check_"):
        student_tool.strip_solutions(notebook)
