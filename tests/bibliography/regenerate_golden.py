"""Regenerate the golden citeproc-js fixtures, on purpose only.

    .venv/bin/python tests/bibliography/regenerate_golden.py          # show what would change
    .venv/bin/python tests/bibliography/regenerate_golden.py --write  # rewrite the fixtures

It converts ``fixtures/golden.bib`` to CSL-JSON (written to ``fixtures/golden-csl.json``, so a
change in the conversion shows up in review) and formats it with citeproc-js the way
Zotero does inside a document: ``updateItems`` for the whole registry, then
``processCitationCluster`` one citation after another (keeping the updates it returns for
earlier citations), then ``makeBibliography``. That is a different code path from
``generator/citeproc/runner.js`` (``makeCitationCluster`` over a registered batch), so the
golden test also checks that our batch mode gives what Zotero gives.
Output: ``fixtures/golden.json`` = ``{"clusters": [...], "references": {style: {key: html}},
"order": {style: [keys]}}``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.bibliography import CiteItem, load_bibliography  # noqa: E402
from generator.bibliography.engine import CITEPROC_DIR, locale_xml, style_path  # noqa: E402
from generator.diagnostics import Diagnostics  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STYLES = ["chicago-author-date", "apa"]

ZOTERO_LIKE = r"""
const CSL = require("citeproc");
const req = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = {clusters: [], references: {}, order: {}};
for (const style of req.styles) {
  const sys = {retrieveLocale: () => req.locale, retrieveItem: (id) => req.items[id]};
  const engine = new CSL.Engine(sys, req.xml[style], "en-US", true);
  engine.setOutputFormat("html");
  engine.updateItems(Object.keys(req.items));
  if (style === req.styles[0]) {
    const texts = [];
    const pre = [];
    req.clusters.forEach((items, i) => {
      const citation = {citationID: "c" + i, citationItems: items, properties: {noteIndex: 0}};
      const [, updates] = engine.processCitationCluster(citation, pre, []);
      for (const [index, text] of updates) texts[index] = text;
      pre.push(["c" + i, 0]);
    });
    out.clusters = texts;
  }
  const [params, entries] = engine.makeBibliography();
  out.order[style] = params.entry_ids.map((ids) => String(ids[0]));
  out.references[style] = {};
  params.entry_ids.forEach((ids, i) => {
    out.references[style][String(ids[0])] = entries[i].trim().replace(
      /^<div class="csl-entry">/, `<div class="csl-entry" data-csl-style="${style}">`);
  });
}
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
"""


def load_clusters() -> list[list[CiteItem]]:
    raw = json.loads((FIXTURES / "golden-clusters.json").read_text(encoding="utf-8"))
    return [[CiteItem(**item) for item in cluster] for cluster in raw]


def generate() -> dict[str, str]:
    diagnostics = Diagnostics()
    bib = load_bibliography([FIXTURES / "golden.bib"], ROOT, diagnostics)
    if diagnostics.items:
        raise SystemExit(diagnostics.report())
    items = {key: entry.csl for key, entry in bib.entries.items()}
    request = {
        "styles": STYLES,
        "xml": {style: style_path(style).read_text(encoding="utf-8") for style in STYLES},
        "locale": locale_xml(),
        "items": items,
        "clusters": [[item.to_csl() for item in cluster] for cluster in load_clusters()],
    }
    completed = subprocess.run(["node", "-e", ZOTERO_LIKE], input=json.dumps(request).encode("utf-8"),
                               capture_output=True, cwd=CITEPROC_DIR, check=True)
    return {
        "golden-csl.json": json.dumps(items, ensure_ascii=False, indent=2) + "\n",
        "golden.json": json.dumps(json.loads(completed.stdout), ensure_ascii=False, indent=2) + "\n",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the fixtures")
    args = parser.parse_args()
    changed = False
    for name, text in generate().items():
        path = FIXTURES / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old != text:
            changed = True
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True), name, name))
            if args.write:
                path.write_text(text, encoding="utf-8")
    print("fixtures rewritten" if changed and args.write else "changed (use --write)" if changed else "up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
