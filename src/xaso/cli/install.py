"""Setting up an installation: `xaso init`, `xaso load-admin-units`, `xaso manage`."""

import argparse

from xaso.cli.common import data_dir, ensure_secret_key, migrate, setup_django


def cmd_init(args) -> int:
    ensure_secret_key()
    setup_django()
    migrate()
    print(f"Đã khởi tạo dữ liệu tại {data_dir()}")
    return 0


def cmd_load_admin_units(args) -> int:
    setup_django()
    migrate()
    from xaso.org.admin_units import load_admin_units

    report = load_admin_units()
    print(
        f"Đã nạp {report.provinces} tỉnh, thành phố và {report.communes} xã, phường, đặc khu "
        f"(mới {report.created}, cập nhật {report.updated}, không đổi {report.unchanged})."
    )
    if args.history:
        from xaso.org.admin_history import load_admin_history

        history = load_admin_history()
        print(
            f"Bản đồ trước 01/7/2025: {history.old_provinces} tỉnh, {history.old_districts} "
            f"huyện, {history.old_communes} xã, phường, thị trấn (mới {history.created}); "
            f"{history.links} liên kết tới đơn vị hiện nay. Thôn, tổ dân phố không có trong "
            "dữ liệu này."
        )
        if history.unmatched:
            print(
                f"{len(history.unmatched)} xã mới ghi khác nhau giữa hai bộ dữ liệu, chưa nối: "
                + ", ".join(history.unmatched)
            )
    return 0


def cmd_manage(args) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xaso manage", *args.rest])
    return 0


def add_init(sub) -> None:
    sub.add_parser("init", help="create the data directory and database").set_defaults(
        func=cmd_init
    )


def add_load_admin_units(sub) -> None:
    command = sub.add_parser(
        "load-admin-units", help="load the 2025 provinces and communes (offline data)"
    )
    command.add_argument(
        "--history",
        action="store_true",
        help="also the map before 1 July 2025 (63 provinces, 696 districts, 10,035 communes) "
        "and the links from each old unit to today's",
    )
    command.set_defaults(func=cmd_load_admin_units)


def add_manage(sub) -> None:
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
