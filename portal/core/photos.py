"""Listing photos: recognised as images by their content, resized, re-encoded without metadata."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from portal.core.clock import utcnow
from portal.core.files import StoredFile, UploadError, clean_name

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
MAX_PHOTOS = 10


def process(data: bytes, max_bytes: int, max_side: int) -> bytes:
    """A clean JPEG of the photo, at most `max_side` pixels per side; UploadError otherwise."""
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large", mb=max_bytes // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UploadError("not_photo")
            if image.width * image.height > MAX_PIXELS:
                raise UploadError("not_photo")
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise UploadError("not_photo") from exc
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
    image = image.convert("RGB")
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    # A new image without info or EXIF: location and camera details in the upload are not kept.
    Image.frombytes("RGB", image.size, image.tobytes()).save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_photo(
    db, folder: Path, data: bytes, filename: str, max_bytes: int, max_side: int, user_id: int | None
) -> StoredFile:
    """Check, clean and keep one photo under a generated name."""
    clean = process(data, max_bytes, max_side)
    file_id = uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{file_id}.jpg").write_bytes(clean)
    record = StoredFile(
        id=file_id,
        original_name=clean_name(filename),
        content_type="image/jpeg",
        extension="jpg",
        size=len(clean),
        sha256=hashlib.sha256(clean).hexdigest(),
        uploaded_by=user_id,
        created_at=utcnow(),
    )
    db.add(record)
    return record
