"""The course pack: one .zip that a learner downloads, unpacks and runs anywhere.

    python tools/course_pack.py [OUT]     (`make pack`; default
                                           _build/course-pack/nnlib-course-pack.zip)

`jupyter-book build` makes it too (book/_ext/runanywhere.py) into
_build/html/_static/nnlib-course-pack.zip, linked from the landing page and from
every chapter's download menu. It holds, in a folder nnlib-course-pack/:

- notebooks/NN_name.ipynb: every chapter as a student notebook (the solutions taken
  out by tools/student_notebooks.py, each replaced by a cell to fill in), its first
  code cell the set-up cell of tools/setup_cell.py;
- nnlib-VERSION-py3-none-any.whl: nnlib, built with `pip wheel --no-deps`;
- requirements.txt: the book's pins of what the notebooks need (JupyterLab, numpy,
  matplotlib, scikit-learn, ...);
- README.md: the one command that sets up and starts it.

The notebooks are portable: their Markdown is plain Jupyter Markdown that renders the
same in JupyterLab without extensions, VS Code, Colab and GitHub. The chapters' MyST
is found with MyST's own parser (myst-parser's markdown-it set-up, so a role inside
code is never touched) and replaced:

- an exercise becomes a heading with its number and title as on the website
  ("Exercise 1.2 (One epoch, by hand)"); a solution left in a student copy is dropped;
- an admonition becomes a blockquote with a bold title;
- a glossary term, {term}`text <entry>`, becomes its text;
- a citation becomes "(Rosenblatt, 1958)" ({cite:p}) or "Rosenblatt (1958)" ({cite:t}),
  and the chapter's {bibliography} the list of the works it cites (read from
  references.bib with pybtex, formatted like the website's);
- a cross-reference ({numref}, {ref}, {eq}, {doc}) becomes the text the website shows
  ("Exercise 1.4", "(2.1)", "Fig. 3.2", a section's or a page's title);
- math stays $...$ and $$...$$; a labelled equation gets its number as a \\tag;
- a figure's caption (cell metadata) becomes a Markdown cell under the figure;
- a list-table becomes a Markdown table, or an HTML table when its cells hold code.

A construct the tool does not know stops it with an error that names it, so nothing
MyST-only can slip through.
"""

import functools
import html
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser
from pybtex.backends.markdown import Backend as MarkdownBackend
from pybtex.backends.plaintext import Backend as TextBackend
from pybtex.database import parse_file
from pybtex.plugin import find_plugin
from pybtex.richtext import Text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import setup_cell  # noqa: E402
import student_notebooks  # noqa: E402

NAME = "nnlib-course-pack"
DEFAULT_OUT = ROOT / "_build" / "course-pack" / f"{NAME}.zip"
# What the notebooks need, pinned as in requirements.txt (lines with these names).
PACK_REQUIREMENTS = ["jupyterlab", "ipykernel", "ipython", "numpy", "scipy",
                     "matplotlib", "scikit-learn"]
ADMONITIONS = {"admonition", "note", "tip", "important", "warning", "caution",
               "attention", "danger", "error", "hint", "seealso", "margin",
               "sidebar", "topic", "epigraph"}


@functools.lru_cache(maxsize=1)
def myst_parser():
    """markdown-it with the MyST syntax the book enables (_config.yml: parse)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = set(config.get("parse", {}).get("myst_enable_extensions", []))
    extensions -= {"linkify"}  # not needed to find roles; needs no extra package here
    return create_md_parser(MdParserConfig(enable_extensions=extensions), RendererHTML)


# --- the book: chapters and what their labels show ------------------------------------

def chapters():
    """(number, path) of every numbered chapter, in the order of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = []
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for entry in part["chapters"]:
            stem = ROOT / entry["file"]
            path = next(p for p in (stem.with_suffix(".ipynb"), stem.with_suffix(".md"))
                        if p.is_file())
            found.append((len(found) + 1, path))
    return found


