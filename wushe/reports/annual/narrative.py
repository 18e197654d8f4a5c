"""The annual work report's text: structured like the seed text, every number a KPI.

A template sentence names KPI keys in braces ("{needs.by_channel.online}"); ``fill`` turns it
into segments: plain text, and Figure(key, value, note number) so each renderer can print the
number with its footnote marker and the appendix can list key + definition. "{region}" and
"{year}" are the region's name and the year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wushe.reports.kpis import KPIS, Unit

TOKEN = re.compile(r"\{([A-Za-z0-9_.]+)\}")

# (section, heading, [(paragraph lead, sentence template)]) in Chinese, then in English.
ZH: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("governance", "一、创新社区治理体系", [
        ("夯实治理单元。", "{year}年,{region}下辖镇街{regions.streets}个、村(社区){regions.communities}个,"
         "常住人口{regions.population}人,平台登记人员{people.persons}人。"),
        ("优化社区服务阵地。", "建有区社会工作服务中心{sites.sw_centre}个、镇街社工站{sites.sw_station}个、"
         "社区社工室{sites.sw_room}个,党群服务中心{sites.party_centre}个,社区综合体{sites.complex}个,"
         "养老服务站{sites.elderly_station}个,形成\u201c区中心—镇街站—社区室\u201d三级联动体系;"
         "{year}年维修改建党群服务中心{sites.party_centre_renovated}个,投入{sites.party_centre_renovation_yuan}。"),
        ("健全社工服务体系。", "目前共有在岗专业社工人才{social_workers.total}人,其中持证{social_workers.certified}人"
         "(助理社会工作师{social_workers.by_level.assistant}人、社会工作师{social_workers.by_level.intermediate}人、"
         "高级社会工作师{social_workers.by_level.senior}人),配备到三级阵地的社工{social_workers.placed}人。"),
        ("培养社区工作者队伍。", "按每万名常住人口、每村(社区)最低配备标准,应配社区工作者{community_workers.required}人,"
         "在岗{community_workers.total}人,缺口{community_workers.shortfall}人,"
         "未达标的村(社区){community_workers.shortfall_communities}个。"),
        ("关爱特殊群体。", "在册关爱对象{residents.in_care}人,其中一老{residents.in_care.elderly}人、"
         "一小{residents.in_care.minor}人、一困{residents.in_care.hardship}人;"
         "梳理完善特殊困难群体工作台账{needs.ledgers}套。"),
    ]),
    ("services", "二、激发社区服务动能", [
        ("孵化社会组织。", "全区扶持公益服务类{orgs.by_category.public_service}家、参与治理类"
         "{orgs.by_category.governance}家、枢纽支持类{orgs.by_category.hub}家、社会工作类"
         "{orgs.by_category.social_work}家,共四大类社会组织{orgs.supported}家;另有备案社区社会组织"
         "{orgs.filed}家,吸纳群众{orgs.community_org_members}人;在孵{orgs.incubations_open}家;5A级{orgs.by_rating.5A}家、4A级{orgs.by_rating.4A}家、"
         "3A级{orgs.by_rating.3A}家;评选优质社会组织{orgs.excellent}家,淘汰不合格社会组织{orgs.eliminated}家。"),
        ("回应群众需求。", "{year}年共收到群众诉求{needs.total}件,其中线上\u201c点单\u201d{needs.by_channel.online}件、"
         "线下问题清单{needs.by_channel.offline}件、综合窗口{needs.by_channel.window}件、"
         "热线{needs.by_channel.hotline}件、网格上报{needs.by_channel.grid}件;涉及一老{needs.by_target_group.elderly}件、"
         "一小{needs.by_target_group.minor}件、一困{needs.by_target_group.hardship}件;"
         "归纳老年人、困难群体服务等共性问题{needs.common_problems}件。"),
        ("五社联动办理。", "按时办结率{needs.on_time_rate},五社联动率{needs.linkage_rate},"
         "群众满意度{needs.satisfaction_avg};收集自治金点子{needs.ideas}个。"),
        ("储备志愿力量。", "构建\u201c总队—支队(分队)—小队\u201d组织体系,现有志愿服务总队{volunteers.teams.corps}支、"
         "镇(街)志愿服务分队{volunteers.teams.street_detachment}支、志愿服务小分队{volunteers.teams.brand_squad}支、"
         "小队{volunteers.teams.squad}支,注册志愿者{volunteers.total}人;{year}年开展关爱帮扶服务项目"
         "{volunteers.care_projects}个、结对共建文明实践活动{volunteers.civilisation_activities}场次,"
         "服务总时长{volunteers.hours_confirmed}。"),
    ]),
    ("projects", "三、落实社区服务项目", []),
    ("resources", "四、拓宽社区资源渠道", [
        ("链接慈善资源。", "设立专项基金{charity.funds.special}只、社区基金{charity.funds.community}只、"
         "募捐项目{charity.funds.project}个,社区基金覆盖率{charity.community_fund_coverage}。"),
        ("募集与使用。", "{year}年募集资金{charity.raised_yuan}(其中社区基金{charity.raised_yuan.community}),慈善支出{charity.disbursed_yuan},"
         "受助{charity.beneficiaries};汇聚爱心企业{charity.donors.enterprise}家,联动爱心人士{charity.donors.person}人。"),
        ("专项基金与社区基金。", "专项基金救助困难群众{charity.special_funds.relief_person_times}人次、"
         "慰问困境儿童{charity.special_funds.children_visited}名、资助困难群众免费门诊"
         "{charity.special_funds.clinic_visits}人次;社区基金开展社会工作服务"
         "{charity.community_funds.service_person_times}人次,受益群众{charity.community_funds.beneficiaries}人。"),
    ]),
]

EN: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("governance", "1. The governance system", [
        ("The governance units. ", "In {year}, {region} comprised {regions.streets} streets and towns "
         "and {regions.communities} communities with a permanent population of "
         "{regions.population}; {people.persons} persons are on record."),
        ("Service sites. ", "There are {sites.sw_centre} district social-work centres, "
         "{sites.sw_station} street stations and {sites.sw_room} community rooms, "
         "{sites.party_centre} party-and-people service centres, {sites.complex} community "
         "complexes and {sites.elderly_station} elderly-care stations; in {year} "
         "{sites.party_centre_renovated} party centres were renovated, "
         "{sites.party_centre_renovation_yuan} spent."),
        ("Social workers. ", "{social_workers.total} social workers are in post, "
         "{social_workers.certified} of them certified ({social_workers.by_level.assistant} "
         "assistant, {social_workers.by_level.intermediate} intermediate, "
         "{social_workers.by_level.senior} senior); {social_workers.placed} are placed at sites."),
        ("Community workers. ", "The staffing standard requires {community_workers.required} "
         "community workers; {community_workers.total} are in post, a shortfall of "
         "{community_workers.shortfall} in {community_workers.shortfall_communities} "
         "communities."),
        ("Residents in care. ", "{residents.in_care} residents are in care "
         "({residents.in_care.elderly} elderly, {residents.in_care.minor} minors, "
         "{residents.in_care.hardship} in hardship), tracked in {needs.ledgers} hardship ledgers."),
    ]),
    ("services", "2. Service momentum", [
        ("Social organisations. ", "{orgs.supported} social organisations of the four "
         "categories are supported: "
         "{orgs.by_category.public_service} public service, {orgs.by_category.governance} "
         "governance, {orgs.by_category.hub} hub and {orgs.by_category.social_work} social work; "
         "besides them, {orgs.filed} filed community organisations draw in "
         "{orgs.community_org_members} residents; {orgs.incubations_open} in incubation; "
         "{orgs.by_rating.5A} rated 5A, {orgs.by_rating.4A} 4A, {orgs.by_rating.3A} 3A; "
         "{orgs.excellent} excellent, {orgs.eliminated} eliminated."),
        ("Residents' needs. ", "In {year}, {needs.total} needs were received: "
         "{needs.by_channel.online} online requests, {needs.by_channel.offline} from offline "
         "problem lists, {needs.by_channel.window} at the window, {needs.by_channel.hotline} by "
         "hotline and {needs.by_channel.grid} from grid workers; {needs.by_target_group.elderly} "
         "for the elderly, {needs.by_target_group.minor} for minors, "
         "{needs.by_target_group.hardship} for people in hardship; "
         "{needs.common_problems} were grouped into common problems."),
        ("Linkage. ", "The on-time resolution rate was {needs.on_time_rate}, the five-society "
         "linkage rate {needs.linkage_rate}, average satisfaction {needs.satisfaction_avg}; "
         "{needs.ideas} self-governance ideas were collected."),
        ("Volunteers. ", "{volunteers.teams.corps} corps, "
         "{volunteers.teams.street_detachment} street detachments, "
         "{volunteers.teams.brand_squad} brand squads (小分队) and {volunteers.teams.squad} "
         "squads organise {volunteers.total} volunteers; in {year} they carried out "
         "{volunteers.care_projects} care projects and {volunteers.civilisation_activities} "
         "civilisation practice activities and served {volunteers.hours_confirmed}."),
    ]),
    ("projects", "3. Community service projects", []),
    ("resources", "4. Resource channels", [
        ("Charity. ", "{charity.funds.special} special funds, {charity.funds.community} "
         "community funds and {charity.funds.project} fundraising projects are set up; community "
         "fund coverage is {charity.community_fund_coverage}."),
        ("Raised and spent. ", "In {year}, {charity.raised_yuan} were raised "
         "({charity.raised_yuan.community} by community funds) and "
         "{charity.disbursed_yuan} disbursed, helping {charity.beneficiaries}; "
         "{charity.donors.enterprise} enterprises and {charity.donors.person} individuals gave."),
        ("Special and community funds. ", "The special funds gave relief "
         "{charity.special_funds.relief_person_times} times, visited "
         "{charity.special_funds.children_visited} children in difficulty and paid "
         "{charity.special_funds.clinic_visits} free clinic visits; the community funds paid "
         "{charity.community_funds.service_person_times} social-work services reaching "
         "{charity.community_funds.beneficiaries} residents."),
    ]),
]

PROJECT_PARAGRAPHS: dict[str, list[tuple[str, str]]] = {
    "zh": [
        ("问题导向,需求为先。", "聚焦“一老一小一困”,{year}年度策划形成社工项目{projects.total}个,"
         "其中未成年人保护{projects.by_domain.minor_protection}个、老年服务{projects.by_domain.elderly_services}个、"
         "社区治理{projects.by_domain.community_governance}个、社会救助{projects.by_domain.social_assistance}个。"),
        ("统筹项目购买。", "发布项目购买清单{projects.on_purchase_lists}个,"
         "已购买(签约)项目{projects.purchased}个,项目投入{projects.budget_yuan},"
         "撬动社会资源{projects.leveraged_yuan}。"),
        ("全程监管,提质问效。", "{year}年开展督导{supervision.total}次,其中集中督导{supervision.centralised}场次、"
         "一站式咨询{supervision.consultations}场次;目前逾期未开展的督导{supervision.overdue}次。"),
        ("四方评估。", "评选出优质社会组织{evaluation.excellent_orgs}家,续签项目{evaluation.renewed}个,"
         "淘汰不合格社会组织{evaluation.eliminated}家。"),
    ],
    "en": [
        ("Needs first. ", "In {year}, {projects.total} social-work projects were designed: "
         "{projects.by_domain.minor_protection} in minor protection, "
         "{projects.by_domain.elderly_services} in elderly services, "
         "{projects.by_domain.community_governance} in community governance and "
         "{projects.by_domain.social_assistance} in social assistance."),
        ("Purchasing. ", "{projects.on_purchase_lists} projects were on published purchase "
         "lists and {projects.purchased} purchased under contract, "
         "investing {projects.budget_yuan} and leveraging {projects.leveraged_yuan}."),
        ("Supervision. ", "{supervision.total} supervision sessions were held in {year}, "
         "{supervision.centralised} of them centralised, plus {supervision.consultations} "
         "consultations; {supervision.overdue} planned visits are overdue."),
        ("Four-party evaluation. ", "{evaluation.excellent_orgs} providers were rated "
         "excellent, {evaluation.renewed} projects renewed and {evaluation.eliminated} "
         "providers eliminated."),
    ],
}


@dataclass(frozen=True)
class Figure:
    key: str
    value: Any
    note: int  # footnote number

    def text(self, lang: str) -> str:
        return format_value(self.key, self.value, lang)


def format_value(key: str, value: Any, lang: str) -> str:
    unit = KPIS[key].unit
    if value is None:
        return "—" if lang == "zh" else "n/a"
    if unit == Unit.RATE:
        return f"{value * 100:.1f}%"
    if unit == Unit.SCORE:
        return f"{value:.2f}" + ("分" if lang == "zh" else "")
    if unit == Unit.YUAN:
        if lang == "zh":
            return f"{value / 10_000:,.2f}万元" if value >= 10_000 else f"{value:,.2f}元"
        return f"{value:,.2f} yuan"
    if unit == Unit.HOURS:
        if lang == "zh":
            return f"{value / 10_000:,.2f}万小时" if value >= 10_000 else f"{value:,.1f}小时"
        return f"{value:,.1f} hours"
    if unit == Unit.PEOPLE and key == "charity.beneficiaries":
        return f"{int(value):,}" + ("人次" if lang == "zh" else " people")
    return f"{int(value):,}"


def templates(lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The sections; a paragraph naming no installed KPI (the projects apps absent) is left
    out rather than printed with dashes."""
    base = EN if lang == "en" else ZH
    out = []
    for s, h, paras in base:
        chosen = paras or PROJECT_PARAGRAPHS[lang]
        out.append((s, h, [(lead, text) for lead, text in chosen
                           if any(k in KPIS for k in TOKEN.findall(text))]))
    return out


def keys_used(lang: str) -> list[str]:
    seen: list[str] = []
    for _s, _h, paras in templates(lang):
        for _lead, text in paras:
            for key in TOKEN.findall(text):
                if key in KPIS and key not in seen:
                    seen.append(key)
    return seen


def fill(text: str, values: dict[str, Any], notes: dict[str, int], *, region: str, year: int,
         lang: str) -> list[str | Figure]:
    """Segments of one sentence; unknown keys (an app not installed) read as "—"."""
    out: list[str | Figure] = []
    pos = 0
    for m in TOKEN.finditer(text):
        out.append(text[pos:m.start()])
        key = m.group(1)
        if key == "region":
            out.append(region)
        elif key == "year":
            out.append(str(year))
        elif key in KPIS:
            note = notes.setdefault(key, len(notes) + 1)
            out.append(Figure(key, values.get(key), note))
        else:
            out.append("—")
        pos = m.end()
    out.append(text[pos:])
    return [s for s in out if s != ""]
