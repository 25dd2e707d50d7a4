from debop_desktop.core.memory import MiB, estimate_memory, kv_cache_bytes

# SmolLM2-135M's shapes: 30 layers, 576 wide, 9 heads, 3 KV heads (head size 64).
SMOL = {"llama.block_count": 30, "llama.embedding_length": 576,
        "llama.attention.head_count": 9, "llama.attention.head_count_kv": 3}


def estimate(**kw):
    base = dict(size_bytes=98_000_000, architecture="llama", metadata=SMOL, n_layers=30,
                vocab_size=49152, n_ctx=4096, available_ram=8 << 30, gpu_offload=False)
    base.update(kw)
    return estimate_memory(**base)


def test_kv_cache_formula():
    # layers x ctx x kv_heads x (k + v head size) x 2 bytes (f16)
    assert kv_cache_bytes("llama", SMOL, 4096) == 30 * 4096 * 3 * 128 * 2
    assert kv_cache_bytes("llama", {}, 4096) == 0  # unknown shapes: no guess


def test_fits_in_ram_without_gpu():
    e = estimate()
    assert e.fits and e.gpu_layers == 0
    assert e.total_bytes == e.weights_bytes + e.kv_cache_bytes + e.overhead_bytes
    assert "Fits in memory" in e.summary


def test_does_not_fit_says_what_to_do():
    e = estimate(size_bytes=40 << 30)
    assert not e.fits and "too big" in e.summary and "smaller model" in e.summary


def test_gpu_layers_follow_free_vram():
    everything = estimate(gpu_offload=True, available_vram=8 << 30)
    assert everything.gpu_layers == 30 and "graphics card" in everything.summary
    some = estimate(size_bytes=3000 * MiB, gpu_offload=True, available_vram=1500 * MiB)
    assert 0 < some.gpu_layers < 30 and "layers fit" in some.summary
    none = estimate(gpu_offload=True, available_vram=100 * MiB)
    assert none.gpu_layers == 0


def test_unified_memory_offloads_all_layers(monkeypatch):
    from debop_desktop.core import memory

    monkeypatch.setattr(memory, "free_vram_bytes", lambda: None)  # Apple Metal: no VRAM figure
    assert estimate(gpu_offload=True, available_vram=None).gpu_layers == 30


def test_context_grows_the_estimate():
    assert estimate(n_ctx=8192).kv_cache_bytes == 2 * estimate(n_ctx=4096).kv_cache_bytes
