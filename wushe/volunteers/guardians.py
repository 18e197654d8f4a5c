"""What a volunteer registration states about consent and a guardian: the consent text, the
adult age, a guardian's details (forms, the API, the importer and the services share them)."""

from __future__ import annotations

from dataclasses import dataclass

CONSENT_SCOPE = ("志愿者注册、服务时长记录、志愿服务证明出具及星级认定 / volunteer registration, "
                 "service-hour records, certificates and star rating")
ADULT_AGE = 18


@dataclass(frozen=True)
class GuardianSpec:
    name: str
    id_number: str
    relation: str
    phone: str | None = None
