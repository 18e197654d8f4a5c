"""A policy document's file: capped while reading and typed by its first bytes."""

from __future__ import annotations

from typing import IO

from wushe.core import uploads

FILE_TYPES = (uploads.PDF, uploads.DOCX, uploads.OFD)
MAX_FILE_BYTES = 20 * 1024 * 1024  # a scanned red-header document with its annexes


def read_file(upload: IO[bytes] | None) -> tuple[bytes, str]:
    return uploads.read_capped(upload, types=FILE_TYPES, max_bytes=MAX_FILE_BYTES,
                               noun_zh="政策文件", noun_en="The policy file",
                               required_zh="请上传政策文件", required_en="Attach the policy file",
                               field="file")
