"""The ceiling: a bare Flask app answering "hello" (`gunicorn bench.baselines.hello:app`)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
