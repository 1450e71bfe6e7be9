"""Where a request's time goes inside the app: each Flask hook's cost, measured by removing it.

``python -m bench.attribute URL`` (against the store in DATABASE_URL): times the WSGI app
in-process with every hook, then without each before/after-request hook in turn, and prints
microseconds per request. No server, no network; an aid for reading the benchmark table.
"""

from __future__ import annotations

import io
import sys
import time

from werkzeug.test import EnvironBuilder


def per_request(app, url: str, headers: dict, n: int) -> float:
    path, _, query = url.partition("?")
    base = EnvironBuilder(path=path, query_string=query, headers=headers).get_environ()

    def call():
        environ = dict(base, **{"wsgi.input": io.BytesIO()})
        for _ in app(environ, lambda *a: None):
            pass

    for _ in range(200):
        call()
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for _ in range(n):
            call()
        best = min(best, (time.perf_counter() - started) / n)
    return best * 1e6


def main(argv: list[str]) -> None:
    import logging

    from api.app import create_app

    url = argv[0] if argv else "/v1/articles"
    headers = dict(h.split(": ", 1) for h in argv[1:])
    app = create_app()
    logging.disable(logging.CRITICAL)
    full = per_request(app, url, headers, 1000)
    print(f"{url}: {full:.0f} us/request with every hook (best of rounds; the machine's noise)")
    for kind in ("before_request_funcs", "after_request_funcs"):
        hooks = getattr(app, kind)[None]
        for hook in list(hooks):
            position = hooks.index(hook)
            with_hook, without = float("inf"), float("inf")
            for _ in range(3):  # alternate, keep the best of each: noise only adds time
                with_hook = min(with_hook, per_request(app, url, headers, 500))
                hooks.remove(hook)
                without = min(without, per_request(app, url, headers, 500))
                hooks.insert(position, hook)
            name = f"{hook.__module__}.{hook.__qualname__}"
            print(f"  {kind.split('_')[0]:6} {name:72} {with_hook - without:5.0f} us")


if __name__ == "__main__":
    main(sys.argv[1:])
