"""Issue 15 item 2 and issue 11 item 5: a model file replaced after it was added, and GGUF
headers with absurd metadata (written here with the `gguf` package)."""

import os
import shutil

import gguf
import numpy as np
import pytest

from debop_desktop.core.errors import BadModelFile, ModelFileChanged
from debop_desktop.core.gguf_info import read_model_info
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.memory import estimate_memory
from debop_desktop.core.tiny_model import write_tiny_gguf


def hostile_gguf(path, *, n_layers=2, context_length=2048, n_embd=64, vocab=16, uint64_context=False):
    """A small llama GGUF whose header says what the test wants (one real tensor)."""
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("hostile")
    if uint64_context:
        w.add_uint64("llama.context_length", context_length)
    else:
        w.add_context_length(context_length)
    w.add_embedding_length(n_embd)
    w.add_block_count(n_layers)
    w.add_head_count(4)
    if vocab > 1000:  # a header that claims a huge vocabulary (writing 2M tokens would be slow)
        w.add_vocab_size(vocab)
    else:
        w.add_token_list([f"t{i}" for i in range(vocab)])
    w.add_tensor("token_embd.weight", np.zeros((16, 64), dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def test_a_sane_small_header_is_accepted(tmp_path):
    info = read_model_info(hostile_gguf(tmp_path / "ok.gguf"))
    assert (info.n_layers, info.context_length, info.vocab_size) == (2, 2048, 16)


@pytest.mark.parametrize(("header", "words"), [
    ({"n_layers": 2**32 - 1}, "layer count of 4,294,967,295"),
    ({"n_layers": 0}, "layer count of 0"),
    ({"context_length": 2**32 - 1}, "context length of 4,294,967,295"),
    ({"context_length": 2**64 - 1, "uint64_context": True}, "context length of 18,446,744,073,709,551,615"),
    ({"n_embd": 2**31}, "embedding size of"),
    ({"vocab": 2_000_001}, "vocabulary of 2,000,001"),
])
def test_absurd_metadata_is_refused_at_add_and_nothing_is_registered(store, tmp_path, header, words):
    path = hostile_gguf(tmp_path / "bad.gguf", **header)
    with pytest.raises(BadModelFile) as info:  # before: accepted, or OverflowError from SQLite
        ModelLibrary(store).add(path)
    assert words in info.value.message and "far more than any real model" in info.value.message
    assert store.execute("SELECT COUNT(*) FROM models").fetchone()[0] == 0


def test_a_real_long_context_is_not_refused(tmp_path):
    info = read_model_info(hostile_gguf(tmp_path / "scout.gguf", context_length=10_485_760))
    assert info.context_length == 10_485_760  # Llama 4 Scout's trained context


def test_memory_estimate_takes_a_uint64_context_without_overflow():
    meta = {"llama.block_count": 2, "llama.embedding_length": 64, "llama.attention.head_count": 4,
            "llama.context_length": 2**64 - 1}
    est = estimate_memory(size_bytes=10**6, architecture="llama", metadata=meta, n_layers=2, vocab_size=16,
                          n_ctx=2**64 - 1, available_ram=8 * 2**30, gpu_offload=False)
    assert not est.fits and "too big" in est.summary


def test_symlink_loop_is_reported_as_a_loop_not_as_permission(store, tmp_path):
    loop = tmp_path / "loop.gguf"
    os.symlink(loop, loop)
    with pytest.raises(BadModelFile) as info:
        ModelLibrary(store).add(loop)
    assert "circle" in info.value.message and "permission" not in info.value.message


# -- a file replaced after it was added ----------------------------------------------------
@pytest.fixture
def added(store, tmp_path):
    path = write_tiny_gguf(tmp_path / "model.gguf", seed=1)
    return ModelLibrary(store), ModelLibrary(store).add(path).record, path


def test_an_untouched_file_passes_without_hashing(added, monkeypatch):
    lib, record, _ = added
    monkeypatch.setattr("debop_desktop.core.library.sha256_file", lambda *a, **k: pytest.fail("hashed"))
    assert lib.check_file(record) == record
    assert record.file_state == "ok"


def test_same_size_other_weights_is_refused_in_plain_words(added, tmp_path):
    lib, record, path = added
    other = write_tiny_gguf(tmp_path / "other.gguf", seed=2)  # same shapes, different weights
    assert other.stat().st_size == path.stat().st_size
    shutil.copy(other, path)
    os.utime(path, (1, record.mtime + 5))
    assert lib.get(record.id).file_state == "touched"
    with pytest.raises(ModelFileChanged) as info:
        lib.check_file(record)
    assert "has changed since it was added" in info.value.message and "add it again" in info.value.message
    assert record.sha256 in info.value.details
    assert lib.get(record.id).sha256 == record.sha256  # the record still describes the old file


def test_a_different_size_is_refused_without_hashing(added, tmp_path, monkeypatch):
    lib, record, path = added
    shutil.copy(write_tiny_gguf(tmp_path / "bigger.gguf", n_layers=3), path)
    assert lib.get(record.id).file_state == "changed"
    monkeypatch.setattr("debop_desktop.core.library.sha256_file", lambda *a, **k: pytest.fail("hashed"))
    with pytest.raises(ModelFileChanged):
        lib.check_file(record)


def test_only_the_time_changed_updates_the_stored_time(added):
    lib, record, path = added
    os.utime(path, (1, record.mtime + 100))
    fresh = lib.check_file(record)
    assert fresh.sha256 == record.sha256 and fresh.mtime == path.stat().st_mtime != record.mtime
    assert lib.get(record.id).file_state == "ok"


def test_a_missing_file_is_a_plain_error(added):
    lib, record, path = added
    path.unlink()
    assert record.file_state == "missing"
    with pytest.raises(BadModelFile) as info:
        lib.check_file(record)
    assert "There is no file" in info.value.message
