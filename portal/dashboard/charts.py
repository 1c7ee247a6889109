"""Charts drawn on the server as SVG (pygal), with no script: the page shows them as images."""

from __future__ import annotations

import re

import pygal
from pygal.style import Style

from portal.dashboard.metrics import Panel

SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
# Patterned by position as well as colour: the table beside each chart carries the numbers.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#000",
    foreground_subtle="#666",
    colors=("#1d4e89", "#d1495b", "#00798c", "#edae49"),
    font_family="sans-serif",
    label_font_size=12,
    legend_font_size=13,
    major_label_font_size=12,
)


def svg(panel: Panel) -> str:
    """The panel's series as a bar chart, one group per period."""
    chart = pygal.Bar(
        js=[],
        style=STYLE,
        width=760,
        height=340,
        legend_at_bottom=True,
        x_label_rotation=45 if len(panel.labels) > 8 else 0,
        truncate_label=-1,
        show_minor_x_labels=len(panel.labels) <= 31,
        print_values=False,
        include_x_axis=True,
    )
    chart.title = str(panel.title)
    chart.x_labels = panel.labels
    for name, values in panel.series.items():
        chart.add(name, values)
    # pygal always writes a config <script> for its optional tooltips; the image needs none.
    return SCRIPT.sub("", chart.render(is_unicode=True))
