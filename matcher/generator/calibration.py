"""Calibration figures of the synthetic instance generator, each with its source.

A figure marked **ASSUMPTION** is a modelling choice, not a published number:
it is plausible and documented, but nobody measured it. ``instances/README.md``
repeats this table for readers who do not read code.

Sources cited below:

* [OCW-aantallen] OCW in cijfers, "Aantal studenten in het mbo",
  https://www.ocwincijfers.nl/sectoren/middelbaar-beroepsonderwijs/studenten/aantallen-studenten-mbo
  (DUO tables: bekostigde hoofdinschrijvingen BOL / BBL per year).
* [OCW-instroom] OCW in cijfers, "Instroom (aandeel) studenten ... per sectorkamer",
  https://www.ocwincijfers.nl/begroten-en-verantwoorden/middelbaar-beroepsonderwijs/subdoel-kansrijke-studiekeuze/instroom-aandeel-studenten-in-opleidingen-die-opleiden-voor-het-oplossen-van-maatschappelijke-uitdagingen
  (share of entering mbo students per SBB sectorkamer, 2017-2022).
* [DUO-niveau] the project brief's figures for 2021-22 (DUO / onderwijs in
  cijfers, students per qualification level): 501,533 students; Entree 2.4 %,
  level 2 16 %, level 3 22 %, level 4 54 %.
* [SBB-2023] SBB (Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven) via
  ANP, "Overschotten en tekorten aan stageplekken", 21 June 2023,
  https://nieuws.nl/algemeen/20230621/overschotten-en-tekorten-aan-stageplekken/
  and https://www.rd.nl/artikel/1024745-overschotten-en-tekorten-aan-stageplekken :
  about 22,000 places short during the pandemic; 190,000 internships and
  apprenticeships open in 2023; Zorg, welzijn en sport has the largest shortage in
  absolute numbers ("the sector with by far the most students"; care
  institutions lack capacity to supervise interns); relative to its students the
  shortage is largest in Zakelijke dienstverlening (less supervision at the office).
* [SBB-actieplan] SBB, "Actieplan voor stages en leerbanen",
  https://www.s-bb.nl/activiteiten/actieplan/ (Nov 2022 / Jan 2023): few shortages
  overall; in Gastvrijheid, Voeding, Carrosserie and Orde & veiligheid companies
  "are eager to offer students a place".
* [SBB-2021] SBB via ANP (zeelandnet.nl, 2021), "Tekorten stageplekken voor mbo'ers
  nemen steeds verder af": the care shortage is the largest and is caused by a
  lack of supervision capacity.
* [NRC-2021] NRC, 22 Feb 2021, "Het tekort aan stageplekken voor het mbo
  ondermijnt het onderwijs van tienduizenden": SBB counted 20,493 students
  without an internship or apprenticeship (weekly count since June 2020).
* [Inspectie-Entree] Inspectie van het Onderwijs, study of the Entree programmes
  2017-18 (reported by mbo-today.nl, "Onvoldoende zicht op werk na
  entreeopleiding"): Entree students are a heterogeneous group that needs much
  guidance on average, and their prospects of work are poor.
"""

from __future__ import annotations

from datetime import date

# --- Scale ---------------------------------------------------------------------

#: Students in the national preset: about half of the ~500,000 mbo students,
#: i.e. those looking for a place in one school year. ASSUMPTION (project brief).
NATIONAL_STUDENTS = 250_000

#: Internship (BOL) places offered nationally per period. The project brief's
#: split of the ~170,000 open places; [SBB-2023] reports 190,000 open
#: internships and apprenticeships in 2023, the same order of magnitude.
NATIONAL_BOL_PLACES = 100_000

#: Apprenticeship (BBL, leerbaan) places offered nationally per period (brief).
NATIONAL_BBL_PLACES = 70_000

# --- Students: level, sector, pathway, year --------------------------------------

#: Total enrolment 2021-22 [DUO-niveau]; only documents where the shares come from.
ENROLMENT_2021_22 = 501_533

#: Share of students per level in 2021-22 [DUO-niveau]. They add up to 94.4 %:
#: the rest is level-1 students outside Entree or of unknown level, which the
#: generator leaves out; it renormalises these four shares to 100 %.
LEVEL_SHARES = {1: 0.024, 2: 0.16, 3: 0.22, 4: 0.54}

