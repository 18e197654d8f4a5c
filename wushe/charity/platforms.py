"""The internet fundraising platforms a campaign may run on (a setting, with a default)."""

from __future__ import annotations

from django.conf import settings

# The internet fundraising platforms designated by the Ministry of Civil Affairs (民政部指定的
# 慈善组织互联网公开募捐信息平台); a district may narrow or extend the list with the setting
# WUSHE_CHARITY_ONLINE_PLATFORMS (code -> (中文名, English name, host)).
DEFAULT_PLATFORMS: dict[str, tuple[str, str, str]] = {
    "tencent": ("腾讯公益", "Tencent Charity", "gongyi.qq.com"),
    "alipay": ("支付宝公益", "Alipay Charity", "alipay.com"),
    "shuidi": ("水滴公益", "Shuidi Charity", "shuidi.com"),
    "weibo": ("新浪微公益", "Weibo Charity", "weibo.com"),
    "jd": ("京东公益", "JD Charity", "jd.com"),
    "lianquan": ("联劝网", "Lianquan", "lianquan.org"),
}


def platforms() -> dict[str, tuple[str, str, str]]:
    return dict(getattr(settings, "WUSHE_CHARITY_ONLINE_PLATFORMS", None) or DEFAULT_PLATFORMS)


def platform_label(code: str) -> str:
    names = platforms().get(code)
    return names[0] if names else code
