"""The built website, loaded in a real browser: headless Chromium driven by selenium.

``make test`` builds the book into ``_build/html`` before pytest runs; these tests
serve that folder on 127.0.0.1 (a free port) and open every page of the table of
contents, plus every other page those pages link to (search, index), once each. On
each page they check that

- it loads (HTTP 200, a title) with no JavaScript console error;
- math is rendered: MathJax turned every math element into ``mjx-container``, with
  no TeX error (``mjx-merror``) and no raw ``$$`` or ``\\(`` left in the visible text;
- no request leaves the machine: every URL the browser asked for, as listed by
  Chrome's DevTools network log and by the Performance API, is on 127.0.0.1, and the
  server answered none of them with an error;
- every image loads (non-zero natural width) and has alt text or a caption;
- every internal link resolves: its file exists and its ``#id`` exists in that file.

and, for the book as a whole, that the search page finds "perceptron" and quotes maths
in its results as text, not TeX; that each chapter page has working launch (Colab,
Binder; only when _config.yml sets a repository) and download buttons (the notebook
and the course pack); and that each chapter's figures are PNGs with an opaque white
background, drawn undimmed in the dark theme, with captions of enough contrast
(WCAG AAA, normal weight) in both themes. A full-page screenshot of each chapter at
1280 pixels, and one of its first figure in the dark theme, go to
``_build/screenshots/`` for a human to look at.
The layout (issue 16), at 1280 pixels on every page: no code, output, table or API
signature scrolls sideways or sticks out of the window (the report of offenders is
``code_overflow.txt``); every figure has at least 1.5 image pixels per displayed pixel
(retina PNG: 2) and is shown at 80 % or more of the size it was drawn for, so that its
text stays above 10 pixels (``figures.txt`` lists every figure's numbers); one search box;
a browser title that does not repeat itself. Every interactive figure
(``nnlib.plotting.Slider``) changes its picture when moved, by script and by the
keyboard, and each of chapters 1 to 5 has one (this fails, naming the chapter, until
the chapter adds its slider). On a phone (390 pixels), no page scrolls sideways:
tables and wide figures scroll in their own boxes, and wide figures keep a readable
size.

The browser is hermetic: its host resolver maps every name but 127.0.0.1 to nowhere,
so a page that tried to fetch from the internet fails here, as it would offline.
``test_checks_bite`` and ``test_layout_checks_bite`` break a copy of a page in each way
above and assert that the checks catch every breakage.

Without Chromium and chromedriver (a laptop), these tests skip and say why; under CI
(``CI=true``) a missing browser or a missing build is a failure. ``BOOK_HTML=path``
tests another build folder.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("BOOK_HTML") or ROOT / "_build" / "html").resolve()
SCREENSHOTS = HTML.parent / "screenshots"
WIDTH, HEIGHT = 1280, 1000  # the browser window, in CSS pixels

# Console messages that are not the book's fault. Each entry: (regex, why). Keep it
# short; an entry that matches nothing any more should be removed.
CONSOLE_ALLOW: list[tuple[str, str]] = []

# Text a reader would see as raw TeX if MathJax had not rendered it.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac\{|\\mathbf\{")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _skip_or_fail(message: str):
    if _in_ci():
        pytest.fail(f"{message} (CI=true: the browser tests must run)")
    pytest.skip(message)


def toc_pages() -> list[str]:
    """Every page of _toc.yml, in order, as a path without suffix ("chapters/01_...")."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(str(Path(node["file"]).with_suffix("")))
            for key, value in node.items():
                if key != "file":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [p.removesuffix(".md").removesuffix(".ipynb") for p in pages]


PAGES = toc_pages()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/") and (ROOT / f"{p}.ipynb").is_file()]


def source_has_math(page: str) -> bool:
    for suffix in (".md", ".ipynb"):
        path = ROOT / f"{page}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if suffix == ".ipynb":
                cells = json.loads(text)["cells"]
                text = "\n".join(
                    "".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
                )
            return bool(re.search(r"\$[^$\s]|\{math\}|```\{math\}", text))
    return False


# --- a local web server -----------------------------------------------------------------


class Server:
    """http.server on 127.0.0.1 (free port), serving `root`, recording every request."""

    def __init__(self, root: Path):
        self.requests: list[tuple[str, int]] = []  # (path, status)
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_request(self, code="-", size="-"):
                server.requests.append((self.path, int(code) if str(code).isdigit() else 0))

            def log_message(self, format, *args):  # noqa: A002 - http.server's name
                pass  # quiet: the requests are recorded above

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


# --- the browser ------------------------------------------------------------------------


