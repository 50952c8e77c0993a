"""The fuzz targets of tests/fuzz/fuzz_physl.py on fixed inputs (no atheris needed): the seed
corpus and pseudo-random byte strings through the parser and compiler, and generated programs run
optimised, unoptimised and on the reference executor (they must agree, and raise only
larix.Error). scripts/test.sh runs the fuzzers themselves for a bounded time."""

from __future__ import annotations

import base64
import random
import sys
from pathlib import Path

import numpy as np
import pytest

import larix

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

import fuzz_physl  # noqa: E402

SEEDS = sorted((ROOT / "tests" / "physl").glob("*.physl"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_compile_target_on_the_seed_corpus(seed):
    data = seed.read_bytes()
    fuzz_physl.compile_target(data)
    rng = random.Random(seed.name)
    for _ in range(20):  # the seed with a few bytes changed, as a mutator would
        mutated = bytearray(data)
        for _ in range(3):
            if mutated:
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        fuzz_physl.compile_target(bytes(mutated))


@pytest.mark.parametrize("chunk", range(8))
def test_eval_target_on_generated_programs(chunk):
    rng = random.Random(chunk)
    for _ in range(40):
        fuzz_physl.eval_target(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 48))))


@pytest.mark.parametrize("chunk", range(4))
def test_kernel_target_on_generated_functions(chunk, tmp_path):
    rng = random.Random(100 + chunk)
    for _ in range(25):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 60)))
        fuzz_physl.kernel_target(data, str(tmp_path))


def test_a_bool_is_no_shape():
    # Found by the kernel target: np.zeros(1 == n) is NumPy's TypeError, not zeros(1).
    for text in ("zeros(true)", "ones(list(true, 2))", "zeros(__eq(1, 1))"):
        with pytest.raises(larix.LarixTypeError):
            larix.eval(text)


# Programs the fuzzer found (each a finding once): they must keep giving a clean outcome.
FOUND = [
    "block(define(v0, repeat(if(0, 0, 0), 1099511627776)), 0)",
    "block(define(v0, tile([1.0, 2.0], 4611686018427387904)), 0)",
    "block(define(v0, tile([1.0, 2.0], 1099511627776)), 0)",
]


@pytest.mark.parametrize("text", FOUND)
def test_findings_stay_fixed(text):
    outcomes = [fuzz_physl.outcome(text, o, s) for o, s in fuzz_physl.CONFIGURATIONS]
    assert len({kind for kind, _ in outcomes}) == 1, outcomes
    with pytest.raises(larix.Error):
        larix.compile(text)()


def test_a_float_function_of_a_bool_is_the_known_float16_difference(tmp_path):
    # Found by the kernel target: NumPy computes np.exp(n < a) in float16, Larix in float64
    # (no float16 yet); the harness accepts exactly that difference.
    data = base64.b64decode("wjVDPfE9wgA18UM5PQANPD0A")
    assert "np.exp((n < a))" in fuzz_physl.kernel_source(data)
    fuzz_physl.kernel_target(data, str(tmp_path))
    assert fuzz_physl.BOOLS_AS_FLOAT64.exp(True).dtype == np.float64
    assert np.exp(True).dtype == np.float16


def test_a_function_numpy_cannot_hold_in_memory_has_no_reference(tmp_path):
    # Found by the kernel target: np.arange(np.exp(np.exp(np.pi))) asks NumPy for 83.6 GiB; its
    # MemoryError is not a finding (Larix may raise its own, or not need the memory at all).
    data = base64.b64decode("JMW1xcXFxcXFAfv/Bw==")
    assert "np.arange(np.exp(np.exp(np.pi)))" in fuzz_physl.kernel_source(data)
    fuzz_physl.kernel_target(data, str(tmp_path))


def test_the_kernel_comparison_still_sees_a_last_digit():
    one = np.array([1.0, 2.0])
    assert fuzz_physl.agrees(("value", one), ("value", one.copy()))
    assert not fuzz_physl.agrees(("value", one), ("value", one + 1e-9))
    assert not fuzz_physl.agrees(("error", ValueError), ("value", one))
    assert not fuzz_physl.agrees(("value", one), ("value", one[:1]))
