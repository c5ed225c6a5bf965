"""Static checks of the built website in ``_build/html``.

``make test`` builds the book (``jupyter-book build --all -W -n --keep-going .``) before
pytest runs, so these tests read a fresh build. Run alone, they skip when there is no
build, except under CI (``CI=true``), where a missing build is a failure.

What they prove: every page of ``_toc.yml`` was built; no page or stylesheet loads
anything from another machine (the site works offline); MathJax is served from
``_static/mathjax/`` and math is marked up the way MathJax looks for it; citations
resolve into the references section of the page that cites, and the bibliography page
lists every work of references.bib; headings are in order (one h1 per page, no skipped level);
every figure of a chapter has a caption, alt text and an opaque background (legible
in the dark theme); the chapters link their key terms to the glossary; the API
reference documents every nnlib module, with docstrings as prose and parameter fields
(not as code) and signatures as written; inline maths keeps the punctuation after it on
its line; every footer states the licences (CC BY 4.0 for the text and figures, MIT for
the code) and the year; the landing page has its figure, a start button, the total time
and a link to every chapter; no chapter's figure has text below 9 points.

tests/test_browser.py loads the same build in a real browser.
"""

from __future__ import annotations

import html
import importlib
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# BOOK_HTML=path tests another build folder.
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
MATHJAX = "_static/mathjax/tex-chtml.js"

# <link rel=...> values that make the browser fetch the href.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
}
# Elements whose src= the browser fetches while rendering the page.
SRC_TAGS = {"script", "img", "iframe", "embed", "source", "audio", "video", "track", "input"}
OFF_MACHINE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(r"""(url\(\s*['"]?|@import\s+['"])\s*(https?:)?//""", re.IGNORECASE)
# Text a reader would see as raw TeX if dollarmath did not turn it into math.
RAW_DOLLAR_MATH = re.compile(r"\$\$|\$[^\s$](?:[^$\n]*?[^\s$])?\$")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="module", autouse=True)
def built_site() -> Path:
    index = HTML / "index.html"
    if not index.is_file():
        message = (
            f"{index.relative_to(ROOT)} is missing: build the book first "
            "(make book, or make test which builds it before pytest)"
        )
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return HTML


def toc_files() -> list[str]:
    """Every ``file:``/``root`` of _toc.yml, in order, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                files.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [str(Path(f).with_suffix("")) if Path(f).suffix in {".md", ".ipynb"} else f
            for f in files]


def source_of(page: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = ROOT / f"{page}{suffix}"
        if path.is_file():
            return path
    return None


def source_text(page: str) -> str:
    """Markdown text of a page's source (markdown cells only for notebooks)."""
    path = source_of(page)
    if path is None:
        return ""
    if path.suffix == ".ipynb":
        import nbformat

        nb = nbformat.read(path, as_version=4)
        return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