def read_notebook(path):
    """A chapter as a notebook: .ipynb as it is, a MyST .md page as Markdown cells."""
    if path.suffix == ".ipynb":
        return nbformat.read(path, as_version=4)
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):  # front matter
        text = text.split("\n---\n", 1)[1]
    if "{code-cell}" in text:
        raise ValueError(f"{path}: a MyST text notebook with code cells; convert it first")
    # One Markdown cell per top-level section, cut before each "## " heading.
    lines, cuts = text.split("\n"), [0]
    for token in myst_parser().parse(text):
        if token.type == "heading_open" and token.level == 0 and token.tag == "h2":
            cuts.append(token.map[0])
    cuts.append(len(lines))
    cells = ["\n".join(lines[a:b]).strip() for a, b in zip(cuts, cuts[1:], strict=False)]
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(c) for c in cells if c]
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python",
                                       "name": "python3"}
    return notebook


def split_directive(token):
    """(name, argument, options, body) of a directive's fence token."""
    name, _, argument = token.info.strip()[1:].partition("}")
    lines = token.content.split("\n")
    options = {}
    if lines and lines[0].strip() == "---":  # YAML options block
        end = lines.index("---", 1)
        options = yaml.safe_load("\n".join(lines[1:end])) or {}
        lines = lines[end + 1:]
    else:
        while lines and re.match(r"^:[\w-]+:", lines[0]):
            key, _, value = lines.pop(0)[1:].partition(":")
            options[key] = value.strip()
    return name.strip(), argument.strip(), options, "\n".join(lines).strip("\n")


@dataclass
class Labels:
    """What the website shows for each label: numbers and titles, collected over all
    chapters first, so that a reference to another chapter resolves too."""
    text: dict = field(default_factory=dict)        # label -> "Exercise 1.4", "(2.1)", ...
    titles: dict = field(default_factory=dict)      # exercise label -> its title
    docs: dict = field(default_factory=dict)        # "chapters/01_perceptron" -> title
    keyprefix: dict = field(default_factory=dict)   # chapter number -> ":keyprefix:"

    def doc_title(self, target):
        """The title of the page {doc}`target` names, as the website shows it."""
        target = target.lstrip("/").removesuffix(".ipynb").removesuffix(".md")
        for docname in (target, f"chapters/{target}"):
            if docname in self.docs:
                return self.docs[docname]
            page = ROOT / f"{docname}.md"
            if page.is_file():
                return next(line[2:].strip() for line in page.read_text().splitlines()
                            if line.startswith("# "))
        raise KeyError(f"{{doc}}`{target}`: no such page")

    def collect(self, number, path):
        notebook = read_notebook(path)
        docname = path.relative_to(ROOT).with_suffix("").as_posix()
        md, counts = myst_parser(), {"exercise": 0, "figure": 0, "equation": 0}

        def count(kind, label, fmt):
            counts[kind] += 1
            if label:
                self.text[label] = fmt.format(f"{number}.{counts[kind]}")

        pending_target = None
        for cell in notebook.cells:
            caption = cell.metadata.get("mystnb", {}).get("figure")
            if cell.cell_type == "code" and caption:
                count("figure", caption.get("name"), "Fig. {}")
            if cell.cell_type != "markdown":
                continue
            tokens = md.parse(cell.source)
            for i, token in enumerate(tokens):
                if token.type == "myst_target":
                    pending_target = token.content
                elif token.type == "heading_open":
                    title = tokens[i + 1].content
                    if token.tag == "h1" and docname not in self.docs:
                        self.docs[docname] = title
                    if pending_target:
                        self.text[pending_target] = title
                    pending_target = None
                elif token.type == "math_block_label":
                    count("equation", token.info, "({})")
                elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
                    name, argument, options, _ = split_directive(token)
                    if name == "exercise":
                        count("exercise", options.get("label"), "Exercise {}")
                        self.titles[options.get("label")] = argument
                    elif name == "math" and options.get("label"):
                        count("equation", options["label"], "({})")
                    elif name == "figure":
                        count("figure", options.get("name"), "Fig. {}")
                    elif name == "bibliography" and options.get("keyprefix"):
                        self.keyprefix[number] = options["keyprefix"]


# --- references ------------------------------------------------------------------------

class _Markdown(MarkdownBackend):
    """pybtex's Markdown, escaping only what Markdown would misread (its own backend
    escapes every punctuation mark, and Jupyter reads an escaped "\\(" as math)."""

    def format_str(self, text):
        return re.sub(r"([\\`*_\[\]<>$|])", r"\\\1", text)


