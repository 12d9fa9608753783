"""`python -m eventcoder …` and `spark-submit …/eventcoder/__main__.py run … --engine spark`."""

from eventcoder.cli import app

if __name__ == "__main__":
    app()
