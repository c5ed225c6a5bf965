"""Carry changes of nnlib's code into the chapters' listings (the literate cells).

A chapter cell that starts with `# nnlib/<module>.py` shows a piece of that file
verbatim (tests/test_notebooks.py checks it). After editing nnlib, run

    python tools/sync_listings.py [--base REV]

For each such cell, it finds the lines the cell showed in the file as it was at REV
(default HEAD, the last commit), follows those lines through the edit (difflib), and
writes the new text of the same lines into the cell: a method shown on its own stays
dedented. Cells that show a file's unchanged lines are left alone. Then re-execute the
changed chapters (`make execute NB=...`) and read the diff: a listing that grew or
shrank may need a sentence of prose changed with it.
"""

import argparse
import difflib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import nbformat  # noqa: E402
from test_notebooks import MARKER, locate  # noqa: E402  (the contract's own reader)


def old_text(file, base):
    return subprocess.run(["git", "show", f"{base}:{file}"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def follow(old_lines, new_lines, first, last):
    """Map the 1-based line span first..last of old_lines to new_lines: (start, end), the
    slice new_lines[start:end] that holds the same lines after the edit. A changed line at
    either end of the span takes the whole changed block with it."""
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    start = end = None
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= first - 1 < i2:
            start = j1 + (first - 1 - i1) if tag == "equal" else j1
        if i1 <= last - 1 < i2:
            end = j1 + (last - 1 - i1) + 1 if tag == "equal" else j2
    return start, end


def synced(code, file, base):
    """The cell's code as it reads after the edit, or None if it is not found at `base`."""
    before, after = old_text(file, base), (ROOT / file).read_text(encoding="utf-8")
    if locate(code, after):
        return code  # already shows the file as it is
    span = locate(code, before)
    if span is None:
        return None
    old_lines, new_lines = before.split("\n"), after.split("\n")
    start, end = follow(old_lines, new_lines, *span)
    block = new_lines[start:end]
    indented = not code.startswith(" ") and old_lines[span[0] - 1].startswith("    ")
    if indented:  # a method shown on its own, without its class's indentation
        block = [line[4:] if line.startswith("    ") else line for line in block]
    return "\n".join(line.rstrip() for line in block).strip("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="the revision the cells show")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="the chapters to update (default: all of chapters/)")
    args = parser.parse_args()
    for path in args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        changed = 0
        for cell in notebook.cells:
            first, _, code = cell.source.partition("\n")
            match = MARKER.match(first)
            if cell["cell_type"] != "code" or not match:
                continue
            new_code = synced(code.strip("\n"), match.group(1), args.base)
            if new_code is None:
                print(f"{path.name}: a '{first}' cell is not verbatim at {args.base}; skipped")
            elif new_code != code.strip("\n"):
                cell.source = first + "\n" + new_code
                changed += 1
        if changed:
            nbformat.write(notebook, path)
            print(f"{path.name}: {changed} listing(s) updated")


if __name__ == "__main__":
    main()
