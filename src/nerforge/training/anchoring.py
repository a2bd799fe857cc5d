"""Weight decay toward the starting weights: an update stays near the pipeline it started from.

spaCy's Adam decays every weight toward zero (``L2_is_weight_decay``), which, for a pretrained
NER, pulls what it knew away a little at every step. When updating, nerforge decays toward the
weights the run started from instead (L2-SP: Li, Grandvalet and Davoine, "Explicit inductive
bias for transfer learning with convolutional networks", ICML 2018): the new label is learned
by moving only as far from the base as its examples need.
"""

from __future__ import annotations

from typing import Any

from thinc.api import Optimizer
from thinc.types import FloatsXd

from . import defaults

# The pull per step is learning rate x strength x distance: against Adam's steps of about the
# learning rate, a weight settles within about 1 / strength of where it started, whatever the
# rate. Measured with bench/forgetting.py (WNUT-17, GADGET from 115 sentences, rehearsal ratio 1,
# old-label F of the base 24.3; every weight anchored but the new rows), seeds 0 and 1: strength
# 10 kept the old labels at 25.2 and 24.6 (GADGET 8.9, 8.2), 5 at 24.7 and 22.5 (9.1, 9.0), 3 at
# 24.6 and 22.4 (8.4, 10.2); none, with the rehearsal ratio it then needed (3), 22.8 and 23.2
# (7.8, 11.2). With the embedding tables free (below), strength 10: 25.4, 24.0 (7.6, 9.1).
DEFAULT_ANCHOR_STRENGTH = defaults.DEFAULT_ANCHOR_STRENGTH  # 10.0


# Left free: thinc's embedding tables (HashEmbed's and Embed's "E"). A row of them moves only
# when a word that hashes to it is in a batch, so their drift stays with the words the new
# examples use, and the new label needs those words to move. Measured on the demo's GADGET
# update (no raw rehearsal), GADGET F on its evaluation set, seeds 0, 1, 2: unanchored 0.906,
# 0.921, 0.924; strength 10 on every weight 0.853, 0.777 (seeds 0, 1); strength 10 with the
# tables free 0.910, 0.950, 0.922, its dev agreement with the base 0.91, 0.87, 0.88 against
# 0.89, 0.86, 0.85 unanchored.
FREE_PARAMETERS = frozenset({"E"})

# How many times further than Adam's step the new label's weights (those starting at 0) move:
# the usual larger rate for a freshly initialized head on pretrained layers. They start at zero
# beside the old labels' trained rows, which rehearsal and the anchor keep. Measured on
# bench/forgetting.py's data, seeds 0-4, with the update's dropout of 0.3 (base.py), when every
# epoch reused the first rehearsal sample; "news" is the old labels' agreement with the base on
# 299 ABC news articles (--other-text; gensim's Lee corpus): rate 1: GADGET 8.4, 7.9, 9.5, 5.4,
# 6.0 (mean 7.4), old labels +0.7, news 88.1; rate 5: GADGET 12.0, 9.9, 7.5, 9.2, 6.7 (9.1;
# naive 9.5), old +0.7, news 88.3. The demo's GADGET F (seeds 0-2): 0.938, 0.929, 0.914 at rate
# 1 and 0.919, 0.935, 0.918 at rate 5. At dropout 0.1, rate 5 had cost the demo 0.04 F.
NEW_WEIGHTS_RATE = 5.0


class AnchoredOptimizer(Optimizer):
    """Adam whose decoupled weight decay pulls each weight toward its value at its first update.

    Weights that start at 0 (a new label's) are not pulled and step ``new_weights_rate`` times
    as far.
    """

    __slots__ = ["anchor_strength", "anchors", "new_weights_rate"]

    def __init__(
        self, learn_rate: Any, *, anchor_strength: float, new_weights_rate: float = 1.0, **settings: Any
    ) -> None:
        super().__init__(learn_rate, L2=0.0, L2_is_weight_decay=True, **settings)
        self.anchor_strength = anchor_strength
        self.new_weights_rate = new_weights_rate
        self.anchors: dict[tuple[int, str], tuple[FloatsXd, FloatsXd | None] | None] = {}

    def __call__(
        self, key: tuple[int, str], weights: FloatsXd, gradient: FloatsXd, *, lr_scale: float = 1.0
    ) -> tuple[FloatsXd, FloatsXd]:
        """Adam's step on one parameter, then the pull of its anchored weights toward their start."""
        if len(gradient) < 1:
            return weights, gradient
        if key not in self.anchors:  # the first update of this parameter: it still holds the start
            self.anchors[key] = _anchor(key, weights)
        anchor = self.anchors[key]
        has_new = anchor is not None and anchor[1] is not None and self.new_weights_rate != 1.0
        before = weights.copy() if has_new else None
        weights, gradient = super().__call__(key, weights, gradient, lr_scale=lr_scale)
        if anchor is not None:
            start, anchored = anchor
            if anchored is not None and before is not None:  # the new weights: Adam's step, stretched
                weights += (self.new_weights_rate - 1.0) * (weights - before) * (anchored == 0)
            pull = weights - start
            if anchored is not None:
                pull *= anchored
            weights -= lr_scale * self.learn_rate * self.anchor_strength * pull
        return weights, gradient


def _anchor(key: tuple[int, str], weights: FloatsXd) -> tuple[FloatsXd, FloatsXd | None] | None:
    """A parameter's start and which of its weights are pulled back to it (None: all of them).

    None if the parameter is free. Weights that start at exactly 0 are a new label's (spaCy
    zero-fills the output rows of a label it adds): they are free too. Only the output layer
    has them, so only it keeps a mask.
    """
    if key[1] in FREE_PARAMETERS:
        return None
    anchored = weights != 0
    return weights.copy(), None if anchored.all() else anchored


def create_adam_toward_start(
    learn_rate: Any = 0.001,
    *,
    anchor_strength: float = DEFAULT_ANCHOR_STRENGTH,
    new_weights_rate: float = NEW_WEIGHTS_RATE,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-08,
    grad_clip: float = 1.0,
    use_averages: bool = False,
) -> Optimizer:
    """Adam with decoupled weight decay of ``anchor_strength`` toward the starting weights.

    Weights that start at 0 are free of it and step ``new_weights_rate`` times as far.
    """
    return AnchoredOptimizer(
        learn_rate,
        anchor_strength=anchor_strength,
        new_weights_rate=new_weights_rate,
        beta1=beta1,
        beta2=beta2,
        eps=eps,
        grad_clip=grad_clip,
        use_averages=use_averages,
    )


ADAM_SETTINGS = ("beta1", "beta2", "eps", "grad_clip", "use_averages")  # kept from spaCy's Adam block


def anchored_optimizer(adam: dict[str, Any], strength: float, learn_rate: Any) -> dict[str, Any]:
    """The config block of an anchored Adam with the settings of a spaCy ``Adam.v1`` block.

    With strength 0, that block as it is (decay toward zero).
    """
    if not strength:
        return {**adam, "learn_rate": learn_rate}
    return {
        "@optimizers": "nerforge.AdamTowardStart.v1",
        "learn_rate": learn_rate,
        "anchor_strength": strength,
        "new_weights_rate": NEW_WEIGHTS_RATE,
        **{name: adam[name] for name in ADAM_SETTINGS if name in adam},
    }
