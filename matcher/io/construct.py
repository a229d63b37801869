"""Pydantic models built from whole columns checked at once, not validated row by row.

Validating a national instance record by record spends most of the reader's
time in pydantic: a dict per row, every field checked again on every row, the
model's validators called per row. :func:`checked_records` does the same work
column by column instead:

* each column goes through one pydantic call with the field's own annotation,
  constraints and the model's config (a ``TypeAdapter`` of a list of that field),
  so a value is accepted exactly when the model would accept it in that field;
  the model's field validators follow. A column of one type of value is checked
  per distinct value (columns repeat few values), and where validation gives
  the values back unchanged the column's own values are kept (shared, not copied);
* each record is then made as pydantic's own ``__copy__`` makes one (its
  ``__dict__`` in field order, the fields given, no extra, no private values),
  and the model's after-validators (its cross-field rules) run on every record.

Nothing is decided here that the model does not decide: the rules are the
model's by construction. Whenever anything refuses a value or a record, or the
model uses a feature this does not reproduce (a before- or wrap-validator,
aliases, default factories, ...), the result is ``None`` and the caller
validates row by row for the precise first error. So this path may refuse more
than per-row validation (it then falls back), never less, and what it accepts
it builds equal, field by field and in the same field order.

:func:`checked_model` does the same for one model from given values (the
:class:`models.Instance` of the tables read, whose validator checks every
cross-reference).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain, repeat
from operator import is_
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

# Validators' ways to refuse a value: pydantic turns exactly these into a ValidationError.
_REFUSALS = (ValidationError, ValueError, AssertionError)

# Types whose equal values are alike in every way (tuples: when their items are), so a
# column of one of them is checked once per distinct value. Not floats: -0.0 == 0.0,
# yet they print differently.
_DEDUPLICABLE = frozenset({str, int, bool, date, tuple})


class _NeedsRecord(Exception):
    """A field validator asked for the record's other fields, which a column check has not got."""


class _ColumnInfo:
    """The ``ValidationInfo`` a field validator gets for a value checked outside a record."""

    __slots__ = ("context", "config", "field_name")
    mode = "python"

    def __init__(self, context: Any, config: Any, field_name: str) -> None:
        self.context = context
        self.config = config
        self.field_name = field_name

    @property
    def data(self) -> dict[str, Any]:
        raise _NeedsRecord(self.field_name)


@dataclass(frozen=True)
class _Plan:
    """How to build one model from columns: its fields in order, a list-of-field adapter
    for each, its validators (each with whether it takes an info argument) and defaults."""

    model: type[BaseModel]
    fields: tuple[str, ...]
    adapters: dict[str, TypeAdapter]
    field_validators: dict[str, tuple[tuple[Callable[..., Any], bool], ...]]
    model_validators: tuple[tuple[Callable[..., Any], bool], ...]
    defaults: dict[str, Any]  # fields that have one; the others are required


def _takes_info(function: Callable[..., Any], plain: int) -> bool | None:
    """Whether a validator takes an info argument after its ``plain`` ones (None: cannot tell)."""
    parameters = list(inspect.signature(function).parameters.values())
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
        return None
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return {plain: False, plain + 1: True}.get(len(positional))


