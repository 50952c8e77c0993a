"""One translation: the program it builds (every function the kernel calls, translated once, in
an order PhySL can define them), the names it gives, and the :class:`Translation` it returns."""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass, field
from typing import Callable

from . import physl_builder as physl
from .calls import Calls
from .expressions import Expressions
from .loops import Loops
from .numpy_map import FORMS
from .physl_builder import Text
from .statements import Statements

# Lines of a helper from another file are shifted by a multiple of this, to tell the files apart
# in the one file that `$LINE$COL` annotations point into (see Translation.locate).
FILE_LINES = 1_000_000


@dataclass
class Translation:
    """The PhySL program of a kernel and what maps its positions back to the user's files."""

    physl: str
    name: str  # the PhySL name of the kernel's function
    file: str  # the file `$LINE$COL` annotations point into
    functions: list[tuple[Callable, types.CodeType]]  # every Python function translated
    kwnames: dict[str, str]  # renamed parameters of the kernel: Python name -> PhySL name
    returns_tuple: bool  # every `return` gives a tuple display: results come back as tuples
    marks: list[tuple[int, int, int, int]] = field(default_factory=list)  # physl line, col -> py
    files: dict[int, str] = field(default_factory=dict)  # line // FILE_LINES -> file

    def locate(
        self, file: str | None, line: int, column: int, source_name: str
    ) -> tuple[str | None, int, int]:
        """Where an error at (file, line, column) is in the user's Python files. Positions in the
        PhySL text (infix operators) go to the nearest operator mark before them on their line."""
        if file == source_name and line > 0:
            best = None
            for pl, pc, py_line, py_col in self.marks:
                if pl == line and pc <= column:
                    best = (py_line, py_col + 1)
            if best is None:
                return file, line, column
            file, (line, column) = self.file, best
        if file == self.file and line >= FILE_LINES:
            return self.files.get(line // FILE_LINES, file), line % FILE_LINES, column
        return file, line, column


class Program:
    """The state of one translation: the functions it includes, names, temporaries, marks."""

    def __init__(
        self,
        main: Callable,
        renames: dict[str, str],
        fn_renames: dict[str, str],
        primitive_names: bool = False,
    ):
        self.main = main
        # Phylanx's rule (larix.compat.phylanx): a call of a Python function whose name is a
        # primitive calls the primitive.
        self.primitive_names = primitive_names
        self.renames, self.fn_renames = renames, fn_renames
        self.file = inspect.getsourcefile(main) or main.__code__.co_filename
        self.files: dict[str, int] = {self.file: 0}
        self.names: dict[Callable, str] = {}  # translated functions -> PhySL names
        self.active: list[Callable] = []  # functions being translated (outermost first)
        self.forward: set[Callable] = set()  # referenced before their define (mutual recursion)
        self.parts: list[tuple[Callable, Text, Text, str]] = []  # fn, define, lambda, `$L$C`
        self.var_names: set[str] = set()  # every PhySL name given to a user variable
        self.used: set[str] = set()  # every primitive or form the text calls
        self.counter = 0
        self.kwnames: dict[str, str] = {}
        self.returns_tuple = False

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"__{stem}{self.counter}"

    def line_base(self, file: str) -> int:
        return self.files.setdefault(file, len(self.files)) * FILE_LINES

    def decode(self, line: int) -> tuple[str, int]:
        index, line = divmod(line, FILE_LINES)
        return next(f for f, i in self.files.items() if i == index), line

    def function(self, fn: Callable) -> str:
        """The PhySL name of a Python function, translated (once) into a define of the program."""
        if fn in self.names:
            if fn in self.active and fn is not self.active[-1]:
                self.forward.add(fn)
            return self.names[fn]
        name = fn.__name__ if fn.__name__ != "<lambda>" else "lambda_"
        while name in self.names.values():
            name += "_"
        self.names[fn] = name = self.fn_renames.get(name, name)
        self.active.append(fn)
        try:
            self.parts.append((fn, *Translator(self, fn).translate(name)))
        finally:
            self.active.pop()
        return name

    def text(self) -> Text:
        """Helpers first (a function called before its define is declared nil first and
        stored), then the kernel's define; the program's value is the kernel's function."""
        heads = [
            f"define{at}({self.names[fn]}{at}, nil)"
            for fn, _, _, at in self.parts
            if fn in self.forward
        ]
        body = [
            physl.call("store" + at, [self.names[fn] + at, lam]) if fn in self.forward else define
            for fn, define, lam, at in self.parts
        ]
        self.used.update(("store", "define"))
        return physl.join("\n", [*heads, *body, f"{self.names[self.main]}{self.parts[-1][3]}"])

    def conflicts(self) -> tuple[dict[str, str], dict[str, str]]:
        """Names that clash: user variables named as a form or a primitive the text calls, or
        starting with `__` (the translator's temporaries); helpers named as anything else."""
        taken = self.var_names | self.used | FORMS | set(self.names.values())
        bad_vars = {n for n in self.var_names if n in self.used or n in FORMS or n.startswith("__")}
        bad_fns = {
            n for n in self.names.values() if n in self.used or n in FORMS or n in self.var_names
        }

        def fresh(name: str) -> str:
            new = ("u" + name if name.startswith("__") else name) + "_"
            while new in taken:
                new += "_"
            taken.add(new)
            return new

        return ({n: fresh(n) for n in sorted(bad_vars)}, {n: fresh(n) for n in sorted(bad_fns)})


class Translator(Statements, Loops, Expressions, Calls):
    """Translates one Python function (with its nested functions) to PhySL: the visit_X methods
    of the mixins, on the state of base.TranslatorBase."""
