"""The `xaso` command: parses arguments, calls services and selectors, prints.

xaso init                     create the data directory, its secret key and the database
xaso demo [--no-serve]        load the demo data (and serve it on http://127.0.0.1:8000)
xaso serve [--dev]            serve the web application (gunicorn; --dev: Django's server)
xaso show UNIT --period P     a unit's (or a group's) figures, targets and achievement
                              [--json] [--as USER]
xaso groups UNIT              the groups (cụm, khối thi đua) a unit owns or belongs to [--json]
xaso groups-import FILE --owner UNIT   groups from a spreadsheet, all or nothing [--dry-run]
xaso targets UNIT --period P  a unit's plan: targets by source and document [--json]
xaso allocate UNIT --indicator C --period P --by equal|base:C|last-year|file:PATH
                              hand a target down [--to KIND] [--dry-run] [--json] [--as USER]
xaso forms UNIT               the report forms a unit reports on or reviews [--json] [--as USER]
xaso completeness UNIT --form C --period P
                              who has reported: on time, late, missing [--json] [--as USER]
xaso criteria UNIT --set S    where a unit stands on a criteria set [--date D] [--json] [--as USER]
xaso criteria-sets            the criteria sets loaded, and the shipped packs not yet [--json]
xaso criteria-import FILE | --shipped   load a criteria pack (.yaml, .xlsx) [--owner PROVINCE]
xaso campaigns UNIT           a unit's emulation campaigns [--json] [--as USER]
xaso campaign-rank CAMPAIGN   a campaign's ranking [--date D] [--json] [--as USER]
xaso campaign-close CAMPAIGN  its closing review [--bieu-duong N] [--nhac-nho N] [--close]
                              [--decision FILE.docx] [--scores FILE.xlsx] [--json] [--as USER]
xaso report UNIT --period P   the unit's report [--kind thang|so-ket|tong-ket]
                              [--format docx|pdf|xlsx|md] [--issuer ubnd|dang-uy] [-o FILE]
xaso export UNIT --period P --format xlsx|csv|dhis2-json|dhis2-csv|adx|qcvn125 [-o FILE]
                              a unit's figures to a file [--system S] [--children] [--as USER]
xaso import FILE              figures from a file, all or nothing [--format F] [--system S]
                              [--dry-run] [--json] [--as USER]
xaso code-mappings FILE       load a code mapping table (CSV) [--json] [--as USER]
xaso article MEETING          the news article written from a meeting [--format md|html]
                              [-o FILE] [--as USER]
xaso remind                   send the reminders of report deadlines due now (cron, every few
                              minutes; each goes out once) [--json]
xaso createuser NAME --unit U --role R   a user with a role on a unit
xaso backup FILE | restore FILE          the whole database to a file and back
xaso load-admin-units         load the 34 provinces and 3,321 communes of July 2025
                              [--history: and the old map, with the links to today's]
xaso lineage UNIT             a unit's predecessors and successors [--json]
xaso lineage-share OLD --indicator C --to NEW=SHARE ...
                              a divided unit's shares for one indicator, adding up to 1
                              (in place of by area) [--basis TEXT] [--clear] [--as USER]
xaso lineage-move OLD --village V=NEW ...
                              which successor each village of a divided unit went to
                              (all or nothing) [--as USER]
xaso manage ARGS...           any Django management command (createsuperuser, ...)

Without --as, the read commands act as the server's operator, who may read every unit.

One module per group of commands, each with its arguments: `install` (init, load-admin-units,
manage), `demo` (demo, synth), `serve`, `users` (createuser), `backup` (backup, restore), `show`,
`plans` (targets, allocate), `meetings` (meetings, tasks), `reporting` (forms, completeness,
remind), `criteria` (criteria, criteria-sets, criteria-import), `lineage` (lineage, lineage-share,
lineage-move), `ingest`. What they share: `common`
(CommandError, the data directory, Django set up) and `units` (which unit a command means, --as).
"""

import argparse
import sys

from xaso.cli import (
    articles,
    backup,
    campaigns,
    criteria,
    demo,
    exchange,
    groups,
    ingest,
    install,
    lineage,
    meetings,
    plans,
    report,
    reporting,
    serve,
    show,
    users,
)
from xaso.cli.common import CommandError
from xaso.cli.units import resolve_readable_unit, resolve_unit

__all__ = ["CommandError", "build_parser", "main", "resolve_readable_unit", "resolve_unit"]

# In the order `xaso --help` lists them.
COMMANDS = [
    install.add_init,
    demo.add_demo,
    serve.add_serve,
    users.add_createuser,
    backup.add_backup,
    backup.add_restore,
    show.add_show,
    groups.add_groups,
    groups.add_groups_import,
    plans.add_targets,
    plans.add_allocate,
    meetings.add_meetings,
    meetings.add_tasks,
    reporting.add_forms,
    reporting.add_completeness,
    reporting.add_remind,
    criteria.add_criteria,
    criteria.add_criteria_sets,
    criteria.add_criteria_import,
    campaigns.add_campaigns,
    campaigns.add_campaign_rank,
    campaigns.add_campaign_close,
    report.add_report,
    articles.add_article,
    exchange.add_export,
    exchange.add_import,
    exchange.add_code_mappings,
    ingest.add_ingest,
    demo.add_synth,
    install.add_load_admin_units,
    lineage.add_lineage,
    install.add_manage,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xaso", description="xã số — the digital commune")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in COMMANDS:
        add_command(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (CommandError, ImproperlyConfigured) as error:
        print(error, file=sys.stderr)
        return 2
