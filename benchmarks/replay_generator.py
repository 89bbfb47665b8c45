"""Run ``mkdocs`` with the generator's output replayed instead of computed (for :mod:`benchmarks.engine_floor`).

    .venv/bin/python benchmarks/replay_generator.py RECORDS build --no-strict
    .venv/bin/python benchmarks/replay_generator.py - serve --dev-addr 127.0.0.1:8001

The companion plugin's generator stage is replaced by a lookup keyed by the SHA-256 of every
file under ``content/`` and ``bibliography/`` (paths and bytes): the first build of a state
runs the real generator and records its output (the generated files and the entry-name shards);
every later build of the same state replays that record, so the rest of the build (MkDocs, the
theme, the kept pages, Pagefind) runs as usual on the same files, while the generator costs
nothing but the lookup. ``RECORDS`` is a folder of JSON records (between processes); ``-`` keeps
them in memory (``mkdocs serve``). Each replay prints its own CPU seconds, so that they can be
left out of the floor. A tool for measurements only: the site it builds is the real one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import runpy
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPLAY_LINE = "replay-generator:"
"""How each build's line in the log starts (``replay-generator: replayed in 0.41 CPU s``)."""


def state_key(project: Path) -> str:
    """SHA-256 of every file under the project's ``content/`` and ``bibliography/``, with its path."""
    digest = hashlib.sha256()
    for folder in ("content", "bibliography"):
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(project).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _encode(files: dict[str, str | bytes]) -> dict[str, Any]:
    return {path: content if isinstance(content, str) else {"base64": base64.b64encode(content).decode()}
            for path, content in files.items()}


def _decode(files: dict[str, Any]) -> dict[str, str | bytes]:
    return {path: content if isinstance(content, str) else base64.b64decode(content["base64"])
            for path, content in files.items()}


def install(records: Path | None) -> None:
    """Replace the plugin's generator stage by the recording, replaying one."""
    import generator.mkdocs_plugin as plugin
    from generator.pipeline import BuildResult, build

    memory: dict[str, tuple[dict[str, str | bytes], dict[str, str]]] = {}
    real_shards = plugin.name_shards
    replayed: dict[str, str] = {}

    def replaying_build(project: Any) -> Any:
        start = time.process_time()
        key = state_key(project.root)
        record = memory.get(key)
        if record is None and records is not None and (records / f"{key}.json").is_file():
            data = json.loads((records / f"{key}.json").read_text(encoding="utf-8"))
            record = _decode(data["files"]), data["shards"]
        if record is not None:
            files, shards = record
            replayed.clear()
            replayed.update(shards)
            result = BuildResult(files=dict(files))
            result.site = SimpleNamespace(entries=[])  # the plugin reads only the names, from the shards below
            print(f"{REPLAY_LINE} replayed in {time.process_time() - start:.2f} CPU s", file=sys.stderr, flush=True)
            return result
        result = build(project)
        if result.ok and result.site is not None:
            shards = real_shards(result.site.entries)
            if records is None:
                memory[key] = (dict(result.files), shards)
            else:
                records.mkdir(parents=True, exist_ok=True)
                (records / f"{key}.json").write_text(json.dumps({"files": _encode(result.files), "shards": shards}),
                                                     encoding="utf-8")
        replayed.clear()
        print(f"{REPLAY_LINE} recorded", file=sys.stderr, flush=True)
        return result

    def shards(entries: list[Any]) -> dict[str, str]:
        return dict(replayed) if replayed else real_shards(entries)

    plugin.build = replaying_build
    plugin.name_shards = shards


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    install(None if argv[0] == "-" else Path(argv[0]).resolve())
    sys.argv = ["mkdocs", *argv[1:]]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    runpy.run_module("mkdocs", run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
