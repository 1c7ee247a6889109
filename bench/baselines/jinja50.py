"""A Flask page rendering 50 list items through a Jinja layout and a macro, with no database: what a
list page costs when only templating is paid (`gunicorn bench.baselines.jinja50:app`)."""

import datetime as dt

from flask import Flask, render_template, url_for
from jinja2 import DictLoader

PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><header><nav>{% for label, href in nav %}<a href="{{ href }}">{{ label }}</a> {% endfor %}</nav>
</header>
{% macro item(row) -%}
<li class="result"><h3><a href="{{ url_for('detail', item_id=row.id) }}">{{ row.title }}</a></h3>
<p class="meta">{{ row.region }} · {{ row.level }} · {{ row.date.isoformat() }}</p>
<p>{{ row.summary|truncate(120) }}</p>
<ul class="tags">{% for tag in row.tags %}<li>{{ tag }}</li>{% endfor %}</ul></li>
{%- endmacro %}
<main><h1>{{ title }}</h1><ol>{% for row in rows %}{{ item(row) }}{% endfor %}</ol></main>
<footer>{{ rows|length }} items</footer></body></html>"""

app = Flask(__name__)
# Compiled once and cached, as the portal's template files are.
app.jinja_loader = DictLoader({"page.html": PAGE})

ROWS = [
    {
        "id": f"item-{i}",
        "title": f"关于支持大众创业万众创新的若干措施（第{i}号）",
        "region": "河北省",
        "level": "省级",
        "date": dt.date(2024, 1, 1) + dt.timedelta(days=i),
        "summary": "对符合条件的创业孵化基地、众创空间给予房租补贴和运营补贴，" * 4,
        "tags": ["创业担保贷款", "房租补贴", "孵化器"],
    }
    for i in range(50)
]


@app.get("/")
def index() -> str:
    nav = [("首页", "/"), ("政策", "/policies"), ("地图", "/map"), ("测一测", "/eligibility")]
    return render_template("page.html", title="政策库", rows=ROWS, nav=nav)


@app.get("/items/<item_id>")
def detail(item_id: str) -> str:
    return url_for("detail", item_id=item_id)
