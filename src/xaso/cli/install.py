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
    sub.add_parser(
        "load-admin-units", help="load the 2025 provinces and communes (offline data)"
    ).set_defaults(func=cmd_load_admin_units)


def add_manage(sub) -> None:
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
