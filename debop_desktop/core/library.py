"""The model library: GGUF files the person has registered (by path, never copied)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from debop_desktop.core import messages
from debop_desktop.core.errors import BadModelFile, ModelFileChanged, ModelNotFound
from debop_desktop.core.gguf_info import ModelInfo, read_model_info, stat_regular_file
from debop_desktop.core.hashing import Progress, sha256_file
from debop_desktop.core.store import Store


@dataclass(frozen=True)
class ModelRecord:
    """A row of the library, as plain data."""

    id: int
    kind: str
    name: str
    path: str | None
    sha256: str | None
    size_bytes: int | None
    architecture: str | None
    parameter_count: int | None
    quantization: str | None
    n_layers: int | None
    context_length: int | None
    vocab_size: int | None
    has_chat_template: bool
    source: str
    added_at: float
    metadata: dict[str, Any]
    endpoint: str | None = None
    remote_model: str | None = None
    mtime: float | None = None  # the file's modification time when it was added (or last checked)

    @property
    def is_remote(self) -> bool:
        return self.kind == "server"

    @property
    def file_present(self) -> bool:
        if self.is_remote:
            return True
        return bool(self.path) and os.path.isfile(self.path)  # type: ignore[arg-type]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ModelRecord:
        return cls(
            id=row["id"], kind=row["kind"], name=row["name"], path=row["path"],
            sha256=row["sha256"], size_bytes=row["size_bytes"],
            architecture=row["architecture"], parameter_count=row["parameter_count"],
            quantization=row["quantization"], n_layers=row["n_layers"],
            context_length=row["context_length"], vocab_size=row["vocab_size"],
            has_chat_template=bool(row["has_chat_template"]), source=row["source"],
            added_at=row["added_at"], metadata=json.loads(row["metadata_json"] or "{}"),
            endpoint=row["endpoint"], remote_model=row["remote_model"], mtime=row["mtime"],
        )

    @property
    def file_state(self) -> Literal["ok", "missing", "changed", "touched", "remote"]:
        """A cheap look (no hashing): 'changed' when the size differs, 'touched' when only the
        modification time does (the weights may be the same; `ModelLibrary.check_file` tells)."""
        if self.is_remote:
            return "remote"
        try:
            st = os.stat(self.path or "")
        except OSError:
            return "missing"
        if self.size_bytes is not None and st.st_size != self.size_bytes:
            return "changed"
        return "touched" if self.mtime is not None and st.st_mtime != self.mtime else "ok"


@dataclass(frozen=True)
class AddResult:
    record: ModelRecord
    status: Literal["added", "already", "moved"]

    @property
    def message(self) -> str:
        if self.status == "already":
            return messages.MODEL_ALREADY_ADDED.format(name=self.record.name)
        if self.status == "moved":
            return messages.MODEL_MOVED
        return ""


class ModelLibrary:
    """Register, list, find and remove models. Never writes to or deletes a model file."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        source: str = "added",
        progress: Progress | None = None,
    ) -> AddResult:
        """Validate, hash and register a GGUF; raise `BadModelFile` and register nothing
        if the file is not a usable model. The same file under another path is
        recognised by its hash and not registered twice."""
        info = read_model_info(path)
        same_path = self._row_where("path = ?", info.path)
        if same_path and same_path["size_bytes"] == info.size_bytes and same_path["mtime"] == info.mtime:
            return AddResult(ModelRecord.from_row(same_path), "already")
        digest = sha256_file(info.path, progress)
        twin = self._row_where("sha256 = ? AND kind = 'gguf'", digest)
        if twin and twin["path"] != info.path and os.path.isfile(twin["path"]):
            return AddResult(ModelRecord.from_row(twin), "already")
        columns = _columns(info, digest, name, source)
        with self.store.transaction() as conn:
            existing = same_path or twin
            if existing:
                columns.pop("added_at")
                columns["name"] = existing["name"] if name is None else columns["name"]
                sets = ", ".join(f"{k} = ?" for k in columns)
                conn.execute(f"UPDATE models SET {sets} WHERE id = ?", (*columns.values(), existing["id"]))
                model_id, status = existing["id"], ("added" if same_path else "moved")
            else:
                keys = ", ".join(columns)
                marks = ", ".join("?" for _ in columns)
                cur = conn.execute(f"INSERT INTO models ({keys}) VALUES ({marks})", tuple(columns.values()))
                model_id, status = cur.lastrowid, "added"
        return AddResult(self.get(model_id), status)  # type: ignore[arg-type]

    def add_server(self, base_url: str, model: str, *, name: str | None = None, api_key: str | None = None,
                   concurrency: int = 4) -> ModelRecord:
        """Register a model served by an OpenAI-compatible server (nothing is contacted here).
        The API key, if any, is kept in this computer's database."""
        base = base_url.rstrip("/")
        meta = {"api_key": api_key, "concurrency": concurrency}
        with self.store.transaction() as conn:
            row = conn.execute("SELECT id FROM models WHERE kind = 'server' AND endpoint = ? AND remote_model = ?",
                               (base, model)).fetchone()
            if row:
                conn.execute("UPDATE models SET name = COALESCE(?, name), metadata_json = ? WHERE id = ?",
                             (name, json.dumps(meta), row[0]))
                model_id = row[0]
            else:
                cur = conn.execute(
                    "INSERT INTO models (kind, name, endpoint, remote_model, metadata_json, source, added_at) "
                    "VALUES ('server', ?, ?, ?, ?, 'server', ?)",
                    (name or f"{model} @ {base}", base, model, json.dumps(meta), time.time()))
                model_id = cur.lastrowid
        return self.get(model_id)  # type: ignore[arg-type]

    def list(self) -> list[ModelRecord]:
        rows = self.store.db.query("SELECT * FROM models ORDER BY name COLLATE NOCASE, id")
        return [ModelRecord.from_row(r) for r in rows]

    def get(self, ref: int | str) -> ModelRecord:
        """Find a model by id, exact name, or a name fragment that matches only one."""
        if isinstance(ref, int) or str(ref).isdigit():
            row = self._row_where("id = ?", int(ref))
            if row:
                return ModelRecord.from_row(row)
            raise ModelNotFound(messages.MODEL_NOT_FOUND.format(ref=ref))
        text = str(ref).strip()
        rows = list(self.store.db.query("SELECT * FROM models WHERE name = ? COLLATE NOCASE", [text]))
        if not rows:
            rows = list(self.store.db.query(
                "SELECT * FROM models WHERE name LIKE ? OR path LIKE ?", [f"%{text}%", f"%{text}%"]
            ))
        if len(rows) == 1:
            return ModelRecord.from_row(rows[0])
        if not rows:
            raise ModelNotFound(messages.MODEL_NOT_FOUND.format(ref=ref))
        raise ModelNotFound(messages.MODEL_AMBIGUOUS.format(ref=ref))

    def remove(self, ref: int | str) -> ModelRecord:
        """Forget a model. The file on disk is left exactly where it is."""
        record = self.get(ref)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM models WHERE id = ?", (record.id,))
        return record

    def check_file(self, record: ModelRecord, progress: Progress | None = None) -> ModelRecord:
        """Make sure the model's file still holds the weights that were added; call before each load.

        Size and modification time are compared first (microseconds); only when the time
        changed and the size did not is the file hashed again. Same hash: the stored time is
        updated and the (fresh) record returned. Different weights: `ModelFileChanged`. A file
        that is gone or unreadable: `BadModelFile`. Server models are returned unchanged."""
        if record.is_remote or not record.path:
            return record
        record = self.get(record.id)  # the stored size and time, not a copy read earlier
        st = stat_regular_file(Path(record.path))
        if st.st_size == record.size_bytes and st.st_mtime == record.mtime:
            return record
        if st.st_size == record.size_bytes:
            try:
                digest = sha256_file(record.path, progress)
            except OSError as exc:
                raise BadModelFile(messages.MODEL_UNREADABLE.format(path=record.path), str(exc)) from exc
            if digest == record.sha256:
                with self.store.transaction() as conn:
                    conn.execute("UPDATE models SET mtime = ? WHERE id = ?", (st.st_mtime, record.id))
                return self.get(record.id)
            why = f"sha256 was {record.sha256}, is now {digest}"
        else:
            why = f"size was {record.size_bytes} bytes, is now {st.st_size}"
        raise ModelFileChanged(messages.MODEL_FILE_CHANGED.format(name=record.name, path=record.path), why)

    def find_by_path(self, path: str | os.PathLike[str]) -> ModelRecord | None:
        row = self._row_where("path = ?", str(Path(path).expanduser().resolve()))
        return ModelRecord.from_row(row) if row else None

    def _row_where(self, where: str, value: Any) -> dict[str, Any] | None:
        rows = list(self.store.db.query(f"SELECT * FROM models WHERE {where} LIMIT 1", [value]))
        return rows[0] if rows else None


def _columns(info: ModelInfo, digest: str, name: str | None, source: str) -> dict[str, Any]:
    return {
        "kind": "gguf", "name": name or info.name, "path": info.path, "sha256": digest,
        "size_bytes": info.size_bytes, "mtime": info.mtime, "architecture": info.architecture,
        "parameter_count": info.parameter_count, "quantization": info.quantization,
        "file_type": info.file_type, "n_layers": info.n_layers,
        "context_length": info.context_length, "vocab_size": info.vocab_size,
        "has_chat_template": int(info.has_chat_template),
        "metadata_json": json.dumps(info.metadata, default=str), "source": source, "added_at": time.time(),
    }
