"""Upload checks: the type is read from the content, never trusted from the name or browser."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileKind("application/pdf", (".pdf",), "PDF")
PNG = FileKind("image/png", (".png",), "PNG")
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"), "JPEG")
DOCX = FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX")
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",), "ODT")
DOCUMENT_KINDS = (PDF, DOCX, ODT, PNG, JPEG)

# A zip that expands beyond this, or holds more entries, is refused without being unpacked.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000


def _sniff_zip(handle: IO[bytes]) -> FileKind | None:
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
                raise ValidationError(
                    _("Filen pakker seg ut til noe altfor stort og kan ikke tas imot."), code="zip_bomb"
                )
            names = {e.filename for e in entries}
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].strip()
                if mimetype == ODT.content_type.encode():
                    return ODT
    except zipfile.BadZipFile:
        return None
    return None


def sniff(handle: IO[bytes]) -> FileKind | None:
    """The kind of document in ``handle`` judged from its bytes, or None if not one we accept."""
    handle.seek(0)
    head = handle.read(16)
    handle.seek(0)
    kind: FileKind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _sniff_zip(handle)
    handle.seek(0)
    return kind


def validate_document(upload, *, max_bytes: int, kinds: tuple[FileKind, ...] = DOCUMENT_KINDS) -> FileKind:
    """Check size, content type and that the name's extension matches the content."""
    allowed = ", ".join(k.label for k in kinds)
    if upload.size > max_bytes:
        raise ValidationError(
            _("«%(name)s» er for stor (%(size)s MB). Største tillatte størrelse er %(max)s MB.")
            % {"name": upload.name, "size": round(upload.size / 1024 / 1024, 1), "max": max_bytes // 1024 // 1024},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("«%(name)s» er tom.") % {"name": upload.name}, code="empty")
    kind = sniff(upload)
    if kind is None or kind not in kinds:
        raise ValidationError(
            _("«%(name)s» er ikke en filtype vi tar imot. Tillatte typer: %(allowed)s.")
            % {"name": upload.name, "allowed": allowed},
            code="type",
        )
    if not upload.name.lower().endswith(kind.extensions):
        raise ValidationError(
            _("«%(name)s» er en %(kind)s-fil, men navnet sier noe annet. Gi filen riktig endelse (%(ext)s).")
            % {"name": upload.name, "kind": kind.label, "ext": kind.extensions[0]},
            code="mislabelled",
        )
    return kind
