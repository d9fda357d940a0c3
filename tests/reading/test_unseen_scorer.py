"""The unseen-reports bench (issue 19): its arithmetic on a hand-made pair, and its data files."""

import re
from datetime import date
from decimal import Decimal

import pytest

from bench import unseen
from xaso.reading.model import Extraction, FigureMention, MeetingInfo, RatioMention

GOLD = {
    "id": "t1",
    "date": "2024-07-08",
    "places": ["xã Tân Kỳ", "xã Nam Tân", "huyện Tân Kỳ"],
    "people": [["Nguyễn Văn An", "Bí thư Đảng ủy"], ["Lê Thị Bình", "Chủ tịch UBND xã"]],
    "figures": [
        ["18.5", "triệu đồng", "result"],
        ["4000", "lượt lao động", "result"],
        ["52", "triệu đồng/người/năm", "result"],
        ["290", "tỷ đồng", "target"],
    ],
    "ratios": [[9, 9, "chi bộ"], [12, 15, "xã"]],
    "limitations": 3,
    "directives": 2,
}
PREDICTED = {
    "date": "2024-07-08",
    "places": ["Xã Tân Kỳ", "xã Nam Tân", "xã Lê Thị Bình"],
    "people": [
        ["Nguyễn Văn An", "Phó Bí thư Thường trực Đảng ủy"],
        ["Lê Thị Bình", "Chủ tịch UBND xã Nam Tân"],
        ["Thị Bình", ""],
    ],
    "figures": [
        ["18500000", "đồng", "result"],  # the same amount with the scale word taken off
        ["4000", "lượt", "result"],  # the unit's leading word
        ["52", "triệu đồng", "result"],  # a rate read as money: no match
        ["290", "tỷ đồng", "result"],  # found, wrong role
        ["61.3", "%", "result"],  # a percent of plan: not a figure
    ],
    "ratios": [[9, 9, "chi bộ"], [None, 12, "thôn"], [3, 4, "tiêu chí"]],
    "limitations": 1,
    "directives": 4,
}


def test_scores_worked_out_by_hand():
    scores = unseen.totals([(GOLD, PREDICTED)])

    def prf(kind):
        k = scores[kind]
        return (k["tp"], k["fp"], k["fn"]), k["precision"], k["recall"], k["f1"]

    assert prf("dates") == ((1, 0, 0), 1.0, 1.0, 1.0)
    # places: 2 right (case folded), one person taken for a place, huyện Tân Kỳ missed
    assert prf("places") == (
        (2, 1, 1),
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
    )
    # people: both found, plus "Thị Bình" that is no one: P 2/3, R 1, F1 2·(2/3)/(5/3) = 0.8
    assert prf("people") == ((2, 1, 0), pytest.approx(2 / 3), 1.0, pytest.approx(0.8))
    # positions: Bình's contains the gold one; An's ("Phó Bí thư Thường trực …") does not
    assert prf("positions") == ((1, 1, 1), 0.5, 0.5, 0.5)
    # figures: 18,5 triệu đồng, 4.000 lượt, 290 tỷ found; 52 (rate) missed; 2 extra
    assert prf("figures") == ((3, 2, 1), 0.6, 0.75, pytest.approx(2 / 3))
    # roles of the three found: 290 tỷ đồng is a target read as a result
    assert prf("roles") == (
        (2, 1, 1),
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
        pytest.approx(2 / 3),
    )
    # ratios: 9/9 found, 12/15 missed, 3/4 extra, the bare count 12 thôn left out
    assert prf("ratios") == ((1, 1, 1), 0.5, 0.5, 0.5)
    assert prf("limitations") == ((1, 0, 2), 1.0, pytest.approx(1 / 3), 0.5)
    assert prf("directives") == ((2, 2, 0), 0.5, 1.0, pytest.approx(2 / 3))


def test_dates_micro_averaged_and_nothing_to_score():
    no_date = {"id": "t2", "places": [], "people": [], "figures": []}
    scores = unseen.totals([(GOLD, PREDICTED), (no_date, {"date": "2024-06-30"})])
    assert (scores["dates"]["tp"], scores["dates"]["fp"], scores["dates"]["fn"]) == (1, 1, 0)
    assert scores["dates"]["precision"] == 0.5
    assert scores["dates"]["f1"] == pytest.approx(2 / 3)
    # a wrong date is one false positive and one false negative
    wrong = unseen.totals([(GOLD, {"date": "2024-07-07"})])["dates"]
    assert (wrong["tp"], wrong["fp"], wrong["fn"]) == (0, 1, 1)
    missed = unseen.totals([({"limitations": 2}, {"limitations": 0})])["limitations"]
    assert (missed["precision"], missed["recall"], missed["f1"]) == (None, 0.0, 0.0)
    empty = unseen.totals([(no_date, {})])["dates"]
    assert (empty["precision"], empty["recall"], empty["f1"]) == (None, None, None)


