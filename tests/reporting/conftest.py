"""A commune with three villages reporting weekly on a small NTM form (seed 002's shape)."""

from dataclasses import dataclass

import pytest

from tests.factories import make_indicator, make_unit, make_user
from xaso.org.models import Role, UnitKind
from xaso.reporting.definitions import define_form


@dataclass
class Cycle:
    province: object
    commune: object
    villages: list
    other_commune: object
    fences: object
    toilets: object
    households: object
    form: object
    reporter: object  # village 1's head
    reviewer: object  # the commune's NTM officer (manager)
    stranger_reporter: object  # village 2's head


@pytest.fixture
def cycle(db):
    province = make_unit("Hà Tĩnh", UnitKind.PROVINCE, code="ht")
    commune = make_unit("Trang Giang", UnitKind.COMMUNE, province, code="tg")
    villages = [
        make_unit(name, UnitKind.VILLAGE, commune, code=f"tg-{n}")
        for n, name in enumerate(("Cẩm Trang", "Đông Giang", "Tây Giang"), start=1)
    ]
    other_commune = make_unit("Hà Linh", UnitKind.COMMUNE, province, code="hl")
    make_unit("Thôn 1", UnitKind.VILLAGE, other_commune, code="hl-1")
    fences = make_indicator("hang-rao-xanh", unit="m", name="Hàng rào xanh trồng mới")
    toilets = make_indicator("nha-tieu-tu-hoai", unit="ho", name="Hộ làm nhà tiêu tự hoại")
    households = make_indicator("so-ho", unit="ho", name="Số hộ")
    form = define_form(
        code="ntm-tuan",
        name="Báo cáo tuần NTM",
        reviewer=commune,
        period_type="week",
        deadline_rule="fri@17:00",
        indicators=[(fences, "Cảnh quan"), (toilets, "Vệ sinh"), (households, "Chung")],
        reporter_kind=UnitKind.VILLAGE,
        rules=[("nha_tieu_tu_hoai <= so_ho", "Số hộ làm nhà tiêu vượt số hộ của thôn.", "error")],
    )
    return Cycle(
        province=province,
        commune=commune,
        villages=villages,
        other_commune=other_commune,
        fences=fences,
        toilets=toilets,
        households=households,
        form=form,
        reporter=make_user("camtrang", unit=villages[0], role=Role.REPORTER),
        reviewer=make_user("canbontm", unit=commune, role=Role.MANAGER),
        stranger_reporter=make_user("donggiang", unit=villages[1], role=Role.REPORTER),
    )
