"""eventcoder: political event data (PLOVER/CAMEO) from your own news corpus."""

__version__ = "0.1.0"
