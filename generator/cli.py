"""Command line: ``python -m generator check`` and ``python -m generator build --out DIR``.

``check`` validates content and bibliography without rendering (fast; for editors
and pre-commit). ``build`` writes the generated Markdown and data files to a folder
that any MkDocs-compatible engine can build. Both print every diagnostic and exit
with status 1 if there is any error.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .diagnostics import Diagnostics
from .pipeline import ProjectConfig, build, check


def _report(diagnostics: Diagnostics, strict: bool) -> int:
    if diagnostics.items:
        print(diagnostics.report(), file=sys.stderr)
    failed = bool(diagnostics.errors) or (strict and bool(diagnostics.warnings))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate content and bibliography without building")
    p_check.add_argument("--strict", action="store_true", help="fail on warnings too")
    p_build = sub.add_parser("build", help="write the generated pages to a folder")
    p_build.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    p_build.add_argument("--strict", action="store_true", help="fail on warnings too")
    args = parser.parse_args(argv)

    config = ProjectConfig.for_project(args.root)
    if args.command == "check":
        diagnostics = check(config)
        status = _report(diagnostics, args.strict)
        if status == 0:
            print("ok: no problems found", file=sys.stderr)
        return status
    result = build(config)
    status = _report(result.diagnostics, args.strict)
    if status:
        return status
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    for path, content in sorted(result.files.items()):
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    print(f"wrote {len(result.files)} files to {out}", file=sys.stderr)
    return 0
