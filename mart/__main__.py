"""Entry point for `python -m mart`."""

from mart.cli import app

app()