def find_browser() -> tuple[str, str]:
    """(chromium binary, chromedriver), or skip (fail under CI) saying what is missing."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        _skip_or_fail("selenium is not installed (it is in requirements.txt)")
    chromium = os.environ.get("CHROMIUM") or next(
        filter(None, map(shutil.which, ["chromium", "chromium-browser", "google-chrome"])), None
    )
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not chromium or not driver:
        missing = [name for name, path in [("chromium", chromium), ("chromedriver", driver)]
                   if not path]
        _skip_or_fail(
            f"no browser: {' and '.join(missing)} not found on PATH. Install Debian's "
            "chromium and chromium-driver (apt-get install chromium chromium-driver), "
            "or set CHROMIUM and CHROMEDRIVER"
        )
    return chromium, driver


def start_browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
        "--force-device-scale-factor=1",
        # Hermetic: no name resolves except the local server's address, so a request to
        # the internet fails here (and shows in the logs) instead of quietly working.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    ]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    browser.set_page_load_timeout(60)
    browser.set_script_timeout(60)
    return browser


# --- what one visit of a page records -----------------------------------------------------

COLLECT_JS = r"""
const done = arguments[arguments.length - 1];
// Cut strings by characters, not UTF-16 units: half a surrogate pair (maths in a
// table) cannot be sent back to Python.
const cut = (s, n) => Array.from(s).slice(0, n).join("");
const settle = async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  // Images: wait (briefly) for any that are still loading.
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 5000); })));
};
settle().then(() => {
  const main = document.querySelector("article.bd-article") || document.body;
  const clone = main.cloneNode(true);
  clone.querySelectorAll("pre, code, script, style, mjx-container, .highlight, textarea")
       .forEach(e => e.remove());
  const text = clone.innerText || clone.textContent;
  // Measured with every solution (dropdown) and hidden cell open, as a reader would.
  main.querySelectorAll("details").forEach(d => d.open = true);
  main.querySelectorAll(".toggle-hidden, .dropdown .admonition-content, .toggle")
      .forEach(e => e.classList.remove("toggle-hidden"));
  const px = value => {
    const m = /^\s*([\d.]+)\s*(px)?\s*$/.exec(value || "");
    return m ? parseFloat(m[1]) : null;
  };
  const images = Array.from(document.images).map(img => {
    const figure = img.closest("figure");
    const caption = figure && figure.querySelector("figcaption");
    const style = getComputedStyle(img);
    return {
      src: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      naturalWidth: img.naturalWidth,
      complete: img.complete,
      caption: caption ? caption.innerText.trim() : "",
      inContent: !!img.closest("article.bd-article"),
      inOutput: !!img.closest(".cell_output"),
      inSlider: !!img.closest(".nnlib-slider"),
      // The width the picture was drawn for (a retina PNG declares half its pixels),
      // and the width it is shown at (its content box, without padding).
      declared: px(img.style.width) || px(img.getAttribute("width")),
      displayed: img.clientWidth - parseFloat(style.paddingLeft)
                 - parseFloat(style.paddingRight),
      wide: img.classList.contains("wide-figure"),
    };
  });
  // Blocks that must fit the column: code and outputs, tables, API signatures.
  const windowWidth = document.documentElement.clientWidth;
  const blocks = [];
  const block = (el, kind, text) => {
    if (!el.clientWidth) return;  // not shown
    const lines = text.split("\n");
    blocks.push({
      kind: kind,
      scrollWidth: el.scrollWidth,
      clientWidth: el.clientWidth,
      right: el.getBoundingClientRect().right,
      windowWidth: windowWidth,
      firstLine: cut(lines[0], 80),
      longest: cut(lines.reduce((a, l) => (l.length > a.length ? l : a), ""), 120),
    });
  };
  main.querySelectorAll("div.highlight pre").forEach(pre =>
    block(pre, pre.closest(".cell_output") ? "output" : "code", pre.textContent));
  main.querySelectorAll("table").forEach(table =>
    block(table.closest(".pst-scrollable-table-container") || table.parentElement, "table",
          table.innerText.replace(/\s+/g, " ")));
  main.querySelectorAll("dt.sig").forEach(dt => block(dt, "signature", dt.innerText));
  // Every caption: its colour and the colour behind it.
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c && c !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const captions = Array.from(main.querySelectorAll("figure figcaption")).map(c => ({
    text: cut(c.innerText.trim(), 60),
    color: getComputedStyle(c).color,
    weight: Number(getComputedStyle(c).fontWeight),
    background: background(c),
  }));
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden"
      && !el.closest("dialog:not([open])");
  };
  const searchBoxes = Array.from(document.querySelectorAll(
    ".search-button-field, input[type='search'], form[role='search'] input, #search-input"
  )).filter(visible).map(e => cut(e.outerHTML, 80));
  done({
    url: location.href,
    title: document.title,
    h1: main.querySelectorAll("h1").length,
    mathElements: main.querySelectorAll(".math").length,
    mathUnrendered: Array.from(main.querySelectorAll(".math"))
      .filter(e => !e.querySelector("mjx-container"))
      .map(e => cut(e.textContent, 80)),
    mjx: document.querySelectorAll("mjx-container").length,
    mjxErrors: Array.from(document.querySelectorAll("mjx-merror"))
      .map(e => cut(e.getAttribute("data-mjx-error") || e.textContent, 80)),
    text: text,
    images: images,
    links: Array.from(document.querySelectorAll("a[href]"))
      .map(a => ({href: a.href, raw: a.getAttribute("href")})),
    ids: Array.from(document.querySelectorAll("[id]")).map(e => e.id)
      .concat(Array.from(document.querySelectorAll("a[name]")).map(a => a.name)),
    resources: performance.getEntriesByType("resource").map(e => e.name)
      .concat(performance.getEntriesByType("navigation").map(e => e.name)),
    blocks: blocks,
    captions: captions,
    searchBoxes: searchBoxes,
    sliders: main.querySelectorAll("div.nnlib-slider").length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  });
}).catch(error => done({error: String(error)}));
"""


CAPTIONS_JS = r"""
const background = el => {
  for (let e = el; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== "transparent" && !/^rgba\(.*,\s*0\)$/.test(c)) return c;
  }
  return "rgb(255, 255, 255)";
};
return Array.from(document.querySelectorAll("article.bd-article figure figcaption")).map(c => ({
  text: Array.from(c.innerText.trim()).slice(0, 60).join(""),
  color: getComputedStyle(c).color,
  weight: Number(getComputedStyle(c).fontWeight),
  background: background(c),
}));
"""


@dataclass
class Visit:
    page: str
    data: dict
    console: list[dict]  # Chrome's console log entries
    requested: list[str]  # every URL the page asked for (DevTools network log)
    failed: list[str]  # requests that failed in the browser (DNS, refused, blocked)
    statuses: dict[str, int]  # URL -> HTTP status, as the browser saw it
    served: list[tuple[str, int]] = field(default_factory=list)  # the server's view


def network_events(log_entries):
    requested, failed, statuses = [], [], {}
    ids = {}
    for entry in log_entries:
        message = json.loads(entry["message"])["message"]
        method, params = message.get("method"), message.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            ids[params["requestId"]] = url
            requested.append(url)
        elif method == "Network.responseReceived":
            statuses[params["response"]["url"]] = params["response"]["status"]
        elif method == "Network.loadingFailed":
            # Only the page's own requests: the browser's background ones (a fresh
            # profile's first look-ups) were never announced during this visit.
            url = ids.get(params["requestId"])
            reason = params.get("blockedReason") or params.get("errorText", "")
            if url and not params.get("canceled"):
                failed.append(f"{url} ({reason})")
    return requested, failed, statuses


def visit(browser, server: Server, url: str, page: str) -> Visit:
    browser.get_log("browser")  # drop what earlier pages left
    browser.get_log("performance")
    before = len(server.requests)
    browser.get(url)
    data = browser.execute_async_script(COLLECT_JS)
    time.sleep(0.2)  # let late console messages and network events arrive
    console = browser.get_log("browser")
    requested, failed, statuses = network_events(browser.get_log("performance"))
    assert "error" not in data, f"{page}: collecting the page failed: {data['error']}"
    return Visit(page, data, console, requested, failed, statuses, server.requests[before:])


# --- the checks: each returns a list of problems (empty: all good) --------------------------


def console_problems(v: Visit) -> list[str]:
    problems = []
    for entry in v.console:
        if entry["level"] not in {"SEVERE", "WARNING"}:
            continue
        message = entry["message"]
        if any(re.search(pattern, message) for pattern, _ in CONSOLE_ALLOW):
            continue
        problems.append(f"{entry['level']}: {message}")
    return problems


def off_machine(url: str, origin: str) -> bool:
    """True for a network request (http, https, ws, ...) to anywhere but `origin`.
    data:, blob:, about: and the browser's own chrome:// pages are not requests."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}:
        return False
    return not url.startswith(origin)


