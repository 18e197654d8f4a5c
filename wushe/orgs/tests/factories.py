"""Builders for the organisation and workforce tests: everything through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.core.ids import uscc_check_char
from wushe.orgs.models import SocialOrganization
from wushe.orgs.services import org_create
from wushe.regions.models import Region

_counter = {"n": 0}


def credit_code(seq: int | None = None, kind: str = "52") -> str:
    """A valid 统一社会信用代码 (民政 registration, Jiulongpo region code)."""
    if seq is None:
        _counter["n"] += 1
        seq = _counter["n"]
    first17 = f"{kind}500107MJ{seq:07d}"
    return first17 + uscc_check_char(first17)


def registered(actor: Any, region: Region, name: str = "九龙社会工作服务中心",
               years: int = 5, **extra: Any) -> SocialOrganization:
    values = {"category": "social_work", "credit_code": credit_code(),
              "registered_on": dt.date.today().replace(day=1) - dt.timedelta(days=365 * years + 2),
              "legal_form": "social_service", **extra}
    return org_create(actor=actor, region=region, status="registered", name=name, **values)


def filed(actor: Any, region: Region, name: str = "杨坪社区舞蹈队", **extra: Any) -> SocialOrganization:
    values = {"person_in_charge": "王秀兰", "venue": "杨坪社区活动室", "activity_area": "杨坪社区",
              "charter": "热爱生活,服务邻里", **extra}
    return org_create(actor=actor, region=region, status="filed", name=name, **values)


def incubating(actor: Any, region: Region, name: str = "石坪桥邻里互助会",
               **extra: Any) -> SocialOrganization:
    return org_create(actor=actor, region=region, status="incubating", name=name,
                      **{"category": "governance", **extra})


SIGNED_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def agreement(actor: Any, org: SocialOrganization, *, starts: int = -30, ends: int = 365,
              purposes: tuple[str, ...] = ("needs_handling",)) -> Any:
    """An entrusted-processing agreement (PIPL Art. 21) from ``starts`` to ``ends`` days from
    today, through the service: what an organisation needs before it receives a need with
    personal data."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from wushe.orgs.services import agreement_record

    today = timezone.localdate()
    return agreement_record(actor=actor, org=org, starts_on=today + dt.timedelta(days=starts),
                            ends_on=today + dt.timedelta(days=ends), purposes=list(purposes),
                            document=SimpleUploadedFile("协议.pdf", SIGNED_PDF,
                                                        "application/pdf"))
