"""Model -> ONNX file, done once per index build so questions can be answered without torch.

The exported graph is the whole sentence-transformers pipeline of these models
(transformer, mean pooling over the attention mask, L2 normalisation), traced with eager
attention and dynamic batch and sequence axes. MiniLM's graph is then fused with
onnxruntime's transformer optimizer (float32, cosine 0.9999 to sentence-transformers).

mpnet's 420 MB of float32 weights take half a second to load, too slow for a cold
question, so its linear layers are quantised to int8 (onnxruntime's dynamic
quantisation, per channel) from the unfused graph, except the feed-forward output
layers: quantising those too drops the cosine to sentence-transformers to about 0.9,
while keeping them float32 gives 0.97 at worst and 0.99 on average on our labelled
questions, with the same Recall@1 on all three tuning corpora (0.761, 0.717, 0.698
against float32's 0.761, 0.687, 0.698). The fused graph quantises badly (cosine 0.6).

Only this module imports torch; it runs when the index is built.
"""

from __future__ import annotations

import json
import logging
import tempfile
import warnings
from pathlib import Path

import numpy as np

from matcher.embedding.encoder import MAX_TOKENS, quiet_transformers
from matcher.embedding.models import model_path

ONNX_FILE = "encoder.onnx"
# Weights kept outside the graph file: onnxruntime then opens the session in 0.06 s instead
# of 0.2 s (it no longer parses 90 MB of protobuf). onnxruntime's quantizer names its
# external data file the same way.
WEIGHTS_FILE = "encoder.onnx.data"
TOKENIZER_FILE = "tokenizer.json"
# Bumped when the export changes, so an index made by an older version exports again.
EXPORT_FORMAT = 3
QUANTISED = {"mpnet"}
# An export is recorded as good only once it encodes this text as sentence-transformers
# does. int8 mpnet reaches 0.97 at worst on our questions; damaged weights give NaN or
# an unrelated vector.
PROBE = "Tell me about a time you disagreed with your manager and how it ended."
MIN_PROBE_COSINE = 0.95


class ExportError(Exception):
    """The model could not be exported; matcher falls back to sentence-transformers."""


def export(model: str, folder: Path) -> None:
    """Write ``encoder.onnx`` and a query-ready ``tokenizer.json`` for ``model`` into ``folder``."""
    try:
        _export(model, folder)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - torch/onnx raise many kinds; all mean "no export"
        raise ExportError(f"{type(exc).__name__}: {exc}") from exc


def verify(model: str, folder: Path, expected: np.ndarray) -> None:
    """Load the export in ``folder`` and check it encodes PROBE as ``expected``; raises ExportError."""
    from matcher.embedding.onnx_encoder import OnnxEncoder

    try:
        vector = OnnxEncoder(model, folder).encode([PROBE])[0]
    except Exception as exc:  # noqa: BLE001 - onnxruntime and tokenizers raise their own types
        raise ExportError(f"the export does not load ({type(exc).__name__}: {exc})") from exc
    cosine = float(vector @ expected)
    if not np.isfinite(vector).all() or not cosine >= MIN_PROBE_COSINE:
        raise ExportError(f"the export encodes a probe text unlike sentence-transformers (cosine {cosine:.3f})")


def _export(model: str, folder: Path) -> None:
    quiet_transformers()
    import torch
    from transformers import AutoConfig, AutoModel

    source = model_path(model)
    config = AutoConfig.from_pretrained(str(source))
    transformer = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    dummy = torch.ones((2, 8), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.onnx"
        # The tracer warns about Python branches in the attention-mask code; they are
        # constant for these encoders (checked by the parity test), so the noise is dropped.
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Pooled(),
                (dummy, dummy),
                str(raw),
                input_names=["input_ids", "attention_mask"],
                output_names=["embedding"],
                dynamic_axes={
                    "input_ids": {0: "batch", 1: "tokens"},
                    "attention_mask": {0: "batch", 1: "tokens"},
                    "embedding": {0: "batch"},
                },
                opset_version=17,
                dynamo=False,
            )
        if model in QUANTISED:
            _quantise(raw, folder / ONNX_FILE)
        else:
            _fuse(raw, folder, config)
    _write_tokenizer(source, folder)


def _quantise(raw: Path, target: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    feed_forward_out = [
        node.name
        for node in onnx.load(str(raw), load_external_data=False).graph.node
        if node.op_type == "MatMul" and "/output/dense/" in node.name and "attention" not in node.name
    ]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantizer logs a "consider pre-processing" notice
    try:
        quantize_dynamic(
            str(raw),
            str(target),
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            per_channel=True,
            nodes_to_exclude=feed_forward_out,
            use_external_data_format=True,
        )
    finally:
        root.setLevel(level)


def _fuse(raw: Path, folder: Path, config) -> None:
    from onnxruntime.transformers import optimizer

    logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
    fused = optimizer.optimize_model(
        str(raw),
        model_type="bert",
        num_heads=config.num_attention_heads,
        hidden_size=config.hidden_size,
    )
    fused.save_model_to_file(
        str(folder / ONNX_FILE),
        use_external_data_format=True,
        all_tensors_to_one_file=True,
    )
    if not (folder / WEIGHTS_FILE).is_file():
        raise ExportError(f"the optimizer did not write {WEIGHTS_FILE}")


def _write_tokenizer(source: Path, folder: Path) -> None:
    # The shipped tokenizer.json pads every input to 128 and cuts at 128; questions need
    # the model's real limit and padding to the longest text of the batch only.
    tokenizer = json.loads((source / TOKENIZER_FILE).read_text(encoding="utf-8"))
    tokenizer["truncation"] = {
        "direction": "Right",
        "max_length": MAX_TOKENS,
        "strategy": "LongestFirst",
        "stride": 0,
    }
    padding = tokenizer.get("padding") or {}
    tokenizer["padding"] = {
        "strategy": "BatchLongest",
        "direction": "Right",
        "pad_to_multiple_of": None,
        "pad_id": padding.get("pad_id", 0),
        "pad_type_id": padding.get("pad_type_id", 0),
        "pad_token": padding.get("pad_token", "[PAD]"),
    }
    (folder / TOKENIZER_FILE).write_text(json.dumps(tokenizer), encoding="utf-8")

