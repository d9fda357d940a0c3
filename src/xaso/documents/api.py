"""API: the documents uploaded to be read (reports, decisions) — read only.

A document is read by its uploader and the managers of its unit (`readable_documents`,
filtered in the query); any other id is 404.
"""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from xaso.api.errors import READ_ERRORS
from xaso.api.pagination import limit_query, page
from xaso.documents.models import SourceDocument
from xaso.documents.selectors import readable_documents

router = Router(tags=["Văn bản"])


class DocumentOut(Schema):
    id: int
    filename: str
    unit: str | None
    uploaded_at: dt.datetime
    imported_at: dt.datetime | None
    meeting: int | None
    sha256: str


class DocumentPage(Schema):
    items: list[DocumentOut]
    next: str | None


class DocumentDetail(DocumentOut):
    text: str
    warnings: list[str]


def document_json(document: SourceDocument) -> dict:
    return {
        "id": document.pk,
        "filename": document.filename,
        "unit": document.unit.code if document.unit_id else None,
        "uploaded_at": document.uploaded_at,
        "imported_at": document.imported_at,
        "meeting": document.meeting_id,
        "sha256": document.sha256,
    }


@router.get("/documents/", response={200: DocumentPage, **READ_ERRORS}, summary="Các văn bản")
def list_documents(
    request,
    limit: int = limit_query(),
    cursor: str | None = Query(None, max_length=200),
):
    """The documents the user uploaded or whose unit the user manages, newest first."""
    documents = readable_documents(request.auth).select_related("unit").defer("text")
    return page(request, documents, key="-id", limit=limit, cursor=cursor, serialize=document_json)


@router.get(
    "/documents/{document_id}", response={200: DocumentDetail, **READ_ERRORS}, summary="Một văn bản"
)
def get_document(request, document_id: int):
    document = get_object_or_404(
        readable_documents(request.auth).select_related("unit"), pk=document_id
    )
    warnings = [str(w) for w in document.warnings] if isinstance(document.warnings, list) else []
    return document_json(document) | {"text": document.text, "warnings": warnings}
