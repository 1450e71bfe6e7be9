"""The one exception the parser raises for input it cannot turn into an article."""


class ParseError(ValueError):
    """The document cannot be parsed; ``str(error)`` says why, for a person to read."""
