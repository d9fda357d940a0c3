"""Model instances from plain rows, for the reads that load thousands of them.

A province page measures 5,050 children's figures against their targets. Loaded through the
ORM, the targets cost more than the roll-up itself (about 11 µs each: `Model.__init__` sets
every field through its descriptor, and every date is parsed): `instances` makes the same
objects from a `values_list` row by filling their `__dict__`, which is what `__init__` ends
with. They are ordinary instances (saved, compared, related as usual); a column not read is
deferred, as with `.only()`, and loads on first use.
"""

from django.db.models import Model
from django.db.models.base import ModelState


def instances(model: type[Model], names: tuple[str, ...], rows, db: str = "default") -> list:
    """Instances of `model` from `rows` of the attribute names `names` (e.g. "unit_id")."""
    new = model.__new__
    made = []
    for row in rows:
        instance = new(model)
        instance.__dict__.update(zip(names, row, strict=True))
        state = instance._state = ModelState()
        state.adding = False
        state.db = db
        state.fields_cache = {}  # else made on first use through a descriptor, as slow
        made.append(instance)
    return made
