"""One small error hierarchy; the CLI and the app turn each into a one-line message."""

from __future__ import annotations


class ImnmError(Exception):
    """Base of every error the user should see as one clear line (never a traceback)."""

    exit_code = 1

    def __str__(self) -> str:  # one line, whatever the message holds
        return " ".join(super().__str__().split())


class InputError(ImnmError):
    """The user's input (a question, an option, a name) cannot be used."""

    exit_code = 2


class CorpusError(ImnmError):
    """The corpus folder or one of its files is missing, empty or unreadable."""


class IndexStateError(ImnmError):
    """The index is missing, stale or damaged and cannot be rebuilt here."""


class ModelError(ImnmError):
    """The embedding model cannot be loaded."""


class LLMError(ImnmError):
    """The LLM endpoint failed (down, timeout, error status, malformed output)."""


class StorageError(ImnmError):
    """A data file (feedback, quiz progress) cannot be written or read."""
