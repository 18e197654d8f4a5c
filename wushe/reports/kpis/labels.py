"""Chinese and English names of the choice values the KPI keys carry (one place)."""

SITE_ZH = {
    "sw_centre": ("区社会工作服务中心", "District social-work centres"),
    "sw_station": ("镇街社工站", "Street social-work stations"),
    "sw_room": ("社区社工室", "Community social-work rooms"),
    "party_centre": ("党群服务中心", "Party-and-people service centres"),
    "incubator": ("社会组织孵化基地", "Incubation bases"),
    "charity_centre": ("慈善公益服务中心", "Charity service centres"),
    "complex": ("社区综合体", "Community complexes"),
    "elderly_station": ("养老服务站", "Elderly-care stations"),
}
CERT_ZH = {
    "assistant": ("助理社会工作师", "Assistant social workers"),
    "intermediate": ("社会工作师", "Social workers (intermediate)"),
    "senior": ("高级社会工作师", "Senior social workers"),
}
CHANNEL_ZH = {
    "online": ("线上点单", "Online requests"),
    "offline": ("线下问题清单", "Offline problem lists"),
    "window": ("综合窗口", "Service window"),
    "hotline": ("热线", "Hotline"),
    "grid": ("网格上报", "Grid reports"),
}
STATE_ZH = {
    "submitted": ("待受理", "Awaiting acceptance"),
    "accepted": ("已受理", "Accepted"),
    "dispatched": ("已派单", "Dispatched"),
    "taken": ("已接单", "Taken"),
    "in_progress": ("办理中", "In progress"),
    "resolved": ("已办结", "Resolved"),
    "followed_up": ("已回访", "Followed up"),
    "closed": ("已评价", "Rated and closed"),
    "merged": ("已合并", "Merged"),
    "declined": ("不予受理", "Declined"),
}
GROUP_ZH = {"elderly": ("一老", "Elderly"), "minor": ("一小", "Minors"),
            "hardship": ("一困", "In hardship")}
ORG_CATEGORY_ZH = {
    "public_service": ("公益服务类", "Public service"),
    "governance": ("参与治理类", "Governance participation"),
    "hub": ("枢纽支持类", "Hub support"),
    "social_work": ("社会工作类", "Social work"),
}
ORG_STATUS_ZH = {
    "incubating": ("孵化中", "Incubating"),
    "filed": ("社区社会组织(备案)", "Filed community organisations"),
    "registered": ("登记社会组织", "Registered"),
    "suspended": ("暂停", "Suspended"),
    "eliminated": ("已淘汰", "Eliminated"),
}
TEAM_LEVEL_ZH = {"corps": ("志愿服务总队", "Corps"),
                 "detachment": ("支队(分队)", "Detachments"),
                 "squad": ("小队", "Squads")}
FUND_KIND_ZH = {"special": ("专项基金", "Special funds"),
                "community": ("社区基金", "Community funds"),
                "project": ("募捐项目", "Fundraising projects")}
DONOR_KIND_ZH = {"enterprise": ("爱心企业", "Enterprise donors"),
                 "person": ("爱心人士", "Individual donors")}
