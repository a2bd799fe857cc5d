"""The training config: spaCy's CPU efficiency NER, with nerforge's readers and defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from thinc.api import Config

from .backbones import TransformerSpec

# spaCy's CPU-efficiency NER (`spacy init config --pipeline ner --optimize efficiency`), with
# the tok2vec inside the NER rather than shared: the same layers en_core_web_sm's NER has,
# so its weights can warm-start ours, and nothing else listens to it.
BASE_CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["ner"]
batch_size = 256

[components]

[components.ner]
factory = "ner"
# spans a task marks as wrong ("answer": "reject") are trained as negatives
incorrect_spans_key = "incorrect_spans"
# spaCy's default: cut long documents for the oracle, which speeds up training
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "nerforge.Tasks.v1"
path = ${paths.train}

[corpora.dev]
@readers = "nerforge.Tasks.v1"
path = ${paths.dev}

[training]
seed = ${system.seed}
gpu_allocator = ${system.gpu_allocator}
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"
# spaCy's default
dropout = 0.1
accumulate_gradient = 1
# set from the data size by nerforge: about one evaluation per epoch
eval_frequency = 200
# evaluations without improvement before stopping, times eval_frequency (set by nerforge)
patience = 1600
# set by nerforge: small data needs more passes, large data fewer
max_epochs = 0
max_steps = 20000
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 1e-08
learn_rate = 0.001

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0
ents_per_type = null

[pretraining]

[initialize]
vectors = null
init_tok2vec = null
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""

WORDS_PER_STEP = 600  # about the mean batch of batch_by_words compounding from 100 to 1000 words
MIN_EVAL_FREQUENCY = 10  # steps: tiny data still gets several updates between evaluations
MAX_EVAL_FREQUENCY = 200  # steps: spaCy's default, for large data
PATIENCE_EVALUATIONS = 5  # evaluations without a better dev score before stopping
# small data: at 10 steps an evaluation, 5 evaluations are too few to tell a plateau from noise
MIN_PATIENCE_STEPS = 200
SMALL_DATA_WORDS = 50_000  # below this, allow many passes over the data
MAX_EPOCHS_SMALL = 60  # small data: epochs are cheap and the model needs many
MAX_EPOCHS_LARGE = 20  # large data: early stopping usually ends it well before


@dataclass(frozen=True)
class Schedule:
    """How often to evaluate, when to stop: chosen from the training data's size."""

    eval_frequency: int
    patience: int
    max_epochs: int

    @classmethod
    def for_words(
        cls, n_words: int, *, max_epochs: int | None = None, patience: int | None = None
    ) -> Schedule:
        """A schedule for ``n_words`` training words; ``max_epochs`` and ``patience`` override it."""
        steps_per_epoch = max(1, n_words // WORDS_PER_STEP)
        eval_frequency = min(MAX_EVAL_FREQUENCY, max(MIN_EVAL_FREQUENCY, steps_per_epoch))
        if max_epochs is None:
            max_epochs = MAX_EPOCHS_SMALL if n_words < SMALL_DATA_WORDS else MAX_EPOCHS_LARGE
        if patience is None:
            patience = max(MIN_PATIENCE_STEPS, eval_frequency * PATIENCE_EVALUATIONS)
        return cls(eval_frequency, patience, max_epochs)


# The transformer backbone's defaults, chosen on WNUT-17 dev with all-MiniLM-L6-v2, one seed
# (dev F of the best epoch): peak rate 1e-4 reached 57.3 by epoch 7 with the CNN beside the
# transformer and 56.2 without it; 3e-4 peaked at 51.5. Dev F rose little after epoch 7.
TRANSFORMER_BATCH_SIZE = 32  # texts a step: small batches, many steps, for small noisy data
TRANSFORMER_LEARN_RATE = 1e-4  # peak rate
TRANSFORMER_WARMUP = 0.1  # share of the steps spent warming up, linearly, to the peak rate
TRANSFORMER_MAX_EPOCHS = 10  # the rate decays linearly to 0 at the last one
TRANSFORMER_PATIENCE_EPOCHS = 4  # epochs without a better dev score before stopping


@dataclass(frozen=True)
class TransformerSchedule:
    """Steps, evaluations and the learning-rate curve of a transformer run, from the data size."""

    batch_size: int
    steps_per_epoch: int
    max_epochs: int
    learn_rate: float
    total_steps: int  # the rate reaches 0 here: the last step of the last epoch, or max_steps
    warmup_steps: int

    @classmethod
    def for_tasks(
        cls,
        n_tasks: int,
        *,
        max_epochs: int | None = None,
        learn_rate: float | None = None,
        max_steps: int | None = None,
    ) -> TransformerSchedule:
        """A schedule for ``n_tasks`` training tasks; the keyword settings override the defaults."""
        epochs = max_epochs or TRANSFORMER_MAX_EPOCHS
        steps_per_epoch = max(1, -(-n_tasks // TRANSFORMER_BATCH_SIZE))
        total = steps_per_epoch * epochs if not max_steps else min(max_steps, steps_per_epoch * epochs)
        return cls(
            batch_size=TRANSFORMER_BATCH_SIZE,
            steps_per_epoch=steps_per_epoch,
            max_epochs=epochs,
            learn_rate=learn_rate or TRANSFORMER_LEARN_RATE,
            total_steps=total,
            warmup_steps=max(1, round(TRANSFORMER_WARMUP * total)),
        )

    def schedule(self, patience: int | None = None) -> Schedule:
        """Evaluate once an epoch; stop after a few epochs without improvement."""
        steps = patience if patience is not None else TRANSFORMER_PATIENCE_EPOCHS * self.steps_per_epoch
        return Schedule(self.steps_per_epoch, steps, self.max_epochs)

    def apply_to(self, training: dict[str, Any]) -> None:
        """Set the batcher, the learning-rate curve and the end of a ``[training]`` block."""
        training["batcher"] = {
            "@batchers": "spacy.batch_by_sequence.v1",
            "size": self.batch_size,
            "get_length": None,
        }
        training["optimizer"]["learn_rate"] = {
            "@schedules": "warmup_linear.v1",
            "warmup_steps": self.warmup_steps,
            "total_steps": self.total_steps,
            "initial_rate": self.learn_rate,
        }
        # stop on the step where the rate reaches 0, which evaluates (a multiple of the epoch's
        # steps): the model the whole schedule trained is scored, not only the one an epoch before
        training["max_steps"] = self.total_steps
        training["max_epochs"] = 0  # no cap: max_steps ends it

    def to_dict(self) -> dict[str, Any]:
        """The schedule's settings, as a JSON-ready dict."""
        return {
            "batch_size": self.batch_size,
            "steps_per_epoch": self.steps_per_epoch,
            "max_epochs": self.max_epochs,
            "learn_rate": self.learn_rate,
            "warmup_steps": self.warmup_steps,
            "total_steps": self.total_steps,
            "learn_rate_schedule": "linear warm-up to the peak, then linear decay to 0 at the last epoch",
        }


def use_transformer(config: Config, spec: TransformerSpec, plan: TransformerSchedule) -> Config:
    """Put a transformer under the NER: the NER listens to it, both are trained together.

    Beside the transformer's vector, each token keeps the CNN's (warm-started as the CNN
    backbone's is, when a warm start is set): it sees capitals, which an uncased transformer
    can't, and what en_core_web_sm's NER learned about names.
    """
    config["nlp"]["pipeline"] = ["transformer", "ner"]
    config["system"]["gpu_allocator"] = "pytorch"  # on a GPU (--gpu-id), torch and thinc share memory
    config["components"]["transformer"] = {
        "factory": "curated_transformer",
        "all_layer_outputs": False,
        "frozen": False,
        "model": spec.model_config(),
    }
    ner_model = config["components"]["ner"]["model"]
    ner_model["use_upper"] = False  # the transformer's output is rich enough; spaCy's trf configs do this
    listener = {
        "@architectures": "spacy-curated-transformers.LastTransformerLayerListener.v1",
        "width": spec.hidden_width,
        "upstream": "*",
        # a word split into several pieces is the mean of its pieces
        "pooling": {"@layers": "reduce_mean.v1"},
    }
    ner_model["tok2vec"] = {
        "@architectures": "nerforge.WithTokenFeatures.v1",
        "tok2vec": listener,
        "features": ner_model["tok2vec"],
    }
    if config["initialize"].get("after_init"):  # the warm start goes to the CNN beside the listener
        config["initialize"]["after_init"]["layer"] = 1
    plan.apply_to(config["training"])
    config["initialize"]["components"]["transformer"] = spec.loaders_config()
    return config


def build_config(
    *,
    train: str,
    dev: str,
    lang: str,
    schedule: Schedule,
    dropout: float,
    seed: int,
    labels: list[str],
    holdout: float,
    warm_start: str | None,
    format: str | None = None,
    max_steps: int | None = None,
    learn_rate: float | None = None,
    answer_kind: str = "auto",
) -> Config:
    """The full training config. With ``holdout`` > 0, dev is a seeded share of ``train``.

    ``format`` and ``answer_kind`` (other than ``"auto"``) go to both readers, so plain
    ``spacy train`` on the config reads the data as nerforge did.
    """
    config = Config().from_str(BASE_CONFIG, interpolate=False)
    config["paths"]["train"] = train
    config["paths"]["dev"] = dev
    config["nlp"]["lang"] = lang
    config["system"]["seed"] = seed
    for name, split in (("train", "train"), ("dev", "dev")):
        corpus = config["corpora"][name]
        corpus["labels"] = labels
        if format:
            corpus["format"] = format
        if answer_kind != "auto":
            corpus["answer_kind"] = answer_kind
        if holdout:
            corpus.update({"split": split, "holdout": holdout, "seed": seed})
    config["training"].update(
        {
            "dropout": dropout,
            "eval_frequency": schedule.eval_frequency,
            "patience": schedule.patience,
            "max_epochs": schedule.max_epochs,
        }
    )
    if max_steps is not None:
        config["training"]["max_steps"] = max_steps
    if learn_rate is not None:
        config["training"]["optimizer"]["learn_rate"] = learn_rate
    if warm_start:
        config["initialize"]["before_init"] = {"@callbacks": "nerforge.CopyLookups.v1", "source": warm_start}
        config["initialize"]["after_init"] = {
            "@callbacks": "nerforge.WarmStartTok2Vec.v1",
            "source": warm_start,
        }
    return config


def with_tokenizer_rules(config: Config, rules: str) -> Config:
    """The config with a RULES.jsonl file's tokenizer rules added before initializing.

    spaCy takes one ``before_init`` callback: the rules' one runs the config's own first
    (``first``), so a warm start still copies the lexeme norms and an update its base's
    tokenizer, which the rules then extend.
    """
    updated = config.copy()
    initialize = updated["initialize"]
    callback: dict[str, Any] = {"@callbacks": "nerforge.TokenizerRules.v1", "path": rules}
    if initialize.get("before_init") is not None:
        callback["first"] = initialize["before_init"]
    initialize["before_init"] = callback
    return updated
