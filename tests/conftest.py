"""Test-wide settings.

Hypothesis draws new random examples on every run by default. That explores more,
but lets CI fail by chance, and its 200 ms deadline fails slow runs on a busy
2-core machine. Under CI (CI=true) every run draws the same examples, with no
deadline; on a laptop, the default profile still explores (without the deadline).
Run `CI=true pytest` to reproduce CI's draws.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
