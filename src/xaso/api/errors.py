"""One JSON shape for every error the API answers:

    {"error": {"message": "<Vietnamese>", "field": "<field or null>", "code": "<code>"}}

code is one of validation (422; 400 for a body that is not JSON), unauthorized (401),
forbidden (403), not_found (404), conflict (409, or 422 for an Idempotency-Key reused with
another body).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xaso.figures.services import StaleTarget, StaleWrite


class ErrorDetail(Schema):
    message: str
    field: str | None = None
    code: str


class ErrorOut(Schema):
    error: ErrorDetail


# Responses every operation may give, declared in the OpenAPI schema.
READ_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = READ_ERRORS | {409: ErrorOut}

NOT_FOUND = "Không tìm thấy."
UNREADABLE = "Nội dung gửi lên không đọc được: cần JSON hợp lệ, mã hóa UTF-8."
UNAUTHORIZED = (
    "Cần khóa API hợp lệ: gửi tiêu đề Authorization: Bearer <khóa>. "
    "Khóa được tạo ở trang Khóa API của bạn."
)


class ApiError(Exception):
    """An error answered as it is: status, message, field, code."""

    def __init__(self, status: int, message: str, *, field: str | None = None, code: str):
        super().__init__(message)
        self.status, self.message, self.field, self.code = status, message, field, code


def body(message: str, field: str | None, code: str) -> dict:
    return {"error": {"message": message, "field": field, "code": code}}


def _ninja_field(loc) -> str | None:
    """The field a pydantic error names: ["body", "payload", "value"] → "value"."""
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    parts = [part for part in parts if part not in ("payload", "filters")]
    return ".".join(parts) or None


_PYDANTIC_MESSAGES = {
    "missing": "Thiếu trường bắt buộc.",
    "int_parsing": "Phải là một số nguyên.",
    "int_type": "Phải là một số nguyên.",
    "string_type": "Phải là một chuỗi ký tự.",
    "bool_parsing": "Phải là true hoặc false.",
    "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "string_too_long": "Chuỗi ký tự quá dài.",
    "string_too_short": "Chuỗi ký tự quá ngắn.",
    "too_long": "Quá nhiều phần tử.",
    "list_type": "Phải là một danh sách.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "literal_error": "Giá trị không nằm trong các giá trị cho phép.",
    "enum": "Giá trị không nằm trong các giá trị cho phép.",
}


def install(api) -> None:
    """Register the handlers that turn every error into the one shape."""

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return api.create_response(
            request, body(exc.message, exc.field, exc.code), status=exc.status
        )

    @api.exception_handler(NinjaValidationError)
    def ninja_validation(request, exc: NinjaValidationError):
        first = exc.errors[0] if exc.errors else {}
        kind = first.get("type", "")
        message = _PYDANTIC_MESSAGES.get(kind, "Dữ liệu gửi lên không hợp lệ.")
        field = _ninja_field(first.get("loc", ()))
        return api.create_response(request, body(message, field, "validation"), status=422)

    @api.exception_handler(ValidationError)
    def django_validation(request, exc: ValidationError):
        if hasattr(exc, "error_dict"):
            field, messages = next(iter(exc.message_dict.items()))
            field = None if field == "__all__" else field
        else:
            field, messages = None, exc.messages
        return api.create_response(
            request, body(" ".join(messages), field, "validation"), status=422
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc: PermissionDenied):
        message = str(exc) or "Bạn không có quyền làm việc này."
        return api.create_response(request, body(message, None, "forbidden"), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(request, body(NOT_FOUND, None, "not_found"), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc: AuthenticationError):
        response = api.create_response(
            request, body(UNAUTHORIZED, "Authorization", "unauthorized"), status=401
        )
        response["WWW-Authenticate"] = 'Bearer realm="xaso"'
        return response

    @api.exception_handler(StaleWrite)
    def stale_write(request, exc: StaleWrite):
        return api.create_response(request, body(str(exc), "seen", "conflict"), status=409)

    @api.exception_handler(StaleTarget)
    def stale_target(request, exc: StaleTarget):
        return api.create_response(request, body(str(exc), "seen", "conflict"), status=409)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}
        code = codes.get(exc.status_code, "validation")
        if exc.status_code == 400:  # ninja's "Cannot parse request body"
            return api.create_response(request, body(UNREADABLE, "body", code), status=400)
        return api.create_response(request, body(str(exc), None, code), status=exc.status_code)
