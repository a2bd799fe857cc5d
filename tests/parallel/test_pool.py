"""The worker pool, the automatic plan and the option checks."""

from __future__ import annotations

import os

import pytest

from nerforge.errors import NerforgeError, ParameterError
from nerforge.parallel import Plan, auto_plan, check_scheduler, map_batches
from nerforge.parallel.auto import BOOTSTRAP_RULE, MAX_BATCH, PREDICT_RULE
from nerforge.records import Task


def _pids_and_lengths(texts: list[str]) -> list[tuple[int, int]]:
    return [(os.getpid(), len(text)) for text in texts]


def test_two_processes_keep_input_order():
    batches = [[str(i) * (i % 7 + 1)] * 3 for i in range(40)]
    results = list(map_batches(_pids_and_lengths, batches, n_process=2))
    assert [[n for _, n in batch] for batch in results] == [[len(t) for t in b] for b in batches]
    assert os.getpid() not in {pid for batch in results for pid, _ in batch}


def test_small_input_runs_in_one_process_and_is_streamed_back_whole():
    tasks = [Task(f"text {i}") for i in range(100)]
    plan, stream = auto_plan(tasks, n_cpus=8)
    assert plan.n_process == 1
    assert [t.text for t in stream] == [t.text for t in tasks]


@pytest.mark.parametrize("rule", [BOOTSTRAP_RULE, PREDICT_RULE])
def test_big_input_uses_every_core_and_short_texts_get_larger_batches(rule):
    short = [Task("a few words here")] * (rule.min_words_for_pool // 2)
    long = [Task(" ".join(["word"] * 400))] * (rule.min_words_for_pool // 200)
    short_plan, _ = auto_plan(short, rule=rule, n_cpus=4)
    long_plan, _ = auto_plan(long, rule=rule, n_cpus=4)
    assert short_plan.n_process == long_plan.n_process == 4
    assert long_plan.batch_size < short_plan.batch_size <= MAX_BATCH


def test_the_ner_gets_smaller_batches_than_the_tokenizer():
    texts = [Task("a comment of about ten words about some gadget or other")] * 20_000
    assert (
        auto_plan(texts, rule=PREDICT_RULE)[0].batch_size
        < auto_plan(texts, rule=BOOTSTRAP_RULE)[0].batch_size
    )


@pytest.mark.parametrize("value", ["local", "local:3", "tcp://10.0.0.5:8786", "scheduler.example:8786"])
def test_scheduler_forms_accepted(value):
    assert check_scheduler(value) == value


@pytest.mark.parametrize("value", ["local:0", "lokal", "tcp://host", "http//x:1"])
def test_bad_scheduler_names_the_forms(value):
    with pytest.raises(ParameterError, match=r"\[E056\].*local:N.*tcp://"):
        check_scheduler(value)


@pytest.mark.parametrize(("name", "value"), [("n_process", 0), ("batch_size", -1), ("n_process", True)])
def test_plan_rejects_bad_numbers(name, value):
    with pytest.raises(ParameterError, match=rf"\[E403\] The '{name}' parameter of Plan must be an int >= 1"):
        Plan(**{name: value})


def test_errors_survive_a_trip_between_processes():
    import pickle

    error = ParameterError("E056", value="x")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, NerforgeError) and str(copy) == str(error) and copy.code == "E056"


def test_a_worker_with_another_nerforge_refuses_the_partition():
    from nerforge.errors import ClusterError
    from nerforge.parallel.dask_backend import _run_partition

    with pytest.raises(ClusterError, match=r"\[E059\].*this machine 0\.0\.0"):
        _run_partition(None, ["text"], "0.0.0")  # type: ignore[arg-type]