class Page(HTMLParser):
    """Collects what a page fetches, its math elements, its citations and ids."""

    SKIP_TEXT = {"script", "style", "pre", "code"}

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.fetches: list[tuple[str, str]] = []  # (tag, url)
        self.math: list[str] = []  # text of elements with class "math"
        self.citations: list[str] = []  # href of in-text citations
        self.ids: set[str] = set()
        self.inline_scripts: list[str] = []
        self.visible_text: list[str] = []
        self._stack: list[tuple[str, bool, bool, bool]] = []  # (tag, math?, cite?, eqno?)
        self._math_buf: list[str] | None = None
        self._skip_depth = 0
        self._eqno_depth = 0
        self._script_buf: list[str] | None = None
        self._cite_depth = 0
        self.feed(path.read_text(encoding="utf-8"))

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        if tag in SRC_TAGS and a.get("src"):
            self.fetches.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            if rels & FETCHING_RELS:
                self.fetches.append((f"link rel={a.get('rel')}", a["href"]))
        if tag in self.VOID:
            return
        classes = set(a.get("class", "").split())
        is_math = "math" in classes and self._math_buf is None
        is_cite = "bibtex-citation" in classes
        is_eqno = "eqno" in classes  # an equation's number "(2.1)" and its "#" link
        self._eqno_depth += is_eqno
        if is_math:
            self._math_buf = []
        if is_cite:
            self._cite_depth += 1
        if tag == "a" and self._cite_depth and a.get("href"):
            self.citations.append(a["href"])
        if tag in self.SKIP_TEXT:
            self._skip_depth += 1
        if tag == "script" and not a.get("src"):
            self._script_buf = []
        self._stack.append((tag, is_math, is_cite, is_eqno))

    def handle_endtag(self, tag):
        # A void or stray end tag (`<img ... />` ends itself) closes nothing.
        if tag in self.VOID or all(entry[0] != tag for entry in self._stack):
            return
        while self._stack:
            open_tag, is_math, is_cite, is_eqno = self._stack.pop()
            self._eqno_depth -= is_eqno
            if is_math and self._math_buf is not None:
                self.math.append("".join(self._math_buf).strip())
                self._math_buf = None
            if is_cite:
                self._cite_depth -= 1
            if open_tag in self.SKIP_TEXT:
                self._skip_depth -= 1
            if open_tag == "script" and self._script_buf is not None:
                self.inline_scripts.append("".join(self._script_buf))
                self._script_buf = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._eqno_depth:
            return
        if self._math_buf is not None:
            self._math_buf.append(data)
        elif self._script_buf is not None:
            self._script_buf.append(data)
        elif not self._skip_depth:
            self.visible_text.append(data)


def built_pages() -> list[Path]:
    """Every HTML page of the site (not the theme's template fragments in _static)."""
    return sorted(
        p for p in HTML.rglob("*.html")
        if not p.relative_to(HTML).parts[0].startswith("_")
    )


def rel(path: Path) -> str:
    return str(path.relative_to(HTML))


# --- every page of the table of contents was built ----------------------------------------

@pytest.mark.parametrize("page", toc_files())
def test_toc_page_was_built(page):
    assert source_of(page) is not None, f"_toc.yml lists {page!r}, which has no .md or .ipynb"
    html = HTML / f"{page}.html"
    assert html.is_file(), f"_toc.yml lists {page!r} but {rel(html)} was not built"
    assert "<h1" in html.read_text(encoding="utf-8"), f"{rel(html)} has no title (h1)"


# --- nothing is fetched from another machine ------------------------------------------------

def test_pages_fetch_nothing_off_machine():
    pages = built_pages()
    assert pages, "no HTML pages under _build/html"
    offenders = [
        f"{rel(p)}: <{tag}> {url}"
        for p in pages
        for tag, url in Page(p).fetches
        if OFF_MACHINE.match(url)
    ]
    assert not offenders, "pages load resources from the internet:\n" + "\n".join(offenders)


def test_stylesheets_fetch_nothing_off_machine():
    offenders = []
    for css in sorted((HTML / "_static").rglob("*.css")):
        for m in CSS_REMOTE.finditer(css.read_text(encoding="utf-8", errors="replace")):
            line = css.read_text(encoding="utf-8", errors="replace")[m.start():m.start() + 80]
            offenders.append(f"{rel(css)}: {line}")
    assert not offenders, "stylesheets load from the internet:\n" + "\n".join(offenders)


def test_every_local_resource_exists():
    missing = []
    for p in built_pages():
        for tag, url in Page(p).fetches:
            if OFF_MACHINE.match(url) or url.startswith(("data:", "#")):
                continue
            target = (p.parent / url.split("?")[0].split("#")[0]).resolve()
            if not target.exists():
                missing.append(f"{rel(p)}: <{tag}> {url}")
    assert not missing, "pages reference files that were not built:\n" + "\n".join(missing)


# --- math -----------------------------------------------------------------------------------

