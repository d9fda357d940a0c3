"""The API: one NinjaAPI with each app's router (src/xaso/<app>/api.py). docs/api.md."""

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from xaso.api import errors
from xaso.api.auth import TokenAuth

VERSION = "1.0"


class Utf8Renderer(JSONRenderer):
    """Vietnamese as it is written, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="xaso API",
    version=VERSION,
    description=(
        "Số liệu, chỉ tiêu, kỳ báo cáo và đơn vị của xã số. Xác thực bằng khóa API "
        "(Authorization: Bearer <khóa>), tạo ở trang Khóa API. Xem docs/api.md."
    ),
    auth=TokenAuth(),
    renderer=Utf8Renderer(),
    urls_namespace="api",
    docs=Swagger(),  # served from ninja's own static files ("ninja" is an installed app)
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _mount() -> None:
    from xaso.catalog.api import router as catalog
    from xaso.criteria.api import router as criteria
    from xaso.documents.api import router as documents
    from xaso.figures.api import router as figures
    from xaso.groups.api import router as groups
    from xaso.meetings.api import router as meetings
    from xaso.org.api import router as org
    from xaso.reporting.api import router as reporting

    api.add_router("/units", org)
    api.add_router("/", catalog)
    api.add_router("/", figures)
    api.add_router("/", meetings)
    api.add_router("/", documents)
    api.add_router("/", reporting)
    api.add_router("/", criteria)
    api.add_router("/", groups)


_mount()
