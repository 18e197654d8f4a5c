"""The default indicator set (process management, service effectiveness, social benefit)."""

from decimal import Decimal

from django.db import migrations

# A copy, not an import: a migration must not change when the code does.
NAME = "四方评估通用指标(2024版)"
INDICATORS = (
    ("process", "项目计划与执行进度", "Plan and progress", 15),
    ("process", "资金使用规范性", "Proper use of funds", 15),
    ("process", "人员配置与督导", "Staffing and supervision", 10),
    ("effectiveness", "产出指标完成情况", "Output targets met", 20),
    ("effectiveness", "服务对象改变与满意度", "Change and satisfaction of recipients", 15),
    ("benefit", "社会影响与资源链接", "Social impact and resources leveraged", 15),
    ("benefit", "可持续性与示范性", "Sustainability and example set", 10),
)


def create(apps, schema_editor):
    IndicatorSet = apps.get_model("evaluation", "IndicatorSet")
    Indicator = apps.get_model("evaluation", "Indicator")
    if IndicatorSet.objects.filter(is_default=True).exists():
        return
    made = IndicatorSet.objects.create(name=NAME, is_default=True)
    Indicator.objects.bulk_create(
        Indicator(indicator_set=made, dimension=d, name=zh, name_en=en, max_score=Decimal(m),
                  position=i) for i, (d, zh, en, m) in enumerate(INDICATORS))


def remove(apps, schema_editor):
    apps.get_model("evaluation", "IndicatorSet").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
