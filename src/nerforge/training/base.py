"""Moved to :mod:`nerforge.training.update`; the names stay importable from here."""

from .update import UPDATE_DROPOUT, UPDATE_LEARN_RATE, UPDATE_MAX_EPOCHS, BasePipeline, UpdateData

__all__ = ["UPDATE_DROPOUT", "UPDATE_LEARN_RATE", "UPDATE_MAX_EPOCHS", "BasePipeline", "UpdateData"]
