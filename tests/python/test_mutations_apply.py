"""Every mutation of scripts/mutate.py still finds its text, once, in the file it names: a change to
a kernel that moves the text would otherwise surface only when CI's sample picks that mutation."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import mutate  # noqa: E402

sys.path.pop(0)


@pytest.mark.parametrize("mutation", mutate.MUTATIONS, ids=lambda m: m.id)
def test_mutation_text_occurs_once(mutation):
    assert (ROOT / "src" / "larix" / mutation.file).read_text().count(mutation.old) == 1