#: Share of entering students per SBB sectorkamer, 2022 [OCW-instroom], in %.
#: Entree (8.3 %, a one-year programme) and "bovensectoraal" (1.4 %) are left
#: out: Entree's share of *students* is the level-1 share above. Inflow shares
#: stand in for shares of all enrolled students: ASSUMPTION.
SECTOR_INFLOW_SHARES_2022 = {
    "Zorg/welzijn/sport": 34.1,
    "Techniek/gebouwde omgeving": 12.9,
    "Voedsel/groen/gastvrijheid": 11.0,
    "Zakelijke dienstverlening/veiligheid": 9.7,
    "ICT/creatief": 8.7,
    "Handel": 7.3,
    "Mobiliteit/transport/logistiek/maritiem": 5.7,
    "Specialistisch vakmanschap": 0.7,
}

#: The sector that holds the level-1 (Entree) qualifications in the catalogue.
ENTREE_SECTOR = "Entree"

#: Overall share of BBL students. [OCW-aantallen]: 129.4k BBL of 502.3k BOL+BBL
#: in 2021 (25.8 %), 136.7k of 484.2k in 2022 (28.2 %); the brief uses 27 %.
BBL_SHARE = 0.27

#: Relative BBL propensity per sector; the generator scales these so that the
#: overall share is BBL_SHARE. That BBL is more common in care and technique
#: follows the brief; the figures are an ASSUMPTION.
BBL_PROPENSITY = {
    "Zorg/welzijn/sport": 0.35,
    "Techniek/gebouwde omgeving": 0.40,
    "Mobiliteit/transport/logistiek/maritiem": 0.32,
    "Specialistisch vakmanschap": 0.30,
    "Voedsel/groen/gastvrijheid": 0.22,
    "Handel": 0.15,
    "Zakelijke dienstverlening/veiligheid": 0.15,
    "ICT/creatief": 0.10,
    "Entree": 0.12,
}

#: Popularity of qualifications within a (sector, level) cell follows a Zipf law
#: with this exponent over a fixed pseudo-random order: a few large programmes
#: and a long tail. ASSUMPTION.
CREBO_ZIPF_EXPONENT = 0.8

#: Seed of that fixed order, so popularity is a property of the catalogue and
#: not of the instance seed.
CREBO_POPULARITY_SEED = 20_262_027

#: Highest year of study per level (Entree 1 year, level 2 two, level 3 three,
#: level 4 up to four); years are drawn uniformly up to it. Programme lengths
#: are the legal norms; uniformity is an ASSUMPTION.
MAX_YEAR_BY_LEVEL = {1: 1, 2: 2, 3: 3, 4: 4}

# --- Market tightness --------------------------------------------------------------

#: Places offered per student, relative between sectors (a within-pathway
#: supply/demand ratio; the generator scales them so that the national place
#: totals above hold). Direction follows the sources, magnitudes are an
#: ASSUMPTION:
#: * care second lowest: with its supervision and guidance limits below and
#:   by far the most students, the largest absolute shortage [SBB-2023], [SBB-2021];
#: * Entree lowest: the highest relative shortage (brief; Entree students need
#:   much guidance [Inspectie-Entree]);
#: * Zakelijke dienstverlening tight relative to its students [SBB-2023];
#: * technique, hospitality/food and mobility (carrosserie) in surplus
#:   [SBB-actieplan].
SUPPLY_PER_STUDENT = {
    "Entree": 0.40,
    "Zorg/welzijn/sport": 0.50,
    "Zakelijke dienstverlening/veiligheid": 0.60,
    "ICT/creatief": 0.85,
    "Handel": 1.00,
    "Specialistisch vakmanschap": 1.10,
    "Mobiliteit/transport/logistiek/maritiem": 1.40,
    "Voedsel/groen/gastvrijheid": 1.60,
    "Techniek/gebouwde omgeving": 2.20,
}

#: Supervisor capacity relative to the places of the vacancies a supervisor
#: covers. Below 1 in care: care is supervision-limited [SBB-2021], [SBB-2023].
#: Values are an ASSUMPTION; capacities are then clipped to SUPERVISOR_CAPACITY_RANGE.
SUPERVISOR_CAPACITY_FACTOR = {"Zorg/welzijn/sport": 0.6}
SUPERVISOR_CAPACITY_FACTOR_DEFAULT = 1.15

#: Extra-guidance places as (share 0 places, share 1 place, share all places,
#: rest: half the places, rounded up) per sector. Care vacancies often take no
#: or one student needing extra guidance (supervision-limited [SBB-2023]); Entree
#: vacancies exist for students who need guidance. ASSUMPTION.
EXTRA_GUIDANCE_MIX = {
    "Zorg/welzijn/sport": (0.45, 0.40, 0.15),
    "Entree": (0.0, 0.0, 1.0),
    "Techniek/gebouwde omgeving": (0.05, 0.05, 0.80),
}
EXTRA_GUIDANCE_MIX_DEFAULT = (0.10, 0.10, 0.65)

# --- Vacancies, companies, supervisors (all ASSUMPTION) ---------------------------

