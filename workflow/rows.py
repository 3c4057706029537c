"""Rows of several tables read in one query: a ``UNION ALL`` of one JSON object per row.

A page that shows a little of many tables (the proposal page: its log, its documents, the
record of every step, the office around them) would otherwise pay a round trip, and the
building of a query, per table. Each ``Part`` names a queryset, the fields the page reads
and the related rows it follows; ``fetch`` returns model instances with those fields
loaded. Any other field is deferred: reading it costs a query, which a page's query-count
test catches.

JSON keeps the types apart on SQLite and PostgreSQL alike (numbers, booleans, null, text);
dates, times and JSON columns come back as text and are converted here, as the database
backend would have done.

Building the SQL of twenty querysets costs the ORM many times what running it costs, so
it is built once per process for each ``build`` function and variant: with a marker where
the proposal's id goes, replaced by the id on every call.
"""

from __future__ import annotations

import datetime
import json
import operator
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Cast, JSONObject
from django.utils.dateparse import parse_date, parse_datetime, parse_time


@dataclass(frozen=True)
class Part:
    """One table's rows: ``queryset`` (filters only), the ``fields`` read, the ``related``
    rows followed (a foreign key's name → the fields read of it), and the ``order`` of the
    rows (field names, through related rows with ``__``, ``-`` for descending; the model's
    ordering when empty)."""

    queryset: QuerySet
    fields: tuple[str, ...]
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    order: tuple[str, ...] = ()


Build = Callable[..., Mapping[str, Part]]


def fetch(build: Build, proposal_id: int, *variant: Hashable) -> dict[str, list[Any]]:
    """The rows of the parts ``build(proposal_id, *variant)`` gives, by part, in one query.

    The parts' querysets may differ from one proposal to the next only in ``proposal_id``
    (``variant`` may change which parts there are): the SQL is reused for every proposal.
    """
    query = _query(build, variant)
    params = [proposal_id if value == _MARK else value for value in query.params]
    with connections[query.db].cursor() as cursor:
        cursor.execute(query.sql, params)
        rows = cursor.fetchall()
    found: dict[str, list[Any]] = {name: [] for name in query.readers}
    for name, data in rows:
        found[name].append(query.readers[name].read(_decoded(data), query.db))
    for name, reader in query.readers.items():
        _sort(found[name], reader.order)
    return found


# Stands for the proposal's id while the SQL is built; no proposal has it.
_MARK = -7_318_512_934
_OTHER_MARK = _MARK - 1


@dataclass(frozen=True)
class _Query:
    db: str
    sql: str
    params: tuple[Any, ...]
    readers: dict[str, _Reader]


_QUERIES: dict[tuple[Build, tuple[Hashable, ...]], _Query] = {}


def _query(build: Build, variant: tuple[Hashable, ...]) -> _Query:
    key = (build, variant)
    found = _QUERIES.get(key)
    if found is None:
        parts = build(_MARK, *variant)
        db = next(iter(parts.values())).queryset.db
        sql, params = _sql(parts, db)
        other_sql, other_params = _sql(build(_OTHER_MARK, *variant), db)
        # The id must reach the SQL as a parameter, and be the only thing that changes.
        expected = tuple(_OTHER_MARK if value == _MARK else value for value in params)
        if other_sql != sql or other_params != expected or _MARK not in params:
            raise ValueError(f"{build.__qualname__}: parts differ beyond the proposal's id.")
        readers = {name: _Reader.of(part) for name, part in parts.items()}
        found = _QUERIES[key] = _Query(db, sql, params, readers)
    return found


def _sql(parts: Mapping[str, Part], db: str) -> tuple[str, tuple[Any, ...]]:
    selects = [
        part.queryset.order_by().values_list(Value(name), _json(part))
        for name, part in parts.items()
    ]
    first, *others = selects
    union = first.union(*others, all=True) if others else first
    sql, params = union.query.get_compiler(using=db).as_sql()
    return sql, tuple(params)


def _columns(model: type[models.Model], names: tuple[str, ...]) -> list[models.Field]:
    columns: list[models.Field] = [model._meta.pk]
    for name in names:
        column = model._meta.get_field(name)
        if column not in columns:
            columns.append(column)  # type: ignore[arg-type]  # concrete fields only
    return columns


def _value(column: models.Field, path: str) -> Any:
    if isinstance(column, models.JSONField):
        return Cast(F(path), models.TextField())  # the same text on every backend
    return F(path)


def _json(part: Part) -> JSONObject:
    model = part.queryset.model
    values = {
        column.attname: _value(column, column.attname) for column in _columns(model, part.fields)
    }
    for name, fields in part.related.items():
        target = model._meta.get_field(name).related_model
        values[name] = JSONObject(
            **{
                column.attname: _value(column, f"{name}__{column.attname}")
                for column in _columns(target, fields)
            }
        )
    return JSONObject(**values)


def _decoded(data: Any) -> dict[str, Any]:
    return data if isinstance(data, dict) else json.loads(data)


def _datetime(value: str) -> datetime.datetime | None:
    moment = parse_datetime(value)
    if moment is not None and settings.USE_TZ and moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)  # SQLite keeps UTC without a zone
    return moment


def _converter(column: models.Field) -> Callable[[Any], Any] | None:
    """How a JSON value becomes what the model field holds (``None``: as it is)."""
    if isinstance(column, models.DateTimeField):
        return _datetime
    if isinstance(column, models.DateField):
        return parse_date
    if isinstance(column, models.TimeField):
        return parse_time
    if isinstance(column, models.BooleanField):
        return bool
    if isinstance(column, models.JSONField):
        return json.loads
    return None


@dataclass(frozen=True)
class _Model:
    """Makes instances of ``model`` with the columns read, the others deferred."""

    model: type[models.Model]
    columns: tuple[tuple[str | None, Callable[[Any], Any] | None], ...]

    @classmethod
    def of(cls, model: type[models.Model], names: tuple[str, ...]) -> _Model:
        read = {column.attname for column in _columns(model, names)}
        return cls(
            model,
            tuple(
                (column.attname, _converter(column)) if column.attname in read else (None, None)
                for column in model._meta.concrete_fields
            ),
        )

    def make(self, data: Mapping[str, Any], db: str) -> models.Model:
        values = []
        for attname, convert in self.columns:
            if attname is None:
                values.append(models.DEFERRED)
                continue
            value = data[attname]
            values.append(convert(value) if convert is not None and value is not None else value)
        return self.model.from_db(db, None, values)  # type: ignore[arg-type]  # every field


@dataclass(frozen=True)
class _Reader:
    own: _Model
    related: tuple[tuple[str, str, _Model], ...]  # name, its key's attname, how to make it
    order: tuple[str, ...]

    @classmethod
    def of(cls, part: Part) -> _Reader:
        model = part.queryset.model
        related = []
        for name, fields in part.related.items():
            target = model._meta.get_field(name).related_model
            related.append((name, target._meta.pk.attname, _Model.of(target, fields)))
        return cls(
            _Model.of(model, part.fields),
            tuple(related),
            part.order or tuple(model._meta.ordering),
        )

    def read(self, data: Mapping[str, Any], db: str) -> models.Model:
        instance = self.own.make(data, db)
        for name, key, make in self.related:
            value = data[name]
            setattr(instance, name, None if value[key] is None else make.make(value, db))
        return instance


def _sort(rows: list[Any], order: tuple[str, ...]) -> None:
    for name in reversed(order):
        key = operator.attrgetter(name.lstrip("-").replace("__", "."))
        rows.sort(key=key, reverse=name.startswith("-"))
