"""What an audit code means, in words: one (Chinese, English) label per code.

Adding a code to an app's ``audit_codes`` enum? Add one line here too, ``"app.model.verb":
("中文", "English")``; ``wushe/audit/tests/test_labels.py`` fails for any registered code without
a label. The business areas (the first part of a code) are named by their app's verbose name.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Apps whose verbose name is not a business area a reader would recognise.
FAMILIES = {"core": _("System"), "web": _("Web")}

LABELS: dict[str, tuple[str, str]] = {
    # accounts
    "accounts.grant.created": ("授予角色", "Role granted"),
    "accounts.grant.revoked": ("撤销角色", "Role revoked"),
    "accounts.oidc.linked": ("绑定统一身份认证账号", "Single sign-on account linked"),
    "accounts.oidc.unlinked": ("解绑统一身份认证账号", "Single sign-on account unlinked"),
    "accounts.otp.enrol_started": ("开始绑定动态口令", "One-time password enrolment started"),
    "accounts.otp.enrolled": ("绑定动态口令", "One-time password enrolled"),
    "accounts.otp.failed": ("动态口令验证失败", "One-time password failed"),
    "accounts.otp.recovery_used": ("使用恢复码登录", "Recovery code used"),
    "accounts.otp.reset": ("重置动态口令", "One-time password reset"),
    "accounts.otp.verified": ("动态口令验证通过", "One-time password verified"),
    "accounts.token.created": ("创建接口令牌", "API token created"),
    "accounts.token.revoked": ("吊销接口令牌", "API token revoked"),
    "accounts.user.created": ("创建用户", "User created"),
    "accounts.user.disabled": ("停用用户", "User disabled"),
    "accounts.user.locked": ("账号被锁定", "Account locked"),
    "accounts.user.login": ("登录", "Signed in"),
    "accounts.user.login_failed": ("登录失败", "Sign-in failed"),
    "accounts.user.logout": ("退出登录", "Signed out"),
    "accounts.user.password_changed": ("修改密码", "Password changed"),
    "accounts.user.signed_out_everywhere": ("退出所有设备", "Signed out everywhere"),
    # audit
    "audit.event.exported": ("导出审计日志", "Audit log exported"),
    "audit.event.archived": ("归档审计日志", "Audit log archived"),
    # charity
    "charity.campaign.created": ("创建网络募捐活动", "Online campaign created"),
    "charity.campaign.reported_total_set": ("登记平台报告的募捐总额", "Platform-reported total set"),
    "charity.campaign.statement_imported": ("导入平台对账单", "Platform statement imported"),
    "charity.committee.member_added": ("增加基金管委会成员", "Fund committee member added"),
    "charity.committee.member_removed": ("移除基金管委会成员", "Fund committee member removed"),
    "charity.disbursement.approved": ("批准支出", "Disbursement approved"),
    "charity.disbursement.cancelled": ("取消支出", "Disbursement cancelled"),
    "charity.disbursement.exported": ("导出支出记录", "Disbursements exported"),
    "charity.disbursement.paid": ("支出已付款", "Disbursement paid"),
    "charity.disbursement.rejected": ("驳回支出", "Disbursement rejected"),
    "charity.disbursement.requested": ("申请支出", "Disbursement requested"),
    "charity.disbursement.reversed": ("冲销支出", "Disbursement reversed"),
    "charity.disclosure.published": ("发布信息公开", "Disclosure published"),
    "charity.donation.exported": ("导出捐赠记录", "Donations exported"),
    "charity.donation.received": ("收到捐赠", "Donation received"),
    "charity.donation.reversed": ("冲销捐赠", "Donation reversed"),
    "charity.donor.created": ("登记捐赠人", "Donor registered"),
    "charity.donor.unmasked": ("查看捐赠人明文信息", "Donor's personal data shown"),
    "charity.fund.created": ("设立社区基金", "Community fund created"),
    "charity.fund.status_changed": ("变更基金状态", "Fund status changed"),
    "charity.fund.updated": ("修改社区基金", "Community fund updated"),
    "charity.receipt.printed": ("打印捐赠票据", "Donation receipt printed"),
    # civilisation
    "civilisation.activity.domain_set": ("设置活动领域", "Activity domain set"),
    "civilisation.pairing.created": ("建立结对共建", "Pairing created"),
    "civilisation.pairing.updated": ("修改结对共建", "Pairing updated"),
    "civilisation.site.created": ("设立新时代文明实践站点", "Civilisation practice site created"),
    "civilisation.site.names_linked": ("关联站点名称", "Site names linked"),
    "civilisation.site.team_attached": ("站点关联志愿服务队", "Team attached to site"),
    "civilisation.site.updated": ("修改新时代文明实践站点", "Civilisation practice site updated"),
    # complexes
    "complexes.complex.created": ("登记社区综合体", "Community complex registered"),
    "complexes.line.added": ("增加服务项目", "Service line added"),
    "complexes.report.approved": ("通过综合体报告", "Complex report approved"),
    "complexes.report.rejected": ("退回综合体报告", "Complex report rejected"),
    "complexes.report.submitted": ("提交综合体报告", "Complex report submitted"),
    # core
    "core.pii.reencrypted": ("个人信息重新加密", "Personal data re-encrypted"),
    # evaluation
    "evaluation.evaluation.created": ("创建评估", "Evaluation created"),
    "evaluation.evaluation.decided": ("评估定级", "Evaluation decided"),
    "evaluation.evaluation.exported": ("导出评估", "Evaluation exported"),
    "evaluation.evaluation.scored": ("评估计分", "Evaluation scored"),
    "evaluation.indicator_set.created": ("创建评估指标体系", "Indicator set created"),
    "evaluation.member.added": ("增加评估组成员", "Evaluation panel member added"),
    "evaluation.member.removed": ("移除评估组成员", "Evaluation panel member removed"),
    "evaluation.score.submitted": ("提交评分", "Score submitted"),
    "evaluation.survey.answered": ("填写满意度问卷", "Survey answered"),
    # hotline
    "hotline.order.exported": ("导出热线工单", "Hotline orders exported"),
    "hotline.order.imported": ("导入热线工单", "Hotline orders imported"),
    "hotline.order.received": ("接收热线工单", "Hotline order received"),
    # needs
    "needs.assignment.created": ("创建承接任务", "Assignment created"),
    "needs.assignment.done": ("承接方办结", "Assignment completed"),
    "needs.assignment.returned": ("承接方退回", "Assignment returned"),
    "needs.assignment.taken": ("承接方接单", "Assignment taken"),
    "needs.budget.set": ("设置微实事预算", "Budget set"),
    "needs.idea.adopted": ("采纳金点子", "Idea adopted"),
    "needs.idea.allocated": ("金点子分配资金", "Idea funded"),
    "needs.idea.commented": ("评论金点子", "Idea commented"),
    "needs.idea.rejected": ("不采纳金点子", "Idea rejected"),
    "needs.idea.submitted": ("提交金点子", "Idea submitted"),
    "needs.need.accepted": ("受理诉求", "Need accepted"),
    "needs.need.declined": ("不予受理诉求", "Need declined"),
    "needs.need.dispatched": ("派单给承接方", "Need dispatched"),
    "needs.need.escalated": ("诉求升级上报", "Need escalated"),
    "needs.need.extended": ("诉求延期", "Need deadline extended"),
    "needs.need.followed_up": ("诉求回访", "Need followed up"),
    "needs.need.grouped": ("归并同类诉求", "Needs grouped"),
    "needs.need.handled": ("诉求办理", "Need handled"),
    "needs.need.imported": ("导入诉求", "Needs imported"),
    "needs.need.menu_exported": ("导出需求清单", "Needs menu exported"),
    "needs.need.merged": ("合并重复诉求", "Need merged"),
    "needs.need.noted": ("诉求添加备注", "Note added to need"),
    "needs.need.rated": ("居民评价诉求办理", "Need rated"),
    "needs.need.reminded": ("催办诉求", "Need reminder sent"),
    "needs.need.reopened": ("重新打开诉求", "Need reopened"),
    "needs.need.resolved": ("诉求办结", "Need resolved"),
    "needs.need.submitted": ("提交诉求", "Need submitted"),
    "needs.need.unmasked": ("查看诉求人明文信息", "Requester's personal data shown"),
    "needs.subscription.code_sent": ("发送订阅验证码", "Subscription code sent"),
    "needs.subscription.code_wrong": ("订阅验证码错误", "Wrong subscription code"),
    "needs.subscription.confirmed": ("确认订阅", "Subscription confirmed"),
    "needs.subscription.locked": ("订阅验证被锁定", "Subscription locked"),
    "needs.support.code_sent": ("发送附议验证码", "Support code sent"),
    "needs.support.code_wrong": ("附议验证码错误", "Wrong support code"),
    "needs.support.confirmed": ("确认附议", "Support confirmed"),
    "needs.support.paper_recorded": ("登记纸质附议", "Paper support recorded"),
    # notifications
    "notifications.delivery.address_unmasked": ("查看通知地址明文", "Delivery address shown"),
    "notifications.delivery.retried": ("重发通知", "Delivery retried"),
    "notifications.preference.changed": ("修改通知偏好", "Notification preference changed"),
    # orgs
    "orgs.agreement.document_read": ("查看委托处理协议文件", "Agreement document read"),
    "orgs.agreement.recorded": ("登记个人信息委托处理协议", "Processing agreement recorded"),
    "orgs.assessment.recorded": ("登记等级评估", "Assessment recorded"),
    "orgs.followup.recorded": ("登记跟踪回访", "Follow-up recorded"),
    "orgs.honour.added": ("登记荣誉", "Honour added"),
    "orgs.incubation.stage_changed": ("变更孵化阶段", "Incubation stage changed"),
    "orgs.incubation.started": ("开始孵化", "Incubation started"),
    "orgs.incubation.updated": ("修改孵化记录", "Incubation updated"),
    "orgs.issue.recorded": ("登记问题", "Issue recorded"),
    "orgs.issue.resolved": ("问题已整改", "Issue resolved"),
    "orgs.member.added": ("增加组织成员", "Organisation member added"),
    "orgs.member.removed": ("移除组织成员", "Organisation member removed"),
    "orgs.org.contact_unmasked": ("查看组织联系人明文信息", "Organisation contact shown"),
    "orgs.org.created": ("登记社会组织", "Organisation registered"),
    "orgs.org.exported": ("导出社会组织", "Organisations exported"),
    "orgs.org.imported": ("导入社会组织", "Organisations imported"),
    "orgs.org.status_changed": ("变更组织状态", "Organisation status changed"),
    "orgs.org.updated": ("修改社会组织", "Organisation updated"),
    "orgs.project.added": ("登记组织项目", "Organisation project added"),
    "orgs.project.updated": ("修改组织项目", "Organisation project updated"),
    "orgs.rating.awarded": ("评定等级", "Rating awarded"),
    # people
    "people.consent.given": ("同意个人信息处理", "Consent given"),
    "people.consent.withdrawn": ("撤回同意", "Consent withdrawn"),
    "people.person.created": ("登记人员", "Person registered"),
    "people.person.data_exported": ("导出本人全部个人信息", "Person's data exported on request"),
    "people.person.duplicate_suspected": ("疑似重复人员", "Possible duplicate person"),
    "people.person.imported": ("导入人员", "People imported"),
    "people.person.unmasked": ("查看人员明文信息", "Person's personal data shown"),
    "people.person.updated": ("修改人员信息", "Person updated"),
    # definitions (the KPI dictionary, 统计口径)
    "definitions.version.approved": ("批准统计口径版本", "KPI dictionary version approved"),
    "definitions.version.exported": ("导出统计口径", "KPI dictionary exported"),
    "definitions.version.proposed": ("提出统计口径版本", "KPI dictionary version proposed"),
    # openings
    "openings.balance.approved": ("审核通过期初数", "Opening balance approved"),
    "openings.balance.proposed": ("录入期初数", "Opening balance proposed"),
    "openings.balance.rejected": ("退回期初数", "Opening balance rejected"),
    "openings.balance.withdrawn": ("撤回期初数", "Opening balance withdrawn"),
    # policies
    "policies.document.added": ("发布政策文件", "Policy document added"),
    "policies.document.exported": ("导出政策文件", "Policy documents exported"),
    "policies.document.repealed": ("废止政策文件", "Policy document repealed"),
    # projects
    "projects.indicator.saved": ("保存项目绩效指标", "Project indicators saved"),
    "projects.payment.made": ("项目付款", "Project payment made"),
    "projects.project.closed": ("项目结项", "Project closed"),
    "projects.project.contracted": ("项目签约", "Project contracted"),
    "projects.project.created": ("创建项目", "Project created"),
    "projects.project.evaluated": ("项目评估", "Project evaluated"),
    "projects.project.listed": ("项目入库", "Project listed"),
    "projects.project.need_detached": ("项目解除关联诉求", "Need detached from project"),
    "projects.project.needs_attached": ("项目关联诉求", "Needs attached to project"),
    "projects.project.procured": ("项目采购", "Project procured"),
    "projects.project.renewed": ("项目续签", "Project renewed"),
    "projects.project.started": ("项目启动", "Project started"),
    "projects.project.updated": ("修改项目", "Project updated"),
    "projects.purchase_list.created": ("创建政府购买服务目录", "Purchase list created"),
    "projects.purchase_list.exported": ("导出政府购买服务目录", "Purchase list exported"),
    "projects.purchase_list.published": ("发布政府购买服务目录", "Purchase list published"),
    # regions
    "regions.region.created": ("创建地区", "Region created"),
    "regions.region.updated": ("修改地区", "Region updated"),
    "regions.rule.cleared": ("清除地方规则", "Local rule cleared"),
    "regions.rule.set": ("设置地方规则", "Local rule set"),
    "regions.site.created": ("创建服务场所", "Site created"),
    "regions.site.updated": ("修改服务场所", "Site updated"),
    # renovation
    "renovation.document.added": ("上传改造文件", "Renovation document added"),
    "renovation.document.read": ("查看改造文件", "Renovation document read"),
    "renovation.programme.created": ("创建改造计划", "Renovation programme created"),
    "renovation.site.added": ("增加改造小区", "Renovation site added"),
    "renovation.site.advanced": ("改造进入下一阶段", "Renovation site advanced"),
    "renovation.site.contract_set": ("登记改造合同", "Renovation contract set"),
    "renovation.site.reopened": ("改造小区重新打开", "Renovation site reopened"),
    "renovation.spending.overridden": ("修正改造支出", "Renovation spending overridden"),
    "renovation.spending.recorded": ("登记改造支出", "Renovation spending recorded"),
    # residents
    "residents.ledger.created": ("创建居民台账", "Resident ledger created"),
    "residents.ledger.exported": ("导出居民台账", "Resident ledger exported"),
    "residents.ledger.imported": ("导入居民台账", "Resident ledger imported"),
    "residents.ledger.member_added": ("台账增加成员", "Ledger member added"),
    "residents.ledger.member_removed": ("台账移除成员", "Ledger member removed"),
    "residents.ledger.updated": ("修改居民台账", "Resident ledger updated"),
    "residents.profile.closed": ("关闭关爱档案", "Care profile closed"),
    "residents.profile.created": ("建立关爱档案", "Care profile created"),
    "residents.profile.imported": ("导入关爱档案", "Care profiles imported"),
    "residents.profile.unmasked": ("查看关爱档案明文信息", "Care profile personal data shown"),
    "residents.profile.updated": ("修改关爱档案", "Care profile updated"),
    # retention
    "retention.person.erased": ("应本人要求删除个人信息", "Person's data erased on request"),
    "retention.record.anonymised": ("超过保存期限的记录匿名化", "Record anonymised after retention"),
    # supervision
    "supervision.records.exported": ("导出督导记录", "Supervision records exported"),
    "supervision.rectification.added": ("登记整改事项", "Rectification added"),
    "supervision.rectification.closed": ("整改事项销号", "Rectification closed"),
    "supervision.schedule.generated": ("生成督导计划", "Supervision schedule generated"),
    "supervision.session.recorded": ("登记督导会", "Supervision session recorded"),
    "supervision.visit.missed": ("督导走访未完成", "Supervision visit missed"),
    "supervision.visit.recorded": ("登记督导走访", "Supervision visit recorded"),
    "supervision.visit.rescheduled": ("督导走访改期", "Supervision visit rescheduled"),
    # volunteers
    "volunteers.activity.created": ("发布志愿活动", "Volunteer activity created"),
    "volunteers.activity.status_changed": ("变更志愿活动状态", "Volunteer activity status changed"),
    "volunteers.activity.updated": ("修改志愿活动", "Volunteer activity updated"),
    "volunteers.application.approved": ("通过志愿者申请", "Volunteer application approved"),
    "volunteers.application.rejected": ("驳回志愿者申请", "Volunteer application rejected"),
    "volunteers.application.repeated": ("重复提交志愿者申请", "Volunteer application repeated"),
    "volunteers.application.submitted": ("提交志愿者申请", "Volunteer application submitted"),
    "volunteers.certificate.downloaded": ("下载志愿服务证明", "Certificate downloaded"),
    "volunteers.certificate.issued": ("开具志愿服务证明", "Certificate issued"),
    "volunteers.certificate.revoked": ("作废志愿服务证明", "Certificate revoked"),
    "volunteers.correction.decided": ("处理时长更正申请", "Hours correction decided"),
    "volunteers.correction.requested": ("申请更正服务时长", "Hours correction requested"),
    "volunteers.export.downloaded": ("下载志愿者导出文件", "Volunteer export downloaded"),
    "volunteers.membership.added": ("加入志愿服务队", "Team membership added"),
    "volunteers.membership.ended": ("退出志愿服务队", "Team membership ended"),
    "volunteers.national_record.exported": ("导出全国志愿服务信息系统数据",
                                            "National volunteer records exported"),
    "volunteers.pairing.created": ("建立结对帮扶", "Pairing created"),
    "volunteers.pairing.ended": ("结束结对帮扶", "Pairing ended"),
    "volunteers.record.confirmed": ("确认服务时长", "Service hours confirmed"),
    "volunteers.record.corrected": ("更正服务时长", "Service hours corrected"),
    "volunteers.record.created": ("登记服务时长", "Service hours recorded"),
    "volunteers.record.rejected": ("驳回服务时长", "Service hours rejected"),
    "volunteers.signup.cancelled": ("取消活动报名", "Sign-up cancelled"),
    "volunteers.signup.checked_in": ("活动签到", "Checked in"),
    "volunteers.signup.checked_out": ("活动签退", "Checked out"),
    "volunteers.signup.created": ("报名志愿活动", "Signed up"),
    "volunteers.team.created": ("成立志愿服务队", "Volunteer team created"),
    "volunteers.team.leader_appointed": ("任命队长", "Team leader appointed"),
    "volunteers.team.updated": ("修改志愿服务队", "Volunteer team updated"),
    "volunteers.visit.logged": ("登记探访", "Visit logged"),
    "volunteers.volunteer.account_linked": ("志愿者关联账号", "Volunteer account linked"),
    "volunteers.volunteer.imported": ("导入志愿者", "Volunteers imported"),
    "volunteers.volunteer.registered": ("注册志愿者", "Volunteer registered"),
    "volunteers.volunteer.unmasked": ("查看志愿者明文信息", "Volunteer's personal data shown"),
    "volunteers.volunteer.updated": ("修改志愿者信息", "Volunteer updated"),
    # web
    "web.import_mapping.cleared": ("清除导入列映射", "Import mapping cleared"),
    "web.import_mapping.saved": ("保存导入列映射", "Import mapping saved"),
    # workforce
    "workforce.adjustment.approved": ("批准人员调整", "Staffing adjustment approved"),
    "workforce.adjustment.opened": ("发起人员调整", "Staffing adjustment opened"),
    "workforce.adjustment.proposed": ("提出人员调整方案", "Staffing adjustment proposed"),
    "workforce.adjustment.recorded": ("登记人员调整", "Staffing adjustment recorded"),
    "workforce.adjustment.rejected": ("驳回人员调整", "Staffing adjustment rejected"),
    "workforce.appraisal.recorded": ("登记年度考核", "Appraisal recorded"),
    "workforce.communityworker.created": ("登记社区工作者", "Community worker registered"),
    "workforce.communityworker.imported": ("导入社区工作者", "Community workers imported"),
    "workforce.communityworker.regraded": ("社区工作者岗位等级调整", "Community worker regraded"),
    "workforce.communityworker.updated": ("修改社区工作者", "Community worker updated"),
    "workforce.socialworker.created": ("登记社会工作者", "Social worker registered"),
    "workforce.socialworker.imported": ("导入社会工作者", "Social workers imported"),
    "workforce.socialworker.updated": ("修改社会工作者", "Social worker updated"),
    "workforce.staffing.exported": ("导出人员配备", "Staffing exported"),
    "workforce.training.recorded": ("登记培训", "Training recorded"),
    "workforce.workers.exported": ("导出工作者名单", "Workers exported"),
}


def _zh() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def label(code: str) -> str:
    """The label of ``code`` in the active language; the code itself if it has none."""
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[0] if _zh() else pair[1]


def missing(codes: list[str]) -> list[str]:
    return [c for c in codes if c not in LABELS]


def family_label(family: str) -> str:
    """A business area (an app label) by its app's verbose name, translated."""
    if family in FAMILIES:
        return str(FAMILIES[family])
    try:
        return str(apps.get_app_config(family).verbose_name)
    except LookupError:
        return family
