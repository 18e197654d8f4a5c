"""people services: validation, encryption at rest, blind index, masking, unmask, consent."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.conftest import make_id_number
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.people import selectors, services
from wushe.people.models import Person

ID_X = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def person(staff_a, community_a) -> Person:
    return services.person_create(actor=staff_a, region=community_a, name="张三丰",
                                  id_number=ID_X, phone=PHONE, address="杨坪社区3栋2单元101")


def test_create_writes_audit_event_without_plaintext(person):
    event = AuditEvent.objects.unscoped().get(action="people.person.created",
                                              target_id=str(person.pk))
    assert event.actor_name == "staff_a"
    assert event.region_path == person.region_path
    assert ID_X not in str(event.data) and PHONE not in str(event.data)


def test_sensitive_fields_are_ciphertext_in_the_database(person):
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone, address FROM people_person WHERE id = %s",
                    [person.pk])
        raw = cur.fetchone()
    assert all(v and "$" in v for v in raw)
    assert ID_X not in raw[0] and PHONE not in raw[1] and "杨坪社区" not in raw[2]
    fresh = Person.objects.unscoped().get(pk=person.pk)
    assert fresh.id_number == ID_X and fresh.phone == PHONE


SCRIPT = """
from wushe.accounts.services import user_create
from wushe.people.services import person_create
from wushe.regions.services import region_create
root = user_create(actor=None, username="root", password="x", is_superuser=True,
                   check_password=False)
d = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district", parent=None)
s = region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street", parent=d)
c = region_create(actor=root, code="500107001001", name="杨坪社区", kind="community", parent=s)
person_create(actor=root, region=c, name="李四", id_number="%s", phone="%s",
              address="特别地址九九号")
"""


# One value of every other personal-name column (#22): each must be ciphertext at rest.
OTHER_NAMES = {
    "orgs.SocialOrganization.person_in_charge": "钱负责人",
    "orgs.OrgMember.name": "孙会员甲",
    "charity.Donor.name (person) and Receipt.donor_name": "周捐赠人",
    "charity.Donor.contact_name": "郑联系人",
    "charity.CommitteeMember.name": "冯委员乙",
    "volunteers.VolunteerApplication.name": "陈申请人",
    "volunteers.VolunteerApplication.guardian_name": "褚监护人",
    "civilisation.PracticeSite.leader_name": "卫书记丙",
}
NAMES_SCRIPT = """
import uuid
from wushe.accounts.models import User
from wushe.charity import services as charity
from wushe.civilisation.services import site_create
from wushe.conftest import make_id_number
from wushe.core.ids import uscc_check_char
from wushe.orgs.services.organisation import org_create
from wushe.orgs.services.roster import member_add
from wushe.regions.models import Region
from wushe.volunteers.services.applications import application_submit
from wushe.volunteers.guardians import GuardianSpec
root = User.objects.get(username="root")
d = Region.objects.unscoped().get(code="500107000000")
c = Region.objects.unscoped().get(code="500107001001")
org = org_create(actor=root, region=c, status="incubating", name="杨坪邻里互助会",
                 category="public_service", person_in_charge="钱负责人")
member_add(actor=root, org=org, name="孙会员甲")
fund = charity.fund_create(actor=root, region=d, name="慈善纾困基金", kind="special",
                           parent_org_name="九龙坡区慈善与公益事业促进会", purpose="帮助困难群众",
                           target_groups=["hardship"])
charity.committee_member_add(actor=root, fund=fund, name="冯委员乙", role="member")
fund = charity.fund_set_status(actor=root, fund=fund, status="active")
donor = charity.donor_create(actor=root, region=d, kind="person", name="周捐赠人")
charity.donor_create(actor=root, region=d, kind="enterprise", name="重庆某某实业有限公司",
                     credit_code="91500107000000042" + uscc_check_char("91500107000000042"),
                     contact_name="郑联系人")
charity.donation_receive(actor=root, fund=fund, donor=donor, kind="cash", amount="100.00",
                         idempotency_key_value=str(uuid.uuid4()))
application_submit(region=c, team=None, name="陈申请人", consent=True, phone="13700001111",
                   id_number=make_id_number(birth="20180101"),
                   guardian=GuardianSpec("褚监护人", make_id_number(birth="19850101"), "父母"))
