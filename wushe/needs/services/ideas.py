"""自治金点子: submit (resident online or staff), discuss, adopt or reject with a reason."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.accounts.labels import user_label
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.ids import normalize_phone
from wushe.core.services import service
from wushe.core.text import clean_person_name, clean_text
from wushe.needs import perms
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.codes import new_code
from wushe.needs.models import Idea, IdeaChannel, IdeaComment, IdeaState
from wushe.needs.services._common import community_by_code
from wushe.regions.models import Region, RegionLevel

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

IDEA_PREFIX = "I"


def _content(title: object, body: object) -> dict[str, str]:
    return {
        "title": clean_text(title, field="title", label_zh="标题", label_en="Title", max_length=100,
                            required=True),
        "body": clean_text(body, field="body", label_zh="点子内容", label_en="Idea", max_length=3000,
                           required=True),
    }


@service
def idea_submit_public(*, title: object, body: object, community: object, name: object,
                       phone: object, consent: object) -> Idea:
    if consent is not True:
        raise ValidationFailed("请阅读并同意个人信息使用说明后再提交",
                               "Agree to the use of your personal information before submitting",
                               code="consent_required", field="consent")
    region = community_by_code(community)
    idea = Idea.objects.create(
        code=new_code(IDEA_PREFIX), region=region, region_path=region.path,
        channel=IdeaChannel.PUBLIC, submitter_name=clean_person_name(name, field="name"),
        submitter_phone=normalize_phone(phone), **_content(title, body))
    audit.record(actor=None, action=NeedsAction.IDEA_SUBMITTED, target=idea, label=idea.code,
                 data={"channel": idea.channel, "community": region.code})
    return idea


@service
def idea_submit(*, actor: Actor, region: Region, title: object, body: object,
                submitter_name: object = "") -> Idea:
    scope.require_region(actor, perms.IDEA_SUBMIT, region.path)
    if region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("请选择社区(村)", "Choose a community or village", field="region")
    name = clean_person_name(submitter_name, field="submitter_name") if submitter_name else ""
    idea = Idea.objects.create(
        code=new_code(IDEA_PREFIX), region=region, region_path=region.path,
        channel=IdeaChannel.STAFF, submitter_name=name, submitted_by=signed_in(actor),
        **_content(title, body))
    audit.record(actor=actor, action=NeedsAction.IDEA_SUBMITTED, target=idea, label=idea.code,
                 data={"channel": idea.channel, "community": region.code})
    return idea


@service
def idea_comment(*, actor: Actor, idea: Idea, body: object) -> IdeaComment:
    scope.require(actor, perms.IDEA_COMMENT, idea)
    comment = IdeaComment.objects.create(
        idea=idea, region_path=idea.region_path, author=signed_in(actor), author_name=user_label(actor),
        body=clean_text(body, field="body", label_zh="评论", label_en="Comment", max_length=1000,
                        required=True))
    Idea.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    audit.record(actor=actor, action=NeedsAction.IDEA_COMMENTED, target=idea, label=idea.code,
                 data={"comment": comment.pk})
    return comment


@service
def idea_decide(*, actor: Actor, idea: Idea, adopt: bool, reason: object,
                project_ref: object = "", amount: object = None) -> Idea:
    """Adopt or reject; a rejection always says why (the resident is told). Adopting with an
    amount allocates 自治金 in the same transaction (services.budget.idea_allocate)."""
    scope.require(actor, perms.IDEA_DECIDE, idea, view_perm=perms.IDEA_VIEW)
    idea = Idea.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=idea.pk)
    if idea.state != IdeaState.SUBMITTED:
        raise Conflict("该点子已有结论", "This idea has been decided already", code="illegal_transition")
    idea.decision_reason = clean_text(reason, field="reason", label_zh="理由", label_en="Reason",
                                      max_length=300, required=not adopt)
    idea.project_ref = clean_text(project_ref, field="project_ref", label_zh="关联项目",
                                  label_en="Project", max_length=80)
    idea.state = IdeaState.ADOPTED if adopt else IdeaState.REJECTED
    idea.decided_by = signed_in(actor)
    idea.decided_at = timezone.now()
    idea.save()
    audit.record(actor=actor, action=NeedsAction.IDEA_ADOPTED if adopt else
                 NeedsAction.IDEA_REJECTED, target=idea, label=idea.code,
                 data={"reason": idea.decision_reason, "project_ref": idea.project_ref})
    if adopt and amount not in (None, ""):
        from wushe.needs.services.budget import idea_allocate

        idea_allocate(actor=actor, idea=idea, amount=amount)
    return idea
