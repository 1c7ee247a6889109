"""Stored uploads: the type is read from the content, never trusted from the name."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.clock import utcnow
from portal.core.problems import UserError
from portal.db import Base, UtcDateTime

# (extension, MIME type) by what the bytes are.
PDF = ("pdf", "application/pdf")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOC = ("doc", "application/msword")
XLS = ("xls", "application/vnd.ms-excel")
PNG = ("png", "image/png")
JPEG = ("jpg", "image/jpeg")
GIF = ("gif", "image/gif")
WEBP = ("webp", "image/webp")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class StoredFile(Base):
    """An uploaded file, stored under a generated name; the original name is kept for download."""

    __tablename__ = "stored_files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    extension: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class UploadError(UserError):
    """The file is refused; `code` says why (empty, too_large, damaged, not_allowed, not_photo)."""


@dataclass
class Sniffed:
    extension: str
    content_type: str


def sniff(data: bytes, filename: str) -> Sniffed:
    """Identify a PDF, Word, Excel or image file by its bytes; anything else is refused."""
    if data.startswith(b"%PDF-"):
        return Sniffed(*PDF)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(*PNG)
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(*JPEG)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed(*GIF)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Sniffed(*WEBP)
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise UploadError("damaged") from exc
        if "word/document.xml" in names:
            return Sniffed(*DOCX)
        if "xl/workbook.xml" in names:
            return Sniffed(*XLSX)
        raise UploadError("not_allowed")
    if data.startswith(OLE_MAGIC):
        # Old Office files share one container (OLE); its streams tell Word from Excel.
        return Sniffed(*_ole_kind(data))
    raise UploadError("not_allowed")


def _ole_kind(data: bytes) -> tuple[str, str]:
    """DOC or XLS when the bytes are a real OLE container holding a Word or Excel stream.

    The eight magic bytes alone prove nothing (they can precede an HTML page): the header must be
    consistent and the first directory sector must start with the root entry and name the stream.
    """
    refused = UploadError("not_allowed")
    if len(data) < 1536:
        raise refused
    major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
    if byte_order != 0xFFFE or (major, sector_shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        raise refused
    size = 1 << sector_shift
    first_dir = struct.unpack_from("<I", data, 48)[0]
    start = (first_dir + 1) * size
    if first_dir >= 0xFFFFFFFA or start + size > len(data):
        raise refused
    names = []
    for offset in range(start, start + size, 128):
        length = struct.unpack_from("<H", data, offset + 64)[0]
        if 2 <= length <= 64:
            names.append(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
    if not names or names[0] != "Root Entry":
        raise refused
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    raise refused


def download_name(record: StoredFile) -> str:
    """The original name with the extension of the type found in the bytes (never the uploader's)."""
    stem, dot, ext = record.original_name.rpartition(".")
    if not dot or not stem:
        stem, ext = record.original_name, ""
    same = ext.lower() == record.extension or (ext.lower() == "jpeg" and record.extension == "jpg")
    return record.original_name if same else f"{stem}.{record.extension}"


def clean_name(filename: str) -> str:
    """Keep the original (often Chinese) name for download, minus paths and control characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip(" .")[:200] or "attachment"


def store(db, folder: Path, data: bytes, filename: str, max_bytes: int, user_id: int | None) -> StoredFile:
    """Check and keep an uploaded file under a generated name; returns its record."""
    if not data:
        raise UploadError("empty")
    if len(data) > max_bytes:
        raise UploadError("too_large", mb=max_bytes // (1024 * 1024))
    kind = sniff(data, filename)
    file_id = uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{file_id}.{kind.extension}").write_bytes(data)
    record = StoredFile(
        id=file_id,
        original_name=clean_name(filename),
        content_type=kind.content_type,
        extension=kind.extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user_id,
        created_at=utcnow(),
    )
    db.add(record)
    return record


def path_of(folder: Path, record: StoredFile) -> Path:
    return folder / f"{record.id}.{record.extension}"
