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

and, for the book as a whole, that the search page finds "perceptron", that each
chapter page has working launch (Colab, Binder) and download buttons, and that each
chapter's figures are PNGs with an opaque white background (legible in the dark
theme). A full-page screenshot of each chapter at 1280 pixels, and one of its first
figure in the dark theme, go to ``_build/screenshots/`` for a human to look at, with
a report of code blocks that scroll sideways at that width.

The browser is hermetic: its host resolver maps every name but 127.0.0.1 to nowhere,
so a page that tried to fetch from the internet fails here, as it would offline.
``test_checks_bite`` breaks a copy of a page in each way above and asserts that the
checks catch every breakage.

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
  const images = Array.from(document.images).map(img => {
    const figure = img.closest("figure");
    const caption = figure && figure.querySelector("figcaption");
    return {
      src: img.currentSrc || img.src,
      alt: img.getAttribute("alt"),
      naturalWidth: img.naturalWidth,
      complete: img.complete,
      caption: caption ? caption.innerText.trim() : "",
      inContent: !!img.closest("article.bd-article"),
      inOutput: !!img.closest(".cell_output"),
    };
  });
  // Code blocks, measured with every solution (dropdown) open, as a reader would.
  main.querySelectorAll("details").forEach(d => d.open = true);
  main.querySelectorAll(".toggle-hidden, .dropdown .admonition-content, .toggle")
      .forEach(e => e.classList.remove("toggle-hidden"));
  const code = Array.from(main.querySelectorAll("div.highlight pre")).map(pre => {
    const lines = pre.textContent.split("\n");
    return {
      scrollWidth: pre.scrollWidth,
      clientWidth: pre.clientWidth,
      firstLine: lines[0].slice(0, 80),
      longest: lines.reduce((a, l) => (l.length > a.length ? l : a), "").slice(0, 120),
      inOutput: !!pre.closest(".cell_output"),
      inSolution: !!pre.closest(".solution, details, .dropdown"),
    };
  });
  done({
    url: location.href,
    title: document.title,
    h1: main.querySelectorAll("h1").length,
    mathElements: main.querySelectorAll(".math").length,
    mathUnrendered: Array.from(main.querySelectorAll(".math"))
      .filter(e => !e.querySelector("mjx-container"))
      .map(e => e.textContent.slice(0, 80)),
    mjx: document.querySelectorAll("mjx-container").length,
    mjxErrors: Array.from(document.querySelectorAll("mjx-merror"))
      .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 80)),
    text: text,
    images: images,
    links: Array.from(document.querySelectorAll("a[href]"))
      .map(a => ({href: a.href, raw: a.getAttribute("href")})),
    ids: Array.from(document.querySelectorAll("[id]")).map(e => e.id)
      .concat(Array.from(document.querySelectorAll("a[name]")).map(a => a.name)),
    resources: performance.getEntriesByType("resource").map(e => e.name)
      .concat(performance.getEntriesByType("navigation").map(e => e.name)),
    code: code,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  });
}).catch(error => done({error: String(error)}));
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
    repo = config["repository"]["url"].removeprefix("https://github.com/").strip("/")
    branch = config["repository"].get("branch", "main")
    for menu, wanted in [
        (".dropdown-launch-buttons", {
            "Colab": f"https://colab.research.google.com/github/{repo}/blob/{branch}/{notebook}",
            "Binder": f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=tree/{notebook}",
        }),
        (".dropdown-download-buttons", {".ipynb": f"{server.url}_sources/{notebook}"}),
    ]:
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


def test_code_blocks_fit_at_1280_pixels(site):
    """Report every code block that scrolls sideways at 1280 pixels (into
    _build/screenshots/code_overflow.txt); chapters' own code must fit. Listings of
    nnlib (literate cells) keep nnlib's line length and are reported only."""
    rows, offenders = [], []
    for _, v in sorted(site.items()):
        for block in v.data["code"]:
            if block["scrollWidth"] > block["clientWidth"] + 1:
                overflow = block["scrollWidth"] - block["clientWidth"]
                literate = block["firstLine"].startswith("# nnlib/")
                kind = "output" if block["inOutput"] else "code"
                rows.append(f"{v.page}\t{overflow}px\t{kind}\t{block['longest']}")
                if v.page in CHAPTER_CODE_MUST_FIT and not literate and not block["inOutput"]:
                    offenders.append(rows[-1])
        assert v.data["scrollWidth"] <= v.data["clientWidth"] + 1, (
            f"{v.page}: the whole page scrolls sideways at {WIDTH}px"
        )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "code_overflow.txt").write_text(
        f"Code blocks wider than their column at {WIDTH}px (page, overflow, kind, longest line)\n"
        + "\n".join(rows) + "\n", encoding="utf-8")
    assert offenders == [], "code cells that scroll sideways:\n" + "\n".join(offenders)


# Chapters whose own code cells are formatted to fit the column (not nnlib's listings).
CHAPTER_CODE_MUST_FIT = {
    "chapters/01_perceptron",
    "chapters/02_multilayer_networks",
    "chapters/03_activation_functions",
    "chapters/04_backpropagation",
    "chapters/05_training",
}


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
