"""Errors a user can act on. The CLI prints them as one line and exits non-zero."""


class SaysoError(Exception):
    """A problem with the user's input or environment, with a one-line explanation."""

    exit_code = 2


class InputError(SaysoError):
    """The input cannot be analysed: empty, binary, too large, unreadable, no article body."""


class FetchError(SaysoError):
    """A URL could not be fetched, or was refused (private address, wrong type, too large)."""
