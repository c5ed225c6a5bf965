"""The book outside its website's happy path (issue 15).

- JupyterLab renders the chapters' MyST: `jupyter labextension list` shows
  jupyterlab-myst enabled and compatible ("OK") with the pinned JupyterLab.
- Launch buttons never point at a place that does not exist: a tiny throwaway book,
  with this book's _config.yml and Sphinx extensions, is built twice. With
  `repository: url` empty, no page has a Colab, Binder, repository or issue link;
  with it set, each of them appears and points at that repository.
- The built site (_build/html, from `make book` or `make test`) follows _config.yml:
  while the URL is unset, no page names the old placeholder repository or links to
  Colab, Binder or GitHub; the course pack is in the site, and the landing page and
  every chapter's download menu link to it.
"""

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("VIRTUAL_ENV") or ROOT / ".venv") / "bin"
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
PACK = "_static/nnlib-course-pack.zip"
PLACEHOLDER = "nnlib-book/neural-networks-book"  # the URL _config.yml used to hold
URL = "https://github.com/example-owner/example-book"
# What only a repository makes: launch links, the launch menu, the repository buttons.
# (Other links to github.com, such as a cited work's URL, are fine.)
REPOSITORY_ONLY = re.compile(
    r"""(href|src)=["'][^"']*(colab\.research\.google\.com|mybinder\.org)"""
    r"""|dropdown-launch-buttons|btn-source-(repository|issues|edit)-button""")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPOSITORY = str((CONFIG.get("repository") or {}).get("url") or "").strip()


def tool(name):
    path = BIN / name
    return str(path) if path.exists() else shutil.which(name)


@pytest.mark.slow
def test_jupyterlab_lists_myst_extension_enabled():
    listing = subprocess.run([tool("jupyter"), "labextension", "list"],
                             capture_output=True, text=True, check=True)
    text = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)  # colours
    lines = [line for line in text.splitlines() if "jupyterlab-myst" in line]
    assert lines, f"jupyterlab-myst is not installed:\n{text}"
    assert re.search(r"enabled\s+OK", lines[0]), (
        f"jupyterlab-myst is not enabled and compatible with this JupyterLab:\n{text}")


# --- launch buttons: a tiny book built both ways ---------------------------------------------

def tiny_book(path, url):
    """A one-chapter book with this book's configuration and extensions."""
    for name in ("book", "tools", "nnlib", "pyproject.toml", "README.md", "references.bib"):
        (path / name).symlink_to(ROOT / name)
    (path / "chapters").mkdir()
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A chapter\n\nSome text."),
        nbformat.v4.new_code_cell("print(1)"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path / "chapters" / "01_tiny.ipynb")
    (path / "intro.md").write_text("# A tiny book\n\n{course-pack}`The course pack`.\n")
    (path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Chapters\n    numbered: true\n"
        "    chapters:\n      - file: chapters/01_tiny\n")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["execute_notebooks"] = "off"  # the buttons need no outputs
    config["repository"]["url"] = url
    (path / "_config.yml").write_text(yaml.safe_dump(config))
    build = subprocess.run([tool("jupyter-book"), "build", "--all", "-W", "-n", "--keep-going",
                            str(path)], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    return path / "_build" / "html"


@pytest.mark.slow
def test_launch_buttons_only_with_a_repository(tmp_path):
    (tmp_path / "unset").mkdir()
    html = tiny_book(tmp_path / "unset", "")
    page = (html / "chapters" / "01_tiny.html").read_text()
    found = REPOSITORY_ONLY.search(page)
    assert not found, f"{found.group(0)} with no repository"
    assert "github.com" not in page
    assert "download-course-pack-button" in page

    (tmp_path / "set").mkdir()
    html = tiny_book(tmp_path / "set", URL)
    page = (html / "chapters" / "01_tiny.html").read_text()
    repo = URL.removeprefix("https://github.com/")
    for link in (
        f"https://colab.research.google.com/github/{repo}/blob/main/chapters/01_tiny.ipynb",
        f"https://mybinder.org/v2/gh/{repo}/main?urlpath=tree/chapters/01_tiny.ipynb",
        f'href="{URL}"',
        f"{URL}/issues/new",
    ):
        assert link in page, link
    assert "btn-source-repository-button" in page and "btn-source-issues-button" in page
    assert all(URL in m or "colab" in m or "mybinder" in m
               for m in re.findall(r'href="([^"]*github\.com[^"]*)"', page))


# --- the full build ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").is_file():
        message = f"{HTML}/index.html is missing: build the book first (make book)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    return HTML


def pages(site):
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


@pytest.mark.slow
def test_site_has_no_link_to_a_repository_that_does_not_exist(site):
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        assert PLACEHOLDER not in text, f"{page.relative_to(site)} names {PLACEHOLDER}"
        if not REPOSITORY:
            found = REPOSITORY_ONLY.search(text)
            assert not found, f"{page.relative_to(site)}: {found.group(0)} with no repository"


@pytest.mark.slow
def test_site_offers_the_course_pack(site):
    pack = site / PACK
    assert pack.is_file(), f"{PACK} is not in the site"
    with zipfile.ZipFile(pack) as archive:
        names = archive.namelist()
    assert any(n.endswith(".whl") for n in names) and any(n.endswith("README.md") for n in names)
    index = (site / "intro.html").read_text(encoding="utf-8")
    assert f'href="{PACK}"' in index, "the landing page does not link to the course pack"
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    chapters = [c["file"] for part in toc["parts"] if part.get("numbered")
                for c in part["chapters"]]
    for chapter in chapters:
        text = (site / f"{chapter}.html").read_text(encoding="utf-8")
        links = re.findall(r'href="([^"]*nnlib-course-pack\.zip)"', text)
        assert links, f"{chapter}: no link to the course pack"
        assert "download-course-pack-button" in text, f"{chapter}: not in the download menu"
        for link in links:
            assert (site / chapter).parent.joinpath(link).resolve() == pack.resolve(), link
