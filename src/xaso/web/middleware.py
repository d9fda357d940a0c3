"""Bad input stopped at the HTTP edge, before any view, form or query sees it.

- A body larger than `settings.MAX_REQUEST_BYTES` is refused with 413 before it is read: by its
  Content-Length when it has one, else (a chunked body) by reading at most one byte more than
  the limit.
- A NUL character in the path, a query parameter, a form field or a cookie is refused with 400:
  PostgreSQL cannot store or compare one, and a query with it fails as a server error.

Also the client's address for login throttling (`client_ip`), which trusts X-Forwarded-For only
as far as `settings.PROXIES` reverse proxies of ours stand in front.
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError

NUL = "\x00"
READ_CHUNK = 64 * 1024

TOO_LARGE = "Dữ liệu gửi lên quá lớn (tối đa {limit} MB). Tệp tải lên không được quá 5 MB."
BAD_INPUT = "Yêu cầu có ký tự không hợp lệ (ký tự NUL). Hãy kiểm tra lại địa chỉ hoặc nội dung."


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_large() -> HttpResponse:
    limit = settings.MAX_REQUEST_BYTES / (1024 * 1024)
    shown = f"{limit:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return _plain(TOO_LARGE.format(limit=shown), 413)


def _has_nul(pairs) -> bool:
    return any(NUL in key or NUL in value for key, value in pairs)


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._bounded_body(request)
        if refused is not None:
            return refused
        try:
            carries_nul = self._carries_nul(request)
        except MultiPartParserError:
            return _plain("Dữ liệu biểu mẫu gửi lên bị hỏng, không đọc được.", 400)
        if carries_nul:
            return _plain(BAD_INPUT, 400)
        return self.get_response(request)

    def _bounded_body(self, request) -> HttpResponse | None:
        limit = settings.MAX_REQUEST_BYTES
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        if raw_length:
            try:
                length = int(raw_length)
            except ValueError:
                length = -1
            if length < 0:
                return _plain("Độ dài nội dung (Content-Length) không hợp lệ.", 400)
            return _too_large() if length > limit else None
        if "chunked" not in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return None
        # No length given: read the body here, never more than the limit and one byte.
        stream = request.META.get("wsgi.input")
        if stream is None:
            return None
        buffer = io.BytesIO()
        while buffer.tell() <= limit:
            chunk = stream.read(min(READ_CHUNK, limit + 1 - buffer.tell()))
            if not chunk:
                break
            buffer.write(chunk)
        size = buffer.tell()
        if size > limit:
            return _too_large()
        buffer.seek(0)
        request.META["CONTENT_LENGTH"] = str(size)
        request._stream = LimitedStream(buffer, size)
        return None

    def _carries_nul(self, request) -> bool:
        if NUL in request.path_info or NUL in request.path:
            return True
        if _has_nul((k, v) for k, values in request.GET.lists() for v in values):
            return True
        if _has_nul(request.COOKIES.items()):
            return True
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            # Form fields only: an uploaded file may hold any bytes.
            return _has_nul((k, v) for k, values in request.POST.lists() for v in values)
        return False


def client_ip(request) -> str | None:
    """The address login attempts are counted against.

    Behind `settings.PROXIES` reverse proxies, each appending the address it was reached from to
    X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`), the client's address is that many
    entries from the right; what the client itself put further left is not trusted.
    """
    proxies = getattr(settings, "PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
