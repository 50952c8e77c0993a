"""Profiles: exact counts, the inclusive/exclusive relations, merging of calls, the exports (JSON,
Chrome trace, DOT, table, HTML), the ways to switch profiling on, and `larix run --profile`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import larix

LOOP = """define(f, n, block(
  define(i, 0), define(s, 0),
  while(i < n, block(
    store(s, s + i * 2),
    store(i, i + 1))),
  s))
f
"""


def by(prof: larix.Profile, name: str, detail: str | None = None) -> list[dict]:
    return [
        n for n in prof.nodes if n["name"] == name and (detail is None or n["detail"] == detail)
    ]


def body_nodes(prof: larix.Profile) -> list[dict]:
    """The nodes of the while loop's body (every node below the `while` but its condition)."""
    nodes = prof.nodes
    loop = by(prof, "while")[0]
    cond, body = [n for n in nodes if n["parent"] == loop["id"]]
    below, frontier = [], [body["id"]]
    while frontier:
        ids = set(frontier)
        below += [n for n in nodes if n["id"] in ids]
        frontier = [n["id"] for n in nodes if n["parent"] in ids]
    return [n for n in below if not n["trivial"]]


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])
@pytest.mark.parametrize("n", [1, 7, 100])
def test_loop_counts_are_exact(sync, n):
    prog = larix.compile(LOOP, sync=sync)
    with larix.profile() as prof:
        assert prog(n) == n * (n - 1)
    assert by(prof, "while")[0]["count"] == 1
    assert by(prof, "__lt")[0]["count"] == n + 1  # the condition: n times true, once false
    body = body_nodes(prof)
    assert {b["name"] for b in body} >= {"block", "store", "__add", "__mul"}
    for b in body:
        assert b["count"] == n, b
        assert b["inline"] + b["spawned"] == n, b
    # Constants and variable reads are never timed on their own.
    assert all(r["count"] == 0 for r in prof.nodes if r["trivial"])


def test_kernel_loop_counts_and_python_locations():
    @larix.kernel(profile=True)
    def loop(x, n):
        s = 0.0
        i = 0
        while i < n:
            s = s + np.sum(x * 2.0)
            i = i + 1
        return s

    assert loop.last_profile is None
    assert loop(np.ones(4), 13) == 13 * 8.0
    prof = loop.last_profile
    assert isinstance(prof, larix.Profile)
    assert by(prof, "sum")[0]["count"] == 13
    assert by(prof, "__mul")[0]["count"] == 13
    assert by(prof, "__lt")[0]["count"] == 14
    line = loop.python.__code__.co_firstlineno  # the decorator's line
    sum_node = by(prof, "sum")[0]
    assert sum_node["file"] == __file__ and sum_node["line"] == line + 5
    assert sum_node["physl_line"] > 0
    program = prof.programs[0]
    assert program["kind"] == "kernel" and program["name"].endswith("loop")
    python = [s for s in program["sources"] if s["kind"] == "python"]
    assert python and python[0]["file"] == __file__
    first = python[0]["first_line"]
    text = python[0]["text"].splitlines()
    assert "np.sum(x * 2.0)" in text[line + 5 - first]
    physl = [s for s in program["sources"] if s["kind"] == "physl"][0]
    assert "while" in physl["text"]
    # Each call replaces last_profile (calls do not add up there).
    loop(np.ones(4), 2)
    assert by(loop.last_profile, "sum")[0]["count"] == 2


def check_times(prof: larix.Profile) -> None:
    for p in prof.programs:
        nodes = p["nodes"]
        for n in nodes:
            assert n["inclusive_ns"] >= n["exclusive_ns"] >= 0, n
            if n["count"] == 0:
                assert n["inclusive_ns"] == n["exclusive_ns"] == 0
            parent = nodes[n["parent"]] if n["parent"] >= 0 else None
            # A function's body runs when it is called, not when define/lambda makes it.
            if parent is not None and parent["name"] not in ("define", "lambda"):
                assert parent["inclusive_ns"] >= n["inclusive_ns"], (parent, n)


