"""Weight decay toward the starting weights (the anchored Adam an update trains with)."""

from __future__ import annotations

import numpy
import pytest
from thinc.api import Optimizer

from nerforge.errors import ParameterError
from nerforge.training import Trainer
from nerforge.training.anchoring import NEW_WEIGHTS_RATE, AnchoredOptimizer, anchored_optimizer

ADAM = {"@optimizers": "Adam.v1", "beta1": 0.9, "beta2": 0.999, "L2": 0.01, "L2_is_weight_decay": True}


def _train(optimizer: Optimizer, start: numpy.ndarray, steps: int = 300, name: str = "W") -> numpy.ndarray:
    """Push every weight the same way for ``steps`` updates, as a new label's examples would."""
    weights = start.copy()
    for _ in range(steps):
        gradient = numpy.full_like(weights, -1.0)
        weights, _ = optimizer(("layer", name), weights, gradient)
    return weights


def test_weights_stay_near_their_start():
    start = numpy.array([0.5, -0.2, 0.1], dtype="f")
    plain = _train(Optimizer(0.001, L2=0.0, use_averages=False), start)
    anchored = _train(AnchoredOptimizer(0.001, anchor_strength=10.0, use_averages=False), start)
    plain_shift, anchored_shift = numpy.abs(plain - start), numpy.abs(anchored - start)
    assert (plain_shift > 0.29).all()  # Adam moves each weight about the learning rate a step
    # the pull balances Adam's step where shift * strength ~ 1: well under the plain shift
    assert (anchored_shift < 0.12).all() and (anchored_shift > 0.0).all()


def test_weights_that_start_at_zero_are_free():
    """A new label's output rows start at zero: not pulled back, they learn as under plain Adam."""
    start = numpy.array([0.0, 0.5], dtype="f")
    plain = _train(Optimizer(0.001, L2=0.0, use_averages=False), start)
    anchored = _train(AnchoredOptimizer(0.001, anchor_strength=10.0, use_averages=False), start)
    assert anchored[0] == pytest.approx(plain[0])
    assert abs(anchored[1] - 0.5) < abs(plain[1] - 0.5)


def test_weights_that_start_at_zero_step_further():
    start = numpy.array([0.0, 0.5], dtype="f")
    plain = _train(Optimizer(0.001, L2=0.0, use_averages=False), start)
    optimizer = AnchoredOptimizer(0.001, anchor_strength=10.0, new_weights_rate=4.0, use_averages=False)
    anchored = _train(optimizer, start)
    assert anchored[0] == pytest.approx(4.0 * plain[0], rel=1e-4)
    assert abs(anchored[1] - 0.5) < abs(plain[1] - 0.5)  # the trained weight is still anchored


def test_embedding_tables_are_free():
    start = numpy.array([[0.5, -0.2], [0.1, 0.3]], dtype="f")
    plain = _train(Optimizer(0.001, L2=0.0, use_averages=False), start, name="E")
    anchored = _train(AnchoredOptimizer(0.001, anchor_strength=10.0, use_averages=False), start, name="E")
    assert anchored == pytest.approx(plain)


def test_config_block_keeps_adam_settings_and_zero_turns_it_off():
    block = anchored_optimizer(ADAM, 10.0, 0.002)
    assert block["@optimizers"] == "nerforge.AdamTowardStart.v1"
    assert block["anchor_strength"] == 10.0 and block["learn_rate"] == 0.002 and block["beta2"] == 0.999
    assert block["new_weights_rate"] == NEW_WEIGHTS_RATE
    assert anchored_optimizer(ADAM, 0.0, 0.002) == {**ADAM, "learn_rate": 0.002}


def test_negative_anchor_is_a_coded_error(tiny_data, tmp_path):
    train, dev = tiny_data
    with pytest.raises(ParameterError) as caught:
        Trainer(base="any", anchor=-1.0).fit(train, dev, output=tmp_path)
    assert caught.value.code == "E403" and "anchor" in str(caught.value)
