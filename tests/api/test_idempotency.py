"""Writes with an Idempotency-Key happen once, even sent twice at the same moment."""

import datetime as dt
import json
import threading

import pytest
from django.db import connection
from django.utils import timezone

from xaso.api.models import IdempotentRequest
from xaso.figures.models import Result, ResultChange, Target

ROAD = {"unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "700"}


def test_the_same_key_and_body_store_once_and_answer_the_same(world, api):
    village = api("village")
    first = village.post("/api/results", ROAD, key="k-1")
    # Someone else changes the figure meanwhile; the retry must not put 700 back.
    Result.objects.update(value=900)
    again = village.post("/api/results", ROAD, key="k-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() == {
        "unit": "hl-1", "indicator": "road", "period": "2022-11", "value": "700", "status": "final",
    }  # fmt: skip
    assert Result.objects.get().value == 900
    assert ResultChange.objects.count() == 1
    assert IdempotentRequest.objects.get().status_code == 200


def test_without_a_key_a_changed_figure_is_written_again(world, api):
    """The control for the test above: the retry is stopped by the key, not by chance."""
    village = api("village")
    village.post("/api/results", ROAD)
    Result.objects.update(value=900)
    village.post("/api/results", ROAD)
    assert Result.objects.get().value == 700


def test_the_same_key_with_another_body_is_refused(world, api):
    village = api("village")
    village.post("/api/results", ROAD, key="k-2")
    other = village.post("/api/results", ROAD | {"value": "800"}, key="k-2")
    assert other.status_code == 422
    assert other.json() == {
        "error": {
            "message": "Idempotency-Key này đã được dùng cho một yêu cầu khác; "
            "mỗi yêu cầu mới cần một khóa mới.",
            "field": "Idempotency-Key",
            "code": "conflict",
        }
    }
    assert Result.objects.get().value == 700
    # on another path too
    target = {"unit": "hl-1", "indicator": "road", "period": "2022", "source": "annual_plan",
              "value": "1"}  # fmt: skip
    assert village.post("/api/targets", target, key="k-2").status_code == 422


def test_keys_belong_to_their_user(world, api):
    api("village").post("/api/results", ROAD, key="shared")
    body = ROAD | {"value": "650"}
    assert api("commune").post("/api/results", body, key="shared").status_code == 200
    assert Result.objects.get().value == 650


def test_a_failed_write_keeps_no_key_and_may_be_retried(world, api):
    village = api("village")
    refused = village.post("/api/results", ROAD | {"unit": "hl-2"}, key="k-3")
    assert refused.status_code == 403
    assert IdempotentRequest.objects.count() == 0
    assert village.post("/api/results", ROAD, key="k-4").status_code == 200


def test_a_key_longer_than_200_is_refused(world, api):
    assert api("village").post("/api/results", ROAD, key="k" * 200).status_code == 200
    long = api("village").post("/api/results", ROAD, key="k" * 201)
    assert (long.status_code, long.json()["error"]["field"]) == (422, "Idempotency-Key")


def test_a_batch_replayed_by_key_gives_the_first_report(world, api):
    rows = {"rows": [ROAD]}
    first = api("village").post("/api/results/batch", rows, key="b-1").json()
    again = api("village").post("/api/results/batch", rows, key="b-1").json()
    assert first == again == {
        "rows": 1, "stored": 1, "unchanged": 0, "errors": [], "dry_run": False,
    }  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent requests: PostgreSQL")
def test_two_identical_requests_at_once_store_once(world, api):
    """Two targets sent at the same moment with the same key: the second insert of the key
    waits for the first transaction and then reads its answer; one audit entry, one row."""
    body = {"unit": "hl", "indicator": "road", "period": "2022", "source": "district_plan",
            "value": "3000"}  # fmt: skip
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def send():
        try:
            client = api("commune")
            barrier.wait()
            response = client.post("/api/targets", body, key="same-moment")
            answers.append((response.status_code, json.loads(response.content)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [status for status, _ in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]
    assert Target.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
    from xaso.audit.models import AuditEntry

    assert AuditEntry.objects.filter(entity="target").count() == 1


def test_a_key_is_kept_24_hours(world, api):
    village = api("village")
    village.post("/api/results", ROAD, key="day-old")
    other = ROAD | {"value": "800"}
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=23, minutes=59))
    assert village.post("/api/results", other, key="day-old").status_code == 422  # still kept
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=24, minutes=1))
    assert village.post("/api/results", other, key="day-old").status_code == 200  # a new request
    assert Result.objects.get().value == 800
    assert IdempotentRequest.objects.count() == 1