def offsite_problems(v: Visit, origin: str) -> list[str]:
    urls = sorted(set(v.requested) | set(v.data["resources"]))
    problems = [f"requested from another machine: {u}" for u in urls if off_machine(u, origin)]
    problems += [f"request failed: {f}" for f in v.failed]
    problems += [f"HTTP {s}: {u}" for u, s in v.statuses.items() if s >= 400]
    problems += [f"server answered {s} to {p}" for p, s in v.served if s >= 400]
    return problems


def math_problems(v: Visit, expect_math: bool) -> list[str]:
    d = v.data
    problems = []
    if expect_math and not d["mathElements"]:
        problems.append("the source has math but the page has no math element")
    if d["mathElements"] and not d["mjx"]:
        problems.append(f"{d['mathElements']} math elements but no mjx-container: MathJax "
                        "did not run")
    problems += [f"math not rendered: {t!r}" for t in d["mathUnrendered"][:5]]
    problems += [f"MathJax error: {e!r}" for e in d["mjxErrors"][:5]]
    raw = sorted(set(RAW_TEX.findall(d["text"])))
    if raw:
        m = RAW_TEX.search(d["text"])
        example = d["text"][max(m.start() - 30, 0) : m.end() + 30]
        problems.append(f"raw TeX in the visible text: {raw}, e.g. {example!r}")
    return problems


def image_problems(v: Visit) -> list[str]:
    problems = []
    for img in v.data["images"]:
        name = unquote(urlsplit(img["src"]).path.rsplit("/", 1)[-1])
        if not img["complete"] or img["naturalWidth"] == 0:
            problems.append(f"image did not load: {img['src']}")
        alt = (img["alt"] or "").strip()
        # Sphinx's default alt text is the image's own path: that describes nothing.
        meaningful_alt = bool(alt) and not alt.endswith(name) and not alt.startswith("../")
        if not meaningful_alt and not img["caption"]:
            problems.append(f"image without alt text or caption: {name} (alt={alt!r})")
    return problems


