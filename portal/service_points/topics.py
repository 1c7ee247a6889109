"""办事流程简图 by topic: the four topics the Chengguan plan names, read from content/guides/topics.yaml.

Steps say who acts and how long a step may take only where a published text says so; otherwise they
say the office sets the time. Each step's `source` is for staff and never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal.config import ROOT
from portal.core.content_checks import ContentError
from portal.core.content_files import parse_yaml
from portal.core.offices import KINDS

TOPICS_FILE = ROOT / "content" / "guides" / "topics.yaml"
WHO = (*KINDS, "you", "bank")


@dataclass(frozen=True)
class Step:
    """One box of a flow: who acts, what they do, how long it may take."""

    who: str
    title: str
    title_en: str
    detail: str = ""
    detail_en: str = ""
    duration: str = ""
    duration_en: str = ""
    source: str = ""


@dataclass(frozen=True)
class Topic:
    """A topic guide: plain-words introduction, the office that decides, the flow."""

    id: str
    title: str
    title_en: str
    intro: str
    intro_en: str
    office: str
    benefit_kinds: tuple[str, ...]
    categories: tuple[str, ...]
    steps: tuple[Step, ...]


def read_topics(path: Path) -> tuple[Topic, ...]:
    """Every topic of the file; a wrong field stops with a message naming the topic and field."""
    out = []
    for i, raw in enumerate(parse_yaml(path.read_text(encoding="utf-8")) or []):
        where = f"{path} [{i}]"
        try:
            steps = tuple(Step(**s) for s in raw.get("steps") or [])
            topic = Topic(
                **{
                    **raw,
                    "steps": steps,
                    "benefit_kinds": tuple(raw.get("benefit_kinds") or ()),
                    "categories": tuple(raw.get("categories") or ()),
                }
            )
        except TypeError as exc:
            raise ContentError(f"{where}: {exc}") from exc
        if topic.office not in KINDS:
            raise ContentError(f"{where}: field 'office': '{topic.office}' is not one of {', '.join(KINDS)}")
        for n, step in enumerate(topic.steps):
            if step.who not in WHO:
                raise ContentError(
                    f"{where}: field 'steps[{n}].who': '{step.who}' is not one of {', '.join(WHO)}"
                )
        out.append(topic)
    return tuple(out)


@cache
def _topics() -> tuple[Topic, ...]:
    return read_topics(TOPICS_FILE)


TOPICS = _topics()
TOPIC_BY_ID = {t.id: t for t in TOPICS}
# Which topic a benefit belongs to, by its kind (its flow is drawn on its page).
TOPIC_OF_KIND = {kind: t.id for t in TOPICS for kind in t.benefit_kinds}


def topic_for_benefit(kind: str, office: str | None) -> Topic | None:
    """A benefit's topic: registration help goes with registration, otherwise by its kind."""
    if office == "market":
        return TOPIC_BY_ID.get("registration")
    return TOPIC_BY_ID.get(TOPIC_OF_KIND.get(kind, ""))


def topic_for_categories(categories: list[str]) -> Topic | None:
    """The topic of a policy: the first topic sharing one of its categories."""
    for topic in TOPICS:
        if set(topic.categories) & set(categories):
            return topic
    return None
