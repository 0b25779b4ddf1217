"""WSGI entry point for gunicorn: `gunicorn govgrid.wsgi:app`."""

from . import create_app

app = create_app()
