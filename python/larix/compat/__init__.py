"""Compatibility layers for programs written for other systems.

:mod:`larix.compat.phylanx`: Phylanx's Python API (``from larix.compat.phylanx import Phylanx,
PhylanxSession``) and the table of Phylanx's PhySL primitives against Larix's
(:mod:`larix.compat.phylanx_primitives`).
"""
