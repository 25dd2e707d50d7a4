"""A GGUF without a chat template is a base model: the Models page says why plain questions go
poorly with it (issue 24), and Say hello still answers through the plain transcript."""

from debop_desktop.core.library import ModelLibrary
from debop_desktop.ui.model_panels import DetailsPanel

NOTE = "base model (no chat template): works best with examples"


def test_the_models_page_says_a_model_without_a_chat_template_is_a_base_model(qtbot, store, tiny_gguf,
                                                                               tiny_gguf_no_template):
    library = ModelLibrary(store)
    base, chat = library.add(tiny_gguf_no_template).record, library.add(tiny_gguf).record
    panel = DetailsPanel(store)
    qtbot.addWidget(panel)
    panel.show_record(base)
    assert NOTE in panel.info.toPlainText() and "a few solved examples" in panel.info.toPlainText()
    panel.say_hello()
    qtbot.waitUntil(lambda: panel.hello_button.isEnabled(), timeout=30000)
    assert "It works:" in panel.reply.toPlainText()
    panel.show_record(chat)
    assert NOTE not in panel.info.toPlainText()