@lru_cache(maxsize=None)
def _plan(model: type[BaseModel]) -> _Plan | None:
    """The plan of ``model``, or None when it uses a feature that only per-row validation has."""
    config = model.model_config
    decorators = model.__pydantic_decorators__
    if (decorators.validators or decorators.root_validators  # pydantic v1-style validators
            or model.__pydantic_post_init__ is not None or model.__pydantic_custom_init__
            or model.__private_attributes__
            or config.get("extra") == "allow" or config.get("validate_default")
            or model.__pydantic_root_model__):
        return None
    fields = tuple(model.model_fields)
    adapters: dict[str, TypeAdapter] = {}
    defaults: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if (info.alias or info.validation_alias or info.default_factory is not None
                or info.validate_default or info.discriminator):
            return None
        annotation = info.rebuild_annotation()
        adapters[name] = TypeAdapter(list[annotation], config=config)
        if not info.is_required():
            defaults[name] = info.default
    validators: dict[str, list[tuple[Callable[..., Any], bool]]] = {}
    for decorator in decorators.field_validators.values():
        takes_info = _takes_info(decorator.func, 1)
        if decorator.info.mode != "after" or takes_info is None:
            return None
        targets = fields if "*" in decorator.info.fields else decorator.info.fields
        for name in targets:
            validators.setdefault(name, []).append((decorator.func, takes_info))
    model_validators = []
    for decorator in decorators.model_validators.values():
        takes_info = _takes_info(decorator.func, 1)
        if decorator.info.mode != "after" or takes_info is None:
            return None
        model_validators.append((decorator.func, takes_info))
    return _Plan(model, fields, adapters, {k: tuple(v) for k, v in validators.items()},
                 tuple(model_validators), defaults)


def supports(model: type[BaseModel]) -> bool:
    """Whether :func:`checked_records` can build ``model`` (else it always returns None).

    Parameters
    ----------
    model
        A pydantic model.

    Returns
    -------
    bool
        True when the model has only features the column checks reproduce: after-validators
        whose info is used for ``context`` only, no aliases, default factories or private values.
    """
    return _plan(model) is not None


def _unchanged(checked: list[Any], given: list[Any]) -> bool:
    """Whether validation gave back the values themselves: equal and of the same types, also
    inside tuples (``Pathway.BOL == "BOL"``, so equality alone would keep the text)."""
    if checked != given:
        return False
    kinds = set(map(type, given))
    # Equal lists with one type besides None on both sides hold the same types in each place.
    if set(map(type, checked)) != kinds or len(kinds - {type(None)}) > 1:
        return False
    if tuple not in kinds:
        return True
    inner = [set(map(type, chain.from_iterable(v for v in values if type(v) is tuple)))
             for values in (checked, given)]
    return inner[0] == inner[1] and len(inner[0]) <= 1


def _validated(plan: _Plan, name: str, values: list[Any], context: Any) -> list[Any]:
    """``values`` of field ``name`` as the model would hold them; raises as validation would."""
    checked = plan.adapters[name].validate_python(values)
    for function, takes_info in plan.field_validators.get(name, ()):
        if takes_info:
            info = _ColumnInfo(context, plan.model.model_config, name)
            checked = [function(value, info) for value in checked]
        else:
            checked = list(map(function, checked))
    return checked


def _checked_column(plan: _Plan, name: str, values: list[Any], context: Any,
                    distinct: Sequence[Any] | None = None) -> list[Any]:
    """One column checked at once: the values themselves where validation keeps them (most
    columns), else the validated ones. ``distinct`` holds every value of the column (a
    value may be there twice), if the caller knows them; else they are found here."""
    if distinct is None:
        distinct = set(values)
    kinds = set(map(type, distinct)) - {type(None)}
    if kinds == {tuple}:  # tuples are alike when equal if their items are of one such type
        items = set(map(type, chain.from_iterable(v for v in distinct if v is not None)))
        if len(items) > 1 or not items <= _DEDUPLICABLE - {tuple}:
            kinds.add(object)
    # Each distinct value once (most columns repeat few); only for values of one type, as
    # a dict would take True for 1 and 0.0 for -0.0.
    if len(kinds) <= 1 and kinds <= _DEDUPLICABLE:
        distinct = list(distinct)
        checked = _validated(plan, name, distinct, context)
        if _unchanged(checked, distinct):
            return values
        validated = dict(zip(distinct, checked))
        return list(map(validated.__getitem__, values))
    checked = _validated(plan, name, values, context)
    return values if _unchanged(checked, values) else checked


