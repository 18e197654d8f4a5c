"""The evaluation pages: the same rules and the same scope as the services."""

from __future__ import annotations

from decimal import Decimal

from wushe.evaluation.models import CommitteeMember, EvalStatus, Evaluation, SurveyResponse

ALL = {"purchaser": "0.9", "street": "0.9", "recipients": "0.9", "expert": "0.9"}


def _form(ev, fraction: str, comment: str = "") -> dict[str, str]:
    data = {}
    for i in ev.indicator_set.indicators.all():
        data[f"score_{i.pk}"] = str((i.max_score * Decimal(fraction)).quantize(Decimal("0.1")))
        data[f"comment_{i.pk}"] = comment
    return data


def test_evaluator_lists_scores_and_sees_the_result(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    for m in CommitteeMember.objects.filter(evaluation=ev).exclude(party="expert"):
        from wushe.evaluation import services
        services.scores_submit(actor=m.user or ew.users["admin"], member=m,
                               scores=ew.sheet(ev, "0.9"))
    client = ew.client("evaluator")
    mine = client.get("/evaluation/mine")
    assert mine.status_code == 200 and "测试项目p" in mine.content.decode()
    seat = CommitteeMember.objects.get(evaluation=ev, party="expert")
    url = f"/evaluation/{ev.pk}/score/{seat.pk}"
    page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count('name="score_') == 7
    data = _form(ev, "0.9", "很好")
    first = ev.indicator_set.indicators.first()
    data[f"score_{first.pk}"] = str(first.max_score + 5)
    bad = client.post(url, data)
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "is-invalid" in body and "form-errors" in body
    seat.refresh_from_db()
    assert seat.total is None
    done = client.post(url, _form(ev, "0.9", "很好"))
    assert done.status_code == 302
    ev.refresh_from_db()
    assert ev.status == EvalStatus.SCORED and ev.total == Decimal("90.00")
    detail = client.get(f"/evaluation/{ev.pk}/").content.decode()
    assert "90.00" in detail and "decision-form" not in detail  # evaluators do not decide


def test_district_admin_sets_up_and_decides(ew) -> None:
    client = ew.client("admin")
    project = ew.projects["p"]
    made = client.post("/evaluation/new", {"project": project.pk, "stage": "midterm",
                                           "indicator_set": Evaluation._meta.get_field(
                                               "indicator_set").related_model.objects.get(
                                               is_default=True).pk})
    assert made.status_code == 302
    ev = Evaluation.objects.unscoped().get(project=project)
    add = f"/evaluation/{ev.pk}/members/add"
    form = client.get(add).content.decode()
    assert "evaluator (evaluator)" in form and "orgstaff" not in form
    for party, user in (("purchaser", "admin"), ("street", "street"), ("expert", "evaluator")):
        assert client.post(add, {"party": party, "user": ew.users[user].pk}).status_code == 302
    refused = client.post(add, {"party": "expert", "name": "无账号专家"})
    assert refused.status_code == 400 and "is-invalid" in refused.content.decode()
    assert client.post(add, {"party": "recipients", "name": "服务对象代表"}).status_code == 302
    ew.score_all(ev, ALL)
    detail = client.get(f"/evaluation/{ev.pk}/").content.decode()
    assert "decision-form" in detail and ev.survey_token in detail
    refused = client.post(f"/evaluation/{ev.pk}/decide", {"decision": "eliminate", "reason": ""})
    assert refused.status_code == 400 and "is-invalid" in refused.content.decode()
    ok = client.post(f"/evaluation/{ev.pk}/decide", {"decision": "renew", "reason": ""})
    assert ok.status_code == 302
    ev.refresh_from_db()
    assert ev.decision == "renew"
    panel = client.get(f"/projects/{project.pk}/").content.decode()
    assert "evaluation-panel" in panel and "panel-decision" in panel


def test_other_street_gets_404_by_page_and_api(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    seat = CommitteeMember.objects.get(evaluation=ev, party="expert")
    for user in ("street_b", "evaluator_b"):
        client = ew.client(user)
        assert client.get(f"/evaluation/{ev.pk}/").status_code == 404
        assert client.get(f"/evaluation/{ev.pk}/score/{seat.pk}").status_code == 404
        assert client.get(f"/api/v1/evaluation/{ev.pk}").status_code == 404
        assert client.get("/api/v1/evaluation/").json()["items"] == []
    # An evaluator of the district not on the committee sees it, but may not score.
    other = ew.client("evaluator2")
    assert other.get(f"/evaluation/{ev.pk}/").status_code == 200
    assert other.get(f"/evaluation/{ev.pk}/score/{seat.pk}").status_code == 403
    assert other.post(f"/evaluation/{ev.pk}/score/{seat.pk}", _form(ev, "0.9")).status_code == 403
    # Community staff hold no evaluation.view at all.
    assert ew.client("staff_a").get(f"/evaluation/{ev.pk}/").status_code == 404


def test_survey_page_is_public_and_shows_nothing_personal(ew, client) -> None:
    ev = ew.evaluation(ew.projects["p"])
    page = client.get(f"/evaluation/survey/{ev.survey_token}")
    body = page.content.decode()
    assert page.status_code == 200 and "测试项目p" in body
    for personal in ("服务对象代表1", "evaluator", "street", ew.users["admin"].username):
        assert personal not in body
    answers = {f"q{i}": "4" for i in range(1, 6)}
    missing = client.post(f"/evaluation/survey/{ev.survey_token}", {**answers, "q3": ""})
    assert missing.status_code == 400 and SurveyResponse.objects.count() == 0
    done = client.post(f"/evaluation/survey/{ev.survey_token}", {**answers, "comment": "谢谢"})
    assert done.status_code == 200 and "survey-done" in done.content.decode()
    response = SurveyResponse.objects.get()
    assert response.answers == [4, 4, 4, 4, 4] and response.mean == Decimal("4.00")
    assert {f.name for f in SurveyResponse._meta.get_fields()} == {
        "id", "evaluation", "answers", "mean", "comment", "created_at"}
    assert client.get("/evaluation/survey/unknown-token").status_code == 404


def test_export_and_excellent_list(ew) -> None:
    import io

    from openpyxl import load_workbook

    from wushe.evaluation import services
    ev = ew.score_all(ew.evaluation(ew.projects["p"], stage="final"), ALL)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    client = ew.client("admin")
    response = client.get("/evaluation/export")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == ew.projects["p"].code and rows[1][11] == 90.0
    page = client.get("/evaluation/excellent", {"year": 2025}).content.decode()
    assert ew.orgs["a"].name in page
    assert ew.orgs["a"].name not in client.get("/evaluation/excellent",
                                               {"year": 2024}).content.decode()
    assert ew.client("street_b").get("/evaluation/export").status_code == 200


def test_indicator_sets_page(ew) -> None:
    admin = ew.client("admin")
    page = admin.get("/evaluation/indicators").content.decode()
    assert "项目计划与执行进度" in page
    bad = admin.post("/evaluation/indicators", {"name": "专项指标", "lines": "过程管理|计划|abc"})
    assert bad.status_code == 400 and "form-errors" in bad.content.decode()
    ok = admin.post("/evaluation/indicators", {
        "name": "专项指标", "lines": "过程管理|计划执行|40|Plan\n服务成效｜成效|60"})
    assert ok.status_code == 302
    assert "专项指标" in admin.get("/evaluation/indicators").content.decode()
    evaluator = ew.client("evaluator")
    assert 'name="lines"' not in evaluator.get("/evaluation/indicators").content.decode()
    assert evaluator.post("/evaluation/indicators", {"name": "x", "lines": "x"}).status_code == 403


def test_the_provider_sees_its_decided_results_on_the_project_page_only(ew) -> None:
    from wushe.evaluation import services
    project = ew.projects["p"]
    ev = ew.score_all(ew.evaluation(project), ALL)
    staff = ew.client("orgstaff")
    page = staff.get(f"/projects/{project.pk}/").content.decode()
    assert "evaluation-panel" not in page  # open: nothing to show the provider yet
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    page = staff.get(f"/projects/{project.pk}/").content.decode()
    assert "panel-decision" in page and f"/evaluation/{ev.pk}/" not in page
    assert staff.get(f"/evaluation/{ev.pk}/").status_code == 404
    assert staff.get(f"/api/v1/evaluation/{ev.pk}").status_code == 404
