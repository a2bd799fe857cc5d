"""``Trainer``: the public face of training. Settings in, ``fit`` learns, a typed report out.

The pieces live beside it, as in spaCy's ``training/``: :mod:`.parameters` (what each setting
accepts), :mod:`.plan` (what a run will do), :mod:`.update` (the update path),
:mod:`.loop` (the loop, evaluator, patience, saving) and :mod:`.report` (what a run reports).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Self

from spacy.language import Language
from thinc.api import Config

from ..errors import ParameterError, TrainingError
from ..io.files import atomic_text_writer
from ..lint import Finding, LintReport, lint_tasks
from ..records import DEFAULT_SPANS_KEY, Task
from ..tokenization import load_rules
from . import registered  # noqa: F401 - nerforge's spaCy functions, for the configs it resolves
from .backbones import Backbone
from .binary import with_outside_sampler
from .config import with_tokenizer_rules
from .configured import apply_overrides, plan_from_config
from .data import DataReport, check_data, summarize
from .defaults import DEFAULT_HOLDOUT
from .loop import MODEL_BEST, MODEL_LAST, REPORT, Progress, train_loop, write_report
from .parameters import check_parameters
from .plan import DEFAULT_DROPOUT, TrainingPlan, plan_new, plan_update
from .readers import TaskSplit, read_split
from .report import TrainingReport
from .settings import TrainerSettings
from .spancat import choose_span_component, spancat_for
from .textcat import TextcatChoice, choose_textcat, complete_exclusive
from .update import BasePipeline
from .update_report import measure_update

__all__ = ["DEFAULT_DROPOUT", "DEFAULT_HOLDOUT", "MODEL_BEST", "MODEL_LAST", "REPORT", "Progress", "Trainer"]

DATA_FOLDER = "data"  # beside an exported update config: the prepared training, dev and rehearsal files
MAX_LISTED_PROBLEMS = 10  # lint errors listed in E210; the rest are counted


@dataclass(frozen=True)
class Trainer(TrainerSettings):
    """Trains an NER on tasks: a new one (optionally warm-started), or a pretrained one updated.

    Settings (:class:`~nerforge.training.settings.TrainerSettings`, every one with its default
    and meaning) are stored as given and checked against one table (:mod:`.parameters`) when
    ``fit`` starts; ``fit`` learns. Learned attributes end in ``_``; the settings can't change
    after construction (``dataclasses.replace`` makes a new trainer).
    """

    nlp_: Language | None = field(default=None, init=False, repr=False, compare=False)
    plan_: TrainingPlan | None = field(default=None, init=False, repr=False, compare=False)
    report_: TrainingReport | None = field(default=None, init=False, repr=False, compare=False)
    lint_: LintReport | None = field(default=None, init=False, repr=False, compare=False)

    def _learn(self, name: str, value: object) -> None:
        """Set a learned attribute (``nlp_``, ``plan_``, ``report_``, ``lint_``): the settings stay frozen."""
        object.__setattr__(self, name, value)

    def fit(
        self,
        train: str | Path | None,
        dev: str | Path | None = None,
        *,
        output: str | Path,
        overwrite: bool = False,
    ) -> Self:
        """Train, writing ``model-best``, ``model-last`` and ``training.json`` under ``output``.

        Raises:
            TrainingError: E211 if ``output`` holds a model already and ``overwrite`` is off.
        """
        for _ in self.fit_steps(train, dev, output=output, overwrite=overwrite):
            pass
        return self

    def fit_steps(
        self,
        train: str | Path | None,
        dev: str | Path | None = None,
        *,
        output: str | Path,
        overwrite: bool = False,
    ) -> Iterator[Progress]:
        """Train step by step, yielding progress; Ctrl-C keeps the best model and writes the report.

        Nothing is written before the data and settings have passed their checks, and a run
        that fails leaves no folder it created behind.
        """
        started = time.perf_counter()
        folder = _output_folder(output, overwrite=overwrite)
        with tempfile.TemporaryDirectory(prefix="nerforge-update-") as data_folder:
            plan = self._plan(train, dev, data_folder=Path(data_folder))
            created = not folder.exists()
            folder.mkdir(parents=True, exist_ok=True)
            try:
                result = yield from train_loop(plan, folder, gpu_id=self.gpu_id, started=started)
            except (Exception, KeyboardInterrupt):
                if created and not (folder / MODEL_BEST).exists():
                    shutil.rmtree(folder, ignore_errors=True)
                raise
        self._learn("nlp_", result.nlp)
        self._learn(
            "report_",
            TrainingReport(
                parameters=plan.parameters,
                data=plan.data,
                components={name: part.report() for name, part in plan.components.items()},
                evaluations=result.evaluations,
                speed=result.speed,
                wall_seconds=time.perf_counter() - started,
                interrupted=result.interrupted,
                model_best=str(folder / MODEL_BEST),
                model_last=str(folder / MODEL_LAST),
                domains=None if result.interrupted else measure_update(result.nlp, plan),
            ),
        )
        assert self.report_ is not None
        write_report(self.report_, folder)
        if result.interrupted:
            raise KeyboardInterrupt

    def check(self, train: str | Path | None, dev: str | Path | None = None) -> Self:
        """Check the settings and the data as ``fit`` does first, and train nothing.

        Raises what ``fit`` would raise before its first step (E210 for data lint finds
        errors in, unless ``force``); ``plan_`` and ``lint_`` hold what was found.
        """
        with tempfile.TemporaryDirectory(prefix="nerforge-check-") as scratch:
            self._plan(train, dev, data_folder=Path(scratch) / DATA_FOLDER)
        return self

    def export_config(
        self, train: str | Path | None, dev: str | Path | None = None, *, path: str | Path
    ) -> Config:
        """Write the config ``fit`` would train with; plain ``spacy train`` runs it too.

        An update's prepared data (old labels filled in, rehearsal texts labelled by the
        base) is written to a ``data`` folder beside the config, which names it.
        """
        data_folder = Path(path).parent / DATA_FOLDER
        plan = self._plan(train, dev, data_folder=data_folder)
        if plan.update_data is not None:
            plan.update_data.write(data_folder)
        with atomic_text_writer(path) as handle:
            handle.write(plan.config.to_str())
        return plan.config

    def _plan(self, train: str | Path | None, dev: str | Path | None, *, data_folder: Path) -> TrainingPlan:
        """Check settings and data, then build the plan: each file parsed once, the base loaded once."""
        backbone = self._check_parameters()
        if self.tokenizer_rules is not None:
            load_rules(self.tokenizer_rules)  # every bad line reported before any data is read
        train_path = None if train is None else str(train)
        dev_path = None if dev is None else str(dev)
        if self.config is not None:
            plan = plan_from_config(self.settings(), self.config, train_path, dev_path, check=self._lint)
        elif train_path is None:
            raise ParameterError("E214")
        else:
            plan = self._plan_from_options(train_path, dev_path, backbone, data_folder)
        if self.overrides and self.config is None:
            overrides = dict(self.overrides)
            plan = replace(
                plan,
                config=apply_overrides(plan.config, overrides),
                parameters=replace(plan.parameters, overrides=overrides),
            )
        if self.tokenizer_rules is not None:
            plan = replace(plan, config=with_tokenizer_rules(plan.config, str(self.tokenizer_rules)))
        if (
            self.config is None
            and self.outside_rate > 0
            and "ner" in plan.components
            and plan.data.train.n_complete < plan.data.train.n_tasks
        ):
            # partial answers, read as teach's updates read them; only a NER reads the outside
            # tokens (text categories alone, which read as incomplete, paid a Doc copy per
            # example and epoch for nothing: bench/textcat.py's training words/sec 0.91x -> 0.74x)
            plan = replace(plan, config=with_outside_sampler(plan.config, self.outside_rate, self.seed))
        self._learn("plan_", plan)
        return plan

    def _plan_from_options(
        self, train: str, dev: str | None, backbone: Backbone, data_folder: Path
    ) -> TrainingPlan:
        base = BasePipeline.load(str(self.base)) if self.base is not None else None
        split = read_split(
            str(train),
            None if dev is None else str(dev),
            format=self.format,
            holdout=self.holdout,
            seed=self.seed,
            answer_kind=self.answer_kind,
            # asked for spancat: spans (overlapping ones too) are read as its span group's
            spans_key=DEFAULT_SPANS_KEY if self.component == "spancat" else None,
        )
        textcat = self._textcat(split, updating=base is not None, backbone=backbone)
        if textcat is not None and textcat.exclusive:
            split = replace(
                split,
                train=complete_exclusive(split.train, textcat.labels),
                dev=complete_exclusive(split.dev, textcat.labels),
            )
        spancat = self._spancat(split, updating=base is not None, backbone=backbone, textcat=textcat)
        data = DataReport(summarize(split.train_path, split.train), summarize(split.dev_path, split.dev))
        known = base.labels if base is not None else ()
        check_data(data.train, data.dev, self.labels, known=known, categories=textcat is not None)
        labels = tuple(sorted(self.labels or data.train.labels))
        if base is not None:  # the update's own checks (label senses) come first: they are more specific
            plan = plan_update(self.settings(), split, data, base, labels, data_folder=data_folder)
        else:
            spans = None if not spancat else spancat_for(split, labels, lang=self.lang)
            plan = plan_new(self.settings(), split, data, backbone, labels, textcat=textcat, spans=spans)
        self._lint(split.train, split.dev if not split.holdout else None, new_labels=plan.ner.new_labels)
        return plan

    def _textcat(self, split: TaskSplit, *, updating: bool, backbone: Backbone) -> TextcatChoice | None:
        """The text classifier the data calls for (E215, E216: not with a base or a transformer yet)."""
        choice = choose_textcat(split.train, split.dev, self.textcat)
        if choice is not None and updating:
            raise TrainingError("E215")
        if choice is not None and backbone.is_transformer:
            raise TrainingError("E216")
        return choice

    def _spancat(
        self, split: TaskSplit, *, updating: bool, backbone: Backbone, textcat: TextcatChoice | None
    ) -> bool:
        """Whether a span categorizer learns the spans (E224: not with a base, a transformer, cats)."""
        if choose_span_component(split.train, self.component) != "spancat":
            return False
        for refused, detail, option in (
            (updating, "in an update", "--base"),
            (backbone.is_transformer, "on a transformer", "--backbone transformer"),
            (textcat is not None, "beside text categories", "the text categories (cats)"),
        ):
            if refused:
                raise TrainingError("E224", detail=detail, option=option)
        return True

    def _lint(
        self, train: Sequence[Task], dev: Sequence[Task] | None, *, new_labels: Sequence[str] = ()
    ) -> None:
        """Refuse data lint finds errors in (E210), unless ``force``; keep the report in ``lint_``.

        When updating, ``new_labels`` are those the base doesn't know: only they need lint's
        minimum of examples. With ``labels``, lint sees the data as training reads it: the
        spans of other labels are unknown (a dev set may annotate labels not trained).
        """
        if self.labels:
            train = _only_labels(train, self.labels)
            dev = None if dev is None else _only_labels(dev, self.labels)
        report = lint_tasks(
            train,
            dev=dev,
            lang=self.lang,
            new_labels=new_labels or None,
            tokenizer_rules=self.tokenizer_rules,
        )
        self._learn("lint_", report)
        errors = report.with_severity("error")
        if not errors or self.force:
            return
        where = {"<tasks>": train, "<dev>": dev or ()}
        listed = [f"  {e.code} {_origin(e, where)}: {e.message}" for e in errors[:MAX_LISTED_PROBLEMS]]
        if len(errors) > MAX_LISTED_PROBLEMS:
            listed.append(f"  ... and {len(errors) - MAX_LISTED_PROBLEMS} more (run `nerforge lint`)")
        raise TrainingError("E210", n_errors=len(errors), problems="\n".join(listed))

    def _check_parameters(self) -> Backbone:
        """Raise E403 on a setting its constraint rejects, E407 on an unknown backbone."""
        check_parameters(self)
        backbone = Backbone.parse(self.backbone)
        if backbone.is_transformer and self.base is not None:
            raise ParameterError(
                "E403",
                parameter="backbone",
                owner="Trainer",
                expected="left out when updating a base pipeline, as the base's own backbone is trained "
                "(a transformer base is updated as it is)",
                value=self.backbone,
            )
        return backbone


def _only_labels(tasks: Sequence[Task], labels: Collection[str]) -> list[Task]:
    """The tasks with the spans of other labels ignored (unknown), as the training reader reads them."""
    keep = frozenset(labels)
    return [
        task
        if all(span.label in keep for span in task.spans)
        else replace(
            task, spans=tuple(s if s.label in keep else replace(s, answer="ignore") for s in task.spans)
        )
        for task in tasks
    ]


def _origin(finding: Finding, where: Mapping[str, Sequence[Task]]) -> str:
    """Where a finding is in the files read, not in the task lists lint was given."""
    tasks = where.get(finding.path)
    if tasks and finding.line is not None and 0 < finding.line <= len(tasks):
        origin = tasks[finding.line - 1].origin
        if origin is not None:
            return str(origin)
    if tasks and tasks[0].origin is not None:
        return tasks[0].origin.path
    return finding.location


def _output_folder(output: str | Path, *, overwrite: bool) -> Path:
    """The output folder, checked before anything is written (E205, E211)."""
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise TrainingError("E205", path=str(folder))
    found = [name for name in (MODEL_BEST, MODEL_LAST, REPORT) if (folder / name).exists()]
    if found and not overwrite:
        raise TrainingError("E211", path=str(folder), found=", ".join(found))
    return folder
