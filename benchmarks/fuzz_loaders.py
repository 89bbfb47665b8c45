"""Fuzz the entry and BibTeX loaders with mutated real inputs: only diagnostics may come out.

    .venv/bin/python benchmarks/fuzz_loaders.py                  # 120 seconds
    .venv/bin/python benchmarks/fuzz_loaders.py --seconds 10 --seed 7
    .venv/bin/python benchmarks/fuzz_loaders.py --iterations 5000 --only yaml

Seeds are every entry file and .bib file of the project and of the test scenarios.
Each iteration applies a few random mutations (byte flips, insertions of tokens that
matter to YAML or BibTeX, deleted/duplicated/re-indented lines, splices of two
seeds), or, for a third of the BibTeX inputs, writes a hostile file from scratch
(:func:`hostile_bib`: LaTeX commands known and unknown, deep nesting, ``@string``
chains, doublings and loops, URLs of every scheme, control characters), and feeds the result to :func:`generator.load.loader.check_entry` (then, if the entry loads,
to the linker and the prose renderer) or :func:`generator.bibliography.load_bibliography`. A crash is any exception, any
diagnostic whose code is not in :data:`generator.diagnostics.codes.CODES`, a rejected input
without an error, an input taking longer than ``--timeout`` seconds, or a loaded BibTeX
entry whose CSL-JSON or exports hold a control character or a non-http(s) URL. Crashing
inputs are written to ``--out`` with their traceback; the exit status is 1 if any.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.bibliography import Bibliography, load_bibliography, to_bibtex, to_csl_json, to_ris  # noqa: E402
from generator.diagnostics.codes import CODES  # noqa: E402
from generator.diagnostics import Diagnostic, Diagnostics  # noqa: E402
from generator.render.escaping import safe_url  # noqa: E402
from generator.load.linker import link  # noqa: E402
from generator.load.loader import Remains, check_entry  # noqa: E402
from generator.render.prose import render  # noqa: E402
from generator.schema.types import ENTRY_TYPES, TYPES_BY_FOLDER  # noqa: E402

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
    b"\\href{", b"\\href{javascript:alert(1)}{x}", b"\\url{//evil}", b"\\today", b"\\cite{x}", b"\\begin{itemize}",
    b"\\end{x}", b"\\verb|", b"\\def\\x", b"\\frac", b"\\sqrt", b"\\item", b"\\\\", b"\\(", b"\\)", b"\\input{x}",
    b"{" * 40, b"\\emph{" * 40, b"@string{a = b # b}\n", b"@string{b = a}\n", b"@string{loop = loop}\n",
    b"url = { JavaScript:x},", b"doi = {x},", b"\x1b", b"\x07", b"\xc2\x85",
]
#: LaTeX for :func:`hostile_bib`: supported, unsupported, malformed.
LATEX_PIECES = [
    "x", "CIS", " ", "--", "~", "\\&", "\\%", "%", "$x^2$", "$", "\\(", "\\)", "\\[", "\\]", "\\\\", "\\ss", "\\\"u",
    "\\\"", "\\'{E}", "\\v", "\\c{c}", "\\emph", "\\emph{", "\\textbf{", "\\textsc{", "\\textsuperscript{",
    "\\mkbibquote{", "\\enquote{", "\\foreignlanguage{russian}{", "\\href{https://example.org}{", "\\href{",
    "\\href{javascript:alert(1)}{", "\\url{", "\\url{data:x}", "\\nolinkurl{//x}", "\\today", "\\cite{k}",
    "\\begin{itemize}", "\\end{itemize}", "\\item", "\\verb|x|", "\\def\\x{y}", "\\frac{1}", "\\sqrt",
    "\\includegraphics{x}", "\\input{/etc/passwd}", "\\footnote{", "\\noopsort{", "\\S", "\\textcolor{red}{",
    "\\hspace{", "{", "}", "\\{", "\\}", "\\", "\\@", "\\-",
]
SCHEMES = ["http://", "https://", "HTTPS://", " https://", "javascript:", " JavaScript:", "data:", "vbscript:", "//",
           "ftp://", "", "doi:", "10.1234/", "arXiv:"]


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


def hostile_bib(rng: random.Random) -> bytes:
    """A .bib file written to break the BibTeX path: LaTeX, nesting, macro chains, URLs."""
    out: list[str] = []
    macros = [f"m{i}" for i in range(rng.randint(0, 30))]
    doubling = rng.random() < 0.3
    for index, name in enumerate(macros):  # chains, doublings, loops (a macro may use any macro)
        if doubling and index:
            out.append(f"@string{{{name} = {macros[index - 1]} # {macros[index - 1]}}}")
            continue
        earlier = macros[:index + 1] if rng.random() < 0.1 else macros[:index]
        parts = [rng.choice(earlier) for _ in range(rng.choice([1, 2, 2, 3]))] if earlier else []
        parts.append("{" + rng.choice(["ab", "", "x" * rng.randint(0, 3000)]) + "}")
        rng.shuffle(parts)
        out.append(f"@string{{{name} = {' # '.join(parts)}}}")
    for number in range(rng.randint(1, 8)):
        fields = []
        for field in rng.sample(["title", "author", "note", "howpublished", "journal", "url", "doi", "eprint", "pdf",
                                 "publisher", "crossref", "booktitle"], rng.randint(1, 6)):
            if field in ("url", "doi", "eprint", "pdf"):
                value = "{" + rng.choice(SCHEMES) + rng.choice(["example.org/x", "alert(1)", "", "x y"]) + "}"
            elif field == "crossref":
                value = "{k" + str(rng.randrange(8)) + "}"
            elif macros and rng.random() < 0.3:
                value = " # ".join(rng.choice(macros + ["jan"]) for _ in range(rng.randint(1, 3)))
            else:
                depth = rng.choice([0, 1, 2, 5, 31, 32, 33, 200, 3000])
                pieces = "".join(rng.choice(LATEX_PIECES) for _ in range(rng.randint(1, 12)))
                value = "{" + "{" * depth + pieces + "}" * depth + "}"
            fields.append(f"  {field} = {value},")
        out.append(f"@{rng.choice(['book', 'misc', 'incollection', 'article'])}{{k{number},\n" + "\n".join(fields) + "\n}")
    text = "\n\n".join(out) + "\n"
    if rng.random() < 0.1:
        position = rng.randrange(len(text) + 1)
        text = text[:position] + rng.choice(["\x00", "\x1b", "\x07", "\x7f", "\x85", "\x9b"]) + text[position:]
    return text.encode("utf-8")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_entries(bibliography: Bibliography) -> str | None:
    """Every loaded entry converts and exports without control characters or a non-http(s) URL."""
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        return [text for item in items for text in strings(item)]

    for key, entry in bibliography.entries.items():
        json.loads(to_csl_json(entry))
        outputs = [to_bibtex(entry), to_ris(entry), *strings(entry.csl), *entry.fields.values(), entry.raw_bibtex]
        if any(_CONTROL.search(text) for text in outputs):
            return f"control character published for '{key}'"
        if "URL" in entry.csl and not safe_url(entry.csl["URL"]):
            return f"URL {entry.csl['URL']!r} of '{key}' is not http(s)"
    return None


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
    return check_diagnostics(diagnostics) or check_entries(bibliography)


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
            elif rng.random() < 0.33:
                folder, name, data = "", "", hostile_bib(rng)
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