class Bibliography:
    def __init__(self, path=ROOT / "references.bib"):
        self.data = parse_file(str(path))
        self.style = find_plugin("pybtex.style.formatting", "plain")()
        self.text, self.cache = TextBackend(), {}

    def key(self, key, prefix=""):
        if key in self.data.entries:
            return key
        if prefix and key.startswith(prefix) and key[len(prefix):] in self.data.entries:
            return key[len(prefix):]
        raise KeyError(f"citation {key!r} is not in references.bib")

    def authors_year(self, key):
        """("Rumelhart et al.", "1986"): the website's author_year citation."""
        if key not in self.cache:
            entry = self.data.entries[key]
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            last = [Text.from_latex(" ".join(p.prelast_names + p.last_names)).render(self.text)
                    for p in people]
            names = f"{last[0]} et al." if len(last) > 2 else " and ".join(last)
            self.cache[key] = (names or key, entry.fields.get("year", "n.d."))
        return self.cache[key]

    def entry(self, key):
        formatted = next(iter(self.style.format_entries([self.data.entries[key]])))
        return formatted.text.render(_Markdown()).replace("\n", " ")


# --- MyST to portable Markdown -----------------------------------------------------------

class Converter:
    """Converts one chapter's Markdown, cell by cell, in order."""

    def __init__(self, number, labels, bibliography):
        self.number, self.labels, self.bib = number, labels, bibliography
        self.prefix = labels.keyprefix.get(number, "")
        self.md = myst_parser()
        self.level = 1          # the level of the last heading seen
        self.cited = []         # keys, in order of first citation

    # roles ---------------------------------------------------------------------------
    def role(self, name, content):
        text, target = content, content
        match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, re.S)
        if match:
            text, target = match.group(1), match.group(2)
        if name == "term":
            return text
        if name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:year",
                    "cite:author"):
            return self.cite(name, content)
        if name in ("numref", "ref", "eq"):
            if target not in self.labels.text:
                raise KeyError(f"{{{name}}}`{content}`: no such label in the chapters")
            shown = self.labels.text[target]
            if match and name == "numref":  # {numref}`Figure %s <fig-x>`
                number = re.search(r"[\d.]+", shown).group(0)
                return text.replace("%s", number).replace("{number}", number)
            return text if match else shown
        if name == "doc":
            return text if match else self.labels.doc_title(target)
        if name == "math":
            return f"${content}$"
        if name in ("abbr", "download", "guilabel", "menuselection", "command", "file"):
            return re.sub(r"\s*\(.*\)$", "", text) if name == "abbr" else text
        if name in ("sub", "sup", "kbd"):
            return f"<{name}>{html.escape(content)}</{name}>"
        raise ValueError(f"role {{{name}}} has no portable form in tools/course_pack.py")

    def cite(self, name, content):
        keys = [self.bib.key(k.strip(), self.prefix) for k in content.split(",")]
        for key in keys:
            if key not in self.cited:
                self.cited.append(key)
        pairs = [self.bib.authors_year(k) for k in keys]
        if name in ("cite:t", "cite:ts"):
            return ", ".join(f"{a} ({y})" for a, y in pairs)
        if name == "cite:year":
            return ", ".join(y for _, y in pairs)
        if name == "cite:author":
            return ", ".join(a for a, _ in pairs)
        return "(" + "; ".join(f"{a}, {y}" for a, y in pairs) + ")"

    def replace_roles(self, source, roles):
        """Replace, in `source`, each role that the parser found (name, content)."""
        for name, content in roles:
            words = [re.escape(w) for w in content.split()]
            pattern = re.compile(
                r"\{" + re.escape(name) + r"\}(`+)(" + r"\s+".join(words) + r")\1"
            )
            found = pattern.search(source)
            if not found:
                raise ValueError(f"role {{{name}}}`{content}` not found in its block")
            text = self.role(name, found.group(2))
            # A role written across a line break keeps its line count (soft breaks in
            # a paragraph), so that the block's lines still line up with the parser's.
            text += "\n" * max(found.group(0).count("\n") - text.count("\n"), 0)
            source = source[: found.start()] + text + source[found.end():]
        return source

    # blocks --------------------------------------------------------------------------
    def markdown(self, text):
        """`text` (MyST) as portable Markdown."""
        lines = text.split("\n")
        spans, roles_at = {}, []
        for token in self.md.parse(text):
            if token.type == "heading_open" and token.level == 0:
                self.level = int(token.tag[1])
            if token.type == "inline" and token.map:
                roles = [(c.meta["name"], c.content) for c in token.children
                         if c.type == "myst_role"]
                if roles:
                    roles_at.append((token.map, roles))
            elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
                spans[token.map[0]] = (token.map[1], self.directive(token))
            elif token.type == "math_block_label":
                tag = self.labels.text.get(token.info, "").strip("()")
                body = token.content.strip("\n").split("\n")
                spans[token.map[0]] = (token.map[1], ["$$", *body, f"\\tag{{{tag}}}", "$$"])
            elif token.type in ("myst_target", "myst_line_comment", "myst_block_break"):
                spans[token.map[0]] = (token.map[1], None)
            elif token.type == "front_matter":
                raise ValueError("front matter inside a cell")
        for (start, end), roles in roles_at:
            block = self.replace_roles("\n".join(lines[start:end]), roles)
            new = block.split("\n")
            if len(new) != end - start:
                raise ValueError("a role's replacement changed the number of lines")
            lines[start:end] = new
        out, i = [], 0
        while i < len(lines):
            if i in spans:
                end, replacement = spans[i]
                if replacement is not None:
                    # Inside a list item or a blockquote: keep the first line's marker,
                    # indent the others under it (a quote's ">" stays on every line).
                    replacement = [x for item in replacement for x in item.split("\n")]
                    first = lines[i]
                    prefix = first[: len(first) - len(first.lstrip(" >-*+0123456789.)"))]
                    rest = re.sub(r"[^>]", " ", prefix)
                    out += [(prefix if k == 0 else rest) + line if line else rest.rstrip()
                            for k, line in enumerate(replacement)]
                i = end
            else:
                out.append(lines[i])
                i += 1
        return "\n".join(out).strip("\n")

    def directive(self, token):
        name, argument, options, body = split_directive(token)
        if name in ADMONITIONS:
            title = argument or {"seealso": "See also"}.get(name, name.capitalize())
            inner = self.markdown(body).split("\n")
            quoted = [f"> {line}" if line else ">" for line in inner]
            return [f"> **{self.inline(title)}**", ">", *quoted]
        if name == "exercise":
            label = options.get("label")
            heading = self.labels.text.get(label, "Exercise")
            if argument:
                heading += f" ({self.inline(argument)})"
            return ["#" * min(self.level + 1, 6) + " " + heading, "", self.markdown(body)]
        if name in ("solution", "toctree", "tableofcontents"):  # a student copy: no solution
            return None
        if name == "math":
            body = body.strip("\n")
            if "\\\\" in body and "\\begin" not in body:
                body = "\\begin{aligned}\n" + body + "\n\\end{aligned}"
            tag = self.labels.text.get(options.get("label"), "").strip("()")
            return ["$$", *body.split("\n"), *([f"\\tag{{{tag}}}"] if tag else []), "$$"]
        if name == "bibliography":
            keys = sorted(self.bib.data.entries) if "all" in options else self.cited
            keys = sorted(keys, key=lambda k: (self.bib.authors_year(k), k))
            return [f"- **{a} ({y}).** {self.bib.entry(k)}"
                    for k in keys for a, y in [self.bib.authors_year(k)]]
        if name in ("code-block", "code", "sourcecode"):
            return [f"```{argument}", body, "```"]
        if name == "list-table":
            return self.list_table(body, options)
        if name == "dropdown":
            return ["<details>", f"<summary>{html.escape(argument)}</summary>", "",
                    self.markdown(body), "", "</details>"]
        raise ValueError(f"directive {{{name}}} has no portable form in tools/course_pack.py")

    def inline(self, text):
        """A one-line MyST text (a title, a caption) as Markdown."""
        return self.markdown(text).replace("\n", " ")

    def list_table(self, body, options):
        """A list-table as a pipe table, or as HTML when a cell holds more than a line."""
        tokens = self.md.parse(body)
        lines = body.split("\n")
        rows, depth = [], 0
        for token in tokens:
            if token.type == "bullet_list_open":
                depth += 1
            elif token.type == "bullet_list_close":
                depth -= 1
            elif token.type == "list_item_open" and depth == 1:
                rows.append([])
            elif token.type == "list_item_open" and depth == 2:
                start, end = token.map
                item = lines[start:end]  # its first line starts "* - " or "  - "
                marker = re.match(r"\s*(?:[-*+]\s+)+", item[0]).group(0)
                item[0] = " " * len(marker) + item[0][len(marker):]
                cell = textwrap.dedent("\n".join(item))
                rows[-1].append(self.markdown(cell).strip())
        header_rows = int(options.get("header-rows", 0))
        if all("\n" not in c and not c.startswith("```") for row in rows for c in row):
            header = rows[:header_rows] or [[""] * len(rows[0])]
            table = ["| " + " | ".join(c.replace("|", "\\|") for c in header[0]) + " |",
                     "|" + "---|" * len(header[0])]
            return table + ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |"
                            for r in rows[len(header[:1]) if header_rows else 0:]]
        # One line of HTML: a blank line (in a code block) would end the HTML block
        # for a Markdown renderer; "&#10;" is a line break inside <pre> and a space
        # elsewhere.
        to_html = MarkdownIt("commonmark")
        out = ["<table>"]
        for r, row in enumerate(rows):
            tag = "th" if r < header_rows else "td"
            out.append("<tr>" + "".join(
                f'<{tag} style="text-align: left; vertical-align: top">'
                + to_html.render(cell).strip() + f"</{tag}>" for cell in row) + "</tr>")
        out.append("</table>")
        return ["".join(out).replace("\n", "&#10;")]


