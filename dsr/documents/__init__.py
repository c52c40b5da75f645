"""Where shared documents are kept, and what kind of file an upload really is.

Files live under `settings.DOCUMENTS_ROOT`, outside anything the web server or Django serves,
each under a random name the application generates. They are only ever read back through the
access-checked download view. The type of a file is worked out from its first bytes, never
from the name or the Content-Type the browser sent.
"""

import hashlib
import os
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_SIZE = 10 * 1024 * 1024
MAX_SIZE_TEXT = "10 MB"
NOT_ACCEPTED = "The file must be a PDF, Word document or image"
STORED_NAME = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG image")
JPEG = FileType("image/jpeg", "jpg", "JPEG image")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word")
DOC = FileType("application/msword", "doc", "Word")
TYPES = {t.content_type: t for t in (PDF, PNG, JPEG, DOCX, DOC)}

_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"


def _is_docx(file: UploadedFile) -> bool:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith("word/") for name in names)


def detect(file: UploadedFile) -> FileType | None:
    """The kind of file from its content, or None when it is not one the register accepts."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_PNG):
        return PNG
    if head.startswith(_JPEG):
        return JPEG
    if head.startswith(_OLE):
        return DOC
    if head.startswith(_ZIP) and _is_docx(file):
        return DOCX
    return None


def check(file: UploadedFile) -> FileType:
    """The file's type, or ValidationError saying why it cannot be kept."""
    if not file.size:
        raise ValidationError("The selected file is empty", code="empty")
    if file.size > MAX_SIZE:
        raise ValidationError(f"The file must be smaller than {MAX_SIZE_TEXT}", code="too_big")
    found = detect(file)
    if found is None:
        raise ValidationError(NOT_ACCEPTED, code="type")
    return found


def root() -> Path:
    return Path(settings.DOCUMENTS_ROOT)


def new_name() -> str:
    """A random name for a stored file: nothing of the uploaded file's name is kept on disk."""
    return secrets.token_hex(16)


def path_for(stored_name: str) -> Path:
    """The path of a stored file. Only names this module generated are accepted."""
    if not STORED_NAME.fullmatch(stored_name or ""):
        raise ValueError("Not a stored document name")
    return root() / stored_name


def store(file: UploadedFile, stored_name: str) -> tuple[str, int]:
    """Write the upload under its generated name (never overwriting); its SHA-256 and size."""
    path = path_for(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            for chunk in file.chunks():
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        remove(stored_name)
        raise
    return digest.hexdigest(), size


def remove(stored_name: str) -> None:
    """Delete a stored file; one already gone is not an error."""
    path_for(stored_name).unlink(missing_ok=True)


def open_stored(stored_name: str):
    """The stored file, opened for reading (FileNotFoundError when it has gone)."""
    return path_for(stored_name).open("rb")
