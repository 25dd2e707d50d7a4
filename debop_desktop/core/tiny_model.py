"""Write a tiny random-weight llama GGUF: fast to load, answers gibberish.

Used by the tests (metadata, loading, generation, cancel, cache, bad files, the paths that
handle malformed model output) and by the packaged app's self-test. Deterministic: the
same arguments write the same bytes.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import numpy as np

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")

# A small corpus to learn merges from: enough distinct words for ~1k tokens.
_CORPUS = """
the model reads a question and writes an answer step by step. a plan lists key steps;
each step is filled in for the question and the last step gives the final answer.
what is three plus four? the answer is seven. count the apples, oranges and pears on
the table. sort these words in alphabetical order. is the statement true or false?
today is monday; what day was it three days ago? the ball was passed from alice to bob,
then to carol. which option is correct: (a), (b), (c) or (d)? so the answer is (b).
system user assistant json guidelines demonstration example input output expected
""" + " ".join(str(n) for n in range(0, 1000))


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character map (byte-level BPE alphabet)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars = keep[:]
    extra = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(keep, chars, strict=True)}


def build_bpe_vocab(target_size: int = 1000) -> tuple[list[str], list[str]]:
    """Learn byte-level BPE merges on the built-in corpus; return (tokens, merges)."""
    byte_map = _bytes_to_unicode()
    alphabet = [byte_map[b] for b in range(256)]
    words = Counter(
        tuple(byte_map[b] for b in w.encode("utf-8"))
        for w in re.findall(r" ?[a-z]+| ?[0-9]+| ?[^\sa-z0-9]+|\s+", _CORPUS.lower())
    )
    tokens, merges, seen = list(alphabet), [], set(alphabet)
    while len(tokens) + len(SPECIAL_TOKENS) < target_size:
        pairs: Counter[tuple[str, str]] = Counter()
        for word, freq in words.items():
            for a, b in zip(word, word[1:], strict=False):
                pairs[(a, b)] += freq
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))
        merges.append(f"{a} {b}")
        if a + b not in seen:
            seen.add(a + b)
            tokens.append(a + b)
        words = Counter({_merge(w, a, b): f for w, f in words.items()})
    return tokens + list(SPECIAL_TOKENS), merges


def _merge(word: tuple[str, ...], a: str, b: str) -> tuple[str, ...]:
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def write_tiny_gguf(
    path: str | os.PathLike[str],
    *,
    n_layers: int = 2,
    n_embd: int = 64,
    n_head: int = 4,
    n_ff: int = 128,
    context_length: int = 2048,
    vocab_size: int = 1000,
    chat_template: str | None = CHATML_TEMPLATE,
    vocab_only: bool = False,
    seed: int = 0,
    name: str = "Tiny Random Llama",
) -> Path:
    """Write the model and return its path. `vocab_only` writes no tensors at all."""
    import gguf

    path = Path(path)
    tokens, merges = build_bpe_vocab(vocab_size)
    n_vocab = len(tokens)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name(name)
    w.add_context_length(context_length)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layers)
    w.add_feed_forward_length(n_ff)
    w.add_head_count(n_head)
    w.add_head_count_kv(n_head)
    w.add_rope_dimension_count(n_embd // n_head)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("default")
    w.add_token_list(tokens)
    n_special = len(SPECIAL_TOKENS)
    w.add_token_types([gguf.TokenType.NORMAL] * (n_vocab - n_special) + [gguf.TokenType.CONTROL] * n_special)
    w.add_token_merges(merges)
    w.add_bos_token_id(tokens.index("<|endoftext|>"))
    w.add_eos_token_id(tokens.index("<|im_end|>"))
    w.add_add_bos_token(False)
    if chat_template:
        w.add_chat_template(chat_template)
    if not vocab_only:
        for tensor_name, array in _random_tensors(n_vocab, n_layers, n_embd, n_ff, seed):
            w.add_tensor(tensor_name, array)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def _random_tensors(n_vocab: int, n_layers: int, n_embd: int, n_ff: int, seed: int):
    rng = np.random.default_rng(seed)

    def normal(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape) * 0.02).astype(np.float32)

    ones = np.ones(n_embd, dtype=np.float32)
    yield "token_embd.weight", normal(n_vocab, n_embd)
    yield "output_norm.weight", ones
    yield "output.weight", normal(n_vocab, n_embd)
    for i in range(n_layers):
        yield f"blk.{i}.attn_norm.weight", ones
        for part in ("attn_q", "attn_k", "attn_v", "attn_output"):
            yield f"blk.{i}.{part}.weight", normal(n_embd, n_embd)
        yield f"blk.{i}.ffn_norm.weight", ones
        yield f"blk.{i}.ffn_gate.weight", normal(n_ff, n_embd)
        yield f"blk.{i}.ffn_up.weight", normal(n_ff, n_embd)
        yield f"blk.{i}.ffn_down.weight", normal(n_embd, n_ff)


def write_quantized_copy(source: Path | str, target: Path | str, kind: str = "Q4_0") -> Path:
    """Requantize a GGUF with llama.cpp's own quantizer (`llama_model_quantize`).

    Q4_0 weights are what ggml repacks into its extra buffer types (AMX, CPU_REPACK), so a
    Q4_0 copy of the tiny model shows in llama.cpp's load log whether those were used. An
    already quantized source is requantized (a smaller variant of a real model, for comparing
    sizes of one family; it is never better than its source)."""
    import ctypes

    import llama_cpp

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = getattr(llama_cpp, f"LLAMA_FTYPE_MOSTLY_{kind.upper()}")
    params.allow_requantize = True
    target = Path(target)
    if llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), ctypes.byref(params)) != 0:
        raise RuntimeError(f"llama.cpp could not quantize {source} to {kind}")
    return target