@functools.cache
def static_ids(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return frozenset(re.findall(r'\b(?:id|name)="([^"]+)"', text))


def link_problems(v: Visit, origin: str, root: Path, dom_ids_of: dict[str, set[str]]) -> list[str]:
    problems = []
    for link in v.data["links"]:
        href = link["href"]
        if not href.startswith(origin):
            continue  # external (Colab, Binder, GitHub, DOIs): never fetched by a page
        parts = urlsplit(href)
        rel_path = unquote(parts.path)[len(urlsplit(origin).path):]
        target = root / rel_path if rel_path and not rel_path.endswith("/") else (
            root / rel_path / "index.html")
        if not target.is_file():
            problems.append(f"broken link {link['raw']!r}: {target.relative_to(root)} missing")
            continue
        if parts.fragment and target.suffix == ".html":
            fragment = unquote(parts.fragment)
            ids = static_ids(target) | dom_ids_of.get(str(target), set())
            if fragment not in ids:
                problems.append(f"broken anchor {link['raw']!r}: no id {fragment!r} in "
                                f"{target.relative_to(root)}")
    return problems


def overflow_problems(v: Visit) -> list[str]:
    """Code, outputs, tables and signatures that scroll sideways or stick out of the
    window, and a page that scrolls sideways as a whole."""
    problems = []
    for b in v.data["blocks"]:
        if b["scrollWidth"] > b["clientWidth"] + 1:
            problems.append(f"{b['kind']} scrolls sideways by "
                            f"{b['scrollWidth'] - b['clientWidth']}px: {b['longest']!r}")
        elif b["right"] > b["windowWidth"] + 1:
            problems.append(f"{b['kind']} sticks out of the window by "
                            f"{b['right'] - b['windowWidth']:.0f}px: {b['longest']!r}")
    if v.data["scrollWidth"] > v.data["clientWidth"] + 1:
        problems.append(f"the whole page scrolls sideways ({v.data['scrollWidth']}px in a "
                        f"{v.data['clientWidth']}px window)")
    return problems


def shown_figures(v: Visit) -> list[dict]:
    """The pictures of the article that are shown (not the logo, not hidden ones)."""
    return [img for img in v.data["images"]
            if img["inContent"] and img["displayed"] > 0 and img["naturalWidth"] > 0]


def sharpness(img: dict) -> float:
    """Image pixels per displayed CSS pixel: 2 for a retina PNG shown at its size."""
    return img["naturalWidth"] / img["displayed"]


def name_of(img: dict) -> str:
    src = img["src"]
    return "an embedded PNG" if src.startswith("data:") else src.rsplit("/", 1)[-1][:24]


def sharpness_problems(v: Visit, at_least: float = 1.5) -> list[str]:
    """Figures with fewer than `at_least` image pixels per displayed pixel: soft on any
    high-density screen (nnlib.plotting.use_book_style draws them at 2)."""
    return [f"figure {name_of(img)} has {img['naturalWidth']} pixels for {img['displayed']:.0f} "
            f"displayed: {sharpness(img):.2f} per pixel, below {at_least}"
            for img in shown_figures(v) if sharpness(img) < at_least]


# The book's figures have 11-point text (use_book_style) drawn at 100 dpi: 15.3 pixels
# at the size they were drawn for. Shown at 80 % of that size or more, even 9-point text
# (the smallest test_site allows) stays at 10 pixels.
MIN_FIGURE_SCALE = 0.8


def figure_scale(img: dict) -> float:
    drawn_for = img["declared"] or img["naturalWidth"]
    return img["displayed"] / drawn_for


def legibility_problems(v: Visit, at_least: float = MIN_FIGURE_SCALE) -> list[str]:
    """Figures shown so much smaller than they were drawn that their text falls below
    about 10 pixels."""
    return [f"figure {name_of(img)} drawn {img['declared'] or img['naturalWidth']:.0f}px "
            f"wide is shown at {img['displayed']:.0f}px ({figure_scale(img):.0%}): its "
            f"11-point text is about {15.3 * figure_scale(img):.1f}px"
            for img in shown_figures(v) if figure_scale(img) < at_least]


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(c) for c in re.findall(r"[\d.]+", css)[:3])


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two CSS rgb() colours (1 to 21)."""

    def luminance(colour):
        channels = [c / 255 for c in rgb(colour)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


MIN_CAPTION_CONTRAST = 7.0  # WCAG's AAA level for body text


def caption_problems(captions: list[dict], at_least: float = MIN_CAPTION_CONTRAST) -> list[str]:
    """Captions paler than `at_least` against what is behind them, or thinner than
    normal text (the theme's 300 makes grey text look paler still)."""
    return [f"caption {c['text']!r}: contrast {contrast(c['color'], c['background']):.1f} "
            f"({c['color']} on {c['background']}), below {at_least}"
            for c in captions if contrast(c["color"], c["background"]) < at_least] + [
            f"caption {c['text']!r}: font weight {c['weight']}, thinner than the text's 400"
            for c in captions if c["weight"] < 400]


def search_box_problems(v: Visit) -> list[str]:
    boxes = v.data["searchBoxes"]
    if len(boxes) == 1:
        return []
    return [f"{len(boxes)} search boxes on the page, not 1: {boxes}"]


def title_problems(v: Visit) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s[\u2014|-]\s", v.data["title"])]
    if len(parts) != len(set(parts)):
        return [f"the browser title repeats itself: {v.data['title']!r}"]
    return []


# Moves every slider of the page and reports what happened: the picture's source and
# the printed value before, after moving to the last position, and after moving back.
SLIDERS_JS = r"""
return Array.from(document.querySelectorAll("div.nnlib-slider")).map(root => {
  const input = root.querySelector("input[type=range]");
  const img = root.querySelector("img");
  const out = root.querySelector("output");
  if (!input || !img) return {id: root.id, broken: "no input or no img"};
  const move = value => {
    input.value = value;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    return [img.src.slice(-60), out ? out.textContent : ""];
  };
  const first = input.value, last = input.max;
  const before = [img.src.slice(-60), out ? out.textContent : ""];
  const moved = move(last);
  const back = move(first);
  return {id: root.id, frames: Number(input.max) - Number(input.min) + 1,
          before: before, moved: moved, back: back};
});
"""


def slider_problems(results: list[dict]) -> list[str]:
    problems = []
    for s in results:
        if s.get("broken"):
            problems.append(f"slider {s['id']}: {s['broken']}")
        elif s["frames"] < 2:
            problems.append(f"slider {s['id']} has {s['frames']} frame: nothing to move")
        elif s["moved"][0] == s["before"][0]:
            problems.append(f"slider {s['id']}: moving it does not change the picture")
        elif s["moved"][1] == s["before"][1]:
            problems.append(f"slider {s['id']}: moving it does not change the value shown")
        elif s["back"] != s["before"]:
            problems.append(f"slider {s['id']}: moving it back does not restore the picture")
    return problems


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def built_html() -> Path:
    if not (HTML / "index.html").is_file():
        _skip_or_fail(f"{HTML}/index.html is missing: build the book first (make book, or "
                      "make test, which builds it before pytest)")
    return HTML


@pytest.fixture(scope="session")
def server(built_html):
    s = Server(built_html)
    yield s
    s.close()


@pytest.fixture(scope="session")
def browser(built_html):
    find_browser()  # skips (or fails under CI) before anything starts
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    b = start_browser(profile)
    b.get("about:blank")  # let a fresh profile's background start-up pass
    time.sleep(1)
    yield b
    b.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def site(browser, server):
    """Every page of the table of contents, and every HTML page they link to, visited once."""
    visits: dict[str, Visit] = {}
    # search.html is reached by a form, not a link; genindex.html by the theme's menu.
    queue = [f"{p}.html" for p in PAGES] + ["search.html", "genindex.html"]
    while queue:
        rel_path = queue.pop(0)
        if rel_path in visits or not (HTML / rel_path).is_file():
            continue
        v = visit(browser, server, server.url + rel_path, rel_path.removesuffix(".html"))
        visits[rel_path] = v
        for link in v.data["links"]:
            parts = urlsplit(link["href"])
            if link["href"].startswith(server.url) and parts.path.endswith(".html"):
                queue.append(unquote(parts.path)[1:])
    return visits


def visit_of(site, page: str) -> Visit:
    v = site.get(f"{page}.html")
    assert v is not None, f"{page}.html was not built (tests/test_site.py says more)"
    return v


ALL_PAGES = PAGES + ["search", "genindex"]


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ALL_PAGES)
def test_page_loads_without_console_errors(site, server, page):
    v = visit_of(site, page)
    document = server.url + f"{page}.html"
    assert v.statuses.get(document) == 200, f"{page}: HTTP {v.statuses.get(document)}"
    assert v.data["title"].strip(), f"{page} has no title"
    if page in PAGES:
        assert v.data["h1"] == 1, f"{page} has {v.data['h1']} h1 headings in its article"
    assert console_problems(v) == [], f"{page}: console errors"


