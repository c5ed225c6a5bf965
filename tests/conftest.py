"""Test-wide settings.

Hypothesis draws new random examples on every run by default. That explores more,
but lets CI fail by chance, and its 200 ms deadline fails slow runs on a busy
2-core machine. Under CI (CI=true) every run draws the same examples, with no
deadline; on a laptop, the default profile still explores (without the deadline).
Run `CI=true pytest` to reproduce CI's draws.
"""

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


# --- the quick loop: `make check` runs `pytest tests -m "not slow"` ---------------------
# Slow: tests that start Jupyter kernels or subprocesses, run whole chapters, or need the
# built website. `make test` (and CI) runs everything.
SLOW_FILES = {
    "test_browser.py",
    "test_checks_bite.py",
    "test_notebook_reruns.py",
    "test_site.py",
    "test_student.py",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
