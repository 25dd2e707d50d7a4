"""Will this model fit? Weights + KV cache for a context, against free RAM and VRAM.

The estimate is deliberately simple and slightly pessimistic: weights are the file's size
(tensor data dominates a GGUF), the KV cache is f16 for every layer and position, and a
fixed allowance covers llama.cpp's compute buffers. It decides how many layers go to the
GPU when the llama build has GPU offload, and says in words whether the model fits.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from debop_desktop.core import messages
from debop_desktop.core.units import human_bytes

MiB = 1024 * 1024
GiB = 1024 * MiB
_BATCH = 512  # llama.cpp's default n_batch: the logits buffer is n_vocab x n_batch floats


@dataclass(frozen=True)
class MemoryEstimate:
    weights_bytes: int
    kv_cache_bytes: int
    overhead_bytes: int
    n_ctx: int
    available_ram: int | None
    gpu_offload: bool
    available_vram: int | None
    n_layers: int
    gpu_layers: int
    fits: bool
    summary: str

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_cache_bytes + self.overhead_bytes


def kv_cache_bytes(architecture: str, metadata: dict[str, Any], n_ctx: int) -> int:
    """f16 K and V for every layer and position (0 when the metadata lacks the shapes)."""
    def get(key: str) -> int | None:
        v = metadata.get(f"{architecture}.{key}")
        if isinstance(v, list):
            v = max(v) if v else None
        return int(v) if isinstance(v, int | float) else None

    layers, n_embd, n_head = get("block_count"), get("embedding_length"), get("attention.head_count")
    if not (layers and n_embd and n_head):
        return 0
    n_head_kv = get("attention.head_count_kv") or n_head
    k_len = get("attention.key_length") or n_embd // n_head
    v_len = get("attention.value_length") or n_embd // n_head
    return layers * n_ctx * n_head_kv * (k_len + v_len) * 2


def estimate_memory(
    *,
    size_bytes: int,
    architecture: str,
    metadata: dict[str, Any],
    n_layers: int | None,
    vocab_size: int | None,
    n_ctx: int,
    available_ram: int | None = None,
    available_vram: int | None = None,
    gpu_offload: bool | None = None,
) -> MemoryEstimate:
    """Estimate memory for loading with context `n_ctx` and pick GPU layers.

    Free RAM/VRAM and GPU support are measured when not given (tests pass them in).
    """
    if available_ram is None:
        available_ram = free_ram_bytes()
    if gpu_offload is None:
        gpu_offload = gpu_offload_supported()
    if gpu_offload and available_vram is None:
        available_vram = free_vram_bytes()
    kv = kv_cache_bytes(architecture, metadata, n_ctx)
    overhead = 64 * MiB + (vocab_size or 32000) * _BATCH * 4
    layers = n_layers or 0
    gpu_layers = _choose_gpu_layers(size_bytes, kv, overhead, layers, gpu_offload, available_vram)
    need = size_bytes + kv + overhead
    on_gpu = gpu_layers / layers if layers else 0.0
    ram_need = int(need * (1 - on_gpu)) if available_vram is not None else need
    fits = available_ram is None or ram_need <= available_ram
    summary = _summary(need, ram_need, fits, available_ram, available_vram, gpu_layers, layers)
    return MemoryEstimate(size_bytes, kv, overhead, n_ctx, available_ram, gpu_offload,
                          available_vram, layers, gpu_layers, fits, summary)


AUTO_PARALLEL_MAX = 16  # sequences decoded together by default (docs/benchmarks.md, "Batched evaluation")


def auto_parallel(*, size_bytes: int, architecture: str, metadata: dict[str, Any], n_ctx: int,
                  vocab_size: int | None = None, available_ram: int | None = None,
                  cpu_count: int | None = None) -> int:
    """How many questions to decode together when the person has not chosen: up to
    `AUTO_PARALLEL_MAX`, as long as the extra conversation memory leaves a quarter of the
    free memory unused. 1 on a single core (batching needs spare compute) or when the
    model's shape is unknown."""
    from debop_desktop.core.llm.batched import batch_context

    cores = cpu_count if cpu_count is not None else (os.cpu_count() or 1)
    if cores < 2:
        return 1
    ram = available_ram if available_ram is not None else free_ram_bytes()
    base = kv_cache_bytes(architecture, metadata, n_ctx)
    if not base:
        return 1
    overhead = 64 * MiB + (vocab_size or 32000) * _BATCH * 4
    best = 1
    for n in range(2, AUTO_PARALLEL_MAX + 1):
        kv = kv_cache_bytes(architecture, metadata, batch_context(n_ctx, n))
        if ram is not None and size_bytes + kv + overhead > ram * 0.75:
            break
        best = n
    return best


def _choose_gpu_layers(size: int, kv: int, overhead: int, layers: int, gpu: bool,
                       vram: int | None) -> int:
    if not gpu or not layers:
        return 0
    if vram is None:  # offload but no VRAM figure: unified memory (Apple Metal)
        return layers
    per_layer = (size + kv) / layers
    usable = vram - overhead - 256 * MiB  # leave room for the driver and other apps
    return max(0, min(layers, int(usable // per_layer))) if per_layer > 0 else 0


def _summary(need: int, ram_need: int, fits: bool, ram: int | None, vram: int | None,
             gpu_layers: int, layers: int) -> str:
    if not fits:
        return messages.DOES_NOT_FIT.format(need=human_bytes(ram_need), free=human_bytes(ram or 0))
    if vram is not None and layers and gpu_layers == layers:
        return messages.FITS_ON_GPU.format(need=human_bytes(need), free=human_bytes(vram))
    text = messages.FITS_IN_RAM.format(
        need=human_bytes(ram_need), free=human_bytes(ram) if ram is not None else "unknown"
    )
    if 0 < gpu_layers < layers:
        text += " " + messages.FITS_PARTLY_ON_GPU.format(layers=gpu_layers, total=layers)
    return text



def gpu_offload_supported() -> bool:
    """True when this llama-cpp-python build can put layers on a GPU (CUDA, Metal, Vulkan)."""
    try:
        import llama_cpp

        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception:
        return False


def free_ram_bytes() -> int | None:
    """Memory available to a new program without swapping, or None if unknown."""
    try:
        if sys.platform.startswith("linux"):
            with open("/proc/meminfo") as fh:
                for line in fh:
                    if line.startswith("MemAvailable:"):
                        return int(line.split()[1]) * 1024
        if sys.platform == "win32":
            return _windows_free_ram()
        pages, size = os.sysconf("SC_AVPHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return int(pages * size)
    except (OSError, ValueError, AttributeError):
        return None


def _windows_free_ram() -> int | None:
    class MEMORYSTATUSEX(ctypes.Structure):
        _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong)] + [
            (n, ctypes.c_ulonglong) for n in ("ullTotalPhys", "ullAvailPhys", "ullTotalPageFile",
                                              "ullAvailPageFile", "ullTotalVirtual",
                                              "ullAvailVirtual", "ullAvailExtendedVirtual")
        ]

    stat = MEMORYSTATUSEX()
    stat.dwLength = ctypes.sizeof(MEMORYSTATUSEX)
    if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(stat)):  # type: ignore[attr-defined]
        return int(stat.ullAvailPhys)
    return None


def free_vram_bytes() -> int | None:
    """Free memory of the first NVIDIA GPU via nvidia-smi (a local program), else None."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "--query-gpu=memory.free", "--format=csv,noheader,nounits"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout
        return int(out.split()[0]) * MiB
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None