@pytest.mark.parametrize("page", ALL_PAGES)
def test_no_request_leaves_the_machine(site, server, page):
    v = visit_of(site, page)
    assert v.requested, f"{page}: the network log is empty: is performance logging on?"
    assert offsite_problems(v, server.url) == []


@pytest.mark.parametrize("page", PAGES)
def test_math_is_rendered(site, page):
    v = visit_of(site, page)
    assert math_problems(v, source_has_math(page)) == []


@pytest.mark.parametrize("page", ALL_PAGES)
def test_images_load_and_are_described(site, page):
    assert image_problems(visit_of(site, page)) == []


def test_every_internal_link_and_anchor_resolves(site, server):
    dom_ids = {str(HTML / rel): set(v.data["ids"]) for rel, v in site.items()}
    problems = [f"{v.page}: {p}" for v in site.values()
                for p in link_problems(v, server.url, HTML, dom_ids)]
    assert len(site) > len(PAGES), "the crawl should reach pages beyond the toc (search, index)"
    checked = sum(len(v.data["links"]) for v in site.values())
    assert checked > 100, f"only {checked} links found: is the crawl working?"
    assert problems == [], "\n".join(problems)


def test_search_finds_perceptron(browser, server, built_html):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + "search.html?q=perceptron")
    # Sphinx's search shows results one by one, then a summary: wait for the summary.
    WebDriverWait(browser, 30).until(
        lambda b: re.search(
            r"Search finished|did not match",
            " ".join(e.text for e in b.find_elements(By.CSS_SELECTOR, ".search-summary")),
        )
    )
    results = browser.find_elements(By.CSS_SELECTOR, "#search-results ul.search li a")
    hrefs = [a.get_attribute("href") for a in results]
    assert hrefs, "searching for 'perceptron' found nothing"
    assert any("chapters/01_perceptron.html" in h for h in hrefs), hrefs


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_and_download_buttons(browser, server, site, chapter):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url + f"{chapter}.html")
    notebook = f"{chapter}.ipynb"
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = str((config.get("repository") or {}).get("url") or "").strip()
    menus = [(".dropdown-download-buttons", {
        ".ipynb": f"{server.url}_sources/{notebook}",
        "course pack": f"{server.url}_static/nnlib-course-pack.zip",
    })]
    if url:  # launch buttons exist only with a repository (book/_ext/runanywhere.py)
        repo = url.removeprefix("https://github.com/").strip("/")
        branch = config["repository"].get("branch", "main")
        menus.insert(0, (".dropdown-launch-buttons", {
            "Colab": f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}",
            "Binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/{notebook}",
        }))
    else:
        assert not browser.find_elements(By.CSS_SELECTOR, ".dropdown-launch-buttons"), (
            f"{chapter}: launch buttons, but _config.yml sets no repository")
    for menu, wanted in menus:
        toggle = browser.find_element(By.CSS_SELECTOR, f"{menu} button.dropdown-toggle")
        assert toggle.is_displayed(), f"{chapter}: the {menu} button is not visible"
        toggle.click()
        WebDriverWait(browser, 10).until(
            lambda b, m=menu: b.find_element(By.CSS_SELECTOR, f"{m} .dropdown-menu").is_displayed()
        )
        items = browser.find_elements(By.CSS_SELECTOR, f"{menu} .dropdown-menu a")
        shown = {a.text.strip(): a.get_attribute("href") for a in items if a.is_displayed()}
        for label, url in wanted.items():
            assert label in shown, f"{chapter}: no {label!r} in the {menu} menu: {shown}"
            assert shown[label] == url, f"{chapter}: {label} links to {shown[label]}"
        toggle.click()  # close it again
    source = HTML / "_sources" / notebook
    assert source.is_file(), f"the download button's {source.relative_to(HTML)} is missing"


