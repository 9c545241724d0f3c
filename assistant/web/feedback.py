"""Thumbs-up/down feedback on chat answers: the store lives in ``assistant.storage.feedback``."""

from __future__ import annotations

from assistant.storage.feedback import FeedbackStore

__all__ = ["FeedbackStore"]
