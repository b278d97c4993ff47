"""A model described from its folder's files matches the loaded model, without loading torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ingest.embed import DeferredEmbedder, EmbedderSpec, ModelNotFoundError, describe_embedder
from ingest.model_card import read_model_card

TEXTS = [
    "Port authorities should publish one common tariff for shore power.",
    "Dredging keeps the access channels deep enough for container ships.",
]


def _folder(tmp_path: Path, modules: list[dict[str, str]], configs: dict[str, dict]) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512}))
    (folder / "tokenizer.json").write_text("{}")
    for path, config in configs.items():
        (folder / path).mkdir()
        (folder / path / "config.json").write_text(json.dumps(config))
    return folder


TRANSFORMER = {"path": "", "type": "sentence_transformers.models.Transformer"}
MEAN = {"word_embedding_dimension": 768, "pooling_mode_mean_tokens": True}


def test_the_bundled_model_is_described_as_it_loads(embedder) -> None:
    described = describe_embedder(EmbedderSpec())
    assert isinstance(described, DeferredEmbedder)
    assert (described.model_id, described.dim, described.max_tokens, described.precision) == (
        embedder.model_id,
        embedder.dim,
        embedder.max_tokens,
        embedder.precision,
    )
    assert described.count_tokens(TEXTS) == embedder.count_tokens(TEXTS)


def test_describing_the_model_loads_neither_torch_nor_the_weights() -> None:
    script = (
        "import sys\n"
        "from ingest.embed import EmbedderSpec, describe_embedder\n"
        "e = describe_embedder(EmbedderSpec())\n"
        "print(e.dim, e.max_tokens, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["384", "254", "False", "False"]


@pytest.mark.slow  # loads the model a second time
def test_a_described_model_embeds_as_the_loaded_one_when_asked(embedder) -> None:
    described = describe_embedder(EmbedderSpec())
    np.testing.assert_allclose(
        described.embed_documents(TEXTS), embedder.embed_documents(TEXTS), atol=1e-5
    )


def test_pooling_modes_and_dense_layers_set_the_width(tmp_path: Path) -> None:
    two_modes = dict(MEAN, pooling_mode_max_tokens=True)
    folder = _folder(
        tmp_path,
        [
            TRANSFORMER,
            {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"path": "2_Dense", "type": "sentence_transformers.models.Dense"},
            {"path": "3_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        {"1_Pooling": two_modes, "2_Dense": {"in_features": 1536, "out_features": 256}},
    )
    card = read_model_card(folder)
    assert card is not None
    assert (card.dim, card.max_tokens) == (256, 510)
    (folder / "modules.json").write_text(
        json.dumps(
            [TRANSFORMER, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
        )
    )
    card = read_model_card(folder)
    assert card is not None and card.dim == 1536


@pytest.mark.parametrize(
    "modules, configs",
    [
        # A module whose width we do not read.
        ([TRANSFORMER, {"path": "1_Custom", "type": "my_package.Projection"}], {"1_Custom": {}}),
        # Last-token pooling: the model decides.
        (
            [TRANSFORMER, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}],
            {"1_Pooling": dict(MEAN, pooling_mode_lasttoken=True)},
        ),
        # No module sets a width.
        ([TRANSFORMER], {}),
    ],
)
def test_layouts_not_settled_by_the_files_are_left_to_the_model(
    tmp_path: Path, modules: list[dict[str, str]], configs: dict[str, dict]
) -> None:
    assert read_model_card(_folder(tmp_path, modules, configs)) is None


def test_a_folder_without_its_files_is_loaded_instead(tmp_path: Path) -> None:
    assert read_model_card(tmp_path) is None
    with pytest.raises(ModelNotFoundError, match="not available offline"):
        describe_embedder(EmbedderSpec(model=str(tmp_path)))
