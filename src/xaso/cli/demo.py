"""`xaso demo` (the demo commune, served) and `xaso synth` (a deterministic synthetic country)."""

import dataclasses
import json

from xaso.cli.common import CommandError, ensure_secret_key, migrate, setup_django
from xaso.cli.serve import dev_server


def cmd_demo(args) -> int:
    ensure_secret_key()
    setup_django()
    migrate()
    from xaso.demo import loader

    if args.reset:
        erased = loader.erase_everything()
        print(f"Đã xóa toàn bộ dữ liệu cũ: {erased.describe()}.")
    existing = loader.holdings()
    if existing.empty:
        print(loader.load_demo().summary())
    else:
        # Loading again would put the demo's values back over what users entered since.
        print(
            f"Cơ sở dữ liệu đã có dữ liệu ({existing.describe()}): giữ nguyên, "
            "không nạp lại dữ liệu mẫu."
        )
        print(
            "Muốn xóa hết và nạp lại dữ liệu mẫu từ đầu: xaso demo --reset "
            "(xóa toàn bộ dữ liệu, kể cả người dùng)."
        )
    if args.no_serve:
        return 0
    login = (
        [f"Đăng nhập thử: tên {loader.DEMO_USERNAME} · mật khẩu {loader.DEMO_PASSWORD}"]
        if loader.demo_login_works()
        else []
    )
    return dev_server(args.host, args.port, login)


def cmd_synth(args) -> int:
    ensure_secret_key()
    setup_django()
    migrate()
    from xaso.demo.synth import SynthError, SynthSpec, synth
    from xaso.periods import PeriodError
    from xaso.vn.numbers import format_number

    spec = SynthSpec(
        provinces=args.provinces,
        communes_per_province=args.communes_per_province,
        villages_per_commune=args.villages_per_commune,
        indicators=args.indicators,
        periods=args.periods,
        seed=args.seed,
    )
    try:
        report = synth(spec, progress=(lambda line: None) if args.json else print)
    except (PeriodError, SynthError) as error:
        raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps({**dataclasses.asdict(report), "rows_per_second": report.rows_per_second}))
        return 0
    print(
        f"Đã nạp {format_number(report.units)} đơn vị, {report.indicators} chỉ tiêu, "
        f"{format_number(report.targets)} chỉ tiêu kế hoạch, "
        f"{format_number(report.results)} kết quả "
        f"({format_number(round(report.rows_per_second))} dòng kết quả/giây) và "
        f"{format_number(report.subtotals)} dòng tổng hợp cấp dưới, "
        f"tổng cộng {format_number(round(report.seconds, 1))} giây."
    )
    return 0


def add_demo(sub) -> None:
    demo = sub.add_parser(
        "demo", help="load the demo data into an empty database and serve it (development server)"
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="load and exit")
    demo.add_argument(
        "--reset",
        action="store_true",
        help="erase the whole database (data, users, audit trail) and load the demo afresh; "
        "without it the demo loads into an empty database only",
    )
    demo.set_defaults(func=cmd_demo)


def add_synth(sub) -> None:
    synth = sub.add_parser("synth", help="load a deterministic synthetic country")
    synth.add_argument("--provinces", type=int, required=True)
    synth.add_argument("--communes-per-province", type=int, required=True)
    synth.add_argument("--villages-per-commune", type=int, required=True)
    synth.add_argument("--indicators", type=int, required=True)
    synth.add_argument("--periods", required=True, help="2024 (its 12 months) or 2024-01..2024-06")
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--json", action="store_true", help="print the report as JSON")
    synth.set_defaults(func=cmd_synth)
