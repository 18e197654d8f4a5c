"""Retention periods as local rules (see wushe/regions/rules.py), each citing its source.

A period counts from the day a record's purpose ended (a need closed, a care profile closed, an
application refused, a receipt issued). A district may set its own periods on the local-rules
page; the accounting period is a floor set by national rules, so it may only be lengthened.
"""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

PIPL = "《中华人民共和国个人信息保护法》第十九条、第四十七条:保存期限应当为实现处理目的所必要的最短时间"

ACCOUNTING_YEARS = rules.define(Rule(
    key="retention.accounting_years", default=30, kind="int",
    zh="会计凭证与捐赠票据保管期限(年)", en="Accounting vouchers and donation receipts kept (years)",
    source="财政部 国家档案局《会计档案管理办法》(2015年,令第79号)第十四条及附表:"
           "原始凭证、记账凭证保管期限30年",
    setting="WUSHE_RETENTION_ACCOUNTING_YEARS", minimum=Decimal(30), maximum=Decimal(100)))
CLOSED_NEED_YEARS = rules.define(Rule(
    key="retention.closed_need_years", default=3, kind="int",
    zh="已办结诉求的个人信息保存期限(办结后年)",
    en="Personal data of closed needs kept (years after closing)",
    source=PIPL + ";期限由区确定,默认办结后3年",
    setting="WUSHE_RETENTION_CLOSED_NEED_YEARS", minimum=Decimal(0), maximum=Decimal(30)))
CLOSED_PROFILE_YEARS = rules.define(Rule(
    key="retention.closed_profile_years", default=3, kind="int",
    zh="迁出或结案的关爱档案保存期限(结案后年)",
    en="Care profiles of people who moved away or were closed kept (years after closing)",
    source=PIPL + ";期限由区确定,默认结案后3年",
    setting="WUSHE_RETENTION_CLOSED_PROFILE_YEARS", minimum=Decimal(0), maximum=Decimal(30)))
REFUSED_APPLICATION_YEARS = rules.define(Rule(
    key="retention.refused_application_years", default=1, kind="int",
    zh="未通过的志愿者注册申请保存期限(年)",
    en="Refused volunteer applications kept (years after the decision)",
    source=PIPL + ";《志愿服务条例》未规定保存期限,由区确定,默认1年",
    setting="WUSHE_RETENTION_REFUSED_APPLICATION_YEARS", minimum=Decimal(0),
    maximum=Decimal(30)))
