"""Command line: ``python -m generator <command>``.

- ``check`` validates content and bibliography without rendering (fast; for editors
  and pre-commit), and reports ``TODO`` placeholders left by ``new``.
- ``build --out DIR`` writes the generated Markdown and data files to a folder that
  any MkDocs-compatible engine can build (``--with-docs``: with the hand-written pages
  too, for engines without the companion plugin, such as Zensical).
- ``new <type> <id>`` writes a new entry file with every field of its type.
- ``permalinks check`` / ``permalinks update`` compare the published URLs with the
  committed ``permalinks.json`` / add the new ones to it; ``permalinks links``
  checks every local link of a built site (``site/``).
- ``schemas --out DIR`` writes the JSON Schemas for editors (``--check`` compares).

Every command prints every diagnostic and exits with status 1 if there is any error
(``--strict``: any warning too).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from generator.diagnostics import Diagnostics, Location
from generator.init_project import InitError, init_project
from generator.site_meta import SiteDeclarationError
from generator.pipeline import ProjectConfig, build, check, write_files
from generator.publish.site_swap import discard, staging_folder, swap_in
from generator.schema.json_schema import json_schemas
from generator.schema.types import TYPES_BY_NAME


def _report(diagnostics: Diagnostics, strict: bool) -> int:
    if diagnostics.items:
        print(diagnostics.report(), file=sys.stderr)
    failed = bool(diagnostics.errors) or (strict and bool(diagnostics.warnings))
    return 1 if failed else 0


def schema_text(schema: dict) -> str:
    """A JSON Schema as written to disk (the same bytes as the published copy)."""
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _docs_dir(root: Path) -> Path:
    """The MkDocs ``docs_dir`` (``docs`` unless ``mkdocs.yml`` says otherwise)."""
    try:
        loaded = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (OSError, yaml.YAMLError):
        loaded = None
    name = loaded.get("docs_dir") if isinstance(loaded, dict) else None
    return root / (name if isinstance(name, str) else "docs")


class _TolerantLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` even where it uses tags such as ``!!python/name`` or ``!ENV``."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _command_check(config: ProjectConfig, strict: bool) -> int:
    diagnostics = check(config)
    status = _report(diagnostics, strict)
    if status == 0 and not diagnostics.items:
        print("ok: no problems found", file=sys.stderr)
    elif status == 0:
        print("ok: no errors; the warnings above do not stop the build (--strict makes them errors)", file=sys.stderr)
    return status


def _command_build(config: ProjectConfig, out: Path, strict: bool, with_docs: bool = False) -> int:
    result = build(config)
    status = _report(result.diagnostics, strict)
    if status:
        return status
    files = result.files
    if with_docs:
        files = _with_docs(config, files)
        if files is None:
            return 1
    staging = staging_folder(out)
    try:
        write_files(files, staging)
        swap_in(staging, out)
    finally:
        discard(staging)
    print(f"wrote {len(files)} files to {out}", file=sys.stderr)
    return 0


def _with_docs(config: ProjectConfig, files: dict[str, str | bytes]) -> dict[str, str | bytes] | None:
    """The generated files plus the hand-written ones of ``docs_dir``: one folder for engines without
    the plugin (Zensical). ``None``, after reporting, when a hand-written file has a generated one's path."""
    from generator.diagnostics import display_path
    from generator.publish.permalinks import docs_files

    docs_dir = _docs_dir(config.root)
    diagnostics = Diagnostics()
    merged = dict(files)
    for path, content in docs_files(docs_dir).items():
        if path in merged:
            diagnostics.error("url.collision", f"'{path}' is both a hand-written and a generated page",
                              Location(display_path(docs_dir / path, config.root)),
                              hint="remove or rename the hand-written file")
        else:
            merged[path] = content
    return None if _report(diagnostics, False) else merged


def _command_new(config: ProjectConfig, type_name: str, entry_id: str) -> int:
    from generator.schema.scaffold import create_entry

    diagnostics = Diagnostics()
    path = create_entry(config.content_dir, config.root, type_name, entry_id, diagnostics)
    if path is None:
        return _report(diagnostics, False) or 1
    shown = path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else path.as_posix()
    print(f"wrote {shown}: replace every TODO, then run `python -m generator check`", file=sys.stderr)
    return 0


def _command_permalinks(config: ProjectConfig, action: str, strict: bool, allow_removal: bool,
                        manifest: Path | None, under: tuple[str, ...], site_dir: Path,
                        allow_reassign: bool = False) -> int:
    from generator.publish.permalinks import check_site_links, run_check, run_update

    docs_dir = _docs_dir(config.root)
    if action == "links":
        site = site_dir if site_dir.is_absolute() else config.root / site_dir
        diagnostics = Diagnostics()
        if not (site / "index.html").is_file():
            diagnostics.error("permalink.broken-link", "no built site here (no index.html)", Location(str(site_dir)),
                              "run `make site` first")
            return _report(diagnostics, False)
        count = check_site_links(site, diagnostics, site_dir.as_posix().rstrip("/"))
        status = _report(diagnostics, strict)
        if status == 0:
            print(f"ok: {count} local links and resources all reach a file", file=sys.stderr)
        return status
    if action == "check":
        report = run_check(config, docs_dir, manifest, under)
        status = _report(report.diagnostics, strict)
        if status == 0:
            urls = report.manifest.urls if report.manifest else []
            count = len([u for u in urls if not under or u.startswith(under)])
            print(f"ok: all {count} listed URLs are still published", file=sys.stderr)
        return status
    diagnostics, urls = run_update(config, docs_dir, manifest, allow_removal, allow_reassign)
    status = _report(diagnostics, False)
    if urls is None:
        print("permalinks.json was not changed", file=sys.stderr)
        return status or 1
    print(f"wrote permalinks.json: {len(urls)} URLs", file=sys.stderr)
    return 0


