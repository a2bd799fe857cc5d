"""The review page: a small ASGI app that serves plain HTML, CSS and JS (package data).

Import :func:`create_review_app` from here; Starlette is imported only when an app is built.
"""

from .review import LOOPBACK_HOSTS, check_web_extra, create_review_app, needs_token, new_token

__all__ = ["LOOPBACK_HOSTS", "check_web_extra", "create_review_app", "needs_token", "new_token"]