site_create(actor=root, level="centre", name="九龙坡区新时代文明实践中心", region=d,
            leader_name="卫书记丙")
"""


def test_personal_data_absent_from_sqlite_file_bytes(tmp_path):
    """Build a real SQLite data directory in a subprocess and grep its bytes (file + WAL)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WUSHE_DATA_DIR"] = str(tmp_path)
    wushe = [sys.executable, "-m", "wushe.cli"]
    subprocess.run([*wushe, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*wushe, "shell", "-c", SCRIPT % (ID_X, PHONE)], env=env, check=True)
    subprocess.run([*wushe, "shell", "-c", NAMES_SCRIPT], env=env, check=True)
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("wushe.sqlite3*"))
    assert "杨坪社区".encode() in blob  # the probe works: region names are stored in clear
    assert "杨坪邻里互助会".encode() in blob  # … and so are organisations' names
    for secret in (ID_X, PHONE, "特别地址九九号", "李四", *OTHER_NAMES.values()):
        assert secret.encode() not in blob, secret
        assert secret.encode("utf-16-le") not in blob


def _db_bytes(data_dir) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.glob("wushe.sqlite3*"))


def test_name_migration_leaves_no_plaintext_in_free_pages_or_wal(tmp_path):
    """Names written in clear before the encryption migration: after it, neither the file
    (free pages included) nor the WAL holds them."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WUSHE_DATA_DIR"] = str(tmp_path)
    wushe = [sys.executable, "-m", "wushe.cli"]
    subprocess.run([*wushe, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*wushe, "shell", "-c", SCRIPT % (ID_X, PHONE)], env=env, check=True)
    # Back to clear-text names (the state of a database made before the migration) …
    subprocess.run([*wushe, "migrate", "people", "0001", "-v0"], env=env, check=True)
    assert "李四".encode() in _db_bytes(tmp_path)  # the probe sees a clear name
    # Enough clear rows that the freed pages of the rebuilt table are not all reused.
    import sqlite3

    db = sqlite3.connect(tmp_path / "wushe.sqlite3")
    with db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("INSERT INTO people_person (created_at, updated_at, name, gender, address, "
                   "region_id, region_path) SELECT created_at, updated_at, name, gender, address, "
                   "region_id, region_path FROM people_person, "
                   "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                   " SELECT i FROM n)")
    db.close()
    # … then forward again: encrypted, the old pages vacuumed and the WAL emptied.
    subprocess.run([*wushe, "migrate", "people", "-v0"], env=env, check=True)
    blob = _db_bytes(tmp_path)
    assert "李四".encode() not in blob
    found = subprocess.run(
        [*wushe, "shell", "-c", "from wushe.people.models import Person;"
         "from wushe.people.names import name_index;"
         "qs = Person.objects.unscoped().filter(name_bidx=name_index('李 四'));"
         "p = qs.first(); print(qs.count(), p.name, p.masked_name)"],
        env=env, check=True, capture_output=True, text=True)
    assert found.stdout.split()[-3:] == ["3001", "李四", "李*"]


def test_invalid_id_number_refused_and_nothing_stored(staff_a, community_a):
    before = Person.objects.unscoped().count()
    with pytest.raises(ValidationFailed) as exc:
        services.person_create(actor=staff_a, region=community_a, name="王五",
                               id_number="110105194912310021")
    assert exc.value.code == "id_number_checksum"
    assert exc.value.message["zh"] and exc.value.message["en"]
    assert Person.objects.unscoped().count() == before
    assert not AuditEvent.objects.unscoped().filter(action="people.person.created").exists()


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "张<b>三", ""])
def test_markup_or_empty_names_refused(staff_a, community_a, name):
    with pytest.raises(ValidationFailed):
        services.person_create(actor=staff_a, region=community_a, name=name)
    assert Person.objects.unscoped().count() == 0


def test_full_width_id_number_accepted(staff_a, community_a):
    full = "".join(chr(ord(c) + 0xFEE0) for c in ID_X)
    p = services.person_create(actor=staff_a, region=community_a, name="赵六", id_number=full)
    assert p.id_number == ID_X
    assert p.birth_date == dt.date(1949, 12, 31) and p.gender == "F"


def test_masked_display_handles_x(person):
    assert person.masked_id_number == "1101**********002X"
    assert person.masked_phone == "139****5678"
    assert person.masked_name == "张*丰"


def test_blind_index_lookup_and_dedupe_in_scope(person, staff_a, community_a):
    found = selectors.person_lookup(actor=staff_a, id_number=ID_X.lower())
    assert found is not None and found.pk == person.pk
    with pytest.raises(Conflict):
        services.person_create(actor=staff_a, region=community_a, name="张三丰", id_number=ID_X)


def test_duplicate_in_another_community_is_not_revealed(person, staff_b, community_b):
    other = services.person_create(actor=staff_b, region=community_b, name="张三丰",
                                   id_number=ID_X)
    assert other.pk != person.pk
    assert selectors.person_lookup(actor=staff_b, id_number=ID_X).pk == other.pk
    assert AuditEvent.objects.unscoped().filter(
        action="people.person.duplicate_suspected").count() == 1


def test_unmask_requires_purpose_and_logs_access(person, staff_a):
    with pytest.raises(ValidationFailed):
        services.person_unmask(actor=staff_a, person=person, field="id_number", purpose="")
    assert PiiAccess.objects.unscoped().count() == 0
    value = services.person_unmask(actor=staff_a, person=person, field="id_number",
                                   purpose="核实低保申请身份")
    assert value == ID_X
    access = PiiAccess.objects.unscoped().get()
    assert (access.actor_name, access.field, access.subject_id) == ("staff_a", "id_number",
                                                                    str(person.pk))
    assert AuditEvent.objects.unscoped().filter(action="people.person.unmasked").count() == 1


def test_unmask_needs_permission(person, make_user, community_a):
    worker = make_user("social_worker", community_a)
    with pytest.raises(PermissionDenied):
        services.person_unmask(actor=worker, person=person, field="phone", purpose="回访联系")


def test_other_community_cannot_read_change_or_unmask(person, staff_b):
    with pytest.raises(NotFound):
        selectors.person_get(actor=staff_b, person_id=person.pk)
    with pytest.raises(NotFound):
        services.person_update(actor=staff_b, person=person, name="李四")
    with pytest.raises(NotFound):
        services.person_unmask(actor=staff_b, person=person, field="phone", purpose="想看一看")
    assert selectors.person_lookup(actor=staff_b, id_number=ID_X) is None
    assert not selectors.person_list(actor=staff_b).filter(pk=person.pk).exists()


def test_update_records_masked_old_and_new(person, staff_a):
    services.person_update(actor=staff_a, person=person, phone="13800000000")
    event = AuditEvent.objects.unscoped().get(action="people.person.updated")
    assert event.data == {"phone": {"old": "139****5678", "new": "138****0000"}}


def test_consent_for_child_needs_adult_guardian(staff_a, community_a):
    child = services.person_create(actor=staff_a, region=community_a, name="小明",
                                   id_number=make_id_number(birth="20200101"))
    parent = services.person_create(actor=staff_a, region=community_a, name="明父",
                                    id_number=make_id_number(birth="19900101", seq="321"))
    with pytest.raises(ValidationFailed) as exc:
        services.consent_give(actor=staff_a, person=child, purpose="service",
                              scope_text="社区关爱服务")
    assert exc.value.code == "guardian_required"
    consent = services.consent_give(actor=staff_a, person=child, purpose="service",
                                    scope_text="社区关爱服务", guardian=parent,
                                    guardian_relation="父亲", sensitive=True)
    assert consent.active and consent.sensitive
    services.consent_withdraw(actor=staff_a, consent=consent)
    consent.refresh_from_db()
    assert not consent.active
    with pytest.raises(Conflict):
        services.consent_withdraw(actor=staff_a, consent=consent)
    actions = set(AuditEvent.objects.unscoped().values_list("action", flat=True))
    assert {"people.consent.given", "people.consent.withdrawn"} <= actions


def test_region_must_be_community_level(staff_a, street):
    with pytest.raises(NotFound):  # the street is outside a community staffer's scope
        services.person_create(actor=staff_a, region=street, name="张三")
