"""A static research-companion website generator.

The core is a pure pipeline, content in and files out::

    from generator import ProjectConfig, build
    result = build(ProjectConfig.for_project(Path(".")))
    result.files        # {docs-relative path: text or bytes}, empty if there were errors
    result.diagnostics  # every problem, as path:line:col: error[code]: message

:mod:`generator.mkdocs_plugin` and :mod:`generator.cli` are thin shells around it.
"""

from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity
from generator.pipeline import BuildResult, ProjectConfig, build, check
from generator.schema.types import ENTRY_TYPES, EntryType

__all__ = [
    "BuildResult", "Diagnostic", "Diagnostics", "ENTRY_TYPES", "EntryType", "Location", "ProjectConfig", "Severity",
    "build", "check",
]
