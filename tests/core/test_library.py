import hashlib
import shutil

import pytest

from debop_desktop.core.errors import BadModelFile, ModelNotFound
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.tiny_model import write_tiny_gguf


def count(store):
    return store.execute("SELECT COUNT(*) FROM models").fetchone()[0]


def test_add_reads_metadata_and_hashes_with_progress(store, tiny_gguf):
    seen = []
    result = ModelLibrary(store).add(tiny_gguf, progress=lambda d, t: seen.append((d, t)))
    r = result.record
    assert result.status == "added"
    assert r.sha256 == hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    assert (r.architecture, r.n_layers, r.context_length, r.vocab_size) == ("llama", 2, 2048, 1000)
    assert r.has_chat_template and r.kind == "gguf" and r.file_present
    assert seen and seen[-1] == (tiny_gguf.stat().st_size,) * 2


def test_adding_the_same_path_twice_registers_once(store, tiny_gguf):
    lib = ModelLibrary(store)
    lib.add(tiny_gguf)
    again = lib.add(tiny_gguf)
    assert again.status == "already" and "already" in again.message
    assert count(store) == 1


def test_same_file_under_another_path_is_recognised(store, tiny_gguf, tmp_path):
    lib = ModelLibrary(store)
    first = lib.add(tiny_gguf).record
    copy = tmp_path / "copy-of-tiny.gguf"
    shutil.copy(tiny_gguf, copy)
    result = lib.add(copy)
    assert result.status == "already" and result.record.id == first.id
    assert count(store) == 1


def test_moved_file_updates_the_path(store, tmp_path):
    lib = ModelLibrary(store)
    original = write_tiny_gguf(tmp_path / "a.gguf")
    first = lib.add(original, name="My model").record
    moved = original.rename(tmp_path / "moved.gguf")
    result = lib.add(moved)
    assert result.status == "moved" and result.record.id == first.id
    assert result.record.path == str(moved) and result.record.name == "My model"
    assert count(store) == 1


def test_remove_never_deletes_the_file(store, tiny_gguf):
    lib = ModelLibrary(store)
    r = lib.add(tiny_gguf).record
    lib.remove(r.id)
    assert count(store) == 0 and tiny_gguf.is_file()


def test_get_by_id_name_and_fragment(store, tiny_gguf, tiny_gguf_no_template):
    lib = ModelLibrary(store)
    a = lib.add(tiny_gguf).record
    b = lib.add(tiny_gguf_no_template).record
    assert lib.get(a.id) == a and lib.get(str(b.id)) == b
    assert lib.get("tiny base") == b  # exact name, any case
    with pytest.raises(ModelNotFound, match="More than one"):
        lib.get("tiny")
    with pytest.raises(ModelNotFound, match="No model"):
        lib.get("nothing like it")


@pytest.mark.parametrize("make", ["missing", "dir", "text", "vocab_only", "truncated"])
def test_bad_files_register_nothing(store, tmp_path, tiny_gguf, make):
    p = tmp_path / "bad.gguf"
    if make == "dir":
        p.mkdir()
    elif make == "text":
        p.write_text("hello")
    elif make == "vocab_only":
        write_tiny_gguf(p, vocab_only=True)
    elif make == "truncated":
        p.write_bytes(tiny_gguf.read_bytes()[:-1000])
    with pytest.raises(BadModelFile):
        ModelLibrary(store).add(p)
    assert count(store) == 0


def test_missing_file_shows_in_listing(store, tmp_path):
    lib = ModelLibrary(store)
    p = write_tiny_gguf(tmp_path / "gone.gguf")
    lib.add(p)
    p.unlink()
    [r] = lib.list()
    assert not r.file_present
