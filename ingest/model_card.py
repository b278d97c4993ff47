"""What a sentence-transformers model folder says about the model, read from its JSON files
without loading torch or the weights: enough for a process that only writes what others embed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POOLING = "sentence_transformers.models.Pooling"
DENSE = "sentence_transformers.models.Dense"
# Modules that keep the width of what they are given.
SAME_WIDTH = {"sentence_transformers.models.Normalize", "sentence_transformers.models.Dropout"}
TRANSFORMER = "sentence_transformers.models.Transformer"
POOLING_MODES = (
    "pooling_mode_cls_token",
    "pooling_mode_mean_tokens",
    "pooling_mode_max_tokens",
    "pooling_mode_mean_sqrt_len_tokens",
)
# Pooling settings we do not compute a width for: fine when off, otherwise the model decides.
OTHER_POOLING = ("pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken")
POOLING_KEYS = {"word_embedding_dimension", "include_prompt", *POOLING_MODES, *OTHER_POOLING}


@dataclass(frozen=True)
class ModelCard:
    """The vector width, the word pieces read before truncation (special tokens excluded) and
    the tokenizer file of a model folder."""

    dim: int
    max_tokens: int
    tokenizer_file: Path


def read_model_card(folder: Path) -> ModelCard | None:
    """The card of a model folder, or None when its files do not settle it (a layout we do not
    know, a module that changes the width in a way we do not read, a missing file): the caller
    then loads the model and asks it."""
    try:
        modules = _json(folder / "modules.json")
        settings = _json(folder / "sentence_bert_config.json")
    except (OSError, ValueError):
        return None
    tokenizer_file = folder / "tokenizer.json"
    max_length = settings.get("max_seq_length") if isinstance(settings, dict) else None
    if not isinstance(modules, list) or not isinstance(max_length, int):
        return None
    if not tokenizer_file.is_file():
        return None
    dim = _width(folder, modules)
    if dim is None:
        return None
    return ModelCard(dim=dim, max_tokens=max_length - 2, tokenizer_file=tokenizer_file)


def _width(folder: Path, modules: list[Any]) -> int | None:
    """The width of the last module that sets one; None for modules we cannot read."""
    width: int | None = None
    for module in modules:
        kind = module.get("type") if isinstance(module, dict) else None
        config_file = folder / str(module.get("path", "")) / "config.json" if kind else None
        if kind == TRANSFORMER or kind in SAME_WIDTH:
            continue
        if config_file is None or kind not in (POOLING, DENSE):
            return None
        try:
            config = _json(config_file)
        except (OSError, ValueError):
            return None
        if kind == POOLING:
            modes = sum(bool(config.get(mode)) for mode in POOLING_MODES)
            others = any(config.get(mode) for mode in OTHER_POOLING)
            if not modes or others or set(config) - POOLING_KEYS:
                return None
            width = int(config["word_embedding_dimension"]) * modes
        else:
            width = int(config["out_features"])
    return width


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
