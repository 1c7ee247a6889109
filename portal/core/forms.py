"""Form pieces every area uses."""

from __future__ import annotations

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes in a fieldset instead of a multi-select (easier to use, works without JS)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
