"""Profiles of Larix runs: per-node counters, trace export and the execution-tree viewer.

Collect::

    with larix.profile() as prof:           # every Program / kernel call made in the block
        f(x)
    @larix.kernel(profile=True)             # each call of f: f.last_profile
    LARIX_PROFILE=run.html python app.py    # every call of the process, written at exit

Look::

    print(prof.table())                     # hottest nodes by exclusive time
    prof.save_html("run.html")              # the viewer: source beside the execution tree
    prof.save_trace("run.trace.json")       # Chrome / Perfetto (needs larix.profile(trace=True))
    prof.save_json("run.json"); prof.save_dot("run.dot")

Convert a profile written by ``larix run --profile run.json``::

    python -m larix.profile run.json run.html

Definitions of the counters: docs/profiling.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import contextvars
import html
import inspect
import json
import linecache
import os
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import _core

__all__ = ["Profile", "profile", "load"]

FORMAT_VERSION = 1
_COUNTERS = ("count", "inclusive_ns", "exclusive_ns", "inline", "spawned")
# What a node's collective steps over MPI moved and waited for (distributed arrays); 0 elsewhere,
# and absent from profiles written before they were counted.
_COMM_COUNTERS = ("bytes_sent", "bytes_received", "wait_ns")
_PLACEHOLDER = "/*LARIX_PROFILE_JSON*/"
_VIEWER = Path(__file__).with_name("viewer.html")

# `python -m larix.profile` runs this file as __main__ after `import larix` has imported it as
# larix.profile; runpy then warns about the second copy, which is harmless here.
warnings.filterwarnings(
    "ignore", message=r"'larix\.profile' found in sys\.modules", category=RuntimeWarning
)


def _fmt_ns(ns: float) -> str:
    """A duration for people: 812 ns, 12.3 µs, 4.56 ms, 1.23 s."""
    ns = float(ns)
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if abs(ns) >= scale:
            v = ns / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"
    return f"{ns:.0f} ns"


class Profile:
    """Per-node counters of one or more calls, with the tree and the source they belong to.

    ``nodes`` holds one record per node of every program profiled (``program`` is the index in
    ``programs``); node ids are per program, in pre-order. Calls of the same program add up."""

    def __init__(self, *, trace: bool = False) -> None:
        self.trace = trace  # record trace events (one per timed node evaluation)
        self.threads = 0
        self._programs: list[dict[str, Any]] = []
        self._keys: list[Any] = []  # the program object of each entry (kept alive: ids are keys)
        self._index: dict[int, int] = {}
        self._events: list[dict[str, int]] = []
        self._epoch: int | None = None
        self._lock = threading.Lock()

    # --- collecting ------------------------------------------------------------------------------

    def _add(self, key: Any, record: dict[str, Any], raw_events: list, epoch_ns: int) -> None:
        """Adds the profile of one call (record: see _record) of the program `key`."""
        with self._lock:
            self.threads = max(self.threads, record.get("threads", 0))
            i = self._index.get(id(key))
            if i is None:
                i = len(self._programs)
                self._index[id(key)] = i
                self._keys.append(key)
                self._programs.append({**record, "nodes": [dict(n) for n in record["nodes"]]})
            else:
                mine = self._programs[i]
                mine["calls"] += record["calls"]
                mine["wall_ns"] += record["wall_ns"]
                for a, b in zip(mine["nodes"], record["nodes"]):
                    for c in _COUNTERS:
                        a[c] += b[c]
                    for c in _COMM_COUNTERS:
                        a[c] = a.get(c, 0) + b.get(c, 0)
            if raw_events:
                if self._epoch is None:
                    self._epoch = epoch_ns
                shift = epoch_ns - self._epoch
                self._events.extend(
                    {"program": i, "node": n, "start_ns": s + shift, "duration_ns": d, "thread": t}
                    for n, s, d, t in raw_events
                )

    # --- data ------------------------------------------------------------------------------------

    @property
    def programs(self) -> list[dict[str, Any]]:
        """One entry per program: name, kind ("kernel" or "physl"), calls, wall_ns (sum over the
        calls), threads, sources (the texts the viewer shows) and nodes."""
        return self._programs

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """Every node's record: program, id, parent, name, detail, file, line, column,
        physl_line, physl_column, trivial, count, inclusive_ns, exclusive_ns, inline, spawned,
        and for the collective steps of distributed arrays bytes_sent, bytes_received and
        wait_ns (time this rank waited for the other ranks' messages)."""
        return [{"program": i, **n} for i, p in enumerate(self._programs) for n in p["nodes"]]

    @property
    def events(self) -> list[dict[str, int]]:
        """Trace events (when traced): program, node, start_ns, duration_ns, thread."""
        return self._events

    @property
    def wall_ns(self) -> int:
        """Wall time of all the profiled calls."""
        return sum(p["wall_ns"] for p in self._programs)

    def to_dict(self, *, events: bool = True) -> dict[str, Any]:
        return {
            "larix_profile": FORMAT_VERSION,
            "threads": self.threads,
            "programs": self._programs,
            "trace": self._events if events else [],
        }

    def to_json(self, indent: int | None = None) -> str:
        """The profile as JSON (the format `larix run --profile` writes; docs/profiling.md)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def save_json(self, path: str | os.PathLike) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        if data.get("larix_profile") != FORMAT_VERSION:
            raise ValueError("not a Larix profile (no 'larix_profile': 1 in it)")
        prof = cls(trace=bool(data.get("trace")))
        prof.threads = data.get("threads", 0)
        for p in data["programs"]:
            prof._index[id(p)] = len(prof._programs)
            prof._keys.append(p)
            prof._programs.append(p)
        prof._events = list(data.get("trace", []))
        return prof

    @classmethod
    def from_json(cls, text: str) -> Profile:
        return cls.from_dict(json.loads(text))

    @classmethod
    def load(cls, path: str | os.PathLike) -> Profile:
        """Reads a profile JSON (from save_json or ``larix run --profile``)."""
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    # --- views -----------------------------------------------------------------------------------

    def table(self, n: int = 20) -> str:
        """The n hottest nodes by exclusive time, as aligned text."""
        rows = [
            (p, node)
            for p in self._programs
            for node in p["nodes"]
            if node["count"] > 0 and not node["trivial"]
        ]
        total_excl = sum(node["exclusive_ns"] for _, node in rows) or 1
        rows.sort(key=lambda r: r[1]["exclusive_ns"], reverse=True)
        calls = sum(p["calls"] for p in self._programs)
        head = (
            f"Larix profile: {len(self._programs)} program{'s' * (len(self._programs) != 1)}, "
            f"{calls} call{'s' * (calls != 1)}, wall {_fmt_ns(self.wall_ns)}, "
            f"{self.threads} thread{'s' * (self.threads != 1)}"
        )
        table = [("exclusive", "%", "inclusive", "count", "inline", "spawned", "node", "location")]
        multi = len(self._programs) > 1
        sent = sum(node.get("bytes_sent", 0) for _, node in rows)
        if sent:
            head += f"; sent {sent} bytes over MPI (the sending nodes: sent, received, waited)"
        for p, node in rows[:n]:
            label = node["name"] + (f" {node['detail']}" if node["detail"] else "")
            if multi:
                label = f"{p['name']}: {label}"
            table.append(
                (
                    _fmt_ns(node["exclusive_ns"]),
                    f"{100 * node['exclusive_ns'] / total_excl:.1f}",
                    _fmt_ns(node["inclusive_ns"]),
                    str(node["count"]),
                    str(node["inline"]),
                    str(node["spawned"]),
                    label if len(label) <= 40 else label[:39] + "…",
                    _location(node)
                    + (
                        f"  (sent {node['bytes_sent']} B, received {node.get('bytes_received', 0)}"
                        f" B, waited {_fmt_ns(node.get('wait_ns', 0))})"
                        if node.get("bytes_sent")
                        else ""
                    ),
                )
            )
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = [head]
        for r in table:
            cells = [r[i].rjust(widths[i]) for i in range(6)]
            cells += [r[6].ljust(widths[6]), r[7]]
            lines.append("  ".join(cells).rstrip())
        if len(rows) > n:
            lines.append(f"({len(rows) - n} more nodes)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        names = ", ".join(p["name"] for p in self._programs) or "empty"
        return f"<larix.Profile {names}: wall {_fmt_ns(self.wall_ns)}>"

    def trace_events(self, rank: int | None = None, shift_ns: int = 0) -> dict[str, Any]:
        """The trace in Chrome / Perfetto trace event format: one track per thread, one slice
        per timed node evaluation (a node's own evaluation, with children it ran inline nested
        inside it). With `rank` (a distributed run), the process is "larix rank <rank>" and its
        times move by `shift_ns`."""
        pid = 1 if rank is None else rank + 1
        name = "larix" if rank is None else f"larix rank {rank}"
        out: list[dict[str, Any]] = [
            {"name": "process_name", "ph": "M", "pid": pid, "tid": 0, "args": {"name": name}}
        ]
        for t in sorted({e["thread"] for e in self._events}):
            out.append(
                {
                    "name": "thread_name",
                    "ph": "M",
                    "pid": pid,
                    "tid": t,
                    "args": {"name": f"larix thread {t}"},
                }
            )
        for e in sorted(self._events, key=lambda e: e["start_ns"]):
            prog = self._programs[e["program"]]
            node = prog["nodes"][e["node"]]
            args = {"node": node["id"], "program": prog["name"], "location": _location(node)}
            if node["detail"]:
                args["detail"] = node["detail"]
            out.append(
                {
                    "name": node["name"],
                    "ph": "X",
                    "ts": (e["start_ns"] + shift_ns) / 1000.0,
                    "dur": e["duration_ns"] / 1000.0,
                    "pid": pid,
                    "tid": e["thread"],
                    "args": args,
                }
            )
        return {"traceEvents": out, "displayTimeUnit": "ns"}

    def save_trace(self, path: str | os.PathLike) -> None:
        """Writes the trace (open it in https://ui.perfetto.dev or chrome://tracing). Empty
        unless the calls were traced: ``larix.profile(trace=True)``. In a job of several MPI
        ranks every rank must call it (a collective): rank 0 writes one trace with a process per
        rank, on rank 0's clock."""
        comm = _distributed_comm()
        if comm is None:
            Path(path).write_text(json.dumps(self.trace_events()), encoding="utf-8")
            return
        now = time.monotonic_ns()  # the ranks take it at about the same moment (a collective)
        parts = comm.gather((self._epoch or 0, now, self._events), root=0)
        if parts is None:
            return
        epoch0, now0 = parts[0][0], parts[0][1]
        merged: list[dict[str, Any]] = []
        for r, (epoch, when, events) in enumerate(parts):
            mine = Profile(trace=True)
            mine._programs, mine._events = self._programs, events
            # rank r's times count from its own epoch; on rank 0's clock they move by this
            shift = (epoch - epoch0) + (now0 - when)
            merged += mine.trace_events(rank=r, shift_ns=shift)["traceEvents"]
        trace = {"traceEvents": merged, "displayTimeUnit": "ns"}
        Path(path).write_text(json.dumps(trace), encoding="utf-8")

    def to_dot(self, *, trivial: bool = False) -> str:
        """The execution trees in Graphviz DOT: nodes filled by inclusive time, spawned nodes
        dotted. Constants and variable reads only with trivial=True."""
        top = max((n["inclusive_ns"] for p in self._programs for n in p["nodes"]), default=0) or 1
        lines = [
            "digraph larix {",
            '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        ]
        for i, p in enumerate(self._programs):
            lines.append(f"  subgraph cluster_{i} {{")
            lines.append(f"    label={_dot_str(p['name'])};")
            for n in p["nodes"]:
                if n["trivial"] and not trivial:
                    continue
                label = n["name"] + (f" {n['detail']}" if n["detail"] else "")
                label += f"\n{_location(n)}\n{n['count']}× incl {_fmt_ns(n['inclusive_ns'])}"
                label += f" excl {_fmt_ns(n['exclusive_ns'])}"
                style = (
                    "rounded,filled"
                    + {"inline": "", "spawned": ",dotted", "mixed": ",dashed"}[_run_kind(n)]
                )
                color = _heat(n["inclusive_ns"] / top) if n["count"] else "#e5e7eb"
                lines.append(
                    f'    p{i}n{n["id"]} [label={_dot_str(label)}, fillcolor="{color}",'
                    f' style="{style}"];'
                )
                if n["parent"] >= 0:
                    lines.append(f"    p{i}n{n['parent']} -> p{i}n{n['id']};")
            lines.append("  }")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def save_dot(self, path: str | os.PathLike, *, trivial: bool = False) -> None:
        Path(path).write_text(self.to_dot(trivial=trivial), encoding="utf-8")

    def to_html(self) -> str:
        """The viewer (one self-contained HTML page) with this profile in it."""
        template = _VIEWER.read_text(encoding="utf-8")
        # '<' escaped: the JSON sits in a <script> element ('</script>' in a string would end it).
        data = json.dumps(self.to_dict(events=False), ensure_ascii=False).replace("<", "\\u003c")
        return template.replace(_PLACEHOLDER, data, 1)

    def save_html(self, path: str | os.PathLike) -> None:
        Path(path).write_text(self.to_html(), encoding="utf-8")

    def _repr_html_(self) -> str:
        # In an iframe: notebooks do not run scripts of inline HTML everywhere, and the page's
        # CSS stays its own.
        return (
            '<iframe style="width:100%;height:640px;border:1px solid #ddd" '
            f'srcdoc="{html.escape(self.to_html(), quote=True)}"></iframe>'
        )


def _distributed_comm() -> Any:
    """larix.distributed's communicator when this process is one rank of several, else None."""
    module = sys.modules.get("larix.distributed")
    comm = getattr(getattr(module, "_State", None), "comm", None)
    return comm if comm is not None and comm.Get_size() > 1 else None


def load(path: str | os.PathLike) -> Profile:
    """Reads a profile JSON (from Profile.save_json or ``larix run --profile``)."""
    return Profile.load(path)


def _location(node: dict[str, Any]) -> str:
    if node["line"] <= 0:
        return ""
    return f"{os.path.basename(node['file'])}:{node['line']}:{node['column']}"


def _run_kind(node: dict[str, Any]) -> str:
    """How a node ran: spawned or inline when at least 90% of its evaluations ran so, else
    mixed (the viewer draws them dotted, solid, dashed)."""
    runs = node["inline"] + node["spawned"]
    if not runs or node["spawned"] <= 0.1 * runs:
        return "inline"
    return "spawned" if node["spawned"] >= 0.9 * runs else "mixed"


def _dot_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _heat(t: float) -> str:
    """Yellow (cool) to dark red (hot) for t in [0, 1] (square-root scale, as the viewer)."""
    stops = [(255, 247, 188), (254, 196, 79), (236, 112, 20), (204, 60, 30), (127, 0, 0)]
    t = max(0.0, min(1.0, t)) ** 0.5 * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    r, g, b = (round(a + (b - a) * f) for a, b in zip(stops[i], stops[i + 1]))
    return f"#{r:02x}{g:02x}{b:02x}"


# --- collecting: sessions, profiled calls --------------------------------------------------------

_sessions: contextvars.ContextVar[tuple[Profile, ...]] = contextvars.ContextVar(
    "larix_profile_sessions", default=()
)


class _State:
    """Whether any profile may be collecting (checked on every call: one attribute read)."""

    on = False
    open_sessions = 0
    env_profile: Profile | None = None

    @classmethod
    def update(cls) -> None:
        cls.on = cls.open_sessions > 0 or cls.env_profile is not None
        _core._set_profiling(cls.on)  # what _core.FastCall's call reads


_state_lock = threading.Lock()


def _active() -> tuple[Profile, ...]:
    sessions = _sessions.get()
    env = _State.env_profile
    return sessions + (env,) if env is not None else sessions


@contextlib.contextmanager
def profile(*, trace: bool = False) -> Iterator[Profile]:
    """``with larix.profile() as prof:`` profiles every Program and kernel call made in the
    block (in this thread or asyncio task; calls of the same program add up). ``trace=True``
    also records trace events for :meth:`Profile.save_trace`."""
    prof = Profile(trace=trace)
    token = _sessions.set(_sessions.get() + (prof,))
    with _state_lock:
        _State.open_sessions += 1
        _State.update()
    try:
        yield prof
    finally:
        _sessions.reset(token)
        with _state_lock:
            _State.open_sessions -= 1
            _State.update()


def _record(raw: dict[str, Any], name: str, kind: str, sources: list[dict[str, Any]]) -> dict:
    return {
        "name": name,
        "kind": kind,
        "calls": 1,
        "wall_ns": raw["wall_ns"],
        "threads": raw["threads"],
        "sources": sources,
        "nodes": raw["nodes"],
    }


def _physl_source(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "PhySL",
        "kind": "physl",
        "file": raw["name"],
        "first_line": 1,
        "text": raw["physl"],
    }


def _call_core(core: Any, sync: bool, trace: bool, args: tuple, kwargs: dict) -> tuple[Any, dict]:
    if sync:
        return core.call_profiled_sync(trace, *args, **kwargs)
    return core.call_profiled(trace, *args, **kwargs)


def call_program(program: Any, args: tuple, kwargs: dict) -> Any:
    """Program.__call__ while profiles may be collecting."""
    sessions = _active()
    core = program._core
    if not sessions:  # a session is open in another thread only
        return _core.call(core, None, program._sync, *args, **kwargs)
    result, raw = _call_core(core, program._sync, any(s.trace for s in sessions), args, kwargs)
    record = _record(raw, raw["name"], "physl", [_physl_source(raw)])
    for s in sessions:
        s._add(core, record, raw["events"], raw["epoch_ns"])
    return result


# Per kernel translation: the Python sources and each node's Python location (computed once).
_kernel_info: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _python_sources(translation: Any) -> list[dict[str, Any]]:
    """The source lines of every translated function, one block per file."""
    spans: dict[str, list[int]] = {}
    for fn, _code in translation.functions:
        try:
            lines, start = inspect.getsourcelines(fn)
        except (OSError, TypeError):
            continue
        file = inspect.getsourcefile(fn) or fn.__code__.co_filename
        lo, hi = spans.get(file, [start, start + len(lines) - 1])
        spans[file] = [min(lo, start), max(hi, start + len(lines) - 1)]
    out = []
    for file, (lo, hi) in spans.items():
        lines = linecache.getlines(file)
        if not lines:
            continue
        out.append(
            {
                "title": os.path.basename(file),
                "kind": "python",
                "file": file,
                "first_line": lo,
                "text": "".join(lines[lo - 1 : hi]),
            }
        )
    out.sort(key=lambda s: s["file"] != translation.file)  # the kernel's own file first
    return out


def call_kernel(kernel: Any, translation: Any, program: Any, args: tuple, kwargs: dict) -> Any:
    """A kernel's call while profiled (kernel.profile, or a session): its profile carries the
    Python source and Python locations of the nodes."""
    sessions = _active()
    trace = kernel.profile == "trace" or any(s.trace for s in sessions)
    result, raw = _call_core(program._core, program._sync, trace, args, kwargs)
    info = _kernel_info.get(kernel)
    if info is None or info[0] is not program:
        source_name = program._core.source_name
        locations = []
        for n in raw["nodes"]:
            if n["line"] > 0:
                locations.append(translation.locate(n["file"], n["line"], n["column"], source_name))
            else:
                locations.append(None)
        sources = _python_sources(translation)
        info = (program, sources, locations)
        _kernel_info[kernel] = info
    _, sources, locations = info
    for n, loc in zip(raw["nodes"], locations):
        if loc is not None:
            n["file"], n["line"], n["column"] = loc[0] or "", loc[1], loc[2]
    name = getattr(kernel.python, "__qualname__", "kernel")
    record = _record(raw, name, "kernel", [*sources, _physl_source(raw)])
    if kernel.profile:
        last = Profile(trace=trace)
        last._add(program._core, record, raw["events"], raw["epoch_ns"])
        kernel.last_profile = last
    for s in sessions:
        s._add(program._core, record, raw["events"], raw["epoch_ns"])
    return result


# --- LARIX_PROFILE=path: every call of the process, written at exit ------------------------------


def _write(prof: Profile, path: str) -> None:
    if path.endswith(".trace.json"):
        prof.save_trace(path)
    elif path.endswith(".json"):
        prof.save_json(path)
    elif path.endswith(".dot"):
        prof.save_dot(path)
    else:
        prof.save_html(path)


def _write_env_profile(path: str) -> None:
    prof = _State.env_profile
    if prof is None or not prof.programs:
        return
    try:
        _write(prof, path)
        print(f"larix: profile written to {path}", file=sys.stderr)
    except OSError as e:
        print(f"larix: cannot write the profile to {path}: {e}", file=sys.stderr)


def _start_env_profile() -> None:
    path = os.environ.get("LARIX_PROFILE", "")
    if not path or _State.env_profile is not None:
        return
    _State.env_profile = Profile(trace=path.endswith(".trace.json"))
    _State.update()
    atexit.register(_write_env_profile, path)


if __name__ != "__main__":
    _start_env_profile()


# --- python -m larix.profile ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m larix.profile",
        description="Convert a Larix profile JSON (larix run --profile, Profile.save_json) to the "
        "HTML viewer, a Chrome/Perfetto trace, DOT, or a table.",
    )
    parser.add_argument("profile", help="the profile JSON")
    parser.add_argument("html", nargs="?", help="write the viewer here (HTML)")
    parser.add_argument("--trace", metavar="OUT", help="write the Chrome/Perfetto trace here")
    parser.add_argument("--dot", metavar="OUT", help="write the tree in Graphviz DOT here")
    parser.add_argument(
        "--table",
        metavar="N",
        type=int,
        nargs="?",
        const=20,
        help="print the N hottest nodes (default 20)",
    )
    ns = parser.parse_args(argv)
    try:
        prof = load(ns.profile)
    except (OSError, ValueError) as e:
        print(f"larix.profile: {ns.profile}: {e}", file=sys.stderr)
        return 1
    if ns.html:
        prof.save_html(ns.html)
    if ns.trace:
        prof.save_trace(ns.trace)
    if ns.dot:
        prof.save_dot(ns.dot)
    if ns.table is not None or not (ns.html or ns.trace or ns.dot):
        print(prof.table(ns.table or 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
