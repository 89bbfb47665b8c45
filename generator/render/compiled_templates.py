"""Compiled Jinja templates kept in memory for the life of the process (``mkdocs serve``'s reloads).

A template is compiled once per source and per compiling environment's settings, then reused by the
environments later builds make: the generator's own, and the theme's (MkDocs makes a new one for
every build, so under ``mkdocs serve`` each reload compiled the theme's templates again, some
0.2 CPU s per reload).

Never on disk: loading compiled code from a file runs whatever the file holds (a planted file in a
cache folder would run in the deploy job; ``tests/test_hostile_caches.py`` plants such files). A
template whose source changed has a new checksum, so it is compiled again; so is one compiled by an
environment with other syntax settings or extensions, which would compile the same source to other
code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache


def compile_settings(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides the code Jinja compiles it to."""
    extensions = sorted(f"{type(ext).__module__}.{type(ext).__qualname__}" for ext in env.extensions.values())
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else "callable"
    return repr((type(env).__qualname__, env.block_start_string, env.block_end_string, env.variable_start_string,
                 env.variable_end_string, env.comment_start_string, env.comment_end_string,
                 env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks,
                 env.newline_sequence, env.keep_trailing_newline, env.optimized, autoescape,
                 env.finalize is not None, env.is_async, extensions))


class CompiledTemplates(jinja2.BytecodeCache):
    """An in-memory ``bytecode_cache``: code by template, source checksum and compiling settings."""

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], Any] = {}

    def attach(self, env: jinja2.Environment) -> jinja2.Environment:
        """Make ``env`` compile through this cache (for an environment made by someone else: the theme's)."""
        env.bytecode_cache = self
        return env

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        key = f"{self.get_cache_key(name, filename)}\0{compile_settings(environment)}"
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[(bucket.key, bucket.checksum)] = bucket.code


COMPILED = CompiledTemplates()
"""The process's one cache of compiled templates."""


FORMER_DISK_CACHE = Path(".cache") / "templates"
"""Where earlier versions kept compiled templates on disk, relative to the project (never read now)."""
_FORMER_FILE = re.compile(r"__jinja2_[0-9a-f]{40}\.cache")
"""Jinja's ``FileSystemBytecodeCache`` file names."""


def remove_former_disk_cache(folder: Path) -> None:
    """Delete the compiled templates earlier versions wrote to ``folder`` (Jinja's file names and
    header only), and the folder if nothing else is left in it: code a build never loads has no
    place in a cache that CI carries from run to run."""
    try:
        if folder.is_symlink() or not folder.is_dir():
            return
        for path in folder.iterdir():
            if _FORMER_FILE.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                with path.open("rb") as file:
                    if file.read(2) == jinja2.bccache.bc_magic[:2]:
                        path.unlink()
        folder.rmdir()  # fails, and is left, if anything else is in it
    except OSError:
        pass
