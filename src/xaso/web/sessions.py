"""Database sessions whose row is read by a statement written once (`xaso.rows.Lookup`):
every request reads its session, and Django's queryset spent more CPU writing that SQL than
the database spent answering it. Stored, expired, saved and deleted as Django's own.

settings.SESSION_ENGINE = "xaso.web.sessions"
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from xaso.rows import Lookup

_UNEXPIRED = Lookup(Session, '"session_key" = %s AND "expire_date" > %s')


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        found = _UNEXPIRED.one(self.session_key, timezone.now())
        if found is None:
            self._session_key = None
        return found