def _full_page_png(browser) -> bytes:
    height = browser.execute_script(
        "return Math.ceil(Math.max(document.documentElement.scrollHeight,"
        " document.body.scrollHeight))"
    )
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png",
        "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1},
    })
    return base64.b64decode(shot["data"])


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_screenshots_and_dark_theme(browser, server, site, chapter):
    """Screenshots for a human (light: full page; dark: the first figure), and a check
    that every figure is an opaque PNG, so that it stays legible on a dark page."""
    from selenium.webdriver.common.by import By

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = chapter.replace("/", "_")
    browser.get(server.url + f"{chapter}.html")
    browser.execute_async_script(COLLECT_JS)  # wait for MathJax, fonts and images
    png = _full_page_png(browser)
    (SCREENSHOTS / f"{name}.png").write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000

    figures = browser.find_elements(By.CSS_SELECTOR, "article .cell_output img")
    assert figures, f"{chapter} has no figure"
    corners = browser.execute_script(
        """
        return Array.from(document.querySelectorAll("article .cell_output img")).map(img => {
          const c = document.createElement("canvas");
          c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext("2d"); g.drawImage(img, 0, 0);
          const w = img.naturalWidth - 1, h = img.naturalHeight - 1;
          return [img.src.split("/").pop(),
                  [[0, 0], [w, 0], [0, h], [w, h]].map(([x, y]) =>
                    Array.from(g.getImageData(x, y, 1, 1).data))];
        });
        """
    )
    see_through = [src for src, pixels in corners if any(p[3] < 255 for p in pixels)]
    assert not see_through, f"{chapter}: figures with a transparent background: {see_through}"

    browser.execute_script(
        "document.documentElement.dataset.theme = 'dark';"
        "document.documentElement.dataset.mode = 'dark';"
        "arguments[0].scrollIntoView({block: 'center'});",
        figures[0],
    )
    time.sleep(0.3)
    background = browser.execute_script(
        "return getComputedStyle(document.body).backgroundColor"
    )
    (SCREENSHOTS / f"{name}_dark.png").write_bytes(
        base64.b64decode(browser.get_screenshot_as_base64())
    )
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert sum(channels) < 3 * 100, f"the dark theme did not apply: body is {background}"
    # Captions: readable in both themes.
    dark_captions = browser.execute_script(CAPTIONS_JS)
    light_captions = visit_of(site, chapter).data["captions"]
    assert light_captions and len(dark_captions) == len(light_captions)
    assert caption_problems(light_captions) == [], "light theme"
    assert caption_problems(dark_captions) == [], "dark theme"
    # Figures: drawn as they are on their white panel, not dimmed by a filter.
    filters = browser.execute_script(
        "return Array.from(document.querySelectorAll('article .cell_output img'))"
        ".map(i => getComputedStyle(i).filter)"
    )
    assert set(filters) == {"none"}, f"{chapter}: figures dimmed in the dark theme: {filters}"


def test_nothing_scrolls_sideways_at_1280_pixels(site):
    """No code, output, table or signature scrolls sideways (or sticks out of the
    window) at 1280 pixels, on any page; code cells, outputs and nnlib's 100-character
    listings alike. Every offender goes to _build/screenshots/code_overflow.txt."""
    rows = [f"{v.page}\t{p}" for _, v in sorted(site.items()) for p in overflow_problems(v)]
    blocks = sum(len(v.data["blocks"]) for v in site.values())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "code_overflow.txt").write_text(
        f"Blocks that do not fit at {WIDTH}px: {len(rows)} of {blocks}\n" + "\n".join(rows)
        + "\n", encoding="utf-8")
    assert blocks > 200, f"only {blocks} code blocks, tables and signatures measured"
    assert rows == [], f"{len(rows)} blocks do not fit at {WIDTH}px:\n" + "\n".join(rows)


def figure_report(site) -> str:
    rows = []
    for _, v in sorted(site.items()):
        for img in shown_figures(v):
            rows.append(f"{v.page}\t{name_of(img)}\t{img['naturalWidth']}px\t"
                        f"declared {img['declared'] or '-'}\tshown {img['displayed']:.0f}px\t"
                        f"sharpness {sharpness(img):.2f}\tscale {figure_scale(img):.2f}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("page", PAGES)
def test_figures_are_sharp(site, page):
    """Every figure has at least 1.5 image pixels per displayed pixel (retina PNG: 2),
    so it stays sharp on high-density screens. The numbers of every figure go to
    _build/screenshots/figures.txt."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "figures.txt").write_text(figure_report(site), encoding="utf-8")
    assert sharpness_problems(visit_of(site, page)) == []


@pytest.mark.parametrize("page", PAGES)
def test_figure_text_is_legible(site, page):
    """No figure is shown so much smaller than it was drawn that its text falls below
    about 10 pixels (at 1280 pixels; wide figures spread over the right margin)."""
    assert legibility_problems(visit_of(site, page)) == []


@pytest.mark.parametrize("page", ALL_PAGES)
def test_one_search_box(site, page):
    assert search_box_problems(visit_of(site, page)) == []


@pytest.mark.parametrize("page", ALL_PAGES)
def test_browser_title_says_it_once(site, page):
    assert title_problems(visit_of(site, page)) == []


# Issue 16: every chapter of the course has at least one interactive figure. The
# chapters add theirs (nnlib.plotting.Slider); until a chapter has one, this fails.
SLIDER_CHAPTERS = [p for p in PAGES if re.match(r"chapters/0[1-5]_", p)]


@pytest.mark.parametrize("chapter", SLIDER_CHAPTERS)
def test_every_chapter_has_an_interactive_figure(site, chapter):
    v = visit_of(site, chapter)
    assert v.data["sliders"] >= 1, (
        f"{chapter} has no interactive figure (a div.nnlib-slider): issue 16 asks for at "
        "least one per chapter, made with nnlib.plotting.Slider"
    )


def test_sliders_move(browser, server, site):
    """Every slider on every page changes its picture and its printed value when moved
    (by script, and the first of each page by the keyboard, as a reader would), and
    moving it back restores the picture. The pictures are data: URIs, so a slider loads
    nothing (test_no_request_leaves_the_machine checks every page)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    pages = [v.page for _, v in sorted(site.items()) if v.data["sliders"]]
    if not pages:
        pytest.skip("no page has an interactive figure yet "
                    "(test_every_chapter_has_an_interactive_figure fails for each chapter)")
    problems, moved = [], 0
    for page in pages:
        browser.get(server.url + f"{page}.html")
        results = browser.execute_script(SLIDERS_JS)
        moved += len(results)
        problems += [f"{page}: {p}" for p in slider_problems(results)]
        root = browser.find_element(By.CSS_SELECTOR, "div.nnlib-slider")
        img, knob = (root.find_element(By.TAG_NAME, "img"),
                     root.find_element(By.CSS_SELECTOR, "input[type=range]"))
        before = img.get_attribute("src")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", knob)
        knob.send_keys(Keys.END if knob.get_attribute("value") != knob.get_attribute("max")
                       else Keys.HOME)
        if img.get_attribute("src") == before:
            problems.append(f"{page}: the keyboard does not move slider {root.get_attribute('id')}")
    assert moved == sum(site[f"{p}.html"].data["sliders"] for p in pages)
    assert problems == [], "\n".join(problems)


PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}

