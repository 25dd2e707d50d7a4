import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debop_desktop.core.errors import BadModelFile
from debop_desktop.core.gguf_info import read_model_info
from debop_desktop.core.tiny_model import CHATML_TEMPLATE, build_bpe_vocab, write_tiny_gguf


def test_metadata_of_tiny_model(tiny_gguf):
    info = read_model_info(tiny_gguf)
    n_vocab, n_embd, n_ff, layers = 1000, 64, 128, 2
    # embeddings + output + norm, then per layer 4 attention + 3 ffn matrices and 2 norms
    expected = 2 * n_vocab * n_embd + n_embd + layers * (4 * n_embd * n_embd + 3 * n_ff * n_embd + 2 * n_embd)
    assert info.architecture == "llama"
    assert info.parameter_count == expected
    assert info.quantization == "F32" and info.file_type == 0
    assert (info.n_layers, info.context_length, info.vocab_size) == (2, 2048, 1000)
    assert (info.n_embd, info.n_head, info.n_head_kv) == (64, 4, 4)
    assert info.name == "Tiny Random Llama"
    assert info.chat_template == CHATML_TEMPLATE and info.has_chat_template
    assert info.size_bytes == os.path.getsize(tiny_gguf)
    assert info.metadata["tokenizer.ggml.tokens"] == "[1000 items]"  # long arrays summarised


def test_model_without_template(tiny_gguf_no_template):
    info = read_model_info(tiny_gguf_no_template)
    assert not info.has_chat_template and info.chat_template is None


def test_tiny_model_is_deterministic_and_its_merges_are_consistent(tmp_path):
    a = write_tiny_gguf(tmp_path / "a.gguf")
    b = write_tiny_gguf(tmp_path / "b.gguf")
    assert a.read_bytes() == b.read_bytes()
    tokens, merges = build_bpe_vocab(1000)
    vocab = set(tokens)
    assert len(tokens) == 1000
    assert all(m.replace(" ", "", 1) in vocab for m in merges)


def expect_bad(path, *words):
    with pytest.raises(BadModelFile) as info:
        read_model_info(path)
    text = info.value.message.lower()
    assert all(w in text for w in words), text
    return info.value


def test_missing_file(tmp_path):
    expect_bad(tmp_path / "nope.gguf", "no file")


def test_directory(tmp_path):
    expect_bad(tmp_path, "folder")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.gguf"
    p.write_bytes(b"")
    expect_bad(p, "empty")


def test_not_a_gguf(tmp_path):
    p = tmp_path / "notes.gguf"
    p.write_text("just some notes, not a model")
    expect_bad(p, "not a gguf")


def test_vocab_only_gguf(tmp_path):
    p = write_tiny_gguf(tmp_path / "vocab.gguf", vocab_only=True)
    expect_bad(p, "only a vocabulary")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path, tiny_gguf):
    p = tmp_path / "locked.gguf"
    p.write_bytes(tiny_gguf.read_bytes())
    p.chmod(0)
    expect_bad(p, "cannot be read")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(min_value=0.0, max_value=0.9999))
def test_any_truncation_is_rejected_plainly(tmp_path, tiny_gguf, fraction):
    data = tiny_gguf.read_bytes()
    cut = max(1, int(len(data) * fraction))
    p = tmp_path / "cut.gguf"
    p.write_bytes(data[:cut])
    err = expect_bad(p)
    assert any(w in err.message for w in ("incomplete", "not a GGUF", "damaged")), err.message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(min_size=0, max_size=4096))
def test_garbage_after_the_magic_is_rejected_plainly(tmp_path, junk):
    p = tmp_path / "junk.gguf"
    p.write_bytes(b"GGUF" + junk)
    expect_bad(p)
