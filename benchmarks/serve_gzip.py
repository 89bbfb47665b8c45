"""Serve a built site on 127.0.0.1 with gzip, as GitHub Pages does, for Lighthouse (see BENCHMARKS.md).

Usage: ``python benchmarks/serve_gzip.py SITE_DIR [PORT]``. Text responses (HTML, CSS, JavaScript, JSON,
SVG, XML) are gzip-compressed when the client accepts it, and every response may be cached for ten minutes
(``Cache-Control: max-age=600``, GitHub Pages' value).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".bib", ".csv")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped like GitHub Pages serves them."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # noqa: ANN201 - the stdlib's signature
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the stdlib's redirect to the address with a slash
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def main(argv: list[str]) -> None:
    """Serve ``argv[0]`` on ``argv[1]`` (default 8765) until interrupted."""
    site = Path(argv[0]).resolve()
    port = int(argv[1]) if len(argv) > 1 else 8765
    handler = functools.partial(GzipHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {site} gzipped on http://127.0.0.1:{port}/", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
