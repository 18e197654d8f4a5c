"""Demo step: the district's policy library (政策文件库).

The documents the local rules cite (by ``key``), with their issuers and 文号: national laws and
MCA/MOF rules by their published titles and numbers, the district's own documents (the seed
text's 实施方案, 政府购买社会工作服务实施办法, 慈善公益服务中心指导方案 …) with plausible
district numbers. The seed text says the district issued 十余项政策文件: the library holds
18 documents in force and one superseded by a later version (repealed). Every document has a
small one-page PDF. The same set at every profile (a district has one library).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionLevel

D = dt.date
# (key, title, issuer, 文号, issued, effective, repealed)
Doc = tuple[str, str, str, str, dt.date, dt.date | None, dt.date | None]

NATIONAL: list[Doc] = [
    ("residents-committee-law", "中华人民共和国城市居民委员会组织法", "全国人民代表大会常务委员会",
     "", D(1989, 12, 26), D(1990, 1, 1), None),
    ("mca-39", "社会组织评估管理办法", "民政部", "民政部令第39号", D(2010, 12, 27), D(2011, 3, 1),
     None),
    ("mof-102", "政府购买服务管理办法", "财政部", "财政部令第102号", D(2020, 1, 3), D(2020, 3, 1),
     None),
    ("charity-disclosure", "慈善组织信息公开办法", "民政部", "民政部令第61号", D(2018, 8, 6),
     D(2018, 9, 1), None),
    ("charity-spending", "关于慈善组织开展慈善活动年度支出和管理费用的规定",
     "民政部 财政部 国家税务总局", "民发〔2016〕189号", D(2016, 10, 11), D(2016, 10, 11), None),
    ("sw-training", "社会工作者继续教育办法", "民政部", "", D(2018, 10, 12), None, None),
    ("volunteer-registration", "中国注册志愿者管理办法", "共青团中央", "", D(2013, 12, 5), None,
     None),
]

DISTRICT: list[Doc] = [
    ("five-society-plan", "创新“五社联动”机制,提升社区治理效能的实施方案",
     "中共九龙坡区委办公室 九龙坡区人民政府办公室", "九龙坡委办发〔2021〕18号", D(2021, 5, 20),
     None, None),
    ("purchase-measures-2016", "九龙坡区政府购买社会工作服务实施办法(试行)",
     "九龙坡区民政局 九龙坡区财政局", "九龙坡民发〔2016〕52号", D(2016, 6, 15), None,
     D(2021, 8, 1)),
    ("purchase-measures", "九龙坡区政府购买社会工作服务实施办法",
     "九龙坡区民政局 九龙坡区财政局", "九龙坡民发〔2021〕46号", D(2021, 7, 12), D(2021, 8, 1),
     None),
    ("project-funds", "九龙坡区政府购买社会工作服务项目资金管理办法",
     "九龙坡区财政局 九龙坡区民政局", "九龙坡财社〔2021〕35号", D(2021, 9, 3), None, None),
    ("four-party-evaluation", "九龙坡区社会工作服务项目四方评估办法", "九龙坡区民政局",
     "九龙坡民发〔2022〕11号", D(2022, 3, 8), None, None),
    ("incubation", "九龙坡区社区社会组织培育孵化管理办法", "九龙坡区民政局",
     "九龙坡民发〔2021〕58号", D(2021, 10, 19), None, None),
    ("charity-centres", "镇(街道)设立慈善公益服务中心的指导方案", "九龙坡区民政局",
     "九龙坡民发〔2022〕27号", D(2022, 6, 6), None, None),
    ("community-worker-ladder", "九龙坡区社区工作者“三岗二十一级”职业体系实施办法",
     "中共九龙坡区委组织部 九龙坡区民政局 九龙坡区人力社保局", "九龙坡组发〔2022〕9号",
     D(2022, 4, 22), None, None),
    ("cadre-supervision", "九龙坡区社区干部监督管理办法", "中共九龙坡区委组织部",
     "九龙坡组发〔2021〕31号", D(2021, 11, 2), None, None),
    ("needs-rules", "九龙坡区群众诉求办理工作规则", "九龙坡区人民政府办公室",
     "九龙坡府办发〔2022〕64号", D(2022, 8, 30), None, None),
    ("sunshine-fund", "九龙坡区社区基金(阳光基金)管理办法", "九龙坡区民政局 九龙坡区慈善会",
     "九龙坡民发〔2022〕39号", D(2022, 9, 14), None, None),
    ("self-governance-fund", "九龙坡区社区居民自治金管理办法", "九龙坡区民政局 九龙坡区财政局",
     "九龙坡民发〔2023〕15号", D(2023, 4, 10), None, None),
]

DOCUMENTS: list[Doc] = NATIONAL + DISTRICT


def pdf(title: str) -> bytes:
    """A valid one-page PDF (header, objects, cross-reference table, trailer) naming the
    document in ASCII: enough for a viewer to open, small enough for the demo."""
    text = title.encode("ascii", "replace").decode().replace("(", "[").replace(")", "]")
    stream = f"BT /F1 12 Tf 72 770 Td (Policy document {text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


@step("policies", order=15)
def build_policies(ctx: DemoContext) -> dict[str, int]:
    from wushe.policies.models import PolicyDocument

    district = next(r for r in ctx.regions.values() if r.level == RegionLevel.DISTRICT)
    rows = []
    for key, title, issuer, number, issued, effective, repealed in DOCUMENTS:
        data = pdf(key)
        rows.append(PolicyDocument(
            region=district, region_path=district.path, key=key, title=title, issuer=issuer,
            number=number, issued_on=issued, effective_on=effective, repealed_on=repealed,
            file=data, file_name=f"{key}.pdf", file_type="application/pdf",
            file_size=len(data), file_sha256=hashlib.sha256(data).hexdigest()))
    PolicyDocument.objects.bulk_create(rows)
    return {"policy_documents": len(rows)}