def portable(path, number, labels, bibliography):
    """The chapter at `path` as a portable student notebook."""
    notebook = read_notebook(path)
    if path.suffix == ".ipynb":
        notebook = student_notebooks.strip_solutions(notebook)
        setup_cell.ensure(notebook)
    converter = Converter(number, labels, bibliography)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            source = converter.markdown(cell.source)
            if source.strip():
                cells.append(nbformat.v4.new_markdown_cell(source))
            continue
        mystnb = cell.metadata.pop("mystnb", {})
        cell.metadata.pop("execution", None)
        cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        caption = mystnb.get("figure", {})
        if caption.get("caption"):
            shown = labels.text.get(caption.get("name"), "Figure")
            text = converter.inline(textwrap.dedent(caption["caption"]).strip())
            text = " ".join(text.split())
            cells.append(nbformat.v4.new_markdown_cell(f"**{shown}.** {text}"))
    out = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": notebook.metadata.get("kernelspec") or {
            "display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(out)
    for cell in out.cells:
        if cell.cell_type == "markdown" and myst_leftovers(cell.source):
            raise ValueError(f"{path.name}: MyST left: {myst_leftovers(cell.source)}")
    return out


# MyST-only syntax, as MyST's parser sees it: what no plain Markdown renderer shows.
MYST_ONLY = {"myst_role", "myst_target", "myst_line_comment", "myst_block_break",
             "math_block_label", "colon_fence", "front_matter", "dl_open"}


