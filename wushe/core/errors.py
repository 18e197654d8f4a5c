"""Errors users can cause: one exception family, each with a stable code and both languages.

The API maps them to ``{"code": ..., "message": {"zh": ..., "en": ...}}``; pages show the
message in the active language. Raising one of these inside a service rolls back the
transaction, so a refused request changes nothing.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise


def bilingual(text: Promise | str) -> dict[str, str]:
    """``{"zh": ..., "en": ...}`` of a lazily translated English string: the same message in
    both languages whatever the request's language (an API body carries both)."""
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return {"zh": zh, "en": en}


class WusheError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self, zh: str, en: str, *, code: str | None = None, field: str | None = None,
        details: list[dict[str, object]] | None = None,
    ) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.field = field
        self.details = details or []
        if code:
            self.code = code

    @property
    def message(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}

    def localized(self) -> str:
        return self.en if (translation.get_language() or "zh").startswith("en") else self.zh

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body

    def __str__(self) -> str:
        return f"{self.zh} / {self.en}"


class ValidationFailed(WusheError):
    status = 400
    code = "invalid"


class NotFound(WusheError):
    """Missing and out-of-scope look the same, so existence never leaks."""

    status = 404
    code = "not_found"

    def __init__(self, zh: str = "记录不存在", en: str = "Not found", **kw: object) -> None:
        super().__init__(zh, en, **kw)  # type: ignore[arg-type]


class PermissionDenied(WusheError):
    status = 403
    code = "forbidden"

    def __init__(self, zh: str = "无权执行此操作", en: str = "You may not do this", **kw: object) -> None:
        super().__init__(zh, en, **kw)  # type: ignore[arg-type]


class Unauthenticated(WusheError):
    status = 401
    code = "unauthenticated"

    def __init__(self, zh: str = "请先登录", en: str = "Please sign in", **kw: object) -> None:
        super().__init__(zh, en, **kw)  # type: ignore[arg-type]


class Conflict(WusheError):
    status = 409
    code = "conflict"


class IllegalTransition(Conflict):
    code = "illegal_transition"


class PayloadTooLarge(WusheError):
    status = 413
    code = "payload_too_large"
