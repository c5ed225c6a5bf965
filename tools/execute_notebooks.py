"""Re-execute notebooks in place from a fresh kernel (`make execute`).

    python tools/execute_notebooks.py chapters/01_perceptron.ipynb [...]

Each notebook runs top to bottom in its own folder, as in JupyterLab, and is saved
with its outputs and execution counts 1..n. Unlike `jupyter execute`, it records no
timestamps in the cells' metadata, and it merges consecutive printed outputs (how
print() output is split into messages depends on timing; its text does not), so a
re-run changes only what really changed.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def merge_streams(outputs):
    """Consecutive stdout (or stderr) outputs of a cell, merged into one."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.output_type == "stream" and previous is not None
                and previous.output_type == "stream" and previous.name == output.name):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute(path, save=True):
    """Run the notebook at `path` from a fresh kernel; save it unless save=False.
    Returns the seconds it took, kernel start included."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.resolve().parent)}},
    )
    start = time.perf_counter()
    client.execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    seconds = time.perf_counter() - start
    if save:
        nbformat.write(notebook, path)
    return seconds


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: executed in {execute(name):.1f} s", flush=True)