def _command_schemas(config: ProjectConfig, out: Path, check_only: bool) -> int:
    out = out if out.is_absolute() else config.root / out
    diagnostics = Diagnostics()
    wanted = {f"{name}.schema.json": schema_text(schema) for name, schema in json_schemas().items()}
    for name, text in sorted(wanted.items()):
        target = out / name
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        if check_only:
            shown = target.relative_to(config.root).as_posix() if target.is_relative_to(config.root) else str(target)
            diagnostics.error("scaffold.schema-outdated", f"{shown} is {'missing' if current is None else 'outdated'}",
                              Location(shown), "run `python -m generator schemas --out schemas/` and commit it")
        else:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if out.is_dir():
        for stale in sorted(out.glob("*.schema.json")):
            if stale.name not in wanted:
                if check_only:
                    diagnostics.error("scaffold.schema-outdated", f"{stale.name} belongs to no entry type",
                                      Location(stale.name), "delete it")
                else:
                    stale.unlink()
    status = _report(diagnostics, False)
    if status == 0:
        print(f"{'checked' if check_only else 'wrote'} {len(wanted)} schemas in {out}", file=sys.stderr)
    return status


def _command_init(target: Path, name: str) -> int:
    try:
        written = init_project(target, name)
    except InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the new companion: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files to {target}; next: cd {target} && make site")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator", description="The companion's site generator.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current)")
    sub = parser.add_subparsers(dest="command", required=True)

    p_check = sub.add_parser("check", help="validate content and bibliography without building")
    p_check.add_argument("--strict", action="store_true", help="fail on warnings too")

    p_build = sub.add_parser("build", help="write the generated pages to a folder")
    p_build.add_argument("--out", type=Path, required=True, help="output folder (replaced)")
    p_build.add_argument("--strict", action="store_true", help="fail on warnings too")
    p_build.add_argument("--with-docs", action="store_true",
                         help="also copy the hand-written pages (mkdocs.yml's docs_dir): a complete docs folder "
                              "for engines without the companion plugin, such as Zensical")

    p_new = sub.add_parser("new", help="write a new entry file with every field of its type")
    p_new.add_argument("type", choices=sorted(TYPES_BY_NAME), help="entry type")
    p_new.add_argument("id", help="the new entry's id (countries: ISO 3166-1 alpha-3 code, lowercase)")

    p_links = sub.add_parser("permalinks", help="compare published URLs with permalinks.json")
    p_links.add_argument("action", choices=("check", "update", "links"),
                         help="check: report removed URLs and broken redirects; update: add new URLs; "
                              "links: check the local links of a built site")
    p_links.add_argument("--strict", action="store_true", help="check: fail on new, unlisted URLs too")
    p_links.add_argument("--allow-removal", action="store_true",
                         help="update: also drop URLs that are gone (a deliberate, reviewed removal)")
    p_links.add_argument("--allow-reassign", action="store_true",
                         help="update: let a recorded redirect's address show another page (a reviewed step)")
    p_links.add_argument("--manifest", type=Path, default=None, help="manifest file (default: ROOT/permalinks.json)")
    p_links.add_argument("--under", action="append", default=[], metavar="PREFIX",
                         help="check: only URLs starting with PREFIX, e.g. /organisations/ (repeatable)")
    p_links.add_argument("--site", type=Path, default=Path("site"), help="links: the built site (default: site/)")

    p_init = sub.add_parser("init", help="start a new companion in an empty folder")
    p_init.add_argument("dir", type=Path, help="the new companion's folder (created if missing; must be empty)")
    p_init.add_argument("--name", default="A Research Companion", help="the site's name (default: %(default)s)")

    p_schemas = sub.add_parser("schemas", help="write the JSON Schema of every entry type")
    p_schemas.add_argument("--out", type=Path, default=Path("schemas"), help="output folder (default: schemas/)")
    p_schemas.add_argument("--check", action="store_true", help="only compare; fail if a file differs")

    args = parser.parse_args(argv)
    if args.command == "init":
        return _command_init(args.dir, args.name)
    try:
        config = ProjectConfig.for_project(args.root)
    except SiteDeclarationError as error:
        code = "site.declaration"
        print(f"mkdocs.yml:1:1: error[{code}]: {error}\n"
              "  hint: see 'extra: companion:' in the README", file=sys.stderr)
        return 1
    if args.command == "check":
        return _command_check(config, args.strict)
    if args.command == "build":
        return _command_build(config, args.out, args.strict, args.with_docs)
    if args.command == "new":
        return _command_new(config, args.type, args.id)
    if args.command == "permalinks":
        return _command_permalinks(config, args.action, args.strict, args.allow_removal, args.manifest,
                                   tuple(args.under), args.site, args.allow_reassign)
    return _command_schemas(config, args.out, args.check)
