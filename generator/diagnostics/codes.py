"""Every diagnostic code, with what it means and how to fix it.

The documentation's diagnostic reference is generated from :data:`CODES`, and a
test fails if the code base emits a code that is not listed here.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    # YAML
    "yaml.syntax": "The file is not valid YAML; the message names the line and how to fix it. Usual causes: "
                   "text that contains `: ` or starts with a quote, `[`, `{`, `@` or `- ` but is not in quotes "
                   "(write `summary: \"Vinokurov: a regional view\"`); a line indented differently from the "
                   "lines it belongs with; a tab instead of spaces; a quote or bracket that is never closed.",
    "yaml.encoding": "The file is not valid UTF-8.",
    "yaml.bom": "The file starts with a byte-order mark; save it as UTF-8 without BOM.",
    "yaml.control-char": "The file contains a NUL byte or another control character.",
    "yaml.line-separator": "The file contains U+2028 LINE SEPARATOR or U+2029 PARAGRAPH SEPARATOR, which YAML "
                           "reads as a line break although editors show none.",
    "yaml.empty": "The file holds no YAML document.",
    "yaml.multi-document": "The file holds more than one YAML document (`---`).",
    "yaml.tag": "An explicit tag (`!!str`, `!!python/object`) was used; tags are not allowed.",
    "yaml.anchor": "An anchor (`&name`) was used; anchors and aliases are not allowed.",
    "yaml.alias": "An alias (`*name`) was used; anchors and aliases are not allowed.",
    "yaml.duplicate-key": "A mapping has the same key twice.",
    "yaml.complex-key": "A mapping key is a list or mapping instead of a plain string.",
    "yaml.implicit-type": "An unquoted value would be read as a boolean, number, date or null by YAML 1.1 "
                          "tools (`NO`, `1.10`, `2002-10-07` where text is expected); quote it.",
    "yaml.too-large": "The file exceeds the size or node-count limit.",
    "yaml.too-deep": "The file nests mappings and lists too deeply.",
    # schema
    "schema.type": "A value has the wrong shape (text where a list is expected, etc.).",
    "schema.unknown-field": "A field is not declared for this entry type.",
    "schema.missing-field": "A required field is absent.",
    "schema.empty": "A value is empty.",
    "schema.enum": "A value is not one of the allowed values.",
    "schema.lang": "A language tag is not of the form `en`, `ru`, `ru-Latn`.",
    "schema.too-long": "A text value exceeds its length limit.",
    "schema.too-few": "A list has fewer items than required.",
    "schema.too-many": "A list has more items than allowed.",
    "schema.invisible-char": "Text contains invisible or bidirectional control characters.",
    "id.invalid": "An id is not a lowercase ASCII slug.",
    "id.file-name": "The id does not match the file name.",
    "id.duplicate": "Two entries have the same id (ids are unique across all types).",
    "date.invalid": "A date is not valid EDTF (or is an impossible date, or an interval ending before it starts).",
    "membership.period": "A membership ends before it starts.",
    "membership.change-outside": "A membership's status change is dated before the membership began or after it "
                                 "ended (compared on the widest reading of uncertain dates).",
    "membership.outside-organisation": "A membership begins after its organisation was dissolved, or ends before "
                                       "it was founded (compared on the widest reading of uncertain dates).",
    "organisation.period": "An organisation is dissolved before it was founded (compared on the widest reading of "
                           "uncertain dates).",
    "country.unknown-code": "A country id is not an ISO 3166-1 alpha-3 code.",
    # content folders
    "content.missing": "The content folder does not exist.",
    "content.unknown-folder": "A folder under `content/` is not an entry type's folder.",
    "content.unknown-file": "A file in an entry folder is not a `.yaml` entry file.",
    "content.file-name": "An entry file's name is not a valid id (lowercase letters, digits, hyphens), "
                         "or two file names differ only in case.",
    "content.unreadable": "A file could not be read.",
    "content.too-many": "There are more entry files than the limit.",
    "path.outside-project": "A file or folder under `content/` or `bibliography/` is a symbolic link to a place "
                            "outside the project; it is refused without being read.",
    # references
    "ref.unknown": "A reference (field or `[[id]]` link) names no entry.",
    "ref.wrong-type": "A reference names an entry of the wrong type.",
    "ref.self": "An entry refers to itself.",
    "ref.alias": "A reference uses a former id (an alias); use the current id.",
    "ref.cycle": "Predecessor or parent references form a loop.",
    "alias.collision": "An alias is already an id, or is claimed by two entries.",
    "url.collision": "Two outputs claim the same URL, or an id is reserved for a generated page.",
    "site.declaration": "The site's declaration under `extra: companion:` in `mkdocs.yml` (editors, publisher, "
                        "edition DOIs, data package) is not in the expected form.",
    # bibliography
    "bib.missing": "No `.bib` files were found.",
    "bib.io": "A `.bib` file could not be read or is not UTF-8.",
    "bib.syntax": "A BibTeX block could not be parsed (unbalanced braces, missing key...).",
    "bib.invalid-key": "A BibTeX key is empty or contains spaces or one of `, { } ( ) \" ' # % = \\ ~`.",
    "bib.duplicate-key": "Two BibTeX entries have the same key (within or across files).",
    "bib.key-case": "Two BibTeX keys differ only in case.",
    "bib.duplicate-field": "A BibTeX entry has the same field twice.",
    "bib.duplicate-string": "A `@string` macro is defined twice.",
    "bib.undefined-macro": "A field uses an undefined `@string` macro.",
    "bib.crossref-missing": "A `crossref` names no entry.",
    "bib.crossref-cycle": "`crossref` references form a loop.",
    "bib.unknown-type": "An entry type is not supported.",
    "bib.field-too-long": "A field exceeds the length limit.",
    "bib.file-too-large": "A `.bib` file exceeds the size limit.",
    "bib.value": "A field value is malformed (a date, a name list...).",
    "bib.citedin": "The `citedin` field is malformed.",
    "bib.slug-collision": "Two keys map to the same source URL.",
    "bib.control-char": "A `.bib` file contains a NUL byte, an escape or another control character "
                        "(tab, newline and carriage return are allowed).",
    "bib.macro-cycle": "A `@string` macro is recursive: it uses itself, directly or through other macros.",
    "bib.macro-too-deep": "`@string` macros use other macros more deeply than the limit allows.",
    "bib.macro-too-long": "A `@string` macro expands to more characters than a field may hold, or all macro "
                          "expansions together exceed their limit (checked before anything is expanded).",
    "bib.latex": "A field holds LaTeX the site cannot convert (an unknown command such as `\\today` or `\\cite`, "
                 "an environment, a command without its argument); the field is left out.",
    "bib.too-deep": "A BibTeX field nests braces (or environments) more deeply than the limit allows.",
    "bib.url": "A URL (`url`, `pdf`, `eprint`, `\\url{}`, `\\href{}`) is not an absolute http(s) URL "
               "(`javascript:`, `data:`, `//host` and relative addresses are refused).",
    "bib.doi": "A `doi` field is not a DOI (`10.<registrant>/<suffix>`, optionally written `doi:` or as a doi.org URL).",
    # citations
    "cite.unknown": "A citation key is not in `bibliography/`.",
    "cite.unknown-key": "The formatter was asked for a key that is not in the bibliography.",
    "cite.label": "A locator label is not one of page, note, section, paragraph, chapter.",
    "cite.style": "A configured CSL style file was not found.",
    "cite.engine": "The citation engine (citeproc-js under Node) failed or is missing.",
    # permalinks (emitted by generator.publish.permalinks)
    "permalink.removed": "A URL listed in `permalinks.json` is no longer published and nothing redirects from it; "
                         "keep the old id in the renamed entry's `aliases`.",
    "permalink.redirect-target-missing": "A redirect page points to a URL that the site does not publish.",
    "permalink.redirect-chain": "A redirect points to a URL that is itself a redirect; point it at the final page.",
    "permalink.unlisted": "A published URL is not in `permalinks.json` yet; run `python -m generator permalinks "
                          "update` and commit the manifest (warning).",
    "permalink.manifest": "`permalinks.json` is missing, is not valid JSON, or is not a sorted list of URLs.",
    "permalink.retargeted": "An address recorded in `permalinks.json` as a redirect (a renamed entry's former id) "
                            "now shows another page or redirects elsewhere; readers who cite it mean the original "
                            "target. Only `permalinks update --allow-reassign`, a reviewed step, changes that.",
    # permalinks and the contributor workflow
    "permalink.broken-link": "A link or resource in the built site (`site/`) points to a file that is not there.",
    "scaffold.placeholder": "A value is still the `TODO` placeholder written by `python -m generator new`.",
    "scaffold.exists": "`python -m generator new` was asked for a file that already exists (it never overwrites).",
    "scaffold.former-id": "`python -m generator new` was asked for an id that is another entry's former id (in its "
                          "`aliases`): that address redirects to the renamed entry and is not reused.",
    "scaffold.schema-outdated": "A committed JSON Schema in `schemas/` differs from the entry type declarations; "
                                "run `python -m generator schemas --out schemas/`.",
    # transliteration (emitted by generator.schema.translit)
    "translit.system": "A Russian name's `translit` does not follow the site's transliteration system (BGN/PCGN); "
                       "write what the hint gives, or keep a text's own spelling as a `ru-Latn` name with sources (warning).",
}