@pytest.mark.parametrize("sync", [False, True], ids=["tasks", "reference"])
def test_inclusive_exclusive_relations(sync):
    program = larix.compile(
        "define(f, a, n, block(define(i, 0), define(s, 0.0),"
        " while(i < n, block(store(s, s + sum(exp(a) * 2.0)), store(i, i + 1))),"
        " s + sum(dot(a, a)))) f",
        sync=sync,
    )
    with larix.profile() as prof:
        for _ in range(3):
            program(np.linspace(0.0, 1.0, 20000), 5)
    check_times(prof)
    nodes = prof.nodes
    assert by(prof, "exp")[0]["count"] == 15  # three calls of five iterations, added up
    assert prof.programs[0]["calls"] == 3
    # exp over 20,000 elements is work of its own. (How much of its inclusive time is exclusive
    # depends on the machine's load: no ratio is asserted.)
    exp = by(prof, "exp")[0]
    assert exp["inclusive_ns"] >= exp["exclusive_ns"] > 0
    assert sum(n["exclusive_ns"] for n in nodes) <= prof.wall_ns * larix.threads()


def test_record_fields():
    with larix.profile() as prof:
        larix.eval("define(f, x, x * 2 + 1) f", 4)
    fields = {
        "program", "id", "parent", "name", "detail", "file", "line", "column", "physl_line",
        "physl_column", "trivial", "count", "inclusive_ns", "exclusive_ns", "inline", "spawned",
        "bytes_sent", "bytes_received", "wait_ns",
    }  # fmt: skip
    assert prof.nodes and all(set(n) == fields for n in prof.nodes)
    # nothing distributed: no node sent, received or waited for a message
    assert all(n["bytes_sent"] == n["bytes_received"] == n["wait_ns"] == 0 for n in prof.nodes)
    ids = [n["id"] for n in prof.nodes]
    assert ids == list(range(len(ids)))
    assert prof.nodes[0]["parent"] == -1
    assert all(0 <= n["parent"] < n["id"] for n in prof.nodes[1:])  # pre-order
    mul = by(prof, "__mul")[0]
    assert (mul["file"], mul["line"], mul["physl_line"]) == ("<string>", 1, 1)
    define = by(prof, "define", "f")[0]
    assert define["detail"] == "f"


def test_sessions_merge_nest_and_end():
    prog = larix.compile(LOOP)
    other = larix.compile("define(g, a, a + 1) g")
    with larix.profile() as outer:
        prog(3)
        with larix.profile() as inner:
            prog(4)
            other(1)
        prog(5)
    prog(100)  # after the block: not collected
    assert [p["calls"] for p in outer.programs] == [3, 1]
    assert [p["calls"] for p in inner.programs] == [1, 1]
    assert by(outer, "__lt")[0]["count"] == 4 + 5 + 6
    assert by(inner, "__lt")[0]["count"] == 5
    assert {n["program"] for n in outer.nodes} == {0, 1}


def test_sessions_are_per_thread():
    import threading

    prog = larix.compile(LOOP)
    seen = []
    with larix.profile() as prof:
        t = threading.Thread(target=lambda: seen.append(prog(3)))
        t.start()
        t.join()
    assert seen == [6] and prof.programs == []


