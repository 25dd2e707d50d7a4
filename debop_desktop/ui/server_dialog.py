"""'Add a server model': an OpenAI-compatible server the person runs (llama.cpp, vLLM, Ollama)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core.llm.server import ServerBackend, ServerConfig, privacy_warning
from debop_desktop.ui.background import run_in_background
from debop_desktop.ui.errors import describe
from debop_desktop.ui.plain_text import plain_label


class AddServerDialog(QDialog):
    """Collects URL, model name, optional API key and concurrency; 'Test connection' lists the
    server's models. Nothing is sent anywhere until the person presses it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a server model")
        self.setMinimumWidth(480)
        self.url = QLineEdit()
        self.url.setPlaceholderText("http://127.0.0.1:8080")
        self.model = QComboBox()
        self.model.setEditable(True)
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("only if the server needs one")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 32)
        self.concurrency.setValue(4)
        self.test_button = QPushButton("Test connection")
        self.status = plain_label(QLabel("Enter the address of a server you run, then test the connection."))
        self.status.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b35900;")
        self.warning.hide()
        form = QFormLayout()
        form.addRow("Server address", self.url)
        form.addRow("Model name", self.model)
        form.addRow("API key", self.api_key)
        form.addRow("Requests at once", self.concurrency)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.status)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self.test_button.clicked.connect(self.test_connection)
        self.url.textChanged.connect(self._update)
        self.model.currentTextChanged.connect(self._update)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._update()

    def _update(self) -> None:
        url = self.url.text().strip()
        warning = privacy_warning(url) if url else None
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(url) and bool(self.model.currentText().strip()))

    def config(self) -> ServerConfig:
        return ServerConfig(self.url.text().strip(), self.model.currentText().strip(),
                            api_key=self.api_key.text() or None, retries=1, timeout=15,
                            max_concurrency=self.concurrency.value())

    def test_connection(self):
        self.test_button.setEnabled(False)
        self.status.setText("Connecting…")
        config = self.config()
        return run_in_background(lambda: ServerBackend(config).list_models(), self._listed, self._failed)

    def _listed(self, models: list[str]) -> None:
        self.test_button.setEnabled(True)
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(models)
        if current:
            self.model.setCurrentText(current)
        self.status.setText(f"Connected. The server offers: {', '.join(models) or '(no list)'}.")

    def _failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(describe(exc)[0])
