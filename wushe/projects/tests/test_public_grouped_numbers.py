"""Figures grouped, identifiers never (issue #19 item 5): on the public purchase lists a budget
reads 1,527,000.00 in Chinese, while a list's id in its link and its year stay as they are."""

from __future__ import annotations

from django.test import Client

from wushe.projects import services
from wushe.projects.models import PurchaseList, Status


def test_figures_grouped_ids_and_years_not(pw):
    draft = pw.plist(2026)
    PurchaseList.objects.unscoped().filter(pk=draft.pk).update(id=1234)  # an id > 999
    plist = PurchaseList.objects.unscoped().get(pk=1234)
    pw.lists[2026] = plist
    project = pw.design(budget="1527000")
    pw.walk(project, Status.LISTED)
    services.purchase_list_publish(actor=pw.admin, plist=plist)
    anon = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    index = anon.get("/projects/public/purchase-lists/").content.decode()
    assert 'href="/projects/public/purchase-lists/1234/"' in index
    assert "<strong>2026</strong>" in index and "2,026" not in index and "1,234" not in index
    page = anon.get("/projects/public/purchase-lists/1234/").content.decode()
    assert "1,527,000.00" in page and "1527000" not in page
    assert "2026 · 第一批" in page and "2,026" not in page
    assert project.code in page  # a code is shown as it is
