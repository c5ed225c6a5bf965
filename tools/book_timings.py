"""How long does the book take to run and to build? (`make timings`)

    python tools/book_timings.py              # every chapter, then the whole build
    python tools/book_timings.py --no-build   # only the chapters (about half a minute)

Runs each chapter top to bottom from a fresh kernel, as a learner's "Restart and run
all" does (kernel start included; the stored notebooks are not changed). Then builds
the whole website, as `make book` does, into a scratch folder (the build re-executes
every chapter: execute_notebooks is "force" in _config.yml). Prints a table with the
targets of the book and writes it to _build/timings/book_timings.md.

Targets, on a 2-core machine: each chapter under 30 s, all of them together under
90 s, the build under 3 minutes. Times depend on the machine and on what else runs on
it, so this is a report, not a test: nothing fails when a target is missed.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from execute_notebooks import execute  # noqa: E402

CHAPTER_TARGET, ALL_TARGET, BUILD_TARGET = 30.0, 90.0, 180.0  # seconds


def verdict(seconds, target):
    return "met" if seconds < target else "NOT met"


def build_seconds():
    """Seconds for `jupyter-book build --all .` into a scratch folder."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        subprocess.run([str(jupyter_book), "build", "--all", "--path-output", scratch, "."],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="skip the website build")
    args = parser.parse_args()

    rows = ["| what | seconds | target | |", "|---|---|---|---|"]
    total = 0.0
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        seconds = execute(path, save=False)
        total += seconds
        print(f"{path.name}: {seconds:.1f} s", flush=True)
        rows.append(f"| {path.name} | {seconds:.1f} | < {CHAPTER_TARGET:.0f} | "
                    f"{verdict(seconds, CHAPTER_TARGET)} |")
    rows.append(f"| all chapters | {total:.1f} | < {ALL_TARGET:.0f} | "
                f"{verdict(total, ALL_TARGET)} |")
    if not args.no_build:
        print("building the website ...", flush=True)
        seconds = build_seconds()
        rows.append(f"| jupyter-book build --all | {seconds:.1f} | < {BUILD_TARGET:.0f} | "
                    f"{verdict(seconds, BUILD_TARGET)} |")

    machine = (f"{platform.machine()}, {platform.python_implementation()} "
               f"{platform.python_version()}, {os.cpu_count()} cores")
    report = "\n".join(["# How long the book takes", "", f"Machine: {machine}.", ""] + rows)
    out = ROOT / "_build" / "timings"
    out.mkdir(parents=True, exist_ok=True)
    (out / "book_timings.md").write_text(report + "\n", encoding="utf-8")
    print("\n" + report + f"\n\nwrote {out / 'book_timings.md'}")


if __name__ == "__main__":
    main()
