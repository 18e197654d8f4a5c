"""Public pages (no account): the published purchase lists (项目购买清单公示).

Only non-personal data: project code, name, domain, region name, target groups, budget, status
and the provider's name (a registered organisation's name is public). No person is named."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from wushe.projects import selectors
from wushe.projects.groups import names_zh
from wushe.projects.models import Domain, Status
from wushe.web.pages import paginate, render_page


@require_GET
def public_lists(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.public_lists(), per_page=20)
    return render_page(request, "projects/public/lists.html", {"page": page})


@require_GET
def public_list(request: HttpRequest, list_id: int) -> HttpResponse:
    plist = selectors.public_list_get(list_id)
    rows = [{**r, "domain_label": Domain(r["domain"]).label, "groups": names_zh(r["target_groups"]),
             "status_label": Status(r["status"]).label}
            for r in selectors.public_list_rows(plist)]
    return render_page(request, "projects/public/list.html", {"plist": plist, "rows": rows})