def test_mathjax_is_served_locally():
    assert (HTML / MATHJAX).is_file(), f"{MATHJAX} missing: is sphinx-mathjax-offline loaded?"
    assert (HTML / "_static/mathjax/output/chtml/fonts/woff-v2").is_dir(), "MathJax fonts missing"
    pages_with_math = 0
    for p in built_pages():
        page = Page(p)
        mathjax = [url for _, url in page.fetches if "mathjax" in url.lower()]
        if page.math:
            pages_with_math += 1
            assert mathjax, f"{rel(p)} has math but loads no MathJax"
        for url in mathjax:
            assert not OFF_MACHINE.match(url), f"{rel(p)} loads MathJax from {url}"
            assert (p.parent / url.split("?")[0]).resolve() == (HTML / MATHJAX).resolve(), (
                f"{rel(p)} loads MathJax from {url}, not from {MATHJAX}"
            )
    assert pages_with_math, "no page has any math: the book's pages should"


@pytest.mark.parametrize("page", toc_files())
def test_math_is_mathjax_ready(page):
    html = HTML / f"{page}.html"
    if not html.is_file():
        pytest.skip(f"{rel(html)} not built (test_toc_page_was_built reports it)")
    parsed = Page(html)
    source = source_text(page)
    if "$" in source or "{math}" in source:
        assert parsed.math, f"{page}'s source has math but {rel(html)} has no math elements"
    for tex in parsed.math:
        assert (tex.startswith(r"\(") and tex.endswith(r"\)")) or (
            tex.startswith(r"\[") and tex.endswith(r"\]")
        ) or tex.startswith(r"\begin{"), f"{rel(html)}: math not delimited for MathJax: {tex!r}"
    if parsed.math:
        # myst-nb marks notebook sections mathjax_ignore; MathJax must still process .math.
        config = "".join(s for s in parsed.inline_scripts if "MathJax" in s)
        m = re.search(r'"processHtmlClass":\s*"([^"]*)"', config)
        assert m and re.fullmatch(m.group(1), "math"), (
            f"{rel(html)}: window.MathJax.options.processHtmlClass does not cover class 'math'"
        )
    visible = "".join(parsed.visible_text)
    raw = RAW_DOLLAR_MATH.findall(visible)
    assert not raw, f"{rel(html)} shows raw TeX (is dollarmath enabled?): {raw[:3]}"


# --- citations ------------------------------------------------------------------------------

def citing_pages() -> list[str]:
    return [p for p in toc_files() if "{cite" in source_text(p)]


def test_some_chapter_cites():
    assert citing_pages(), "no page uses {cite}: chapters cite their sources (DESIGN.md 5)"


@pytest.mark.parametrize("page", citing_pages() or ["<none>"])
def test_citations_resolve_to_references(page):
    if page == "<none>":
        pytest.skip("no page cites")
    html = HTML / f"{page}.html"
    parsed = Page(html)
    text = html.read_text(encoding="utf-8")
    assert parsed.citations, f"{rel(html)}: source uses {{cite}} but no citation was rendered"
    assert 'role="doc-biblioentry"' in text, f"{rel(html)} has citations but no references list"
    # author_year style: "Rosenblatt, 1958", not a label such as "Ros58" (which is what
    # Jupyter Book gives when bibtex_reference_style is not under sphinx.config).
    for span in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', text, re.S):
        label = re.sub(r"<[^>]+>", "", span)
        assert re.search(r"\b(1[5-9]|20)\d\d\b", label), (
            f"{rel(html)}: citation {label!r} is not in author-year style"
        )
    for href in parsed.citations:
        # The page lists its own references: each citation must point there, not to
        # another page's list (sphinxcontrib-bibtex resolves to the same page first).
        assert href.startswith("#"), f"{rel(html)}: citation {href} leaves the page"
        assert href[1:] in parsed.ids, f"{rel(html)}: citation link {href} has no target"


def cited_keys(page: str) -> set[str]:
    keys = set()
    for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", source_text(page)):
        keys |= {key.strip() for key in group.split(",")}
    return keys