def test_trace_export(tmp_path):
    prog = larix.compile(LOOP)
    with larix.profile(trace=True) as prof:
        prog(20)
        prog(10)
    path = tmp_path / "run.trace.json"
    prof.save_trace(path)
    trace = json.loads(path.read_text())
    assert set(trace) == {"traceEvents", "displayTimeUnit"}
    assert trace["displayTimeUnit"] == "ns"
    slices = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    # One slice per timed node evaluation.
    assert len(slices) == sum(n["count"] for n in prof.nodes) > 0
    names = {n["name"] for n in prof.nodes}
    for e in slices:
        assert set(e) == {"name", "ph", "ts", "dur", "pid", "tid", "args"}
        assert e["name"] in names and e["pid"] == 1 and isinstance(e["tid"], int)
        assert e["ts"] >= 0 and e["dur"] >= 0
        assert {"node", "program", "location"} <= set(e["args"])
    tids = {e["tid"] for e in slices}
    meta = [e for e in trace["traceEvents"] if e["ph"] == "M"]
    named = {e["tid"] for e in meta if e["name"] == "thread_name"}
    assert tids <= named  # a named track per thread
    # The second call comes after the first on the common time line.
    assert max(e["ts"] for e in slices) > 0
    # Without trace=True there are no events.
    with larix.profile() as quiet:
        prog(3)
    assert quiet.events == [] and not [
        e for e in quiet.trace_events()["traceEvents"] if e["ph"] == "X"
    ]


def test_table_text():
    prog = larix.compile(
        "define(f, a, block(define(b, exp(a)), define(c, sum(b * b)), c + sum(a))) f"
    )
    with larix.profile() as prof:
        prog(np.linspace(0.0, 1.0, 50000))
    text = prof.table()
    lines = text.splitlines()
    assert lines[0].startswith("Larix profile: 1 program, 1 call, wall ")
    assert lines[1].split() == [
        "exclusive", "%", "inclusive", "count", "inline", "spawned", "node", "location",
    ]  # fmt: skip
    rows = lines[2:]
    timed = sorted(
        (n for n in prof.nodes if n["count"] and not n["trivial"]),
        key=lambda n: n["exclusive_ns"],
        reverse=True,
    )
    assert len(rows) == min(20, len(timed))
    # Sorted by exclusive time: the labels come in the order of the records.
    col = lines[1].index("node")
    labels = [r[col:].split("  ")[0].strip() for r in rows]
    expected = [(n["name"] + (" " + n["detail"] if n["detail"] else "")) for n in timed[:20]]
    assert labels == expected
    # Aligned: the right-aligned 'count' column ends at the same place on every line.
    end = lines[1].index("count") + len("count")
    for r, n in zip(rows, timed):
        assert r[:end].split()[-1] == str(n["count"])
    short = prof.table(n=2).splitlines()
    assert len(short) == 2 + 2 + 1 and short[-1] == f"({len(timed) - 2} more nodes)"
    assert str(prof) == text


def test_json_roundtrip_dot_html(tmp_path):
    with larix.profile() as prof:
        larix.eval('define(f, x, block(cout("</script><!--"), x * 2)) f', 3)
    path = tmp_path / "p.json"
    prof.save_json(path)
    back = larix.Profile.load(path)
    assert back.nodes == prof.nodes and back.programs[0]["name"] == "<string>"
    assert json.loads(prof.to_json())["larix_profile"] == 1
    dot = prof.to_dot()
    assert dot.startswith("digraph larix {") and dot.rstrip().endswith("}")
    timed = [n for n in prof.nodes if not n["trivial"]]
    assert dot.count("[label=") == len(timed)
    prof.save_dot(tmp_path / "p.dot")
    html_path = tmp_path / "p.html"
    prof.save_html(html_path)
    page = html_path.read_text()
    # The embedded JSON cannot end the <script> element early.
    template = larix._profiling._VIEWER.read_text()
    assert page.count("</script>") == template.count("</script>")
    assert "/*LARIX_PROFILE_JSON*/" not in page and '"larix_profile": 1' in page
    start = page.index('type="application/json">') + len('type="application/json">')
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["programs"][0]["nodes"] == [
        {k: v for k, v in n.items() if k != "program"} for n in prof.nodes
    ]
    frame = prof._repr_html_()
    assert frame.startswith("<iframe") and "srcdoc=" in frame and "<script" not in frame


def test_off_by_default():
    state = larix._profiling._State
    assert not state.on
    with larix.profile():
        assert state.on
    assert not state.on


