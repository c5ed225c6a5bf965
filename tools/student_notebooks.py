"""Make student notebooks: the chapters with every exercise's solution taken out.

    python tools/student_notebooks.py [OUT_DIR]      (default: student/; `make student`)

In a chapter, a solution is everything between a ```{solution-start}``` and a
```{solution-end}``` directive: prose and code cells. Its code ends with a call
of the chapter's checker, such as `assert check_gate("NOR", w_nor, b_nor)`. The
student notebook keeps the exercise and replaces the solution with one cell:

    # Your answer: replace each None, then run this cell.
    w_nor = None
    b_nor = None
    check_gate("NOR", w_nor, b_nor);

The placeholders are the checker's arguments that the solution defined, so the
unsolved notebook runs top to bottom and each checker answers "Not answered yet".
Outputs are cleared: the learner runs the notebook.
"""

import ast
import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
# A gated solution's opening or closing directive, with its options (":class: dropdown").
MARKER = re.compile(r"```\{solution-(?:start|end)\}[^\n]*\n(?::[^\n]*\n)*```\n?")


def checker_calls(code):
    """The `check_*(...)` calls in a solution's code, as (call source, call node)."""
    calls = []
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("check_")
        ):
            calls.append((ast.get_source_segment(code, node), node))
    return calls


def defined_names(code):
    """Names the solution binds: assignments, function definitions, loop variables."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def stub_cell(solution_code):
    """The cell that replaces a solution: placeholders for its answers, then its checks."""
    code = "\n\n".join(solution_code)
    calls = checker_calls(code)
    if not calls:
        raise ValueError(f"a solution has no check_...() call to give feedback:\n{code[:300]}")
    defined = defined_names(code)
    answers = []
    for _, call in calls:
        for arg in call.args:
            for name in (n.id for n in ast.walk(arg) if isinstance(n, ast.Name)):
                if name in defined and name not in answers:
                    answers.append(name)
    lines = ["# Your answer: replace each None, then run this cell."]
    lines += [f"{name} = None" for name in answers]
    # A trailing ";" keeps Jupyter from echoing the True or False a checker returns:
    # the checker prints its own feedback.
    lines += [f"{source};" for source, _ in calls]
    return new_code_cell("\n".join(lines), metadata={"tags": ["student-answer"]})


def strip_solutions(notebook):
    """Return a copy of `notebook` without solutions, each replaced by a stub cell."""
    cells, solution_code, inside = [], [], False

    def keep_markdown(text):
        if text.strip():
            cells.append(nbformat.v4.new_markdown_cell(text.strip()))

    for cell in notebook.cells:
        if cell.cell_type == "code":
            if inside:
                solution_code.append(cell.source)
            else:
                cells.append(nbformat.from_dict(dict(cell, outputs=[], execution_count=None)))
            continue
        kept, position = "", 0
        for marker in MARKER.finditer(cell.source):
            if not inside:
                kept += cell.source[position : marker.start()]
            inside = marker.group(0).startswith("```{solution-start}")
            if not inside:  # a solution ends: the prose before it, then the stub
                keep_markdown(kept)
                cells.append(stub_cell(solution_code))
                kept, solution_code = "", []
            position = marker.end()
        keep_markdown(kept + ("" if inside else cell.source[position:]))
    if inside:
        raise ValueError("a {solution-start} has no matching {solution-end}")
    return nbformat.from_dict(dict(notebook, cells=cells))


def main(out_dir="student"):
    out = ROOT / out_dir if not Path(out_dir).is_absolute() else Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        student = strip_solutions(nbformat.read(path, as_version=4))
        nbformat.write(student, out / path.name)
        stubs = sum("student-answer" in c.metadata.get("tags", []) for c in student.cells)
        print(f"{out.name}/{path.name}: {stubs} exercises to solve")


if __name__ == "__main__":
    main(*sys.argv[1:])