def test_bibliography_page_lists_every_work():
    """book/bibliography.md lists all of references.bib (`:all:`), and every key the
    book cites is in references.bib. (A chapter may cite with a `:keyprefix:` such
    as "ch4-", so sphinxcontrib-bibtex's `cited` filter would miss its works.)"""
    entries = set(re.findall(r"@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text("utf-8")))
    cited = {re.sub(r"^ch\d+-", "", key) for p in toc_files() for key in cited_keys(p)}
    assert cited and cited <= entries, f"cited but not in references.bib: {cited - entries}"
    html = HTML / "book" / "bibliography.html"
    assert html.is_file(), "book/bibliography.html was not built"
    listed = html.read_text(encoding="utf-8").count('role="doc-biblioentry"')
    assert listed == len(entries), (
        f"the bibliography page lists {listed} works, references.bib has {len(entries)}"
    )


# --- headings ---------------------------------------------------------------------------------


class Outline(HTMLParser):
    """The headings (level, text) inside the page's article, as a screen reader sees them."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self._article = 0  # depth inside <article class="bd-article">
        self._heading: list[str] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "article" and ("bd-article" in classes.split() or self._article):
            self._article += 1
        elif self._article and re.fullmatch(r"h[1-6]", tag):
            self._heading = []
            self._level = int(tag[1])

    def handle_endtag(self, tag):
        if tag == "article" and self._article:
            self._article -= 1
        elif self._heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self._level, " ".join("".join(self._heading).split())))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


@pytest.mark.parametrize("page", toc_files())
def test_headings_are_in_order(page):
    html = HTML / f"{page}.html"
    if not html.is_file():
        pytest.skip(f"{rel(html)} not built (test_toc_page_was_built reports it)")
    headings = Outline(html).headings
    assert headings, f"{rel(html)}: no headings in the article"
    levels = [level for level, _ in headings]
    assert levels[0] == 1 and levels.count(1) == 1, (
        f"{rel(html)}: the article must open with its only h1, got {headings[:3]}"
    )
    for (before, _), (level, text) in zip(headings, headings[1:], strict=False):
        assert level <= before + 1, (
            f"{rel(html)}: heading {text!r} is h{level} right after an h{before}"
        )


# --- figures ----------------------------------------------------------------------------------


class Figures(HTMLParser):
    """Every image of a notebook cell's output: its alt text, and its figure's caption."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.images: list[dict] = []
        self.slider_images: list[dict] = []
        self._stack: list[tuple[str, set[str]]] = []
        self._caption: list[str] | None = None
        self._figure: list[dict] = []  # images of the figure being read
        self.feed(path.read_text(encoding="utf-8"))

    VOID = Page.VOID

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        in_output = any("cell_output" in classes for _, classes in self._stack)
        in_figure = any(t == "figure" for t, _ in self._stack)
        # An interactive figure's picture (nnlib.plotting.Slider) is not a figure: its
        # alt text is checked below and its caption is the prose above it.
        in_slider = any("nnlib-slider" in classes for _, classes in self._stack)
        if tag == "img" and in_slider:
            self.slider_images.append({"alt": a.get("alt", "")})
            return
        if tag == "img" and in_output:
            image = {"src": a.get("src", ""), "alt": a.get("alt", ""), "caption": ""}
            self.images.append(image)
            if in_figure:
                self._figure.append(image)
        if tag in self.VOID:
            return
        self._stack.append((tag, set(a.get("class", "").split())))
        if tag == "figcaption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag in self.VOID or all(open_tag != tag for open_tag, _ in self._stack):
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag == "figcaption" and self._caption is not None:
                for image in self._figure:
                    image["caption"] = " ".join("".join(self._caption).split())
                self._caption = None
            if open_tag == "figure":
                self._figure = []
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)


def chapter_pages() -> list[str]:
    return [p for p in toc_files() if p.startswith("chapters/") and source_of(p)
            and source_of(p).suffix == ".ipynb"]


@pytest.mark.parametrize("page", chapter_pages())
def test_figures_have_captions_and_alt_text(page):
    """Each figure of a chapter: a caption and alt text, given in the code cell's metadata
    ``{"mystnb": {"figure": {"caption": ..., "name": ...}, "image": {"alt": ...}}}``."""
    html = HTML / f"{page}.html"
    if not html.is_file():
        pytest.skip(f"{rel(html)} not built (test_toc_page_was_built reports it)")
    figures = Figures(html)
    images = figures.images
    assert images, f"{rel(html)} has no figures"
    missing = [f"an interactive figure without alt text: {s['alt']!r}"
               for s in figures.slider_images if len(s["alt"].strip()) < 20]
    for image in images:
        name = image["src"].rsplit("/", 1)[-1]
        alt = image["alt"].strip()
        # Without alt text in the metadata, Sphinx writes the image's path as its alt.
        if not alt or name in alt:
            missing.append(f"{name}: no alt text")
        if len(image["caption"]) < 20:
            missing.append(f"{name}: no caption (caption={image['caption']!r})")
    assert not missing, f"{rel(html)}: figures without a caption or alt text:\n" + "\n".join(
        missing
    )


def test_figures_are_opaque():
    """Figures carry their own white background, so that they stay legible when the
    reader switches the site to its dark theme."""
    from PIL import Image

    pngs = sorted((HTML / "_images").glob("*.png"))
    assert pngs, "no figures in _build/html/_images"
    see_through = []
    for png in pngs:
        with Image.open(png) as image:
            rgba = image.convert("RGBA")
            w, h = rgba.size
            corners = [rgba.getpixel(xy) for xy in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1)]]
        if any(pixel[3] < 255 for pixel in corners):
            see_through.append(png.name)
    assert not see_through, f"figures with a transparent background: {see_through}"


