"""The real app behind a wrapper that holds a request for ``X-Test-Delay`` seconds first.

Only the graceful-shutdown test serves this, so that requests are surely in flight when
SIGTERM arrives.
"""

import time

from api.wsgi import app as real_app


def app(environ, start_response):
    delay = float(environ.get("HTTP_X_TEST_DELAY", "0"))
    time.sleep(min(delay, 5.0))
    return real_app(environ, start_response)
