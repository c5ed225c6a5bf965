"""Re-execute notebooks in place from a fresh kernel (`make execute`).

    python tools/execute_notebooks.py chapters/01_perceptron.ipynb [...]

Each notebook runs top to bottom in its own folder, as in JupyterLab, and is saved
with its outputs and execution counts 1..n. Unlike `jupyter execute`, it records no
timestamps in the cells' metadata, so a re-run changes only what really changed.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path):
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
    nbformat.write(notebook, path)
    return time.perf_counter() - start


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: executed in {execute(name):.1f} s", flush=True)
