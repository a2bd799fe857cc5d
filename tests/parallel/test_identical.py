"""One process, two processes and a Dask LocalCluster write the same bytes, plain and gzip;
a broken line is rejected, not fatal; a worker killed mid-run loses nothing."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from nerforge.demo import COMMENTS, PATTERNS
from nerforge.evaluation.prediction import predict
from nerforge.patterns.bootstrap import bootstrap_files

distributed = pytest.importorskip("distributed")

SMALL_BATCH = 64  # texts per batch: the 511 demo comments make 8 batches, so workers share them


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes, reached by its address as a real cluster would be."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    plain = folder / "comments.txt"
    shutil.copy(COMMENTS, plain)
    zipped = folder / "comments.txt.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    return {"plain": plain, "gzip": zipped}


def _ways(cluster) -> dict[str, dict]:
    return {
        "one": {"n_process": 1},
        "two": {"n_process": 2, "batch_size": SMALL_BATCH},
        "dask": {"scheduler": cluster.scheduler_address, "batch_size": SMALL_BATCH},
    }


@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_bootstrap_same_bytes_every_way(kind, corpus, cluster, tmp_path):
    suffix = ".jsonl.gz" if kind == "gzip" else ".jsonl"
    outputs = {}
    for name, options in _ways(cluster).items():
        out = tmp_path / f"{name}{suffix}"
        counts = bootstrap_files(corpus[kind], PATTERNS, out, **options)
        assert counts.run.stream.n_written == 511 and counts.n_texts == 511
        outputs[name] = out.read_bytes()
    assert outputs["one"] == outputs["two"] == outputs["dask"]
    text = gzip.decompress(outputs["one"]) if kind == "gzip" else outputs["one"]
    first = json.loads(text.splitlines()[0])
    assert first["meta"] == {"line": 1}


@pytest.mark.parametrize("kind", ["plain", "gzip"])
def test_predict_same_bytes_every_way(kind, corpus, cluster, tiny_model, tmp_path):
    model = tiny_model[1] / "model-best"
    outputs = {}
    for name, options in _ways(cluster).items():
        out = tmp_path / f"{name}.jsonl"
        summary = predict(model, corpus[kind], out, **options)
        assert summary.stream.n_written == 511
        outputs[name] = out.read_bytes()
    assert outputs["one"] == outputs["two"] == outputs["dask"]


def test_partitioned_parts_concatenate_to_the_merged_output(corpus, cluster, tmp_path):
    bootstrap_files(corpus["plain"], PATTERNS, tmp_path / "merged.jsonl")
    counts = bootstrap_files(
        corpus["plain"],
        PATTERNS,
        tmp_path / "parts",
        scheduler=cluster.scheduler_address,
        batch_size=SMALL_BATCH,
        partitioned=True,
    )
    assert len(counts.run.outputs) == 8
    joined = b"".join(Path(part).read_bytes() for part in sorted(counts.run.outputs))
    assert joined == (tmp_path / "merged.jsonl").read_bytes()


@pytest.mark.parametrize("way", ["one", "two", "dask"])
def test_one_broken_line_is_rejected_and_the_rest_written(way, cluster, tmp_path):
    lines = [json.dumps({"text": text}) for text in COMMENTS.read_text().splitlines()]
    lines[99] = lines[99][:-5]  # line 100 loses its closing quote and brace
    source = tmp_path / "comments.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "silver.jsonl"
    counts = bootstrap_files(source, PATTERNS, out, **_ways(cluster)[way])
    stream = counts.run.stream
    assert (stream.n_input, stream.n_written, stream.n_rejected) == (511, 510, 1)
    written = [json.loads(line)["text"] for line in out.read_text().splitlines()]
    assert written == [json.loads(line)["text"] for i, line in enumerate(lines) if i != 99]
    (reject,) = [json.loads(line) for line in (tmp_path / "silver.rejects.jsonl").read_text().splitlines()]
    assert reject["line"] == 100 and reject["original"] == lines[99] and "[E002]" in reject["reason"]


@pytest.mark.slow
def test_worker_killed_mid_run_loses_nothing(corpus, tmp_path):
    expected = tmp_path / "one.jsonl"
    bootstrap_files(corpus["plain"], PATTERNS, expected)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        distributed.Client(local) as client,
    ):
        pids = client.run(os.getpid)
        killed = []

        def kill_one_worker(n_texts: int, n_words: int) -> None:
            if not killed:  # after the first partition came back, others are in flight
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        out = tmp_path / "dask.jsonl"
        counts = bootstrap_files(
            corpus["plain"],
            PATTERNS,
            out,
            scheduler=local.scheduler_address,
            batch_size=16,  # 32 partitions: the killed worker had some in hand
            progress=kill_one_worker,
        )
    assert killed
    assert counts.run.stream.n_written == 511
    assert out.read_bytes() == expected.read_bytes()


def test_a_model_the_workers_cant_reach_is_named(corpus, cluster, tmp_path):
    from nerforge.errors import ClusterError

    with pytest.raises(ClusterError, match=r"\[E059\].*\[E401\].*same paths"):
        predict(
            tmp_path / "no-model",
            corpus["plain"],
            tmp_path / "out.jsonl",
            scheduler=cluster.scheduler_address,
        )
    assert not (tmp_path / "out.jsonl").exists()
