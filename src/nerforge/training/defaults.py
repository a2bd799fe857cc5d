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
# Share of the unknown tokens of partial answers read as outside each epoch, beside the tokens
# next to an accepted span (nerforge.training.binary has the rule and its why). Two shares of
# one rule: `nerforge train` keeps the model, so it takes the share that scores best on text
# labelled in full; teach's background updates take less, since every outside sample in an
# answered text may fall on an entity not asked about yet, and a model that learned too many
# of those stops proposing new spans (the questions run out sooner).
# `python bench/teach_session.py --orders uncertain`, the train step alone on the same stored
# answers, median eval P/R/F x100 at 200 and 400 answers (seeds 0 1 2), teach's rate, the
# least probability of a model span asked (MIN_SCORE) and train's rate:
#   teach 0.05, 0.3, train 0.05, before the neighbours were marked: 47.1/57.9/52.0, 70.0/80.7/74.5
#   teach 0.05, 0.3, train 0.25 (chosen): 72.5/53.2/63.0, 88.1/77.8/81.5
#   teach 0.1, 0.3, train 0.1: 67.9/64.3/64.3, 70.2/77.2/73.5; train 0.2: 68.7/60.2/64.7, 83.8/74.9/78.3
#   teach 0.15, 0.2, train 0.15: 73.9/67.8/67.8, 76.4/80.1/75.9; train 0.25: 76.0/68.4/72.2,
#     88.3/74.3/80.4 (seeds 3 4 5: 75.4/48.0/58.0, 79.6/73.7/76.5, a session out of questions at 389)
#   teach 0.2, 0.3: the questions ran out at 315 to 361; 0.2, 0.2, train 0.2: 76.5/52.0/61.4,
#     81.5/72.2/76.6 (one ran out at 398); 0.2, 0.1: the resumed sessions' first cards were
#     mostly wrong (5 to 25% accepted).
# End to end (`python bench/teach_session.py --seeds 0 1 2`, uncertain): teach 0.05 and 0.3,
# train 0.25: 71.6/67.8/69.7, 87.2/76.0/81.2, every session to 400 answers; teach 0.15 and
# 0.2, train 0.25: 78.1/61.4/66.9, 80.8/75.1/77.9, a session out of questions at 374.
OUTSIDE_RATE = 0.25
TEACH_OUTSIDE_RATE = 0.05