# --- glossary ---------------------------------------------------------------------------------

KEY_TERMS = [
    "perceptron", "weight", "bias", "pre-activation", "activation function",
    "decision boundary", "linearly separable", "epoch", "learning rate", "layer",
    "hidden unit", "universal approximation", "saturation", "vanishing gradient", "loss",
    "gradient", "backpropagation",
]


def test_glossary_defines_the_key_terms():
    html = HTML / "book" / "glossary.html"
    assert html.is_file(), "book/glossary.html was not built"
    text = html.read_text(encoding="utf-8")
    defined = {normal(t) for t in re.findall(r'<dt id="term-([^"]+)"', text)}
    missing = [term for term in KEY_TERMS if normal(term) not in defined]
    assert not missing, f"the glossary does not define {missing}"


def normal(term: str) -> str:
    """A term as Sphinx's id for it spells it: case and '-' or ' ' do not matter."""
    return re.sub(r"[-\s]+", " ", term.lower())


@pytest.mark.parametrize("page", chapter_pages())
def test_chapter_links_its_key_terms_to_the_glossary(page):
    html = HTML / f"{page}.html"
    if not html.is_file():
        pytest.skip(f"{rel(html)} not built (test_toc_page_was_built reports it)")
    terms = set(re.findall(r'href="[^"#]*glossary\.html#(term-[^"]+)"',
                           html.read_text(encoding="utf-8")))
    assert len(terms) >= 5, (
        f"{rel(html)} links only {len(terms)} terms to the glossary: link the first use "
        "of each key term with {term}`...`"
    )


# --- API reference ------------------------------------------------------------------------------


