"""Ctrl-C during `nerforge train` says what was saved, from the folder (issue 27, item 5B-8)."""

from __future__ import annotations

from types import SimpleNamespace

from typer.testing import CliRunner

from nerforge.cli import app
from nerforge.cli._common import EXIT_INTERRUPTED
from nerforge.cli._train_report import summarize as _summarize
from nerforge.training import Trainer
from tiny_data import write_tiny_data

runner = CliRunner()


def _interrupted_after(make_models):
    def fit_steps(self, train, dev=None, *, output, overwrite=False):
        make_models(output)
        raise KeyboardInterrupt
        yield  # a generator, as Trainer.fit_steps

    return fit_steps


def _save(output, *names):
    for name in names:
        (output / name).mkdir(parents=True)
        (output / name / "config.cfg").write_text("")


def test_an_interrupt_before_anything_is_saved_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "fit_steps", _interrupted_after(lambda output: None))
    train, dev = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "out")])
    assert result.exit_code == EXIT_INTERRUPTED
    assert "nothing saved yet" in result.output and "model-best" not in result.output


def test_an_interrupt_names_the_models_in_the_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(Trainer, "fit_steps", _interrupted_after(lambda output: _save(output, "model-last")))
    train, dev = write_tiny_data(tmp_path)
    result = runner.invoke(app, ["train", str(train), "--dev", str(dev), "-o", str(tmp_path / "out")])
    said = " ".join(result.output.split())
    assert "Interrupted: model-last saved in" in said and "model-best" not in said


def test_the_summary_of_a_run_stopped_before_its_first_evaluation_names_no_model_best(tmp_path, capsys):
    _save(tmp_path, "model-last")
    parameters = SimpleNamespace(select="best", labels=["GADGET"])
    report = SimpleNamespace(
        interrupted=True, best=None, parameters=parameters, components={}, domains=None, dev_is_partial=False
    )
    _summarize(report, tmp_path)  # type: ignore[arg-type]
    said = " ".join(capsys.readouterr().out.split())
    assert "Interrupted: model-last saved in" in said and "model-best" not in said
