"""The star filter takes a star level (0 … 5): anything else is a 422, never an IndexError.

Found by schemathesis (scripts/fuzz-api.sh): GET /api/v1/volunteers/?stars=-2147483648 was a
500, the band of a level below 0 or above the scale read past the thresholds."""

from __future__ import annotations

from wushe.volunteers.models import Volunteer
from wushe.volunteers.stars import MAX_STARS, StarScale
from wushe.volunteers.tests.factories import VWorld


def test_star_levels_outside_the_scale_are_refused_by_the_api(vw: VWorld) -> None:
    client = vw.client("admin")
    for stars in (-1, MAX_STARS + 1, -2147483648, 2147483647):
        r = client.get("/api/v1/volunteers/", {"stars": stars})
        assert r.status_code == 422, (stars, r.content)
        assert r.json()["details"][0]["field"].endswith("stars")
    assert client.get("/api/v1/volunteers/", {"stars": 0}).status_code == 200
    assert client.get("/api/v1/volunteers/", {"stars": MAX_STARS}).status_code == 200


def test_a_band_outside_the_scale_matches_no_one(vw: VWorld) -> None:
    scale = StarScale.load()
    everyone = Volunteer.objects.unscoped()
    assert everyone.exists()
    for stars in (-1, MAX_STARS + 1, 10**9):
        assert not everyone.filter(scale.band_q(stars, "")).exists()