def test_units_agree_only_by_whole_leading_words_and_never_for_rates():
    def found(gold_unit, predicted_unit):
        gold = {"figures": [["5", gold_unit, "result"]]}
        predicted = {"figures": [["5", predicted_unit, "result"]]}
        return unseen.totals([(gold, predicted)])["figures"]["tp"]

    assert found("lượt lao động", "lượt") == 1
    assert found("lượt", "lượt lao động") == 1
    assert found("lượt lao động", "lao động") == 0
    assert found("tạ/ha", "tạ") == 0
    assert found("triệu đồng/người/năm", "triệu đồng/người/năm") == 1
    assert found("m²", "m2") == 1
    assert found("ngàn tỷ đồng", "nghìn tỷ đồng") == 1


def test_predict_reads_an_extraction_and_its_plans_as_targets():
    extraction = Extraction(
        source="",
        text="",
        meeting=MeetingInfo(date=date(2023, 6, 12)),
        figures=[
            FigureMention(
                label="thu ngân sách",
                value=Decimal("3750"),
                unit="trieu_dong",
                unit_text="triệu đồng",
                plan=Decimal("15511"),
            )
        ],
        ratios=[RatioMention(what="chi bộ", achieved=9, total=9), RatioMention("thôn", None, 12)],
        limitations=["a", "b"],
    )
    predicted = unseen.predict(extraction)
    assert predicted["date"] == "2023-06-12"
    assert predicted["figures"] == [
        ["3750", "triệu đồng", "result"],
        ["15511", "triệu đồng", "target"],
    ]
    assert predicted["ratios"] == [[9, 9, "chi bộ"], [None, 12, "thôn"]]
    assert (predicted["limitations"], predicted["directives"]) == (2, 0)


def test_every_excerpt_file_parses_with_valid_fields():
    by_split = {split: unseen.load(split) for split in unseen.SPLITS}
    everything = by_split["tune"] + by_split["heldout"]
    assert len(everything) >= 60
    ids = [excerpt["id"] for excerpt in everything]
    assert len(set(ids)) == len(ids)
    hosts = {excerpt["url"].split("/")[2] for excerpt in everything}
    assert len(hosts) >= 40
    for excerpt in everything:
        assert 80 <= len(excerpt["text"].split()) <= 300, excerpt["id"]
        for _, _, role in excerpt["figures"]:
            assert role in ("result", "target")
        if "date" in excerpt:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", excerpt["date"])
    # the held-out third is every third excerpt in the order written
    numbers = sorted(int(excerpt["id"][1:]) for excerpt in by_split["heldout"])
    assert numbers == list(range(3, len(everything) + 1, 3))
    assert all(int(excerpt["id"][1:]) % 3 for excerpt in by_split["tune"])


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("date", "8/7/2024", "not ISO"),
        ("figures", [["5", "xã", "plan"]], "is not"),
        ("figures", [["5,5", "ha", "result"]], "not a plain number"),
        ("places", ["Xã Tân Kỳ"], "kind in lower case"),
        ("places", ["xã Hòa Bình"], "name not in the text"),
        ("people", [["Trần Văn Cường", ""]], "not in the text"),
        ("ratios", [[16, 15, "xã"]], "between 0 and total"),
        ("limitations", -1, "must be a count"),
    ],
)
def test_check_names_the_bad_field(field, bad, message):
    excerpt = {
        "id": "t3",
        "portal": "Cổng TTĐT xã Tân Kỳ",
        "url": "https://tanky.example.gov.vn/tin",
        "text": "Sáng 8/7, xã Tân Kỳ họp; đồng chí Nguyễn Văn An chủ trì; 12 trên 15 xã đạt chuẩn.",
    }
    unseen.check(excerpt)  # valid as it is
    with pytest.raises(ValueError, match=f"t3: {field}: .*{message}"):
        unseen.check({**excerpt, field: bad})