def test_api_reference_documents_every_module():
    """book/api.md has an automodule for every nnlib module, and every public function
    and class of each appears: the reference cannot fall behind the code."""
    html = HTML / "book" / "api.html"
    assert html.is_file(), "book/api.html was not built"
    text = html.read_text(encoding="utf-8")
    nnlib = ROOT / "nnlib"
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in nnlib.rglob("*.py")
        if not path.name.startswith("_") or path.name == "__init__.py"
    )
    missing = [m for m in modules if f'id="module-{m}"' not in text]
    for name in modules:
        module = importlib.import_module(name)
        for public in getattr(module, "__all__", []):
            obj = getattr(module, public)
            if callable(obj) and name != "nnlib" and obj.__module__ == name:
                if f'id="{name}.{public}"' not in text:
                    missing.append(f"{name}.{public}")
    assert not missing, f"book/api.md does not document: {missing}"


def test_api_reference_renders_docstrings_as_text_and_fields():
    """The docstrings read as prose, lists and parameter fields (sphinx.ext.napoleon on
    the numpy-style tool modules), not as Python-highlighted code; signatures show
    defaults as written (np.float64), not as evaluated (<class 'numpy.float64'>)."""
    text = (HTML / "book" / "api.html").read_text(encoding="utf-8")
    assert api_problems(text) == []


def api_problems(text: str) -> list[str]:
    problems = []
    fields = len(re.findall(r'<dl class="field-list', text))
    if fields < 15:
        problems.append(f"only {fields} field lists (Parameters, Returns, ...) in the API")
    if "Parameters" not in text or "Returns" not in text:
        problems.append("no Parameters or Returns field in the API reference")
    signatures = [html.unescape(re.sub(r"<[^>]+>", "", s))
                  for s in re.findall(r'<dt class="sig[^"]*"[^>]*>(.*?)</dt>', text, flags=re.S)]
    evaluated = [m for s in signatures for m in re.findall(r"<class '[\w.]+'>", s)]
    if len(signatures) < 50:
        problems.append(f"only {len(signatures)} signatures in the API reference")
    if evaluated:
        problems.append(f"signatures show evaluated defaults: {sorted(set(evaluated))}")
    # Code blocks inside a documented object (dd): a docstring shown as Python code.
    for dd in re.findall(r"<dd>(.*?)</dd>", text, flags=re.S):
        for lang in re.findall(r'<div class="highlight-(\w+) notranslate', dd):
            if lang not in {"text", "none", "pycon"}:
                problems.append(f"a docstring shown as {lang} code: {dd[:120]!r}")
    return problems


# --- maths keeps the punctuation after it ---------------------------------------------------

MATH_THEN_PUNCTUATION = re.compile(
    r'(?P<before>.{0,40})<span class="math notranslate nohighlight">(?P<tex>(?:(?!</span>).)*)'
    r"</span>(?P<punct>[,.;:!?)])"
)


def math_punctuation_problems(text: str) -> list[str]:
    """Inline maths directly followed by punctuation, outside a no-wrap span: the
    browser may break the line between them, leaving ", and" at a line's start."""
    return [f"{m.group('tex')}{m.group('punct')}" for m in MATH_THEN_PUNCTUATION.finditer(text)
            if not m.group("before").endswith('<span class="nowrap">')]


@pytest.mark.parametrize("page", toc_files())
def test_inline_math_keeps_its_punctuation(page):
    path = HTML / f"{page}.html"
    if not path.is_file():
        pytest.skip(f"{page}.html was not built (test_toc_page_was_built says so)")
    problems = math_punctuation_problems(path.read_text(encoding="utf-8"))
    assert problems == [], f"{page}: maths whose punctuation can wrap: {problems[:5]}"


# --- licences -------------------------------------------------------------------------------


def licence_problems(text: str) -> list[str]:
    problems = []
    footer = text[text.find('class="bd-footer-content'):]
    if "CC BY 4.0" not in footer or "creativecommons.org/licenses/by/4.0" not in footer:
        problems.append("the footer does not state CC BY 4.0 for the text and figures")
    if "MIT" not in footer:
        problems.append("the footer does not state MIT for the code")
    year = re.search(r"Copyright (\d{4})", footer)
    if not year or year.group(1) != "2026":
        problems.append(f"the footer's year is {year.group(1) if year else None}, not 2026")
    return problems


