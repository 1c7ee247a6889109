"""Open data downloads and the page that describes them (licence and data dictionary)."""

from __future__ import annotations

import json

from flask import abort, current_app, render_template

from portal import db
from portal.core.clock import utcnow
from portal.opendata import bp, datasets

MIMETYPES = {"csv": "text/csv", "json": "application/json", "geojson": "application/geo+json"}


def licence() -> dict[str, str]:
    cfg = current_app.config
    return {"name": cfg["OPEN_DATA_LICENCE"], "url": cfg["OPEN_DATA_LICENCE_URL"]}


@bp.get("")
def index():
    return render_template("opendata/index.html", datasets=datasets.DATASETS.values(), licence=licence())


@bp.get("/<dataset_id>.<fmt>")
def download(dataset_id: str, fmt: str):
    dataset = datasets.DATASETS.get(dataset_id)
    if dataset is None or fmt not in dataset.formats:
        abort(404)
    rows = datasets.records(db.session(), dataset)
    generated = utcnow().isoformat(timespec="seconds") + "Z"
    if fmt == "csv":
        body = datasets.to_csv(dataset, rows)
    elif fmt == "geojson":
        body = json.dumps(_geojson(rows, generated), ensure_ascii=False)
    else:
        body = json.dumps(
            {
                "dataset": dataset.id,
                "title": str(dataset.title),
                "licence": licence(),
                "generated_at": generated,
                "count": len(rows),
                "fields": [
                    {"name": f.name, "type": f.type, "description": str(f.description)}
                    for f in dataset.fields
                ],
                "records": rows,
            },
            ensure_ascii=False,
        )
    response = current_app.response_class(body, mimetype=MIMETYPES[fmt])
    if fmt == "csv":
        response.mimetype_params["charset"] = "utf-8"
        response.headers["Content-Disposition"] = f"attachment; filename={dataset.id}.csv"
    if licence()["url"]:
        response.headers["Link"] = f'<{licence()["url"]}>; rel="license"'
    return response


def _geojson(rows: list[dict], generated: str) -> dict:
    features = [
        {
            "type": "Feature",
            "id": row["id"],
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: v for k, v in row.items() if k not in ("lat", "lon")},
        }
        for row in rows
        if row["lat"] is not None and row["lon"] is not None
    ]
    return {
        "type": "FeatureCollection",
        "licence": licence(),
        "generated_at": generated,
        "features": features,
    }
