"""`xaso article`: the news article written from a meeting, as Markdown or HTML.

The same writer as the "Viết tin bài" page (`publishing.article.write_article`); it only reads:
the draft the page stores is edited and published there. Without --as it reads as the server's
operator; with it, a meeting the user may not read is refused as if it did not exist.
"""

import sys
from pathlib import Path

from xaso.cli.common import CommandError, setup_django
from xaso.cli.units import acting_user, add_as_option

HTML_PAGE = """<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body>
{body}</body>
</html>
"""


def cmd_article(args) -> int:
    setup_django()
    from django.utils.html import escape

    from xaso.meetings.models import Meeting
    from xaso.meetings.selectors import meeting_detail
    from xaso.publishing.article import write_article

    user = acting_user(args.as_user)
    try:
        meeting = meeting_detail(args.meeting, user=user)
    except Meeting.DoesNotExist:
        whose = f" mà {user.username} được xem" if user is not None else ""
        raise CommandError(f"Không có hội nghị số {args.meeting}{whose}.") from None
    author = user.get_full_name() if user is not None else ""
    written = write_article(meeting, author=author)
    if args.format == "html":
        text = HTML_PAGE.format(title=escape(written.title), body=written.to_html())
    else:
        text = written.to_markdown()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"Đã ghi tin bài vào {args.output}.")
    return 0


def add_article(sub) -> None:
    article = sub.add_parser("article", help="the news article written from a meeting (MD, HTML)")
    article.add_argument("meeting", type=int, help="the meeting's number, as in /meetings/N/")
    article.add_argument("--format", choices=["md", "html"], default="md")
    article.add_argument("-o", "--output", help="file to write (stdout without)")
    add_as_option(article)
    article.set_defaults(func=cmd_article)
