"""Donor names stay out of URLs (#22 item 1): the donor list's search posts and the page answers
``?s=<key>``; a GET ``q`` is taken only as a unified social credit code; the API refuses a name
in the query string (400 ``name_in_url``) and searches by ``POST /donors/search``; scope holds."""

from __future__ import annotations

import pytest

from wushe.charity import services
from wushe.charity.forms import query_allowed_in_url
from wushe.charity.models import Donor
from wushe.charity.tests.conftest import credit_code
from wushe.charity.tests.test_views_charity import client_for
from wushe.core.errors import ValidationFailed
from wushe.core.ids import id_check_digit, normalize_credit_code, normalize_id_number
from wushe.web import privatesearch

NAME = "欧阳小明"
ID_NUMBER = "11010519491231002X"
API = "/api/v1/charity/donors"


@pytest.fixture
def person_donor(admin, street) -> Donor:
    return services.donor_create(actor=admin, region=street, kind="person", name=NAME,
                                 phone="13912345678")


@pytest.fixture
def elsewhere(admin, street_b) -> Donor:
    """The same name, registered in another street: out of the street staff's scope."""
    return services.donor_create(actor=admin, region=street_b, kind="person", name=NAME,
                                 phone="13912345679")


def detail(donor: Donor) -> str:
    return f"/charity/donors/{donor.pk}/"


def test_page_search_posts_and_the_address_holds_no_name(street_staff, person_donor, elsewhere,
                                                         enterprise):
    c = client_for(street_staff)
    r = c.post("/charity/donors/", {"q": NAME, "kind": "person"})
    assert r.status_code == 302
    url = r["Location"]
    assert NAME not in url and "%E6" not in url.upper() and "q=" not in url
    assert f"{privatesearch.PARAM}=" in url and "kind=person" in url
    page = c.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert detail(person_donor) in text
    assert detail(elsewhere) not in text  # out of scope: not found
    assert detail(enterprise) not in text


def test_page_htmx_search_pushes_the_key_and_pagination_keeps_it(admin, person_donor,
                                                                 settings):
    settings.WUSHE_PAGE_SIZE = 1
    services.donor_create(actor=admin, region=person_donor.region, kind="person", name=NAME,
                          phone="13912345670")
    c = client_for(admin)
    r = c.post("/charity/donors/", {"q": NAME}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    pushed = r["HX-Push-Url"]
    assert pushed.startswith("/charity/donors/?s=") and NAME not in pushed
    key = pushed.split("s=", 1)[1]
    text = r.content.decode()
    assert f"s={key}&amp;page=2" in text or f"s={key}&page=2" in text
    second = c.get(f"/charity/donors/?s={key}&page=2")
    assert second.status_code == 200
    assert "2" in second.content.decode() and "alert-danger" not in second.content.decode()


@pytest.mark.parametrize("q", [NAME, "王", ID_NUMBER, "13912345678"])
def test_page_get_with_a_name_or_identifier_is_refused_and_lists_nothing(admin, person_donor,
                                                                         enterprise, q):
    r = client_for(admin).get("/charity/donors/", {"q": q})
    assert r.status_code == 400
    text = r.content.decode()
    assert "alert-danger" in text
    assert detail(person_donor) not in text and detail(enterprise) not in text


def test_page_get_refusal_says_why(admin, person_donor):
    r = client_for(admin).get("/charity/donors/", {"q": NAME})
    assert r.context["form"].has_error("q", "name_in_url")
    r = client_for(admin).get("/charity/donors/", {"q": ID_NUMBER})
    assert r.context["form"].has_error("q", "identifier_in_url")


def test_page_get_with_a_credit_code_or_a_kind_works(admin, person_donor, enterprise):
    c = client_for(admin)
    r = c.get("/charity/donors/", {"q": enterprise.credit_code})
    assert r.status_code == 200
    assert detail(enterprise) in r.content.decode()
    assert detail(person_donor) not in r.content.decode()
    r = c.get("/charity/donors/", {"kind": "person"})
    assert r.status_code == 200
    assert detail(person_donor) in r.content.decode()
    assert detail(enterprise) not in r.content.decode()


def test_an_id_number_that_is_also_a_valid_credit_code_stays_out_of_the_url():
    # A Beijing ID number has a credit code's shape; about one in 31 passes its check too.
    both = []
    for seq in range(300):
        body = f"11010519491231{seq:03d}"
        candidate = body + id_check_digit(body)
        try:
            normalize_credit_code(candidate)
        except ValidationFailed:
            continue
        both.append(normalize_id_number(candidate))
    assert both
    assert not any(query_allowed_in_url(c) for c in both)
    assert query_allowed_in_url(credit_code())
    assert query_allowed_in_url("")
    assert not query_allowed_in_url(NAME)


def test_api_get_with_a_name_is_refused(admin, person_donor):
    r = client_for(admin).get(API, {"q": NAME})
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "name_in_url"
    assert body["message"]["zh"] and "/donors/search" in body["message"]["en"]
    assert NAME not in r.content.decode()
    r = client_for(admin).get(API, {"q": ID_NUMBER})
    assert r.status_code == 400 and r.json()["code"] == "identifier_in_url"


def test_api_get_with_a_credit_code_works(admin, person_donor, enterprise):
    r = client_for(admin).get(API, {"q": enterprise.credit_code})
    assert r.status_code == 200
    assert [d["id"] for d in r.json()["items"]] == [enterprise.pk]


def test_api_post_search_finds_in_scope_only(street_staff, person_donor, elsewhere, enterprise):
    c = client_for(street_staff)
    r = c.post(f"{API}/search", {"q": NAME}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert [d["id"] for d in r.json()["items"]] == [person_donor.pk]
    r = c.post(f"{API}/search", {"q": NAME, "kind": "enterprise"},
               content_type="application/json")
    assert r.json()["items"] == []
    r = c.post(f"{API}/search", {}, content_type="application/json")
    assert elsewhere.pk not in [d["id"] for d in r.json()["items"]]
    assert person_donor.pk in [d["id"] for d in r.json()["items"]]
