"""Fuzz the entry and BibTeX loaders with mutated real inputs: only diagnostics may come out.

    .venv/bin/python benchmarks/fuzz_loaders.py                  # 120 seconds
    .venv/bin/python benchmarks/fuzz_loaders.py --seconds 10 --seed 7
    .venv/bin/python benchmarks/fuzz_loaders.py --iterations 5000 --only yaml

Seeds are every entry file and .bib file of the project and of the test scenarios.
Each iteration applies a few random mutations (byte flips, insertions of tokens that
matter to YAML or BibTeX, deleted/duplicated/re-indented lines, splices of two
seeds) and feeds the result to :func:`generator.loader.check_entry` (then, if the entry loads,
to the linker and the prose renderer) or :func:`generator.bibliography.load_bibliography`. A crash is any exception, any
diagnostic whose code is not in :data:`generator.codes.CODES`, a rejected input
without an error, or an input taking longer than ``--timeout`` seconds. Crashing
inputs are written to ``--out`` with their traceback; the exit status is 1 if any.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.bibliography import load_bibliography  # noqa: E402
from generator.codes import CODES  # noqa: E402
from generator.diagnostics import Diagnostic, Diagnostics  # noqa: E402
from generator.linker import link  # noqa: E402
from generator.loader import Remains, check_entry  # noqa: E402
from generator.prose import render  # noqa: E402
from generator.types import ENTRY_TYPES, TYPES_BY_FOLDER  # noqa: E402

YAML_TOKENS = [
    b"&a ", b"*a", b"!!str ", b"!!python/object:os.system ", b"!x ", b"? ", b": ", b"- ", b"\t", b"---\n",
    b"...\n", b"[", b"]", b"{", b"}", b",", b"|\n", b">-\n", b'"', b"'", b"#", b"\\", b"\x00", b"\xef\xbb\xbf",
    b"\xff", b"\xc3", b"\xe2\x80\xae", b"\xe2\x80\x8b", b"\r", b"\r\n", b"\xc2\x85", b"\xe2\x80\xa8", b"yes",
    b"NO", b"1.10", b"010", b"~", b"null", b"2002-02-30", b"1999/1996", b"2003~", b"../", b"[[", b"]]",
    b"[@", b"@", b"%YAML 1.1\n", b"%TAG ! tag:x,2000:\n", b"<<: ", b"=", b"\n  " * 3,
]
BIB_TOKENS = [
    b"@", b"@string{x = {y}}\n", b"@preamble{", b"@comment{", b"{", b"}", b'"', b"#", b"%", b",", b"=", b"\\",
    b"{\\", b"\\'", b"$", b"~", b"crossref = {", b"date = {", b"author = {", b" and ", b"others", b"\x00", b"\xff",
    b"\xef\xbb\xbf", b"\r\n", b"@book{", b"@article{x,", b"}}}}", b"{{{{", b"\\emph{", b"\\url{", b"--",
    b"2002-02-30", b"1999/1996", b"citedin = {", b"keywords = {", b"\t", b"@misc{x,\n  title = {T},\n}\n",
]


def seeds() -> tuple[list[tuple[str, str, bytes]], list[bytes]]:
    """(folder, file name, bytes) of every entry file, and the bytes of every .bib file."""
    files = sorted(ROOT.glob("content/*/*.yaml")) + sorted(ROOT.glob("tests/cases/*/content/*/*.yaml"))
    yaml_seeds = [(p.parent.name, p.name, p.read_bytes()) for p in files if p.parent.name in TYPES_BY_FOLDER]
    bib_seeds = [p.read_bytes() for pattern in ("bibliography/*.bib", "tests/cases/*/bibliography/*.bib",
                                                "tests/bibliography/**/*.bib") for p in sorted(ROOT.glob(pattern))]
    return yaml_seeds, bib_seeds


def mutate(data: bytes, tokens: list[bytes], others: list[bytes], rng: random.Random) -> bytes:
    """Apply one to six random mutations."""
    buf = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 6])):  # mostly small changes, so that many inputs stay valid
        pos = rng.randint(0, len(buf))
        choice = rng.randrange(9)
        if choice == 0 and buf:  # change a byte, usually to printable ASCII
            buf[min(pos, len(buf) - 1)] = rng.randrange(32, 127) if rng.random() < 0.8 else rng.randrange(256)
        elif choice == 1:  # insert a meaningful token
            buf[pos:pos] = rng.choice(tokens)
        elif choice == 2 and buf:  # delete a run
            del buf[pos:pos + rng.randint(1, 40)]
        elif choice == 3 and buf:  # duplicate a run
            start = rng.randrange(len(buf))
            buf[pos:pos] = buf[start:start + rng.randint(1, 200)]
        elif choice == 4:  # splice another seed
            other = rng.choice(others)
            start = rng.randrange(len(other) or 1)
            buf[pos:pos] = other[start:start + rng.randint(1, 400)]
        else:  # line-level edits
            lines = bytes(buf).split(b"\n")
            i = rng.randrange(len(lines))
            edit = rng.randrange(4)
            if edit == 0:
                lines.insert(i, lines[rng.randrange(len(lines))])
            elif edit == 1:
                del lines[i]
            elif edit == 2:
                lines[i] = b" " * rng.choice([1, 2, 3, 4, 8]) + lines[i]
            else:
                lines[i] = lines[i].lstrip(b" ")
            buf = bytearray(b"\n".join(lines))
    if rng.random() < 0.02:  # sometimes very large or very deep
        buf += rng.choice([b"x: " + b"[" * 5000, b"# " + b"a" * 600_000 + b"\n", b"a: [" + b"b, " * 30_000 + b"]"])
    return bytes(buf)


class Hang(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


def check_diagnostics(diagnostics: Diagnostics) -> str | None:
    for d in diagnostics.items:
        if not isinstance(d, Diagnostic):
            return f"not a Diagnostic: {d!r}"
        if d.code not in CODES:
            return f"undocumented code {d.code!r}: {d}"
        str(d)
    return None


def run_yaml(data: bytes, folder: str, name: str) -> str | None:
    """Load one entry; then link it (or what remains of it) and render its prose (scanning fuzzed Markdown)."""
    diagnostics = Diagnostics()
    entry = check_entry(TYPES_BY_FOLDER[folder], data, f"content/{folder}/{name}", diagnostics)
    keys = {"troitskiy2020", "molchanov2012", "smith2001"}
    if entry is None or isinstance(entry, Remains):
        if isinstance(entry, Remains):
            link([], diagnostics, keys, remains=[entry])
        return check_diagnostics(diagnostics) if diagnostics.errors else "entry rejected without an error"
    site = link([entry], diagnostics, keys)
    for scanned in site.prose_of(entry):
        for inline in (False, True):
            render(scanned, lambda l: "L", lambda c: "C", inline=inline)
    return check_diagnostics(diagnostics)


def run_bib(data: bytes, workdir: Path) -> str | None:
    path = workdir / "fuzz.bib"
    path.write_bytes(data)
    diagnostics = Diagnostics()
    bibliography = load_bibliography([path], workdir, diagnostics)
    for key, entry in bibliography.entries.items():
        entry.csl  # noqa: B018 - converting to CSL-JSON is part of loading
    return check_diagnostics(diagnostics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="how long to run (default 120)")
    parser.add_argument("--iterations", type=int, default=0, help="stop after N inputs (0: no limit)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--only", choices=["yaml", "bib"], help="fuzz one loader only")
    parser.add_argument("--timeout", type=int, default=10, help="seconds allowed per input (default 10)")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "fuzz-crashes",
                        help="where crashing inputs are written")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    yaml_seeds, bib_seeds = seeds()
    yaml_bytes = [d for _, _, d in yaml_seeds]
    counts: Counter[str] = Counter()
    crashes: dict[str, tuple[str, Path]] = {}
    signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        while time.monotonic() < deadline and (not args.iterations or sum(counts.values()) < args.iterations):
            kind = args.only or ("yaml" if rng.random() < 0.6 else "bib")
            if kind == "yaml":
                folder, name, seed = rng.choice(yaml_seeds)
                if rng.random() < 0.1:
                    folder = rng.choice(ENTRY_TYPES).folder
                data = mutate(seed, YAML_TOKENS, yaml_bytes, rng)
            else:
                folder, name, data = "", "", mutate(rng.choice(bib_seeds), BIB_TOKENS, bib_seeds, rng)
            counts[kind] += 1
            signal.alarm(args.timeout)
            try:
                problem = run_yaml(data, folder, name) if kind == "yaml" else run_bib(data, workdir)
            except Hang:
                problem = f"took more than {args.timeout} s"
            except BaseException as exc:  # noqa: BLE001 - any exception is the finding
                if isinstance(exc, KeyboardInterrupt):
                    raise
                frames = traceback.extract_tb(exc.__traceback__)
                where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)
                              if "/generator/" in f.filename), "?")
                problem = f"{type(exc).__name__} at {where}: {exc}"[:300] + "\n" + traceback.format_exc()
            finally:
                signal.alarm(0)
            if problem:
                signature = f"{kind}: {problem.splitlines()[0][:120]}"
                if signature not in crashes:
                    args.out.mkdir(parents=True, exist_ok=True)
                    stem = f"{kind}-{len(crashes):03d}"
                    (args.out / f"{stem}.{'yaml' if kind == 'yaml' else 'bib'}").write_bytes(data)
                    (args.out / f"{stem}.txt").write_text(f"{folder}/{name}\n{problem}\n", encoding="utf-8")
                    crashes[signature] = (problem, args.out / stem)
    total = sum(counts.values())
    print(f"{total} inputs in {args.seconds:.0f} s ({counts['yaml']} YAML, {counts['bib']} BibTeX), "
          f"{len(crashes)} distinct problem(s)")
    for signature, (_, path) in crashes.items():
        print(f"  {signature}\n    input: {path}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
