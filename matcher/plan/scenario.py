"""Applying a planner's scenario to an instance: the changed instance it describes.

A scenario (:class:`models.scenario.Scenario`) changes an instance in four
ways, applied in this order; each returns a new instance (instances are
frozen) and the students and their ids never change, so every run can be set
beside the baseline student by student.

**Move a cohort** (``[[scenario.move]]``). ``shift = N`` moves every period
in the cohort's students' lists N periods later (earlier when negative), so
each student keeps how many periods they accept and in which order;
``any = true`` lets them accept every period, their own first
(:mod:`matcher.plan.cohorts`). A shift that would leave the school year,
or a cohort without students, is an error.

**Add or remove places** (``[[scenario.places]]``). ``change`` is places *per
period*, in SPEC's sense (students at once in one period), in every period
the entry names (every period of the year when ``period`` is left out),
among the vacancies of the ``sector`` and ``region`` (each: all, when left
out). A vacancy's sector is its company's, else its first crebo's; its
region is its company's, else the approximate region of the workplace.

- *Added* places are new vacancies offered in that period only, each a copy
  of an existing vacancy of the cell (crebos, pathway, levels, location,
  duo, accessibility; extra-guidance places in the same proportion) with its
  own new company and no supervisor limit: a planner adding places means
  supervised places, which an existing supervisor who is already full could
  not give. The N places are spread over the cell's vacancies offering that
  period in proportion to their places (largest remainder, ties by vacancy
  id), or over all the cell's vacancies when none offers it. A cell without
  any vacancy is an error (there is nothing to model the places on).
- *Removed* places come from the cell's vacancies offering that period, in
  proportion to their places (largest remainder, ties by vacancy id), never
  below 0: asking for more than the cell has removes what it has, and the
  run's ``summary.json`` says so. A vacancy that offers other periods too is
  split: it keeps its other periods with its places, and a copy with id
  ``<vacancy_id>~<period>`` (same company and supervisor, so every capacity
  stays as it was) offers that period with fewer places. Students' wishes
  that name the vacancy *by id* do not carry over to that copy (wishes
  naming the company do): a wish counts once, at one position of the list.

**Duo places** (``[[scenario.duo]]``): every vacancy of the sector (and
region) allows duo places.

**Dropout** (``[scenario.dropout]``): each company at risk (with a vacancy
of the sector and region, when given) drops out with probability ``rate``,
independently: its vacancies at risk offer 0 places in that run. Whether a
company drops in run ``r`` depends only on (seed, r, company id), through a
hash (:func:`dropout_draws`): it is reproducible, independent of scheduling,
of other companies and of which scenario is run. So run ``r`` of two
scenarios loses the same companies (common random numbers: their difference
is the scenarios', not the dice's), and a higher rate drops a superset.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from matcher.engine.problem import needs_extra_guidance
from matcher.errors import InputError
from matcher.geo.catalogue import sector_of
from matcher.geo.region import approximate_regions_of
from matcher.plan.cohorts import Cohort, cohort_members, open_cohorts, shift_cohorts, shift_range
from models import Company, Instance, Policy, Vacancy
from models.scenario import Dropout, PlaceChange, Scenario


@dataclass(frozen=True)
class VacancyCells:
    """Sector and region of each vacancy of an instance, in ``instance.vacancies`` order."""

    sector: np.ndarray
    region: np.ndarray

    def matching(self, sector: str | None, region: str | None) -> np.ndarray:
        """Whether each vacancy lies in the sector and region (``None`` matches all)."""
        keep = np.ones(len(self.sector), dtype=bool)
        if sector is not None:
            keep &= self.sector == sector
        if region is not None:
            keep &= self.region == region
        return keep


def _located_arrays(records) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pc4 = np.array([int(r.pc4) if r.pc4 is not None else -1 for r in records], dtype=np.int64)
    lat = np.array([r.lat if r.lat is not None else np.nan for r in records], dtype=float)
    lon = np.array([r.lon if r.lon is not None else np.nan for r in records], dtype=float)
    return pc4, lat, lon


def vacancy_cells(instance: Instance) -> VacancyCells:
    """Sector (company's, else the first crebo's) and region (company's, else the
    workplace's approximate region) of every vacancy."""
    companies = {c.company_id: c for c in instance.companies}
    crebo_sector = sector_of([v.crebos[0] for v in instance.vacancies]).to_numpy()
    approx = approximate_regions_of(*_located_arrays(instance.vacancies)) if instance.vacancies \
        else np.array([], dtype=object)
    sector = np.empty(len(instance.vacancies), dtype=object)
    region = np.empty(len(instance.vacancies), dtype=object)
    for i, v in enumerate(instance.vacancies):
        company = companies.get(v.company_id)
        sector[i] = company.sector if company is not None and company.sector else crebo_sector[i]
        region[i] = company.region if company is not None and company.region else approx[i]
    return VacancyCells(sector, region)


def student_cells(instance: Instance) -> tuple[np.ndarray, np.ndarray]:
    """Sector (of the crebo) and approximate home region of every student, in
    ``instance.students`` order (as ``summary.json`` counts them)."""
    sector = sector_of([s.crebo for s in instance.students]).to_numpy()
    region = approximate_regions_of(*_located_arrays(instance.students))
    return sector, region


@dataclass
class Applied:
    """What a scenario's deterministic part changed, for the run's summary."""

    students_moved: int = 0
    places_added: int = 0
    places_removed: int = 0
    places_removal_asked: int = 0
    vacancies_made_duo: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """JSON-ready counts and notes."""
        return {"students_moved": self.students_moved, "places_added": self.places_added,
                "places_removed": self.places_removed,
                "places_removal_asked": self.places_removal_asked,
                "vacancies_made_duo": self.vacancies_made_duo, "notes": list(self.notes)}


def _where(scenario_number: int, table: str, entry: int) -> str:
    return f"scenario[{scenario_number}].{table}[{entry}]"


def _move_cohorts(instance: Instance, scenario: Scenario, number: int, file: str | None,
                  applied: Applied) -> Instance:
    members = cohort_members(instance)
    shifts: dict[Cohort, int] = {}
    opened: list[Cohort] = []
    for entry, move in enumerate(scenario.move, start=1):
        cohort = Cohort(move.school, move.crebo, move.year)
        where = _where(number, "move", entry)
        if cohort not in members:
            raise InputError(f"no students in cohort {cohort} (school {move.school}, crebo "
                             f"{move.crebo}, year {move.year})", file=file, column=where)
        if cohort in shifts or cohort in opened:
            raise InputError(f"cohort {cohort} is moved twice in scenario {scenario.name!r}",
                             file=file, column=where)
        if move.any:
            opened.append(cohort)
        else:
            allowed = shift_range(instance, members[cohort])
            if move.shift not in allowed:
                raise InputError(
                    f"cohort {cohort} cannot shift by {move.shift} periods: its periods would leave "
                    f"the school year {', '.join(instance.period_ids)} (allowed shifts "
                    f"{allowed.start} to {allowed.stop - 1})", file=file, column=where + ".shift")
            shifts[cohort] = move.shift
        applied.students_moved += len(members[cohort])
    if shifts:
        instance = shift_cohorts(instance, shifts)
    if opened:
        instance = open_cohorts(instance, opened)
    return instance


def largest_remainder(total: int, weights: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Split ``total`` units in proportion to ``weights`` (equal when all are 0).

    Each gets the floor of its share; the units left go to the largest
    fractional parts, ties to the smallest id. With ``total <= weights.sum()``
    no share exceeds its weight.
    """
    weights = np.asarray(weights, dtype=np.int64)
    if weights.sum() == 0:
        weights = np.ones(len(weights), dtype=np.int64)
    exact = total * weights / weights.sum()
    shares = np.floor(exact).astype(np.int64)
    left = int(total - shares.sum())
    fraction = exact - shares
    order = sorted(range(len(weights)), key=lambda i: (-fraction[i], ids[i]))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _offers(vacancy: Vacancy, period: str) -> bool:
    return not vacancy.periods or period in vacancy.periods


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}.{n}"
    taken.add(candidate)
    return candidate


def _add_places(instance: Instance, cells: VacancyCells, change: PlaceChange, period: str,
                tag: str, where: str, file: str | None) -> tuple[Instance, int]:
    vacancies = instance.vacancies
    in_cell = np.flatnonzero(cells.matching(change.sector, change.region))
    if len(in_cell) == 0:
        raise InputError(f"no vacancy in {_cell_words(change)} to model new places on",
                         file=file, column=where)
    offering = np.array([i for i in in_cell if _offers(vacancies[i], period)], dtype=np.int64)
    templates = offering if len(offering) and sum(vacancies[i].places for i in offering) else in_cell
    ids = np.array([vacancies[i].vacancy_id for i in templates], dtype=object)
    shares = largest_remainder(change.change, np.array([vacancies[i].places for i in templates]), ids)
    taken = {v.vacancy_id for v in vacancies} | {c.company_id for c in instance.companies} \
        | {v.company_id for v in vacancies}
    new_vacancies, new_companies = [], []
    for i, share in zip(templates.tolist(), shares.tolist()):
        if share == 0:
            continue
        template = vacancies[i]
        new_id = _free_id(f"{template.vacancy_id}+{tag}{period}", taken)
        guidance = template.extra_guidance_places
        if guidance is not None:
            guidance = share * min(guidance, template.places) // template.places if template.places else 0
        new_vacancies.append(template.model_copy(update={
            "vacancy_id": new_id, "company_id": new_id, "supervisor_id": None, "places": share,
            "periods": (period,), "extra_guidance_places": guidance}))
        region = cells.region[i]
        new_companies.append(Company(
            company_id=new_id, name="new places (scenario)", sector=cells.sector[i],
            region=region if isinstance(region, str) and region.startswith("AM") else None))
    update = {"vacancies": vacancies + tuple(new_vacancies)}
    if instance.companies:  # without companies.csv, companies are known from vacancies alone
        update["companies"] = instance.companies + tuple(new_companies)
    return instance.model_copy(update=update), change.change


def _remove_places(instance: Instance, cells: VacancyCells, change: PlaceChange,
                   period: str) -> tuple[Instance, int]:
    vacancies = list(instance.vacancies)
    in_cell = cells.matching(change.sector, change.region)
    holders = np.array([i for i in np.flatnonzero(in_cell)
                        if _offers(vacancies[i], period) and vacancies[i].places > 0], dtype=np.int64)
    if len(holders) == 0:
        return instance, 0
    places = np.array([vacancies[i].places for i in holders], dtype=np.int64)
    removed = min(-change.change, int(places.sum()))
    ids = np.array([vacancies[i].vacancy_id for i in holders], dtype=object)
    shares = largest_remainder(removed, places, ids)
    taken = {v.vacancy_id for v in vacancies}
    split_off = []
    for i, share in zip(holders.tolist(), shares.tolist()):
        if share == 0:
            continue
        vacancy = vacancies[i]
        left = vacancy.places - share
        guidance = vacancy.extra_guidance_places
        guidance = None if guidance is None else min(guidance, left)
        others = tuple(p for p in (vacancy.periods or instance.period_ids) if p != period)
        if not others:
            vacancies[i] = vacancy.model_copy(update={"places": left, "extra_guidance_places": guidance})
            continue
        # Places hold in every offered period: the period loses places as a separate vacancy.
        vacancies[i] = vacancy.model_copy(update={"periods": tuple(sorted(others))})
        split_off.append(vacancy.model_copy(update={
            "vacancy_id": _free_id(f"{vacancy.vacancy_id}~{period}", taken), "periods": (period,),
            "places": left, "extra_guidance_places": guidance}))
    return instance.model_copy(update={"vacancies": tuple(vacancies) + tuple(split_off)}), removed


def _cell_words(change: PlaceChange | Dropout) -> str:
    parts = [f"sector {change.sector!r}" if change.sector else "every sector",
             f"region {change.region}" if change.region else "every region"]
    return " and ".join(parts)


def _check_sector(cells: VacancyCells, sector: str | None, where: str, file: str | None) -> None:
    if sector is not None and sector not in set(cells.sector.tolist()):
        known = ", ".join(sorted(set(cells.sector.tolist())))
        raise InputError(f"no vacancy of sector {sector!r}; sectors of the instance: {known}",
                         file=file, column=where + ".sector")


def _change_places(instance: Instance, scenario: Scenario, number: int, file: str | None,
                   applied: Applied) -> Instance:
    for entry, change in enumerate(scenario.places, start=1):
        where = _where(number, "places", entry)
        cells = vacancy_cells(instance)
        _check_sector(cells, change.sector, where, file)
        if change.period is not None and change.period not in instance.period_ids:
            raise InputError(f"unknown period {change.period!r}; periods: "
                             f"{', '.join(instance.period_ids)}", file=file, column=where + ".period")
        for period in ([change.period] if change.period else list(instance.period_ids)):
            cells = vacancy_cells(instance)
            if change.change > 0:
                instance, added = _add_places(instance, cells, change, period, f"s{number}.{entry}.",
                                              where, file)
                applied.places_added += added
            else:
                instance, removed = _remove_places(instance, cells, change, period)
                applied.places_removed += removed
                applied.places_removal_asked += -change.change
                if removed < -change.change:
                    applied.notes.append(
                        f"{where}: {_cell_words(change)} had {removed} places in {period}; "
                        f"removed those instead of {-change.change}")
    return instance


def _allow_duo(instance: Instance, scenario: Scenario, number: int, file: str | None,
               applied: Applied) -> Instance:
    if not scenario.duo:
        return instance
    cells = vacancy_cells(instance)
    duo = np.zeros(len(instance.vacancies), dtype=bool)
    for entry, rule in enumerate(scenario.duo, start=1):
        _check_sector(cells, rule.sector, _where(number, "duo", entry), file)
        duo |= cells.matching(rule.sector, rule.region)
    vacancies = tuple(v.model_copy(update={"duo": True}) if make and not v.duo else v
                      for v, make in zip(instance.vacancies, duo))
    applied.vacancies_made_duo = int(sum(1 for v, make in zip(instance.vacancies, duo)
                                         if make and not v.duo))
    return instance.model_copy(update={"vacancies": vacancies})


def apply_scenario(instance: Instance, scenario: Scenario, number: int = 1,
                   file: str | None = None) -> tuple[Instance, Applied]:
    """The instance a scenario describes, without its random part (dropout).

    Parameters
    ----------
    instance
        The baseline instance.
    scenario
        The scenario: cohort moves, place changes and duo sectors are applied
        here, in that order; dropout is drawn per run (:func:`apply_dropout`).
    number
        The scenario's position in its file (from 1), for error messages.
    file
        The scenario file's name, for error messages.

    Returns
    -------
    instance, applied
        The changed instance and what changed.

    Raises
    ------
    InputError
        When the scenario does not fit the instance: an unknown cohort, sector
        or period, a shift out of the school year, places to add in a cell
        without vacancies. Names the file and the entry
        (``scenario[2].move[1]``).
    """
    applied = Applied()
    instance = _move_cohorts(instance, scenario, number, file, applied)
    instance = _change_places(instance, scenario, number, file, applied)
    instance = _allow_duo(instance, scenario, number, file, applied)
    instance = without_lost_confirmations(instance)
    if scenario.dropout is not None:
        _check_sector(vacancy_cells(instance), scenario.dropout.sector,
                      _where(number, "dropout", 1).removesuffix("[1]"), file)
    return instance, applied


def dropout_draws(seed: int, run: int, company_ids) -> np.ndarray:
    """A uniform number in [0, 1) per company for run ``run``: a company drops
    when its number is below the rate.

    Each number is the BLAKE2b hash of (seed, run, company id), so it depends on
    nothing else: not on the other companies, the scenario or the order in
    which runs are scheduled.
    """
    draws = np.empty(len(company_ids), dtype=float)
    for i, company in enumerate(company_ids):
        digest = hashlib.blake2b(f"{seed}\x1f{run}\x1f{company}".encode(), digest_size=8).digest()
        draws[i] = (int.from_bytes(digest, "big") >> 11) / float(1 << 53)
    return draws


def dropped_vacancies(instance: Instance, dropout: Dropout, seed: int, run: int,
                      cells: VacancyCells | None = None) -> tuple[np.ndarray, int]:
    """Per vacancy of ``instance``: whether its company drops out in run ``run`` and it offers places.

    Returns
    -------
    closed, companies_dropped
        A boolean per vacancy (in the instance's order), and how many companies drop out.
    """
    cells = cells if cells is not None else vacancy_cells(instance)
    at_risk = cells.matching(dropout.sector, dropout.region)
    companies = sorted({v.company_id for v, risk in zip(instance.vacancies, at_risk) if risk})
    dropped = {c for c, u in zip(companies, dropout_draws(seed, run, companies)) if u < dropout.rate}
    closed = np.array([bool(risk and v.places and v.company_id in dropped)
                       for v, risk in zip(instance.vacancies, at_risk)], dtype=bool)
    return closed, len(dropped)


def apply_dropout(instance: Instance, dropout: Dropout, seed: int, run: int,
                  cells: VacancyCells | None = None) -> tuple[Instance, int]:
    """``instance`` with the vacancies of the companies that drop out in run ``run``
    offering 0 places (ids stay, so wishes still resolve).

    Returns
    -------
    instance, companies_dropped
    """
    closed, dropped = dropped_vacancies(instance, dropout, seed, run, cells)
    vacancies = tuple(v.model_copy(update={"places": 0}) if shut else v
                      for v, shut in zip(instance.vacancies, closed))
    return without_lost_confirmations(instance.model_copy(update={"vacancies": vacancies})), dropped


def without_lost_confirmations(instance: Instance) -> Instance:
    """``instance`` without the confirmed placements (rounds) at vacancy-periods whose places a scenario
    took below their confirmed students: such a placement is lost, and its students seek again.

    Only places and extra-guidance places change in scenarios; supervisors and companies do not.
    """
    if not any(d.decision == "confirmed" for d in instance.decisions):
        return instance
    vacancies = {v.vacancy_id: v for v in instance.vacancies}
    guided = {s.student_id: s for s in instance.students}
    only = instance.period_ids[0] if len(instance.period_ids) == 1 else None
    confirmed = [d for d in instance.decisions if d.decision == "confirmed"]
    at = Counter((d.vacancy_id, d.period_id or only) for d in confirmed)
    policy = Policy()  # the default rule for who needs extra guidance; another policy's is checked at the solve
    needing = Counter((d.vacancy_id, d.period_id or only) for d in confirmed
                      if needs_extra_guidance(guided[d.student_id], policy))
    lost = set()
    for (vacancy_id, period), n in at.items():
        v = vacancies[vacancy_id]
        room = 2 * v.places if v.duo else v.places
        guidance = v.places if v.extra_guidance_places is None else v.extra_guidance_places
        if n > room or needing[(vacancy_id, period)] > guidance:
            lost.add((vacancy_id, period))
    if not lost:
        return instance
    kept = tuple(d for d in instance.decisions
                 if d.decision != "confirmed" or (d.vacancy_id, d.period_id or only) not in lost)
    return instance.model_copy(update={"decisions": kept})
