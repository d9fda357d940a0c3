"""Model instances from plain rows, for the reads that load thousands of them.

A province page measures 5,050 children's figures against their targets. Loaded through the
ORM, the targets cost more than the roll-up itself (about 11 µs each: `Model.__init__` sets
every field through its descriptor, and every date is parsed): `instance` makes the same
object from a dict of its column values by filling its `__dict__`, which is what `__init__`
ends with. They are ordinary instances (saved, compared, related as usual); a column not
given is deferred, as with `.only()`, and loads on first use.
"""

from django.db.models import Model
from django.db.models.base import ModelState


def instance(model: type[Model], values: dict, related: dict | None = None, db="default"):
    """An instance of `model` with these attribute values (e.g. "unit_id") and these related
    objects already known (by field name, as `select_related` would set them)."""
    made = model.__new__(model)
    made.__dict__.update(values)
    state = made._state = ModelState()
    state.adding = False
    state.db = db
    state.fields_cache = related or {}  # else made on first use through a descriptor
    return made
