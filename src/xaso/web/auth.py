"""Django's ModelBackend, with the signed-in user of each request read by a statement written
once (`xaso.rows.Lookup`) instead of a queryset compiled anew on every page."""

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from xaso.rows import Lookup

_User = get_user_model()
_BY_ID = Lookup(_User, f'"{_User._meta.pk.column}" = %s')


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            user = _BY_ID.one(_User._meta.pk.to_python(user_id))
        except ValidationError:
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
