"""Training defaults the command line shows in its help, importable without spaCy.

Each is measured or explained where it is used: the rehearsal ratio in :mod:`.rehearsal`,
the anchor in :mod:`.anchoring`, the update's epochs in :mod:`.update`.
"""

from __future__ import annotations

DEFAULT_HOLDOUT = 0.2  # share of the training data held out as dev when no dev set is given
DEFAULT_REHEARSAL_RATIO = 2.0  # rehearsal examples per training example and epoch (see rehearsal.py)
DEFAULT_ANCHOR_STRENGTH = 10.0  # pull of the NER's weights toward the base's (see anchoring.py)
UPDATE_MAX_EPOCHS = 10  # epochs of an update, whose last model is kept (see update.py)
# A NER beside the frozen base (see beside.py): it learns its labels from a fresh output layer,
# and its negatives are what keep it quiet on other text, so it sees more of both.
BESIDE_MAX_EPOCHS = 20
BESIDE_REHEARSAL_RATIO = 6.0
