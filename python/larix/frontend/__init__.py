"""The Python frontend: a function's ``ast`` translated to PhySL text (what ``@larix.kernel`` runs).

One :class:`ast.NodeVisitor` per Python function (:class:`Translator`, a ``visit_X`` per
construct, as Triton's code generator): statements become lists of PhySL expressions, expressions
PhySL text. Every identifier carries the user's position as ``name$LINE$COL`` (COL is Python's
0-based ``col_offset``), so the C++ compiler and runtime report errors at the user's line. Infix
operators cannot carry a position: the translator records where each one lands in the PhySL text,
and :meth:`Translation.locate` maps an error there back to the Python line.

Python features without a PhySL counterpart are rewritten: ``break``/``continue``/early
``return`` become flag variables that guard the rest of a body, ``for`` loops become index loops,
comprehensions become ``fmap``/``filter``/``fold_left`` over lambdas, ``and``/``or`` short-circuit
through ``if``. Anything else raises :class:`larix.CompileError` at the user's line.

The modules, in the order a translation uses them:

- ``program``: one translation (the functions it includes, names, temporaries) and its result,
  :class:`Translation`;
- ``source``: a function's ``def`` read from its file, at its real lines and columns;
- ``scope``: Python's scopes and what the translator needs to know before translating a body;
- ``base``, ``statements``, ``loops``, ``expressions``, ``calls``: the translator, one
  :class:`ast.NodeVisitor` whose ``visit_X`` methods are grouped by topic;
- ``numpy_map``: the one table of how ``np.X``, builtins, methods and operators map to PhySL;
- ``physl_builder``: PhySL text with the positions of what has no located name.
"""

from __future__ import annotations

from typing import Callable

from .numpy_map import FORMS, Primitive, primitive_table
from .physl_builder import finish
from .program import Program, Translation

__all__ = ["FORMS", "Primitive", "Translation", "primitive_table", "translate"]


def translate(fn: Callable, primitive_names: bool = False) -> Translation:
    """Translates a Python function (and every function it calls) to a PhySL program whose value
    is the function. Raises CompileError at the user's line for what Larix cannot translate.
    ``primitive_names``: a call of a Python function named like a primitive calls the primitive
    (Phylanx's rule, for ``larix.compat.phylanx``)."""
    renames: dict[str, str] = {}
    fn_renames: dict[str, str] = {}
    for _ in range(8):  # rename what clashes, until nothing does
        program = Program(fn, renames, fn_renames, primitive_names)
        program.function(fn)
        more_vars, more_fns = program.conflicts()
        if not more_vars and not more_fns:
            break
        renames.update(more_vars)
        fn_renames.update(more_fns)
    text, marks = finish(program.text())
    return Translation(
        physl=text,
        name=program.names[fn],
        file=program.file,
        functions=[(f, f.__code__) for f in program.names],
        kwnames=program.kwnames,
        returns_tuple=program.returns_tuple,
        marks=marks,
        files={i: f for f, i in program.files.items() if i},
    )