def test_every_page_states_the_licences():
    """The footer of every page (not index.html, a redirect) names both licences."""
    pages = [p for p in built_pages() if 'http-equiv="Refresh"' not in
             p.read_text(encoding="utf-8")[:500]]
    assert len(pages) >= len(toc_files()) - 1
    problems = [f"{rel(p)}: {problem}" for p in pages
                for problem in licence_problems(p.read_text(encoding="utf-8"))]
    assert problems == [], "\n".join(problems[:10])


def test_licence_files():
    """LICENSE holds the MIT licence of the code (as pyproject.toml says) and names the
    text's licence; the README says both."""
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Copyright (c) 2026" in licence
    assert "CC BY 4.0" in licence
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "[LICENSE](LICENSE)" in readme and "CC BY 4.0" in readme


# --- the landing page -------------------------------------------------------------------------


def landing_problems(text: str, chapters: list[str]) -> list[str]:
    """What the landing page must offer: a picture of what the reader will build, a
    start button to chapter 1, the total time, and a link to every chapter."""
    problems = []
    figure = re.search(r'<img alt="([^"]{40,})"[^>]*src="(_images/landing[^"]*\.png)"', text)
    if not figure:
        problems.append("no landing figure (with alt text) from book/_static/landing.png")
    elif not (HTML / figure.group(2)).is_file():
        problems.append(f"the landing figure {figure.group(2)} is missing")
    start = re.search(r'<a [^>]*href="chapters/01_perceptron.html"[^>]*>\s*(?:<[^>]+>\s*)*'
                      r"([^<]*Start[^<]*)", text)
    if not start:
        problems.append("no 'Start with chapter 1' link")
    if not re.search(r"whole course: about \d+ hours", text):
        problems.append("no total time ('The whole course: about N hours')")
    for chapter in chapters:
        if f'href="{chapter}.html"' not in text:
            problems.append(f"the course map does not link to {chapter}")
    return problems


def test_landing_page():
    chapters = [p for p in toc_files() if p.startswith("chapters/")]
    assert len(chapters) >= 6, chapters
    text = (HTML / "intro.html").read_text(encoding="utf-8")
    assert landing_problems(text, chapters) == []


# --- figure text ------------------------------------------------------------------------------

# matplotlib's named sizes, relative to font.size (11 points: use_book_style).
NAMED_SIZES = {"xx-small": 0.579, "x-small": 0.694, "small": 0.833, "medium": 1.0,
               "large": 1.2, "x-large": 1.44, "xx-large": 1.728, "smaller": 0.833}
MIN_POINTS = 9  # 12.5 pixels at 100 dpi; shown at 80 % or more (test_browser): 10 pixels


def small_text_problems(code: str) -> list[str]:
    """Font sizes below MIN_POINTS in a chapter's code: fontsize=8, size="x-small", ..."""
    problems = []
    sizes = r"\b(?:\w*fontsize|labelsize)\s*=\s*(?:(\d+(?:\.\d+)?)|[\"']([a-z-]+)[\"'])"
    for m in re.finditer(sizes, code):
        number, name = m.groups()
        points = float(number) if number else 11 * NAMED_SIZES.get(name, 1.0)
        if points < MIN_POINTS:
            line = code[code.rfind("\n", 0, m.start()) + 1 : code.find("\n", m.end())]
            problems.append(f"{points:.1f} pt: {line.strip()[:80]}")
    return problems


@pytest.mark.parametrize("page", chapter_pages())
def test_figure_text_is_at_least_9_points(page):
    """Text in a figure at least 9 points, so that it is at least 10 pixels on the page
    (figures are drawn at 100 dpi and shown at 80 % of that size or more)."""
    import nbformat

    path = source_of(page)
    if path is None or path.suffix != ".ipynb":
        pytest.skip(f"{page} has no notebook")
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert small_text_problems(code) == []
