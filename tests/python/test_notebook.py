"""A notebook that prints from a kernel and shows a profile, executed by a real Jupyter kernel
(nbclient + ipykernel): the kernel's print reaches the cell's output in order with Python's, and
the profile renders as the viewer's HTML."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed")
pytest.importorskip("ipykernel", reason="ipykernel is not installed")

CELLS = [
    """
import numpy as np
import larix

@larix.kernel
def scaled(a, k):
    print("scaling by", k)
    return a * k
""",
    """
print("before")
r = scaled(np.arange(3.0), 2.0)
print("after", r.tolist())
""",
    """
with larix.profile() as prof:
    scaled(np.ones(4), 3.0)
prof
""",
]


def test_notebook_shows_kernel_output_and_profile():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c.strip()) for c in CELLS]
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3")
    client.execute()
    printed = "".join(
        o.get("text", "") for o in nb.cells[1].outputs if o.get("output_type") == "stream"
    )
    assert printed == "before\nscaling by 2.0\nafter [0.0, 2.0, 4.0]\n"
    shown = nb.cells[2].outputs
    assert "scaling by 3.0\n" in "".join(o.get("text", "") for o in shown)
    html = [o["data"]["text/html"] for o in shown if "text/html" in o.get("data", {})]
    assert len(html) == 1 and "larix-profile" in html[0]