def _records(plan: _Plan, columns: Mapping[str, Sequence[Any]], n: int) -> list[BaseModel]:
    """``n`` records from full columns; fields without a column take their default."""
    model, fields = plan.model, plan.fields
    full = [columns[f] if f in columns else [plan.defaults[f]] * n for f in fields]
    # Shared by the table's records: they are frozen, and pydantic copies the set before
    # it changes one (model_copy); one set per record would cost 200 bytes a record.
    fields_set = set(columns)
    new, set_slot = model.__new__, object.__setattr__
    records = []
    append = records.append
    for row in zip(*full):
        record = new(model)
        set_slot(record, "__dict__", dict(zip(fields, row)))
        set_slot(record, "__pydantic_fields_set__", fields_set)
        set_slot(record, "__pydantic_extra__", None)
        set_slot(record, "__pydantic_private__", None)
        append(record)
    return records


def _passes_model_validators(plan: _Plan, records: list[BaseModel], context: Any) -> bool:
    """Run each after-validator of the model on every record; False if one returns another
    object (only pydantic knows what that means), raises as validation would."""
    for function, takes_info in plan.model_validators:
        if takes_info:
            info = _ColumnInfo(context, plan.model.model_config, None)
            returned = map(function, records, repeat(info, len(records)))
        else:
            returned = map(function, records)
        if not all(map(is_, returned, records)):
            return False
    return True


def checked_records(model: type[BaseModel], columns: Mapping[str, list[Any]], n: int,
                    context: Any = None, *, distinct: Mapping[str, Sequence[Any]] | None = None,
                    ) -> list[BaseModel] | None:
    """The records of ``model`` that per-row validation of the same values would give, or None.

    Parameters
    ----------
    model
        The pydantic model of a row.
    columns
        Model field → the value of each row (already converted from the cell, as a per-row
        record would hold it); a field without a column takes its default, as a record
        without the key does.
    n
        The number of rows (each column has ``n`` values).
    context
        Passed to field validators as ``info.context``, as ``validate_python(context=...)`` does.
    distinct
        Field → values among which is every value of its column (each distinct one at least
        once), where the caller has them already; the other columns' are found here.

    Returns
    -------
    list or None
        The ``n`` records, equal field by field (and in field order) to
        ``TypeAdapter(list[model]).validate_python(rows)`` of the same rows; None when any
        value or record is refused, a required field has no column, or the model has a
        feature this does not reproduce: then validate row by row for the first error.
    """
    plan = _plan(model)
    if plan is None or not columns.keys() <= set(plan.fields) \
            or any(f not in columns and f not in plan.defaults for f in plan.fields):
        return None
    try:
        hints = distinct or {}
        checked = {name: _checked_column(plan, name, values, context, hints.get(name))
                   for name, values in columns.items()}
        records = _records(plan, checked, n)
        if not _passes_model_validators(plan, records, context):
            return None
    except (*_REFUSALS, _NeedsRecord):
        return None
    return records


def checked_model(model: type[BaseModel], values: Mapping[str, Any], *, trusted: frozenset[str] = frozenset(),
                  context: Any = None) -> BaseModel | None:
    """One ``model`` from ``values`` as ``model(**values)`` would make it, or None.

    Parameters
    ----------
    model
        A pydantic model.
    values
        Field → value.
    trusted
        Fields whose values are known to be what validation gives back (tuples of records
        built by :func:`checked_records`, say); they are not checked again.
    context
        As for :func:`checked_records`.

    Returns
    -------
    pydantic.BaseModel or None
        The model, after its field checks and model validators passed; None when anything
        is refused or the model has a feature this does not reproduce: then call
        ``model(**values)`` for the error.
    """
    plan = _plan(model)
    if plan is None or not values.keys() <= set(plan.fields) \
            or any(f not in values and f not in plan.defaults for f in plan.fields):
        return None
    try:
        columns = {name: [value] if name in trusted else _checked_column(plan, name, [value], context)
                   for name, value in values.items()}
        records = _records(plan, columns, 1)
        if not _passes_model_validators(plan, records, context):
            return None
    except (*_REFUSALS, _NeedsRecord):
        return None
    return records[0]
