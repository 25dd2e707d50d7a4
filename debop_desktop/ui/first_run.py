"""The first-run checklist: four buttons across the top of an empty window (add a model → add
examples → tune → check the result), each ticked when done; hidden once all four are."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from debop_desktop.core import messages
from debop_desktop.core.datasets.repository import DatasetRepository
from debop_desktop.core.library import ModelLibrary
from debop_desktop.core.optimizer.run_repository import RunRepository
from debop_desktop.core.store import Store


class FirstRunChecklist(QFrame):
    step_chosen = Signal(int)  # 0 add a model, 1 add examples, 2 tune, 3 check the result

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{messages.FIRST_RUN_TITLE}</b>")
        self.buttons: list[QPushButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title)
        for i, (text, help_text) in enumerate(zip(messages.FIRST_RUN_STEPS, messages.FIRST_RUN_HELP, strict=True)):
            button = QPushButton(text)
            button.setToolTip(help_text)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, step=i: self.step_chosen.emit(step))
            if i:
                layout.addWidget(QLabel("→"))
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self.refresh()

    def done_steps(self) -> list[bool]:
        has_model = bool(ModelLibrary(self.store).list())
        has_task = bool(DatasetRepository(self.store).list())
        runs = RunRepository(self.store).counts()
        # a run started, paused or stopped is not tuned yet: "Tune" is done when one has finished
        return [has_model, has_task, runs.finished > 0, runs.finished > 0]

    def refresh(self) -> None:
        """Tick what is done, make the next step the default button, hide when all is done."""
        done = self.done_steps()
        upcoming = next((i for i, d in enumerate(done) if not d), None)
        for i, (button, text) in enumerate(zip(self.buttons, messages.FIRST_RUN_STEPS, strict=True)):
            button.setText(f"✓ {text.split(maxsplit=1)[1]}" if done[i] else text)
            button.setDefault(i == upcoming)
            font = button.font()
            font.setBold(i == upcoming)
            button.setFont(font)
        self.setVisible(upcoming is not None)
