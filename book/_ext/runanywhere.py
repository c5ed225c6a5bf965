"""The book outside its website: launch buttons that exist, and the course pack.

Loaded by _config.yml (sphinx: local_extensions).

1. Launch buttons only with a repository. The book's repository is one setting,
   `repository: url` in _config.yml (Jupyter Book passes it on as the theme option
   `repository_url`). While it is empty, a Colab, Binder, repository or issue button
   would be a dead link, so none is shown: the launch providers and the repository
   buttons are switched off. Once it is set, the launch buttons (Colab, Binder, as
   `launch_buttons` in _config.yml configures them) and the repository and issue
   buttons appear and point at it.

2. The course pack. After a successful HTML build, tools/course_pack.py writes
   `_static/nnlib-course-pack.zip` into the site: every chapter as a portable student
   notebook, nnlib as a wheel, and a README with the one command that sets it up.
   Each chapter's download menu links to it, and the role
   {course-pack}`text` links to it from any page (the landing page uses it).
"""

import importlib.util
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

PACK = "_static/nnlib-course-pack.zip"
LAUNCH_PROVIDERS = ("binderhub_url", "jupyterhub_url", "colab_url", "jupyterlite_url")
REPOSITORY_BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")
LOGGER = logging.getLogger(__name__)


def repository_url(config):
    return str((config.html_theme_options or {}).get("repository_url") or "").strip()


def gate_repository_buttons(app, config):
    """config-inited: buttons to the repository only when there is one."""
    options = config.html_theme_options
    if repository_url(config):
        # Jupyter Book passes its own defaults (False) for these: switch them on.
        options["use_repository_button"] = True
        options["use_issues_button"] = True
        return
    for key in REPOSITORY_BUTTONS:
        options[key] = False
    launch = dict(options.get("launch_buttons") or {})
    for key in LAUNCH_PROVIDERS:
        launch[key] = ""
    launch["thebe"] = False
    options["launch_buttons"] = launch


def add_pack_to_download_menu(app, pagename, templatename, context, doctree):
    """html-page-context, after the theme filled the header: a chapter's download menu
    (.ipynb, .md, .pdf) gets the course pack."""
    if not (pagename.startswith("chapters/") or pagename == app.config.root_doc):
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append({
                "type": "link",
                "url": context["pathto"](PACK, 1),
                "text": "course pack",
                "tooltip": "Every chapter as a notebook, with nnlib: the course pack (.zip)",
                "icon": "fas fa-file-zipper",
                "label": "download-course-pack-button",
            })


class CoursePackRole(SphinxRole):
    """{course-pack}`download the course pack`: a link to the pack (text elsewhere)."""

    def run(self):
        if self.env.app.builder.format != "html":
            return [nodes.inline(self.rawtext, self.text)], []
        uri = "../" * self.env.docname.count("/") + PACK
        node = nodes.reference(self.rawtext, self.text, refuri=uri)
        node["classes"].append("course-pack-link")
        return [node], []


def build_course_pack(app, exception):
    """build-finished: write the course pack into the HTML site."""
    if exception is not None or app.builder.format != "html":
        return
    tool = Path(app.srcdir) / "tools" / "course_pack.py"
    spec = importlib.util.spec_from_file_location("course_pack", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.build(Path(app.outdir) / PACK)
    LOGGER.info(f"course pack: {Path(out).relative_to(app.outdir)}")


def setup(app):
    app.connect("config-inited", gate_repository_buttons)
    # The theme adds its header buttons at priority 501; ours comes after.
    app.connect("html-page-context", add_pack_to_download_menu, priority=600)
    app.connect("build-finished", build_course_pack)
    app.add_role("course-pack", CoursePackRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