PHONE_JS = r"""
const main = document.querySelector("article.bd-article") || document.body;
main.querySelectorAll("details").forEach(d => d.open = true);
const tables = Array.from(main.querySelectorAll("table")).map(t => {
  const box = t.closest(".pst-scrollable-table-container") || t.parentElement;
  return {text: Array.from(t.innerText).slice(0, 40).join(""),
          wider: t.scrollWidth > box.clientWidth + 1,
          scrolls: ["auto", "scroll"].includes(getComputedStyle(box).overflowX)};
});
const wide = Array.from(main.querySelectorAll("img.wide-figure")).filter(i => i.clientWidth)
  .map(i => ({src: i.src.split("/").pop().slice(0, 24), shown: i.clientWidth,
              declared: parseFloat(i.getAttribute("width") || i.style.width) || i.naturalWidth}));
return {scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth, tables: tables, wide: wide};
"""


def phone_problems(d: dict) -> list[str]:
    problems = []
    if d["scrollWidth"] > d["clientWidth"] + 1:
        problems.append(f"the page scrolls sideways: {d['scrollWidth']}px in {d['clientWidth']}px")
    problems += [f"table {t['text']!r} is wider than the screen and does not scroll in its box"
                 for t in d["tables"] if t["wider"] and not t["scrolls"]]
    problems += [f"wide figure {w['src']} is squeezed to {w['shown']}px of {w['declared']:.0f}"
                 for w in d["wide"] if w["shown"] < 0.6 * w["declared"]]
    return problems


def test_phone_layout(browser, server, site):
    """On a phone (390 CSS pixels), no page scrolls sideways as a whole: wide code,
    tables and figures scroll inside their own boxes, and wide figures keep a readable
    size (at least 60 % of the size they were drawn for). Screenshots of the landing
    page and the first chapter go to _build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    problems = []
    try:
        for page in [p for p in PAGES if f"{p}.html" in site]:
            browser.get(server.url + f"{page}.html")
            browser.execute_async_script(COLLECT_JS)  # wait for MathJax, fonts and images
            problems += [f"{page}: {p}" for p in phone_problems(browser.execute_script(PHONE_JS))]
            if page in (PAGES[0], CHAPTERS[0] if CHAPTERS else None):
                (SCREENSHOTS / f"{page.replace('/', '_')}_phone.png").write_bytes(
                    base64.b64decode(browser.get_screenshot_as_base64()))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert problems == [], "\n".join(problems)


def test_search_results_show_no_raw_tex(browser, server, built_html):
    """Sphinx quotes each result's text from the page's HTML, where maths is still TeX;
    book/_static/book.js turns it into text ("w · x")."""
    problems = search_snippet_problems(browser, server.url)
    assert problems == [], "\n".join(problems)


# A query whose results quote maths (the perceptron's rule, the gradient, ...).
SEARCH_WITH_MATH = "weights"


def search_snippet_problems(browser, url: str, query: str = SEARCH_WITH_MATH) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(url + f"search.html?q={query}")
    WebDriverWait(browser, 30).until(
        lambda b: re.search(
            r"Search finished|did not match",
            " ".join(e.text for e in b.find_elements(By.CSS_SELECTOR, ".search-summary")),
        )
    )
    time.sleep(0.5)  # the summaries arrive one by one
    snippets = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#search-results p.context")]
    problems = [f"raw TeX in a search result: {s[:120]!r}" for s in snippets if RAW_TEX.search(s)]
    if len(snippets) < 3:
        problems.append(f"only {len(snippets)} search results quote their page")
    return problems


# --- the checks bite ------------------------------------------------------------------------------


def test_checks_bite(browser, tmp_path, built_html):
    """Break a copy of a page in every way the checks look for; each check must see it."""
    site_copy = tmp_path / "html"
    site_copy.mkdir()
    for entry in built_html.iterdir():  # link everything, copy the page we break
        (site_copy / entry.name).symlink_to(entry)
    chapter = CHAPTERS[0]
    (site_copy / "chapters").unlink()
    (site_copy / "chapters").mkdir()
    page = site_copy / f"{chapter}.html"
    text = (built_html / f"{chapter}.html").read_text(encoding="utf-8")
    broken = text.replace(
        "</head>",
        '<script src="https://cdn.example.org/tracker.js"></script>\n'
        "<script>console.error('a broken script');</script>\n</head>",
        1,
    )
    # An internal link to a missing page and one to a missing anchor; an image that does
    # not load and has no alt text; raw TeX that MathJax cannot render.
    broken = broken.replace(
        '<section id="learning-objectives">',
        '<p><a href="no_such_page.html">gone</a> <a href="#no-such-anchor">nowhere</a>'
        ' <img src="../_images/missing.png"> $$x^2$$ \\(\\undefinedmacro{x}\\)</p>'
        '<section id="learning-objectives">',
        1,
    )
    assert broken.count("no_such_page") == 1, "the page changed: update this test"
    page.write_text(broken, encoding="utf-8")

    server = Server(site_copy)
    try:
        v = visit(browser, server, server.url + f"{chapter}.html", chapter)
    finally:
        server.close()
    links = link_problems(v, server.url, site_copy, {str(page): set(v.data["ids"])})
    console = console_problems(v)
    offsite = offsite_problems(v, server.url)
    images = image_problems(v)
    math = math_problems(v, True)

    assert any("a broken script" in p for p in console), console
    assert any("cdn.example.org" in p for p in offsite), offsite
    assert any("missing.png" in p and "did not load" in p for p in images), images
    assert any("missing.png" in p and "alt" in p for p in images), images
    assert any("no_such_page.html" in p for p in links), links
    assert any("no-such-anchor" in p for p in links), links
    assert any("undefinedmacro" in p for p in math) or any("$$" in p for p in math), math


def slider_html(name: str, working: bool = True) -> str:
    """A real nnlib.plotting.Slider (3 small frames); without its script if not working."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnlib.plotting import Slider

    fig, ax = plt.subplots(figsize=(2, 1.5))

    def draw(k):
        ax.clear()
        ax.plot([0, 1], [0, k])

    html = Slider(fig, draw, [0.0, 1.0, 2.0], label="slope", name=name,
                  alt="a line whose slope the slider sets")._repr_html_()
    return html if working else re.sub(r"<script>.*?</script>", "", html, flags=re.S)


