"""Hypothesis profiles of the suite, loaded by conftest.py before any test module is imported.

- ``ci`` (the default): derandomized, so every run draws the same examples and a test that passes
  once passes every time; no example database.
- ``long`` (``LARIX_HYPOTHESIS=long``): random seeds and ``LONG_FACTOR`` times more examples, for
  a run that looks for new failures; its database lives outside the repository
  (``~/.cache/larix/hypothesis``), so that a failure found once is replayed first next time.

An input that once caught a bug stays in its test as an ``@example``.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import configuration, settings
from hypothesis.database import DirectoryBasedExampleDatabase

LONG_FACTOR = 20
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "larix" / "hypothesis"

# Hypothesis keeps other files (e.g. its Unicode tables) in its home directory, by default
# .hypothesis/ in the working directory: the repository.
configuration.set_hypothesis_home_dir(str(CACHE))
settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.register_profile(
    "long", deadline=None, database=DirectoryBasedExampleDatabase(str(CACHE / "examples"))
)
PROFILE = os.environ.get("LARIX_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)


def examples(n: int) -> int:
    """The number of examples of a property: n in CI, LONG_FACTOR x n in the long profile."""
    return n * LONG_FACTOR if PROFILE == "long" else n