#: Share of vacancies with more than one place; their places are 2-5 with
#: the weights below (brief: about 40 % offer more than one place).
MULTI_PLACE_SHARE = 0.40
MULTI_PLACE_WEIGHTS = {2: 0.45, 3: 0.30, 4: 0.15, 5: 0.10}

#: Number of crebos a vacancy is recognised for (extra ones from its sector).
CREBOS_PER_VACANCY_WEIGHTS = {1: 0.78, 2: 0.16, 3: 0.06}

#: Share of vacancies open to the other pathway as well (pathway "both").
BOTH_PATHWAYS_SHARE = 0.12

#: Share of vacancies offering every period, per place type; the others offer
#: 1, 2 or 3 periods (equally likely). A leerbaan runs all year, hence BBL higher.
ALL_PERIODS_SHARE = {"BOL": 0.60, "BBL": 0.80}

#: Share of vacancies with a level restriction: min_level = the level of its
#: main crebo (the others keep 1-4), and max_level = that level.
MIN_LEVEL_RESTRICTED_SHARE = 0.10
MAX_LEVEL_RESTRICTED_SHARE = 0.05

#: Duo places and physical accessibility.
DUO_SHARE = 0.05
ACCESSIBLE_SHARE = 0.30

#: Vacancies per company: a heavy tail (most companies offer one vacancy).
VACANCIES_PER_COMPANY_WEIGHTS = {1: 0.60, 2: 0.18, 3: 0.09, 4: 0.05, 5: 0.03, 6: 0.02,
                                 8: 0.02, 12: 0.01}

#: Supervisors per company (never more than its vacancies) and their capacity.
SUPERVISORS_PER_COMPANY_MAX = 3
SUPERVISOR_CAPACITY_RANGE = (1, 4)

#: Share of companies stating max_students (room per period), set to this
#: fraction of their places (rounded up).
COMPANY_MAX_STUDENTS_SHARE = 0.10
COMPANY_MAX_STUDENTS_FRACTION = 0.75

#: Companies cluster a little more in towns than addresses do: PC4 weight =
#: n_pc6 ** this exponent (students use n_pc6 ** 1).
COMPANY_TOWN_BIAS_EXPONENT = 1.15

# --- Schools (ASSUMPTION) ----------------------------------------------------------

#: Schools (ROC locations) nationally, spread over the regions by share of
#: addresses, at least 2 and at most 8 per region, in the region's largest towns.
NATIONAL_SCHOOLS = 140
SCHOOLS_PER_REGION_RANGE = (2, 8)

#: Share of students at the school nearest to home; the others at a school of
#: the region drawn by town population.
NEAREST_SCHOOL_SHARE = 0.75

# --- Periods (ASSUMPTION: a typical four-block school year 2026-27) ---------------

PERIODS = (
    ("P1", date(2026, 9, 7), date(2026, 11, 13)),
    ("P2", date(2026, 11, 16), date(2027, 2, 5)),
    ("P3", date(2027, 2, 15), date(2027, 4, 23)),
    ("P4", date(2027, 5, 3), date(2027, 7, 9)),
)

#: Share of students who also accept a second period (the next one; P4's
#: students the previous one) after their cohort's period.
SECOND_PERIOD_SHARE = 0.35

# --- Student travel and wishes (ASSUMPTION) ----------------------------------------

#: Travel mode mix.
MODE_SHARES = {"public_transport": 0.55, "bike": 0.35, "car": 0.10}

#: Share of public-transport students whose mode is left empty (policy default).
MODE_EMPTY_SHARE_OF_PUBLIC_TRANSPORT = 0.20

#: Explicit travel limits (minutes) and their shares; the rest leave it empty
#: (policy default 60).
MAX_TRAVEL_SHARES = {30: 0.05, 45: 0.08, 90: 0.07}

#: Share of students giving wishes (1-3 of the nearest suitable vacancies, or
#: their companies with the probability below).
PREFERENCE_SHARE = 0.30
PREFERENCE_COUNT_WEIGHTS = {1: 0.40, 2: 0.35, 3: 0.25}
PREFERENCE_COMPANY_SHARE = 0.30
PREFERENCE_NEAREST_K = 8

#: Share of students needing an accessible workplace.
NEEDS_ACCESSIBLE_SHARE = 0.02

#: Share of students with an explicit extra_guidance value (true with the
#: second probability); all others leave it to the policy rule.
EXPLICIT_GUIDANCE_SHARE = 0.02
EXPLICIT_GUIDANCE_TRUE_SHARE = 0.75

#: Share of students (and companies) located by coordinates instead of PC4,
#: jittered up to this radius around the PC4 centre and rounded to 5 decimals.
COORDINATE_SHARE = 0.05
COORDINATE_JITTER_KM = 1.0
