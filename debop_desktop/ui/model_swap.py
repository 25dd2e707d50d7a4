"""Ask before one model replaces another (the app keeps one loaded: core/llm/host.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from debop_desktop.core import messages
from debop_desktop.core.library import ModelRecord
from debop_desktop.core.llm.host import model_host
from debop_desktop.ui.plain_text import literal


def confirm_model_swap(parent: QWidget | None, record: ModelRecord) -> bool:
    """True when `record` may be loaded: nothing else is loaded, it is already loaded, it is
    a server model, or the person agreed to unload the other one. A model busy with a run is
    refused later, by the host, with a message naming who uses it."""
    if record.is_remote:
        return True
    current = model_host().would_swap(record.path)
    if current is None or model_host().busy_with():
        return True
    answer = QMessageBox.question(parent, "Load another model?",
                                  literal(messages.MODEL_SWAP_QUESTION.format(current=current, wanted=record.name)))
    return answer == QMessageBox.StandardButton.Yes
