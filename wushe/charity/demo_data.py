"""The demo's charity landscape as data: the seed text's funds, donors and magnitudes.

Seed text: "2020年以来累计募集资金5000余万元 … 5只专项基金，救助困难群众300余人次、慰问200余名困境
儿童、资助困难群众免费门诊100余人次 … 社区阳光基金全覆盖 … 2022年以来汇聚爱心企业资源85个，联动
爱心人士500余人，累计募集社区基金达300余万元，开展社会工作服务3000余人次，受益群众20万余人".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

PARENT_ORG = "九龙坡区慈善与公益事业促进会"
START_DISTRICT = dt.date(2020, 1, 1)
START_COMMUNITY = dt.date(2022, 1, 1)
RAISED_DISTRICT = Decimal("50200000")  # 5000余万元, special funds and fundraising projects
RAISED_COMMUNITY = Decimal("3080000")  # 300余万元 of community funds
ENTERPRISES = 85
INDIVIDUALS = 520
# 社会工作服务3000余人次, 受益群众20万余人: each of the 257 community funds (at seed) plans
# COMMUNITY_SERVICES // 257 = 13 services of COMMUNITY_BENEFICIARIES // COMMUNITY_SERVICES = 62
# people on average; about 5% of the services (1.5% of the people) are lost to unaffordable
# payouts, so about 3,170 services reaching about 204,000 people are paid (integer divisions:
# 3,100 and 3,300 both give 12 a fund, 2,931 paid at seed).
COMMUNITY_SERVICES = 3_400
COMMUNITY_BENEFICIARIES = 211_000
# The aim (Disbursement.aim) of a special fund's payments to persons: 救助困难群众300余人次,
# 慰问200余名困境儿童, 免费门诊100余人次. A community fund's payments are social-work services.
PERSON_AIMS = {"慈善纾困基金": "relief", "“渝之匠·儿童关爱”专项基金": "children",
               "困难群众免费门诊专项基金": "clinic"}
COMMUNITY_AIM = "social_work"
# Historical amounts stay under this, so every past disbursement had one approver.
DISTRICT_SECOND_APPROVAL = Decimal("50000")
COMMUNITY_SECOND_APPROVAL = Decimal("20000")


@dataclass(frozen=True)
class FundSpec:
    name: str
    kind: str  # special / project
    share: float  # of RAISED_DISTRICT
    groups: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    cap: Decimal | None
    # Disbursements to persons: (how many since 2020, lowest, highest, minors only)
    persons: tuple[int, int, int, bool] | None
    project_labels: tuple[str, ...]


FUNDS: tuple[FundSpec, ...] = (
    FundSpec("慈善纾困基金", "special", 0.12, ("hardship",), ("临时救助", "医疗救助", "突发困难"),
             "帮助遭遇突发性、临时性困难且在民政保障政策之外的群众渡过难关。", Decimal("5000"),
             (326, 1000, 5000, False), ("节日困难群众慰问", "困难家庭应急帮扶")),
    FundSpec("“渝之匠·儿童关爱”专项基金", "special", 0.08, ("minor",), ("困境儿童关爱", "助学"),
             "关爱辖区困境儿童、留守儿童,开展入户慰问、助学和成长陪伴。", Decimal("2000"),
             (214, 500, 2000, True), ("困境儿童成长陪伴计划", "留守儿童暑期课堂")),
    FundSpec("未成年人保护专项基金", "special", 0.07, ("minor",), ("未成年人保护", "心理疏导"),
             "支持未成年人保护工作,开展监护评估、心理疏导和法治宣传。", Decimal("3000"),
             None, ("未成年人保护宣传进社区", "困境儿童心理疏导服务", "监护缺失儿童临时照护")),
    FundSpec("困难群众免费门诊专项基金", "special", 0.04, ("hardship", "elderly"), ("医疗救助",),
             "资助辖区困难群众到定点医疗机构免费门诊。", Decimal("1500"),
             (118, 200, 1500, False), ("困难群众健康义诊",)),
    FundSpec("银龄守护专项基金", "special", 0.05, ("elderly",), ("助老服务", "助餐"),
             "为空巢、独居、失能老人提供助餐、探访和居家安全改造。", Decimal("3000"),
             None, ("空巢老人助餐服务", "独居老人探访关爱", "适老化居家改造")),
    FundSpec("“一老一小一困”网络募捐项目", "project", 0.34, ("elderly", "minor", "hardship"),
             ("助老服务", "困境儿童关爱", "临时救助"),
             "面向一老一小一困群体策划上线的网络募捐项目。", None, None,
             ("一老一小一困关爱行动", "困难群众过冬物资发放", "社区助老餐桌")),
    FundSpec("“山城少年”助学募捐项目", "project", 0.18, ("minor",), ("助学",),
             "资助困难家庭学生完成学业。", None, None,
             ("山城少年助学金发放", "乡村学校图书角")),
    FundSpec("“暖冬行动”募捐项目", "project", 0.12, ("hardship", "elderly"), ("临时救助",),
             "冬季为困难群众筹集御寒物资和生活补助。", None, None,
             ("暖冬物资进社区", "困难群众冬季生活补助")),
)

ENTERPRISE_HEADS = ("重庆", "九龙坡区", "山城", "渝西", "巴渝", "西部", "长江", "嘉陵")
ENTERPRISE_WORDS = ("建工", "实业", "科技", "物业", "商贸", "医药", "机械", "铝业", "置业",
                    "食品", "物流", "电子", "文旅", "汽车配件", "农业", "餐饮", "建材", "能源",
                    "环保", "家居")
ENTERPRISE_TAILS = ("有限公司", "股份有限公司", "集团有限公司")
ITEMS = (("大米", "袋", "市场价"), ("食用油", "桶", "采购发票"), ("棉被", "床", "采购发票"),
         ("学习用品", "套", "市场价"), ("轮椅", "台", "采购发票"), ("口罩", "箱", "市场价"))
COMMITTEE_AFFILIATIONS = ("社区党委", "居民委员会", "业主委员会", "辖区企业", "社会组织",
                          "居民代表", "社区民警")
