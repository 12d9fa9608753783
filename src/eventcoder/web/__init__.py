"""The workbench: a read-only web app over an event database (``eventcoder serve``)."""
