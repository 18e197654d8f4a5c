"""Reads of online fundraising campaigns: scoped like the funds they belong to."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet, Sum

from wushe.charity import access
from wushe.charity.models import Campaign, CampaignTransaction, DonationStatus, FundStatus
from wushe.core.errors import NotFound

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def campaign_list(*, actor: Actor) -> QuerySet[Campaign]:
    return access.visible(Campaign.objects.all(), actor).select_related("fund")


def campaign_get(*, actor: Actor, campaign_id: int) -> Campaign:
    campaign = campaign_list(actor=actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return campaign


def progress(campaign: Campaign) -> dict[str, Any]:
    """Raised (donations still standing), donors counted, share of the target."""
    agg = (CampaignTransaction.objects.unscoped(reason="figures: aggregates of rows read in scope")
           .filter(campaign=campaign, donation__status=DonationStatus.RECEIVED)
           .aggregate(raised=Sum("amount"), donors=Count("pk")))
    raised = agg["raised"] or Decimal(0)
    return {"raised": raised, "donors": agg["donors"],
            "percent": min(100, int(raised * 100 / campaign.target)) if campaign.target else 0}


def public_campaigns() -> list[Campaign]:
    """Campaigns of funds that are not being set up, for the public pages (no account)."""
    rows = list(Campaign.objects.unscoped(reason="public: only public rows, filtered here").select_related("fund")
                .exclude(fund__status=FundStatus.DRAFT))
    for c in rows:
        c.progress = progress(c)  # type: ignore[attr-defined]
    return rows


def public_campaign(*, campaign_id: int) -> Campaign:
    campaign = (Campaign.objects.unscoped(reason="public: only public rows, filtered here").select_related("fund")
                .exclude(fund__status=FundStatus.DRAFT).filter(pk=campaign_id).first())
    if campaign is None:
        raise NotFound()
    campaign.progress = progress(campaign)  # type: ignore[attr-defined]
    return campaign


def public_donors(campaign: Campaign, limit: int = 50) -> list[CampaignTransaction]:
    return list(CampaignTransaction.objects.unscoped(reason="public: only public rows, filtered here")
                .filter(campaign=campaign, donation__status=DonationStatus.RECEIVED)
                .only("occurred_at", "amount", "display_name", "named")[:limit])
