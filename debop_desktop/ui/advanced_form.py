"""The Advanced section of the Optimize page: one control for every field of OptimizerConfig,
labelled in plain words (core/messages.py), starting from the chosen preset."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from debop_desktop.core import behaviors, messages
from debop_desktop.core.optimizer.baselines import METHOD_LABELS
from debop_desktop.core.optimizer.config import OptimizerConfig

# knobs where 0 means "none": the special text shown for 0
OPTIONAL = {"dev_limit": "all", "test_limit": "all", "max_model_calls": "no limit"}
RANGES: dict[str, tuple[float, float]] = {
    "plan_temperature": (0.0, 2.0), "plan_alpha": (0.0, 5.0), "exploration": (0.0, 5.0),
    "reward_alpha": (0.0, 5.0), "reward_beta": (0.0, 5.0), "reward_lambda": (0.0, 5.0),
    "early_stop_probability": (0.0, 1.0), "race_confidence": (0.5, 0.999),
}


class AdvancedForm(QWidget):
    """A tick box, "Advanced"; ticked, every knob under it in a frame. Unticked, only the tick
    box shows (a checkable QGroupBox would leave an empty frame under its title)."""

    changed = Signal()  # any knob moved (the page's estimate follows)
    toggled = Signal(bool)  # Advanced ticked or unticked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(messages.ADVANCED_TITLE)
        self.check.setToolTip(messages.ADVANCED_HELP)
        self.controls: dict[str, Any] = {}
        self.baselines: dict[str, QCheckBox] = {}
        self.frame = QFrame()  # shown only while Advanced is ticked: the preset speaks otherwise
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        self.body = QWidget()
        inside = QVBoxLayout(self.frame)
        inside.setContentsMargins(4, 4, 4, 4)
        inside.addWidget(self.body)
        self.frame.setVisible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.check)
        outer.addWidget(self.frame)
        self.check.toggled.connect(self.frame.setVisible)
        self.check.toggled.connect(self.toggled)
        form = QFormLayout(self.body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a long label puts its box below it
        form.setContentsMargins(4, 4, 4, 4)
        for f in dataclasses.fields(OptimizerConfig):
            if f.name == "baselines":
                row = QVBoxLayout()  # one a line: the column is narrow
                row.setContentsMargins(12, 0, 0, 0)
                for method, label in METHOD_LABELS.items():  # plain name; the technical one in the tooltip
                    if (kind := behaviors.kind(method)) is not None and not kind.comparable:
                        continue
                    self.baselines[method] = QCheckBox(messages.BASELINE_CHOICES.get(method, label))
                    self.baselines[method].setToolTip(label)
                    row.addWidget(self.baselines[method])
                title = QLabel(messages.ADVANCED_COMPARE_LABEL)
                title.setToolTip(messages.ADVANCED_COMPARE_HELP)
                form.addRow(title)
                form.addRow(row)
                continue
            # a knob without plain words yet still gets a control, not a crash of the window
            label, help_text = messages.OPTIMIZER_KNOBS.get(f.name, (f.name.replace("_", " ").capitalize(), ""))
            control = self._control(f.name, f.type if isinstance(f.type, str) else str(f.type))
            control.setToolTip(help_text)
            (control.toggled if isinstance(control, QCheckBox) else control.valueChanged).connect(self.changed)
            self.controls[f.name] = control
            if isinstance(control, QCheckBox):
                control.setText(label)
                form.addRow(control)
            else:
                form.addRow(label, control)
                form.labelForField(control).setToolTip(help_text)

    @staticmethod
    def _control(name: str, type_name: str) -> Any:
        if type_name.startswith("bool"):
            return QCheckBox()
        if type_name.startswith("float"):
            box = QDoubleSpinBox()
            box.setDecimals(3 if name == "race_confidence" else 2)
            box.setSingleStep(0.05)
            box.setRange(*RANGES.get(name, (0.0, 10.0)))
            return box
        box = QSpinBox()
        box.setRange(0 if name in OPTIONAL or name == "seed" else 1, 10**6 if name in ("seed", "max_model_calls")
                     else 10_000)
        if name in OPTIONAL:
            box.setSpecialValueText(OPTIONAL[name])
        return box

    def setChecked(self, on: bool) -> None:  # noqa: N802 - reads like the QGroupBox it replaces
        self.check.setChecked(on)

    def isChecked(self) -> bool:  # noqa: N802
        return self.check.isChecked()

    def set_config(self, config: OptimizerConfig) -> None:
        for name, control in self.controls.items():
            value = getattr(config, name)
            if isinstance(control, QCheckBox):
                control.setChecked(bool(value))
            else:
                control.setValue(0 if value is None else value)
        for method, box in self.baselines.items():
            box.setChecked(method in config.baselines)
        self.baselines["tuned"].setEnabled(False)  # the tuned behavior is always judged

    def config(self) -> OptimizerConfig:
        values: dict[str, Any] = {}
        for name, control in self.controls.items():
            if isinstance(control, QCheckBox):
                values[name] = control.isChecked()
            else:
                value = control.value()
                values[name] = (value or None) if name in OPTIONAL else value
        values["baselines"] = tuple(m for m, box in self.baselines.items() if box.isChecked() or m == "tuned")
        return OptimizerConfig(**values)