def test_env_var_writes_html_at_exit(tmp_path):
    out = tmp_path / "run.html"
    script = textwrap.dedent(
        """
        import numpy as np, larix

        @larix.kernel
        def f(x):
            return np.sum(x * x)

        print(f(np.arange(4.0)), f(np.arange(3.0)))
        """
    )
    (tmp_path / "app.py").write_text(script)  # a kernel's source must be in a file
    env = dict(os.environ, LARIX_PROFILE=str(out))
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "app.py")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["14.0", "5.0"]
    assert f"profile written to {out}" in proc.stderr
    page = out.read_text()
    start = page.index('type="application/json">') + len('type="application/json">')
    data = json.loads(page[start : page.index("</script>", start)])
    (program,) = data["programs"]
    assert program["kind"] == "kernel" and program["calls"] == 2
    assert [s["kind"] for s in program["sources"]] == ["python", "physl"]
    assert "np.sum(x * x)" in program["sources"][0]["text"]


def test_cli_profile_and_converter(tmp_path):
    larix_cli = shutil.which("larix")
    if larix_cli is None:
        pytest.skip("the larix command is not installed")
    src = tmp_path / "loop.physl"
    src.write_text(LOOP)
    out = tmp_path / "loop.json"
    proc = subprocess.run(
        [larix_cli, "run", str(src), "9", "--profile", str(out), "--trace"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if "unknown option --profile" in proc.stderr:
        pytest.skip("the installed larix command predates --profile")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "72"
    prof = larix.Profile.load(out)
    assert by(prof, "__lt")[0]["count"] == 10
    assert len(prof.events) == sum(n["count"] for n in prof.nodes)
    assert prof.programs[0]["sources"][0]["text"] == LOOP
    check_times(prof)
    # The larix command makes the viewer itself when the profile path is an HTML file.
    direct = subprocess.run(
        [larix_cli, "run", str(src), "3", "--profile", str(tmp_path / "x.html")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert direct.returncode == 0, direct.stderr
    assert "larix_profile" in (tmp_path / "x.html").read_text()
    html_out = tmp_path / "loop.html"
    conv = subprocess.run(
        [sys.executable, "-m", "larix.profile", str(out), str(html_out), "--trace",
         str(tmp_path / "t.json"), "--table", "3"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert conv.returncode == 0, conv.stderr
    assert conv.stderr == ""  # no runpy warning
    assert conv.stdout.startswith("Larix profile: 1 program")
    assert "larix_profile" in html_out.read_text()
    assert json.loads((tmp_path / "t.json").read_text())["displayTimeUnit"] == "ns"


SPAWN_SCRIPT = """
import numpy as np, larix
prog = larix.compile("define(f, a, n, block(define(s, 0.0), define(i, 0), while(i < n, block("
                     "store(s, s + sum(a * 2.0)), store(i, i + 1))), s)) f")
a = np.ones(1000)
with larix.profile() as prof:
    for _ in range(20):
        prog(a, 50)
nodes = [n for n in prof.nodes if not n["trivial"] and n["count"]]
print(len(nodes), sum(n["spawned"] for n in nodes), sum(n["count"] for n in nodes))
"""


@pytest.mark.parametrize("threshold", ["1000000000000", "9223372036854775807"])
def test_a_spawn_threshold_beyond_32_bits_spawns_nothing_measured(threshold):
    # LARIX_SPAWN_THRESHOLD_NS was read as an int: 10**12 wrapped to a negative threshold and every
    # evaluation became a task. Now only each node's first (unmeasured) evaluation may be one.
    env = dict(os.environ, LARIX_SPAWN_THRESHOLD_NS=threshold, LARIX_THREADS="2")
    out = subprocess.run(
        [sys.executable, "-c", SPAWN_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    nodes, spawned, count = map(int, out.stdout.split())
    assert count > 20 * 50 and spawned <= nodes, out.stdout
