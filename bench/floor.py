"""The framework floor: a bare Flask app answering the benchmark's URLs with the same bytes.

No store, no schemas, no hooks: a dict lookup by path and query (and by the coding the client
accepts: the app's compressed bytes for ``Accept-Encoding: gzip, br``), then the captured body
and headers. Run under the repo's gunicorn settings (``gunicorn -c gunicorn.conf.py
bench.floor:app``) with ``BENCH_FLOOR_MANIFEST`` naming the JSON file ``bench.run`` writes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask, Response, request

manifest = json.loads(Path(os.environ["BENCH_FLOOR_MANIFEST"]).read_text())
RESPONSES = {
    url: (Path(entry["file"]).read_bytes(), list(entry["headers"].items()))
    for url, entry in manifest.items()
}

app = Flask(__name__)


@app.get("/<path:path>")
def captured(path: str):
    accepted = request.headers.get("Accept-Encoding", "")
    coding = "br" if "br" in accepted else "gzip" if "gzip" in accepted else ""
    body, headers = RESPONSES[f"{request.full_path.rstrip('?')}|{coding}"]
    return Response(body, 200, headers)
