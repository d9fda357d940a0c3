"""Model instances read by a statement written once, for the reads made on every request.

Django writes a queryset's SQL anew each time it runs it. For the few reads every page makes —
the session, the user, the unit the address names, the user's roles — writing the SQL cost
more CPU than PostgreSQL spent answering (issue 20, docs/scale.md "The fixed cost of a
request"). A `Lookup` takes its SELECT list and the column converters from the queryset
compiler once per database, adds a WHERE clause of its own, and turns each
row into an instance with `Model.from_db`, as a queryset does.
"""

from django.db import connections, router
from django.db.models import Model


class Lookup:
    """`Lookup(OrgUnit, '"code" = %s').one(code)`: the instance whose row matches, or None;
    `.all(...)` for every row that matches.

    `where` names columns of the model's own table (quoted, as the compiler writes them),
    takes its values as parameters, and may end with an ORDER BY. `{many}` in it stands for
    a list given as `many=`: `'"path" IN ({many})'` is written once per length of the list.
    """

    def __init__(self, model: type[Model], where: str):
        self.model = model
        self.where = where
        # (database alias, length of `many`) -> (sql, attnames, converters)
        self._prepared: dict[tuple[str, int], tuple] = {}

    def _prepare(self, alias: str, many: int) -> tuple:
        if (alias, many) not in self._prepared:
            # The WHERE clause gives the order, if any (treebeard's manager orders by path).
            queryset = self.model._default_manager.using(alias).order_by()
            compiler = queryset.query.get_compiler(alias)
            sql, params = compiler.as_sql()
            if params or " WHERE " in sql:
                raise ValueError(f"{self.model.__name__}: its default manager filters its rows")
            columns = [expression for expression, _, _ in compiler.select]
            attnames = [expression.target.attname for expression in columns]
            converters = compiler.get_converters(columns)
            where = self.where.replace("{many}", ", ".join(["%s"] * many))
            self._prepared[alias, many] = (f"{sql} WHERE {where}", attnames, converters)
        return self._prepared[alias, many]

    def all(self, *params, many: list = ()) -> list[Model]:
        """Every instance whose row matches, in the order the WHERE clause's ORDER BY gives."""
        return self._instances(params, many, None)

    def one(self, *params, many: list = ()) -> Model | None:
        """The instance whose row matches, None if none does; more than one is an error."""
        found = self._instances(params, many, 2)
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned(f"{self.model.__name__}: {self.where}")
        return found[0] if found else None

    def _instances(self, params: tuple, many: list, most: int | None) -> list[Model]:
        alias = router.db_for_read(self.model)
        sql, attnames, converters = self._prepare(alias, len(many))
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *many])
            rows = cursor.fetchall() if most is None else cursor.fetchmany(most)
        found = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters.items():
                for function in functions:  # as SQLCompiler.apply_converters does
                    row[position] = function(row[position], expression, connection)
            found.append(self.model.from_db(alias, attnames, row))
        return found
