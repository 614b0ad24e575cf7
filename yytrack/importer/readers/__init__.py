"""Reading a document file into policy text: the format is told by the content, not the name.

Every input is untrusted: links and special files are refused, the file size is bounded, and each
reader bounds what it unpacks (zip members, PDF pages). Tables come out as numbered measure lines
(see importer.tables), so the structure reader sees one kind of text whatever the format was.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from yytrack.errors import UsageProblem

MAX_FILE_BYTES = 30 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, after refusing directories, links, special files and oversized files."""
    try:
        info = os.lstat(path)
    except OSError as e:
        raise UsageProblem(f"无法读取“{path}”（{e.strerror}）") from e
    if stat.S_ISDIR(info.st_mode):
        raise UsageProblem(f"“{path}”是目录，请指定文件")
    if stat.S_ISLNK(info.st_mode):
        raise UsageProblem(f"“{path}”是符号链接，为安全起见不读取，请指定文件本身")
    if not stat.S_ISREG(info.st_mode):
        raise UsageProblem(f"“{path}”不是普通文件，不读取")
    if info.st_size > MAX_FILE_BYTES:
        raise UsageProblem(f"“{path.name}”有 {info.st_size // 1024 // 1024} MB，超过导入上限 "
                           f"{MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise UsageProblem(f"无法读取“{path}”（{e.strerror}）") from e


def detect(raw: bytes) -> str:
    """'docx', 'pdf', 'html', 'ole' (.doc/.wps), 'zip' (another zip) or 'text', from the bytes."""
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if raw.startswith(OLE_MAGIC):
        return "ole"
    if raw.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in raw[:65536] or _has_document_xml(raw) else "zip"
    if b"%PDF-" in raw[:1024]:
        return "pdf"
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered[:512] \
            or (lowered.startswith(b"<") and (b"<body" in raw[:65536].lower() or b"<p" in lowered)):
        return "html"
    return "text"


def _has_document_xml(raw: bytes) -> bool:
    import io
    import zipfile

    try:
        return "word/document.xml" in zipfile.ZipFile(io.BytesIO(raw)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def read_document(path: Path) -> str:
    """The document's text, one paragraph per line, tables as numbered measure lines."""
    raw = read_bytes(Path(path))
    kind = detect(raw)
    name = Path(path).name
    if kind == "ole":
        raise UsageProblem(f"“{name}”是旧版 Word/WPS 文件（.doc/.wps），无法直接读取：请用 Word 或 WPS 打开，"
                           "“另存为”Word 文档（.docx）后再导入")
    if kind == "zip":
        raise UsageProblem(f"“{name}”是压缩包或表格等其他格式，不是 Word 文档（.docx），无法导入")
    if kind == "docx":
        from yytrack.importer.readers.word import read_docx

        return read_docx(raw, name)
    if kind == "pdf":
        from yytrack.importer.readers.pdf import read_pdf

        return read_pdf(raw, name)
    if kind == "html":
        from yytrack.importer.readers.webpage import read_html

        return read_html(raw)
    from yytrack.importer.readers.text import read_text

    return read_text(raw)
