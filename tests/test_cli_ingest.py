"""`xaso ingest`: files in, JSON out; one unreadable file does not stop the others."""

import json

from xaso.cli import main

REPORT = """Xã Yên Lạc tổ chức Hội nghị BCH mở rộng tháng 3
Sáng ngày 28/3/2024, Đảng ủy xã Yên Lạc tổ chức hội nghị.
Đ/c Hà Văn Tùng, PBT TT Đảng ủy thông qua báo cáo.
Thu ngân sách ước đạt 1.200 triệu đồng/2.000 triệu đồng (đạt 70% kế hoạch huyện giao).
Lãnh đạo 12/12 chi bộ sinh hoạt chuyên đề.
"""


def test_it_prints_one_json_object_per_file(tmp_path, capsys):
    report = tmp_path / "yen-lac.txt"
    report.write_text(REPORT, encoding="utf-8")

    assert main(["ingest", str(report), "--json"]) == 0

    [document] = json.loads(capsys.readouterr().out)
    assert document["source"] == str(report)
    assert document["meeting"] == {
        "date": "2024-03-28",
        "time_of_day": "morning",
        "place": None,
        "kind": "executive_extended",
        "title": "Xã Yên Lạc tổ chức Hội nghị BCH mở rộng tháng 3",
        "period": "2024-03",
    }
    assert document["dates"] == ["2024-03-28"]
    assert document["places"] == ["xã Yên Lạc"]
    assert document["people"] == [
        {
            "name": "Hà Văn Tùng",
            "position": "PBT TT Đảng ủy",
            "position_normalised": "Phó Bí thư Thường trực Đảng ủy",
            "role": "reporting",
        }
    ]
    [budget] = document["figures"]
    assert budget["value"] == 1200 and budget["plan"] == 2000  # plain JSON numbers
    assert budget["plan_source"] == "district_plan"
    assert (budget["percent_stated"], budget["percent_computed"]) == (70, 60)
    assert budget["consistent"] is False and budget["estimated"] is True
    assert document["ratios"] == [{"what": "chi bộ", "achieved": 12, "total": 12}]
    assert any("không khớp" in warning for warning in document["warnings"])


def test_an_unreadable_file_is_reported_and_the_others_still_read(tmp_path, capsys):
    good, empty, binary = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    good.write_text(REPORT, encoding="utf-8")
    empty.write_bytes(b"")
    binary.write_bytes(b"\x00\x01\x02\x03" * 50)

    code = main(["ingest", str(good), str(empty), str(binary), "--json"])

    out = capsys.readouterr()
    assert code != 0
    documents = json.loads(out.out)
    assert [d["source"] for d in documents] == [str(good), str(empty), str(binary)]
    assert documents[0]["meeting"]["date"] == "2024-03-28"
    assert documents[1]["error"] == "Tệp rỗng."
    assert "nhị phân" in documents[2]["error"]
    assert f"{empty}: Tệp rỗng." in out.err


def test_a_missing_file_is_an_error_too(tmp_path, capsys):
    assert main(["ingest", str(tmp_path / "none.txt")]) != 0
    assert "Không mở được tệp" in capsys.readouterr().err


def test_the_text_summary_flags_a_percent_that_does_not_match(tmp_path, capsys):
    report = tmp_path / "yen-lac.txt"
    report.write_text(REPORT, encoding="utf-8")
    assert main(["ingest", str(report)]) == 0
    assert "KHÔNG khớp" in capsys.readouterr().out
