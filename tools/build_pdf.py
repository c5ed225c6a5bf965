"""Build the whole book as one PDF: _build/latex/book.pdf (make pdf).

Jupyter Book 1's pdflatex builder (Sphinx's LaTeX writer, sphinx-jupyterbook-latex,
XeLaTeX through latexmk) reads the same sources as the website, with the settings of
_config.yml's `latex:` section and book/_ext/pdfbook.py. One difference: the chapters
are not executed again. Their stored outputs are the ones strict nbval re-computes and
compares in `make test`, so the PDF shows the same numbers as the website, and it
builds in about a minute instead of re-running every chapter a second time.

Needs TeX Live. On Debian or Ubuntu:
    sudo apt-get install texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk
(about 110 MB to download). Without it this script says so and exits with status 2.

`make book` runs this first when TeX Live is installed, so that the website's download
menu can link the PDF (book/_ext/pdfbook.py copies it into the site).
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEX_PACKAGES = "texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk"
PDF = ROOT / "_build" / "latex" / "book.pdf"


def missing_tools():
    return [tool for tool in ("xelatex", "latexmk") if shutil.which(tool) is None]


def pdf_config(target):
    """_config.yml with execution off and every path absolute (the copy lives elsewhere)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"
    config["bibtex_bibfiles"] = [str(ROOT / f) for f in config["bibtex_bibfiles"]]
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {
        name: str(ROOT / path) for name, path in sphinx["local_extensions"].items()
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def page_count(pdf):
    if shutil.which("pdfinfo") is None:
        return None
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = [line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")]
    return int(pages[0]) if pages else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--if-tex", action="store_true",
                        help="skip quietly (status 0) when TeX Live is not installed")
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        print(f"make pdf needs TeX Live ({', '.join(missing)} not found). On Debian or "
              f"Ubuntu:\n    sudo apt-get install {TEX_PACKAGES}")
        if args.if_tex:
            print("Building the website without a PDF (its download menu links none).")
            return 0
        return 2
    config = pdf_config(ROOT / "_build" / "pdf-config" / "_config.yml")
    PDF.unlink(missing_ok=True)
    start = time.perf_counter()
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--builder", "pdflatex", "--config",
         str(config), "--all", "-W", "-n", "--keep-going"],
        cwd=ROOT,
    )
    if result.returncode != 0 or not PDF.is_file():
        print("The PDF build failed: see the LaTeX log, _build/latex/book.log")
        return 1
    pages = page_count(PDF)
    print(f"Built {PDF.relative_to(ROOT)}: {pages or '?'} pages, "
          f"{PDF.stat().st_size / 1e6:.1f} MB, in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
