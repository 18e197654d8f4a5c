"""The record kinds under retention (see registry.py), with what each keeps and clears."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from wushe.regions import rules
from wushe.retention import rules as retention_rules
from wushe.retention.registry import ANON_NAME, RecordKind, cutoff, register, scrub, unscoped

# --- needs closed (办结的诉求) --------------------------------------------------------------------

def _need_model() -> Any:
    from wushe.needs.models import Need

    return Need


def _needs_ended() -> QuerySet[Any]:
    from wushe.needs.workflow import State

    return _need_model().objects.unscoped(reason="retention: scrubs the whole district").filter(
        state__in=(State.CLOSED, State.DECLINED, State.MERGED), closed_at__isnull=False)


def _needs_of(person: Any) -> QuerySet[Any]:
    from wushe.needs.workflow import State

    return _need_model().objects.unscoped(reason="retention: scrubs the whole district").filter(
        requester=person, state__in=(State.CLOSED, State.DECLINED, State.MERGED))


def _need_anonymise(need: Any) -> None:
    # The category, the dates, the state, the region, the satisfaction and the societies stay
    # (every figure reads them); what the resident wrote and who they are go.
    need.requester = None
    need.care_profile = None
    scrub(need, "description", "contact_name", "contact_phone", "result", "decline_reason",
          "requester", "care_profile", "source_ref")
    from wushe.needs.models import FollowUp, NeedEvent

    for follow_up in unscoped(FollowUp.objects.filter(need=need)):
        scrub(follow_up, "comment")
    # The history stays (every figure of time and state reads it); its staff notes go.
    NeedEvent.erase_notes(need.pk)


register(RecordKind(
    key="needs.closed", zh="已办结诉求", en="Closed needs",
    rule=retention_rules.CLOSED_NEED_YEARS.key, model=_need_model,
    ended=_needs_ended, ended_field="closed_at", anonymise=_need_anonymise,
    of_person=_needs_of, person_of=lambda need: need.requester_id))


# --- care profiles closed (迁出或结案的关爱档案) ------------------------------------------------------

def _profile_model() -> Any:
    from wushe.residents.models import CareProfile

    return CareProfile


def _profiles_ended() -> QuerySet[Any]:
    from wushe.residents.models import ProfileStatus

    # A closed profile is not edited again: its last change is the day it was closed.
    return _profile_model().objects.unscoped(reason="retention: scrubs the whole district").filter(status=ProfileStatus.CLOSED)


def _profiles_of(person: Any) -> QuerySet[Any]:
    return _profiles_ended().filter(person=person)


def _profile_anonymise(profile: Any) -> None:
    # The person link cannot be cut (the column is required): the person's own row is
    # anonymised once nothing else of theirs is kept (kind "people.person").
    scrub(profile, "details", "guardian_info", "closed_reason")
    unscoped(profile.entries.exclude(note="")).update(note="")


register(RecordKind(
    key="residents.closed_profile", zh="迁出或结案的关爱档案",
    en="Care profiles closed or moved away",
    rule=retention_rules.CLOSED_PROFILE_YEARS.key, model=_profile_model,
    ended=_profiles_ended, ended_field="updated_at", anonymise=_profile_anonymise,
    of_person=_profiles_of, person_of=lambda profile: profile.person_id))


# --- volunteer applications refused (未通过的志愿者申请) ----------------------------------------------

def _application_model() -> Any:
    from wushe.volunteers.models import VolunteerApplication

    return VolunteerApplication


def _applications_ended() -> QuerySet[Any]:
    from wushe.volunteers.models import ApplicationStatus

    return _application_model().objects.unscoped(reason="retention: scrubs the whole district").filter(
        status=ApplicationStatus.REJECTED, decided_at__isnull=False)


def _applications_of(person: Any) -> QuerySet[Any]:
    # An application has no person (none exists until it is approved): the same ID number.
    if not person.id_number_bidx:
        return _applications_ended().none()
    return _applications_ended().filter(id_number_bidx=person.id_number_bidx)


def _application_anonymise(application: Any) -> None:
    scrub(application, "name", "id_number", "phone", "skills", "guardian_name",
          "guardian_id_number", "guardian_phone", "decision_note", "client_hash",
          placeholder={"name": ANON_NAME})


register(RecordKind(
    key="volunteers.refused_application", zh="未通过的志愿者申请",
    en="Refused volunteer applications",
    rule=retention_rules.REFUSED_APPLICATION_YEARS.key, model=_application_model,
    ended=_applications_ended, ended_field="decided_at", anonymise=_application_anonymise,
    of_person=_applications_of, person_of=lambda application: None))


# --- donation receipts (公益事业捐赠票据: 会计档案, 30 years) ---------------------------------------------

def _receipt_model() -> Any:
    from wushe.charity.models import Receipt

    return Receipt


def _receipts_ended() -> QuerySet[Any]:
    return _receipt_model().objects.unscoped(reason="retention: scrubs the whole district").all()


def _receipts_held(person: Any, now: dt.datetime) -> QuerySet[Any]:
    years = int(rules.value(retention_rules.ACCOUNTING_YEARS.key))
    return _receipt_model().objects.unscoped(reason="retention: scrubs the whole district").filter(
        donation__donor__person=person, issued_at__gte=cutoff(years, now))


def _receipt_anonymise(receipt: Any) -> None:
    scrub(receipt, "donor_name", "donor_code", placeholder={"donor_name": ANON_NAME})


register(RecordKind(
    key="charity.receipt", zh="捐赠票据(会计档案)", en="Donation receipts (accounting records)",
    rule=retention_rules.ACCOUNTING_YEARS.key, model=_receipt_model,
    ended=_receipts_ended, ended_field="issued_at", anonymise=_receipt_anonymise,
    # Past 30 years only: an erasure never takes a receipt still within its period.
    of_person=lambda person: _receipt_model().objects.unscoped(reason="none(): reads no row").none(),
    person_of=lambda receipt: None,
    holds=_receipts_held,
    reason_zh="此人的捐赠票据属会计档案,依《会计档案管理办法》须保存30年,期满前不能删除;"
              "其余可删除的信息已匿名化",
    reason_en="This person's donation receipts are accounting records, kept 30 years under "
              "the Accounting Archives Measures; they cannot be erased before then. "
              "Everything else that may go has been anonymised"))

