"""Typed exceptions raised by the library; the CLI turns each into a one-line error."""


class EventcoderError(Exception):
    """Base class for every error the CLI reports as a one-line message."""


class InputNotFound(EventcoderError):
    """An input path or glob matched nothing."""


class DatabaseError(EventcoderError):
    """The database cannot be opened, locked or written."""


class ModelNotAvailable(EventcoderError):
    """No spaCy English model is installed."""


class DictionaryError(EventcoderError):
    """A user dictionary (``--actors``, ``--places``) is missing or has a bad row (file, line, problem)."""
