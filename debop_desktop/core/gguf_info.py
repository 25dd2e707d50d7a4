"""Read what a GGUF file is, with the `gguf` package's reader, and reject bad files.

`read_model_info(path)` either returns a complete `ModelInfo` or raises `BadModelFile`
with a plain message; it never returns half an answer and never modifies the file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from debop_desktop.core import messages
from debop_desktop.core.errors import BadModelFile

GGUF_MAGIC = b"GGUF"
# Metadata arrays longer than this are summarised (vocabularies hold 100k+ strings).
_MAX_ARRAY_ITEMS = 16
# Far beyond any real model (2025: at most ~130 layers, 10,485,760 tokens of context in
# Llama 4 Scout, ~260k vocabulary, 16,384-wide embeddings, a few thousand tensors). A header
# past these is damaged or hostile, and llama.cpp may abort the whole process on it.
LIMITS = {
    "n_layers": ("a layer count of", 1024),
    "context_length": ("a context length of", 2**25),
    "vocab_size": ("a vocabulary of", 2_000_000),
    "n_embd": ("an embedding size of", 131_072),
    "tensor_count": ("a tensor count of", 100_000),
}


@dataclass(frozen=True)
class ModelInfo:
    """Metadata of one GGUF file, as read from its header."""

    path: str
    size_bytes: int
    mtime: float
    name: str
    architecture: str
    parameter_count: int
    quantization: str
    file_type: int | None
    n_layers: int | None
    context_length: int | None
    vocab_size: int | None
    n_embd: int | None
    n_head: int | None
    n_head_kv: int | None
    key_length: int | None
    value_length: int | None
    tensor_count: int
    chat_template: str | None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template)


def read_model_info(path: str | os.PathLike[str]) -> ModelInfo:
    """Read a GGUF file's metadata; raise `BadModelFile` if it is not a usable model."""
    p = Path(path).expanduser()
    st = stat_regular_file(p)
    _check_magic(p)
    reader = _open_reader(p)
    tensors = reader.tensors
    if not tensors:
        raise BadModelFile(messages.MODEL_VOCAB_ONLY.format(path=p), "GGUF has 0 tensors")
    data_end = max(t.data_offset + t.n_bytes for t in tensors)
    if data_end > st.st_size:
        raise BadModelFile(
            messages.MODEL_TRUNCATED.format(path=p),
            f"tensor data ends at byte {data_end}, file has {st.st_size}",
        )
    fields = {name: _field_value(f) for name, f in reader.fields.items()}
    arch = str(fields.get("general.architecture") or "unknown")

    def arch_int(key: str) -> int | None:
        value = fields.get(f"{arch}.{key}")
        if isinstance(value, list):  # per-layer values (some archs): report the first
            value = value[0] if value else None
        return int(value) if isinstance(value, int | float) else None

    file_type = fields.get("general.file_type")
    tokens = reader.fields.get("tokenizer.ggml.tokens")
    vocab_size = len(tokens.data) if tokens is not None else arch_int("vocab_size")
    template = fields.get("tokenizer.chat_template")
    _refuse_absurd(p, n_layers=arch_int("block_count"), context_length=arch_int("context_length"),
                   vocab_size=vocab_size, n_embd=arch_int("embedding_length"), tensor_count=len(tensors))
    return ModelInfo(
        path=str(p.resolve()),
        size_bytes=st.st_size,
        mtime=st.st_mtime,
        name=str(fields.get("general.name") or p.stem),
        architecture=arch,
        parameter_count=sum(int(t.n_elements) for t in tensors),
        quantization=_quantization_name(file_type, tensors),
        file_type=int(file_type) if isinstance(file_type, int) else None,
        n_layers=arch_int("block_count"),
        context_length=arch_int("context_length"),
        vocab_size=vocab_size,
        n_embd=arch_int("embedding_length"),
        n_head=arch_int("attention.head_count"),
        n_head_kv=arch_int("attention.head_count_kv"),
        key_length=arch_int("attention.key_length"),
        value_length=arch_int("attention.value_length"),
        tensor_count=len(tensors),
        chat_template=template if isinstance(template, str) and template.strip() else None,
        metadata={k: v for k, v in fields.items() if not k.startswith("GGUF.")},
    )


def _refuse_absurd(p: Path, **values: int | None) -> None:
    for key, value in values.items():
        what, limit = LIMITS[key]
        if value is not None and not 0 < value <= limit:
            raise BadModelFile(messages.MODEL_ABSURD_METADATA.format(path=p, what=what, value=value, limit=limit),
                               f"{key} = {value}")


def check_gguf_file(path: str | os.PathLike[str]) -> Path:
    """The cheap checks only (exists, a regular non-empty file, GGUF magic): microseconds,
    for callers such as the engine that must not parse a large vocabulary again."""
    p = Path(path).expanduser()
    stat_regular_file(p)
    _check_magic(p)
    return p.resolve()


def is_gguf_file(path: str | os.PathLike[str]) -> bool:
    """Cheap check (4 bytes) used by discovery; does not validate the rest of the file."""
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == GGUF_MAGIC
    except OSError:
        return False


def stat_regular_file(p: Path) -> os.stat_result:
    """The file's status if it is a non-empty regular file, else `BadModelFile` saying why."""
    try:
        st = p.stat()
    except FileNotFoundError:
        raise BadModelFile(messages.MODEL_MISSING.format(path=p)) from None
    except OSError as exc:
        text = messages.SYMLINK_LOOP if exc.errno == errno.ELOOP else messages.MODEL_UNREADABLE
        raise BadModelFile(text.format(path=p), str(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise BadModelFile(messages.MODEL_IS_DIRECTORY.format(path=p))
    if not stat.S_ISREG(st.st_mode):
        raise BadModelFile(messages.MODEL_NOT_GGUF.format(path=p), "not a regular file")
    if st.st_size == 0:
        raise BadModelFile(messages.MODEL_EMPTY.format(path=p))
    return st


def _check_magic(p: Path) -> None:
    try:
        with open(p, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        text = messages.SYMLINK_LOOP if exc.errno == errno.ELOOP else messages.MODEL_UNREADABLE
        raise BadModelFile(text.format(path=p), str(exc)) from exc
    if head != GGUF_MAGIC:
        raise BadModelFile(messages.MODEL_NOT_GGUF.format(path=p), f"first bytes {head!r}")


def _open_reader(p: Path) -> Any:
    from gguf import GGUFReader  # imported here: it pulls numpy and is only needed now

    try:
        return GGUFReader(p, "r")
    except PermissionError as exc:
        raise BadModelFile(messages.MODEL_UNREADABLE.format(path=p), str(exc)) from exc
    except Exception as exc:  # the reader raises many kinds on damaged or cut headers
        raise BadModelFile(messages.MODEL_CORRUPT.format(path=p), repr(exc)) from exc


def _field_value(f: Any) -> Any:
    """A field's value as plain Python, with long arrays summarised."""
    try:
        if f.types and f.types[0].name == "ARRAY":
            n = len(f.data)
            if n > _MAX_ARRAY_ITEMS:
                return f"[{n} items]"
        return f.contents()
    except Exception:  # a damaged value must not hide the rest of the metadata
        return None


def _quantization_name(file_type: Any, tensors: list[Any]) -> str:
    from gguf import LlamaFileType

    if isinstance(file_type, int):
        try:
            name = LlamaFileType(file_type).name
            return name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            pass
    # No (known) file type: the most common type among the 2-D weight tensors.
    kinds = Counter(t.tensor_type.name for t in tensors if len(t.shape) >= 2)
    return kinds.most_common(1)[0][0] if kinds else "unknown"
