"""``@string`` macros: loops, depth and expanded size are checked before anything is expanded.

A macro may use other macros (``@string{b = a # a}``), so a file of a few hundred bytes can
describe a value of gigabytes. :class:`Macros` therefore first walks the definitions once,
without expanding them, and computes each macro's expanded length and depth. A macro that
uses itself (directly or through others), nests more than :data:`MAX_MACRO_DEPTH` macros
deep, or expands to more than the field limit is reported at its definition and is never
expanded. Expansions are then memoised and charged against :data:`MAX_TOTAL_EXPANSION`, so
that many uses of a long macro cannot exhaust memory either.

Month macros ``jan``..``dec`` expand to the English month names unless redefined.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.diagnostics import Location

#: Deepest chain of macros using macros (``@string{b = a}`` has depth 2 when ``a`` is plain text).
MAX_MACRO_DEPTH = 16
#: Most characters that macro expansion may produce in one run, over all fields together.
MAX_TOTAL_EXPANSION = 10_000_000

MONTH_MACROS = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
    "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November",
    "dec": "December",
}

Report = Callable[[str, str, Location, str], None]
"""Records an error: ``(code, message, location, hint)``."""
Parts = list[tuple[str, str]]


class Macros:
    """Every ``@string`` definition of a run, checked once; expands them for fields.

    Args:
        definitions: lowercase name -> (parsed value parts, location of the ``@string``); parts
            ``None`` for a value that could not be read (already reported: its uses are left out).
        max_chars: the longest expansion allowed (the field limit).
        report: where definition errors go (``bib.macro-cycle``, ``bib.macro-too-deep``,
            ``bib.macro-too-long``).
    """

    def __init__(self, definitions: dict[str, tuple[Parts | None, Location]], max_chars: int, report: Report) -> None:
        self.definitions = definitions
        self.max_chars = max_chars
        self.report = report
        self.length: dict[str, int] = {}
        self.depth: dict[str, int] = {}
        self.broken: set[str] = set()
        """Macros that are reported at their definition, or use one that is: their uses are left out."""
        self.undefined: dict[str, str] = {}
        """Macro -> an undefined name it uses (directly or through other macros)."""
        self.expanded: dict[str, str] = {}
        self.budget = MAX_TOTAL_EXPANSION
        self.budget_reported = False
        self._analyse()

    def __contains__(self, name: str) -> bool:
        return name in self.definitions or name in MONTH_MACROS

    def names(self) -> list[str]:
        """Every name a field may use: the definitions and the months."""
        return list(self.definitions) + [m for m in MONTH_MACROS if m not in self.definitions]

    def _children(self, name: str) -> list[str]:
        return [text.lower() for kind, text in self.definitions[name][0] or () if kind == "macro"]

    def _analyse(self) -> None:
        """One depth-first walk over the definitions (iterative: chains may be long)."""
        state: dict[str, int] = {}  # 1: on the walk's stack, 2: finished
        for root in self.definitions:
            if root in state:
                continue
            stack: list[tuple[str, list[str]]] = [(root, self._children(root))]
            state[root] = 1
            while stack:
                name, pending = stack[-1]
                if pending:
                    child = pending.pop()
                    if child not in self.definitions or state.get(child) == 2:
                        continue
                    if state.get(child) == 1:
                        self._cycle([entry[0] for entry in stack], child)
                        continue
                    state[child] = 1
                    stack.append((child, self._children(child)))
                    continue
                stack.pop()
                state[name] = 2
                self._finish(name)

    def _cycle(self, walk: list[str], child: str) -> None:
        members = walk[walk.index(child):]
        loop = " -> ".join(members + [child])
        for member in members:
            if member in self.broken:
                continue
            self.broken.add(member)
            message = (f"@string '{member}' is recursive: it uses itself" if len(members) == 1
                       else f"@string '{member}' is recursive: {loop}")
            self.report("bib.macro-cycle", message, self.definitions[member][1],
                        "a macro cannot use itself, directly or through other macros; write its text in braces")

    def _finish(self, name: str) -> None:
        if name in self.broken or self.definitions[name][0] is None:
            self.broken.add(name)
            return
        length, depth = 0, 1
        for kind, text in self.definitions[name][0]:
            if kind == "text":
                length += len(text)
                continue
            child = text.lower()
            if child in self.broken:
                self.broken.add(name)
                return
            if child in self.definitions:
                if child in self.undefined:
                    self.undefined.setdefault(name, self.undefined[child])
                    continue
                length += self.length[child]
                depth = max(depth, self.depth[child] + 1)
            elif child in MONTH_MACROS:
                length += len(MONTH_MACROS[child])
            else:
                self.undefined.setdefault(name, text)
        location = self.definitions[name][1]
        if depth > MAX_MACRO_DEPTH:
            self.broken.add(name)
            self.report("bib.macro-too-deep", f"@string '{name}' nests macros {depth} levels deep; the limit is "
                        f"{MAX_MACRO_DEPTH}", location, "define the macro with its text instead of through other macros")
        elif length > self.max_chars:
            self.broken.add(name)
            self.report("bib.macro-too-long", f"@string '{name}' expands to {length:,} characters; the limit is "
                        f"{self.max_chars:,}", location,
                        "a macro holds a short text such as a journal title; write long text in the field itself")
        else:
            self.length[name], self.depth[name] = length, depth

    def expanded_length(self, name: str) -> int:
        """Characters the macro expands to (only for a defined, unbroken, fully defined macro or a month)."""
        return self.length[name] if name in self.definitions else len(MONTH_MACROS[name])

    def charge(self, characters: int, location: Location) -> bool:
        """Take ``characters`` from the run's expansion budget; ``False`` (reported once) when it is spent."""
        self.budget -= characters
        if self.budget >= 0:
            return True
        if not self.budget_reported:
            self.budget_reported = True
            self.report("bib.macro-too-long", f"@string macros expand to more than {MAX_TOTAL_EXPANSION:,} characters "
                        "in all fields together; the rest are left out", location,
                        "use macros for short texts such as journal titles")
        return False

    def expand(self, name: str, location: Location) -> str | None:
        """The text of a macro (checked beforehand: defined, unbroken); ``None`` when the budget is spent."""
        if name not in self.definitions:
            return MONTH_MACROS[name]
        if name in self.expanded:
            return self.expanded[name]
        pieces: list[str] = []
        for kind, text in self.definitions[name][0]:
            if kind == "text":
                pieces.append(text)
                continue
            piece = self.expand(text.lower(), location)  # depth <= MAX_MACRO_DEPTH
            if piece is None:
                return None
            pieces.append(piece)
        value = "".join(pieces)
        if not self.charge(len(value), location):
            return None
        self.expanded[name] = value
        return value