def test_layout_checks_bite(browser, tmp_path, built_html):
    """Break a copy of a page (and of the search page) in every way the layout, figure,
    slider, search and phone checks look for; each check must see it, and must not
    complain about the working slider."""
    site_copy = tmp_path / "html"
    site_copy.mkdir()
    for entry in built_html.iterdir():
        if entry.name not in {"chapters", "search.html"}:
            (site_copy / entry.name).symlink_to(entry)
    (site_copy / "chapters").mkdir()
    chapter = CHAPTERS[0]
    text = (built_html / f"{chapter}.html").read_text(encoding="utf-8")
    figure = re.search(r'src="(\.\./_images/[0-9a-f]+\.png)"', text).group(1)
    title = re.search(r"<title>(.*?)</title>", text).group(1)
    broken = text.replace(f"<title>{title}</title>", f"<title>{title} &#8212; {title}</title>")
    broken = broken.replace(
        '<section id="learning-objectives">',
        # Code and a table wider than the column; a figure shown at 8 times the width it
        # declares, stretched past its pixels; a pale caption; a second search box; a
        # working slider and a broken one; something that widens the page on a phone.
        '<div class="highlight"><pre>' + "x = 1  " * 40 + "</pre></div>"
        '<div class="pst-scrollable-table-container"><table><tr><td style="white-space: '
        'nowrap">' + "a long cell " * 30 + "</td></tr></table></div>"
        f'<figure><img src="{figure}" alt="a stretched figure" width="5000" '
        'style="width: 5000px"><figcaption style="color: #c8c8c8">a pale caption'
        f'</figcaption></figure><figure><img src="{figure}" alt="a figure"><figcaption '
        'style="font-weight: 300">a thin caption</figcaption></figure>'
        '<input type="search" placeholder="a second search box">'
        + slider_html("bite-works") + slider_html("bite-broken", working=False)
        + '<div style="width: 900px; height: 1px"></div>'
        '<section id="learning-objectives">',
        1,
    )
    (site_copy / f"{chapter}.html").write_text(broken, encoding="utf-8")
    search = (built_html / "search.html").read_text(encoding="utf-8")
    without_book_js = re.sub(r'<script src="_static/book\.js[^"]*"></script>', "", search)
    assert without_book_js != search, "search.html does not load book.js: update this test"
    (site_copy / "search.html").write_text(without_book_js, encoding="utf-8")

    server = Server(site_copy)
    try:
        v = visit(browser, server, server.url + f"{chapter}.html", chapter)
        sliders = browser.execute_script(SLIDERS_JS)
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        try:
            browser.get(server.url + f"{chapter}.html")
            phone = phone_problems(browser.execute_script(PHONE_JS))
        finally:
            browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        snippets = search_snippet_problems(browser, server.url)
    finally:
        server.close()

    overflow = overflow_problems(v)
    assert any(p.startswith("code scrolls sideways") and "x = 1" in p for p in overflow), overflow
    assert any(p.startswith("table scrolls sideways") for p in overflow), overflow
    assert any("per pixel" in p for p in sharpness_problems(v)), sharpness_problems(v)
    assert any("drawn 5000px" in p for p in legibility_problems(v)), legibility_problems(v)
    assert any("a pale caption" in p for p in caption_problems(v.data["captions"]))
    assert any("a thin caption" in p and "weight 300" in p
               for p in caption_problems(v.data["captions"]))
    assert caption_problems([c for c in v.data["captions"]
                             if "pale" not in c["text"] and "thin" not in c["text"]]) == []
    assert any("2 search boxes" in p for p in search_box_problems(v)), search_box_problems(v)
    assert any("repeats itself" in p for p in title_problems(v)), title_problems(v)
    by_id = {s["id"]: s for s in sliders}
    assert slider_problems([by_id["nnlib-slider-bite-works"]]) == []
    assert any("does not change the picture" in p
               for p in slider_problems([by_id["nnlib-slider-bite-broken"]])), sliders
    assert any("scrolls sideways" in p for p in phone), phone
    assert any("raw TeX in a search result" in p for p in snippets), snippets