def myst_leftovers(text):
    """The MyST-only constructs in `text`, as short descriptions ([] when portable)."""
    found = []
    for token in myst_parser().parse(text):
        for t in [token, *(token.children or [])]:
            if t.type in MYST_ONLY or (t.type == "fence" and t.info.strip().startswith("{")):
                found.append(f"{t.type} {t.info or t.content!r}"[:80])
    return found


# --- the pack ----------------------------------------------------------------------------

def requirements():
    """The book's pins (requirements.txt) of the packages the notebooks need."""
    keep = []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[=<>!; \[]", line.strip(), maxsplit=1)[0].lower()
        if name in PACK_REQUIREMENTS:
            keep.append(line.strip())
    missing = set(PACK_REQUIREMENTS) - {re.split(r"[=<>!; ]", k)[0].lower() for k in keep}
    if missing:
        raise ValueError(f"requirements.txt pins none of {sorted(missing)}")
    return keep


def build_wheel(out_dir):
    """nnlib's wheel (`pip wheel --no-deps`), built from a copy of the sources so that
    no build/ or egg-info lands in the repository. Needs no network."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, source / name)
        shutil.copytree(ROOT / "nnlib", source / "nnlib",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--disable-pip-version-check", "--quiet", "--wheel-dir", str(out_dir),
             str(source)],
            check=True,
        )
    (wheel,) = Path(out_dir).glob("nnlib-*.whl")
    return wheel


README = """\
# Neural Networks: The Backbone of Deep Learning: the course pack

The chapters of the book as Jupyter notebooks to work through, with the exercises'
solutions taken out, and nnlib, the library the chapters build, as a wheel.

## Set up and start

You need Python 3.10 or newer. In a terminal, in this folder, run this one command:

```bash
{posix}
```

It creates a virtual environment `.venv` here, installs the versions of JupyterLab,
numpy, matplotlib and scikit-learn that the book was tested with (`requirements.txt`)
and nnlib, and opens the chapters in JupyterLab. Next time, `.venv/bin/jupyter lab
notebooks` starts it again. As root (in a container), add `--allow-root`. On Windows
(PowerShell):

```
{windows}
```

Elsewhere: in VS Code, open a notebook and choose `.venv`'s Python as its kernel. In
Google Colab, upload a notebook, then upload `{wheel}` and run `%pip install {wheel}`
in a cell. Wherever nnlib is missing, each chapter's first code cell says what to run.

## What is inside

{contents}
- `{wheel}`: nnlib, the library the chapters build.
- `requirements.txt`: the versions of the other packages the book was tested with.

## Working through a chapter

Run the cells from the top (Run > Run All Cells works too): every chapter runs in
seconds on a laptop and downloads nothing. At the end of each chapter, each exercise
has a cell that starts `# Your answer: replace each None`. Run it as it is and its
checker answers "Not answered yet"; put in your answer, run it again, and it tells
you whether you are right, and if not, what is wrong.
"""


def readme(wheel, titles):
    posix = (f"python3 -m venv .venv && .venv/bin/pip install -r requirements.txt "
             f"{wheel} && .venv/bin/jupyter lab notebooks")
    windows = (f"py -m venv .venv; .venv\\Scripts\\pip install -r requirements.txt "
               f"{wheel}; .venv\\Scripts\\jupyter lab notebooks")
    contents = "\n".join(f"- `notebooks/{name}`: {title}" for name, title in titles)
    return README.format(posix=posix, windows=windows, wheel=wheel, contents=contents)


def notebooks():
    """(file name, title, portable notebook) of every chapter."""
    labels, bibliography = Labels(), Bibliography()
    found = chapters()
    for number, path in found:
        labels.collect(number, path)
    out = []
    for number, path in found:
        docname = path.relative_to(ROOT).with_suffix("").as_posix()
        out.append((path.with_suffix(".ipynb").name, labels.docs.get(docname, path.stem),
                    portable(path, number, labels, bibliography)))
    return out


def build(out=DEFAULT_OUT):
    """Write the course pack to `out` (a .zip). Returns its path."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(tmp)
        chapters_ = notebooks()
        files = {
            "README.md": readme(wheel.name, [(n, t) for n, t, _ in chapters_]),
            "requirements.txt": "\n".join(requirements()) + "\n",
        }
        for name, _, notebook in chapters_:
            files[f"notebooks/{name}"] = nbformat.writes(notebook) + "\n"
        partial = out.with_suffix(".zip.part")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as pack:
            for name, text in sorted(files.items()):
                info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                pack.writestr(info, text.encode("utf-8"))
            info = zipfile.ZipInfo(f"{NAME}/{wheel.name}", date_time=(2026, 1, 1, 0, 0, 0))
            pack.writestr(info, wheel.read_bytes())
        partial.replace(out)
    return out


def main(argv):
    out = Path(argv[0]) if argv else DEFAULT_OUT
    if out.suffix != ".zip":
        out = out / f"{NAME}.zip"
    path = build(out)
    with zipfile.ZipFile(path) as pack:
        names = pack.namelist()
    size = path.stat().st_size / 1e3
    print(f"{path}: {len(names)} files, {size:.0f} kB")
    for name in names:
        print("  " + name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

