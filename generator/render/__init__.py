"""From entries to Markdown pages: the Jinja environment, prose, the glossary, the page cache, templates."""
