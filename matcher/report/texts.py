"""Every word of the report and of the simulation summary, in Dutch (the default) and English.

Advisers, schools and planners read these pages, so they say what is counted
in plain words: no internal names, no references to the specification. Each
language is one dictionary of the same keys (a test checks that they match,
placeholders included); :class:`Words` picks one and also formats numbers the
way its readers write them (Dutch ``1.234`` and ``83,5``, English ``1,234``
and ``83.5``). Workbook cells stay numbers: the spreadsheet shows them in the
reader's own locale.

The machine-readable outputs of ``stagematch match`` (reason codes, CSV
columns) stay as SPEC defines them; the report explains the codes.
"""

from __future__ import annotations

from string import Formatter

from matcher.errors import InputError
from matcher.report.privacy import SMALL, SMALL_CELL, WITHHELD

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

_SMALL = f'"{SMALL_CELL}"'
_WITHHELD = f'"{WITHHELD}"'
_BELOW = f"1 to {SMALL - 1}"
_ONDER = f"1 tot {SMALL - 1}"

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        # report page and workbook
        "report.title": "stagematch report — {instance}",
        "report.scope_region": "region {region}",
        "report.scope_all": "all regions of the instance",
        "report.lead": ("Match of {students} students and {vacancies} vacancies ({scope}); {placed} placed, "
                        "{unplaced} unplaced."),
        "report.no_ids_page": "No student ids appear in this report.",
        "report.no_ids_workbook": "No student ids appear in this workbook.",
        "report.footer": "Made by stagematch. Geography: GeoNames (CC BY 4.0).",
        "section.summary": "Summary",
        "section.shortages": "Shortages",
        "section.unplaced": "Unplaced students",
        "section.equity": "Equity",
        "section.priority": "Price of priority",
        "section.more": "More",
        "section.scenarios": "Scenarios",
        "cell.yes": "yes",
        "cell.no": "no",
        "table.protected": f"Small counts protected: {_SMALL} is {_BELOW}, {_WITHHELD} is withheld.",
        "privacy.note": (f"Students are personal data. In per-school and per-crebo tables a count of {_BELOW} "
                         f"students is shown as {_SMALL}, and {_WITHHELD} marks a cell withheld because such a "
                         "count could be worked out from it (from the row's other cells or the table's totals). "
                         f"Means over fewer than {SMALL} students are withheld too. Places are not personal data: "
                         "their counts are shown in full, except places left free where they would give a "
                         "hidden count of placed students away."),
        "about.sheet": "About",
        "about.sheet_column": "sheet",
        "about.table_column": "table",
        "about.note_column": "how it is counted",
        # level names (the Dutch names of the mbo levels)
        "level.1": "Entree",
        "level.2": "basis",
        "level.3": "vak",
        "level.4": "middenkader/specialist",
        # columns
        "col.item": "item",
        "col.value": "value",
        "col.sector": "sector",
        "col.region": "region",
        "col.region_name": "region name",
        "col.level": "level",
        "col.level_name": "level name",
        "col.crebo": "crebo",
        "col.qualification": "qualification",
        "col.period": "period",
        "col.school": "school",
        "col.reason": "reason",
        "col.meaning": "meaning",
        "col.measure": "measure",
        "col.seeking": "students seeking",
        "col.students": "students",
        "col.placed": "placed",
        "col.unplaced": "unplaced",
        "col.rate": "placement rate (%)",
        "col.offered": "places offered",
        "col.free": "places left free",
        "col.offered_level": "places open to this level",
        "col.free_level": "of which left free",
        "col.students_placed": "students placed",
        "col.share_unplaced": "share of unplaced (%)",
        "col.travel": "mean travel of placed (min)",
        # the summary table
        "summary.sheet": "Summary",
        "summary.title": "The match at a glance",
        "summary.note": "Counts over all students of the result and all vacancies of the instance.",
        "summary.instance": "instance",
        "summary.region": "region of the match",
        "summary.region_all": "all (no --region)",
        "summary.seeking": "students seeking",
        "summary.withdrawn": "withdrawn from the search (not counted above)",
        "summary.placed": "placed",
        "summary.unplaced": "unplaced",
        "summary.rate": "placement rate (%)",
        "summary.vacancies": "vacancies",
        "summary.offered": "places offered (summed over periods)",
        "summary.free": "places left free (summed over periods)",
        "summary.periods": "periods",
        "summary.proven": "proven optimal",
        "summary.proven_yes": "yes",
        "summary.proven_no": "not certified (--no-certify)",
        "summary.hash": "input hash",
        # shortage tables
        "places.note": ("Places offered: places per period, summed over the periods a vacancy offers. Places "
                        "left free: offered places no student took (a duo partner shares an occupied place, it "
                        "does not use a free one). A free place may still be unusable because its supervisor or "
                        "company is full."),
        "sector.sheet": "By sector",
        "sector.title": "Shortages by sector",
        "sector.note": ("A student counts in the sector of their crebo; a vacancy counts once in each sector "
                        "of the crebos it is recognised for."),
        "region.sheet": "By region",
        "region.title": "Shortages by region",
        "region.note": ("Students count in their approximate home region (the labour-market region of the "
                        "centre of their home PC4, or of the PC4 centre nearest to their coordinates); vacancies "
                        "in the vacancy's region (the company's region from companies.csv, else the "
                        "approximate region of the workplace)."),
        "level.sheet": "By level",
        "level.title": "Shortages by level",
        "level.note": ("Places open to a level: the places that students of that level in this match could "
                       "use, leaving travel and periods aside: the vacancy is recognised for such a student's "
                       "crebo (or an equivalent one) and pathway, and accepts the level. A place open to "
                       "several levels counts at each of them, so the column does not add up to all places "
                       "offered."),
        "crebo.sheet": "By crebo",
        "crebo.title": "Shortages by crebo",
        "crebo.note": ("Students count under their own crebo; a vacancy under each crebo it is recognised for "
                       "(not under equivalent crebos whose students it may also take). Places left free are "
                       f"withheld ({_WITHHELD}) where the placed students are: places offered minus places "
                       "left free would give them away."),
        "period.sheet": "By period",
        "period.title": "Places by period",
        "period.note": ("Per period, in the order of the school year. Students placed can exceed the places "
                        "taken where duo partners share a place."),
        # unplaced by reason
        "reasons.sheet": "Unplaced by reason",
        "reasons.title": "Unplaced students by reason",
        "reasons.note": ("Each unplaced student has one reason: the first in this order that applies. The "
                         "codes are those of unplaced.csv."),
        "reason.no_recognised_vacancy": "no vacancy anywhere is recognised for the student's crebo and pathway",
        "reason.out_of_reach": "recognised vacancies exist, none within the student's travel limit",
        "reason.no_period": "reachable recognised vacancies offer none of the student's periods",
        "reason.level_or_guidance": ("reachable vacancies exclude the student's level, extra guidance or "
                                     "accessibility need (unplaced.csv says which)"),
        "reason.no_places_offered": "the vacancies that fit the student all offer 0 places",
        "reason.capacity_taken": "every eligible place is taken by other students",
        "reason.supervision_full": "a place is free, but its supervisor or company is full",
        "reason.declined": "every place that fits was declined, by the student or by the company",
        "reason.withdrawn": "the student left the search",
        # equity
        "equity_level.sheet": "Equity by level",
        "equity_level.title": "Equity by level",
        "equity_level.note": "Mean one-way travel time of the placed students, in minutes.",
        "equity_school.sheet": "Equity by school",
        "equity_school.title": "Equity by school",
        "equity_school.note": "Mean one-way travel time of the school's placed students, in minutes.",
        # price of priority
        "priority.sheet": "Price of priority",
        "priority.title": "The price of priority",
        "priority.note": ("Students of the priority tier (Entree, level 2 and students who need extra "
                          "guidance) get a place first. That never lowers the number of students placed; what "
                          "it changes is who is placed, and the travel that takes."),
        "priority.not_run": "not computed: match with --compare-unweighted",
        "priority.placed": "students placed (with priority)",
        "priority.placed_meaning": "the match as run",
        "priority.most": "most students that can be placed together",
        "priority.most_meaning": "what a match without priority places (a proven maximum)",
        "priority.extra": "more students a match without priority places",
        "priority.extra_meaning": ("always 0: priority never costs placements, it only decides who gets "
                                   "the places"),
        "priority.tier_with": "priority-tier students placed, with priority",
        "priority.tier_with_meaning": "Entree, level 2 and students who need extra guidance",
        "priority.tier_without": "priority-tier students placed, without priority",
        "priority.tier_without_meaning": "in one best match without priority; another, equally good, may differ",
        "priority.cost_with": "secondary cost with priority",
        "priority.cost_with_meaning": "travel minutes plus the costs of unmet wishes, later periods and duo places",
        "priority.cost_without": "secondary cost without priority",
        "priority.cost_without_meaning": "the same costs in a match without priority",
        # report charts
        "chart.rate_axis": "students placed (%)",
        "chart.rate_label": "{rate}% of {n}",
        "chart.sector_title": "Placement rate by sector",
        "chart.sector_figure": "Chart: placement rate by sector",
        "chart.sector_caption": "Share of each sector's students that the match places.",
        "chart.level_title": "Placement rate by level",
        "chart.level_figure": "Chart: placement rate by level",
        "chart.level_caption": ("Share of each level's students that the match places (levels 1 and 2 are "
                                "in the priority tier)."),
        "chart.reason_axis": "unplaced students",
        "chart.reason_title": "Unplaced students by reason",
        "chart.reason_figure": "Chart: unplaced students by reason",
        "chart.reason_caption": "Reasons in the order they are tested; each student has the first that applies.",
        # map
        "map.title": "Unplaced students and free places by postcode area",
        "map.figure": "Map: unplaced students and free places",
        "map.longitude": "longitude (°E)",
        "map.latitude": "latitude (°N)",
        "map.legend_pc4": "{n} unplaced students in a PC4",
        "map.legend_pc3": "{n} unplaced students, pooled per PC3",
        "map.legend_free": "{n} places left free in a PC4",
        "map.legend_borders": "labour-market regions (approximate borders)",
        "map.caption": ("Unplaced students by home postcode area (red) and places left free by workplace "
                        "postcode area (blue, summed over periods); a dot's area is proportional to its count "
                        "(each colour on its own scale, see the legend). Grey dots are the centres of all PC4 "
                        "areas around the instance, for orientation. Grey lines are approximate borders of the "
                        "labour-market regions and of the country: each PC4 area in the region whose centre "
                        "town is nearest and each point in its nearest PC4 area, on a grid of {cell} km (real "
                        "regions follow municipality borders). For privacy, a PC4 with fewer than {small} "
                        "unplaced students is not drawn on its own: such PC4s are pooled per PC3 (first three "
                        "digits) and the pool is drawn as a ring at the PC3's centre only when it holds at least "
                        "{small}; {hidden} unplaced students in smaller pools are not drawn. Students given by "
                        "coordinates count in the nearest PC4. PC4 centres: GeoNames (CC BY 4.0)."),
        # simulation summary
        "sim.title": "stagematch simulation — {instance}",
        "sim.lead": "Scenarios of {file} against the baseline, seed {seed}",
        "sim.lead_runs": ", {runs} runs of each scenario with dropout",
        "sim.lead_end": "; scenarios without dropout are exact and run once.",
        "sim.privacy": (f"No student ids appear on this page. A count of {_BELOW} students is shown as {_SMALL}, "
                        f"and {_WITHHELD} marks a cell withheld because such a count could be worked out from "
                        "it. Counts of places are shown in full: they are not personal data."),
        "sim.baseline": "baseline",
        "sim.scenarios_sheet": "Scenarios",
        "sim.scenarios_title": "Scenarios against the baseline",
        "sim.scenarios_note": ("The baseline is the instance as it is. Scenarios without dropout are exact and "
                               "run once; scenarios with dropout run many times, with the interval where 95 % of "
                               "the runs fall (2.5th to 97.5th percentile, not a confidence interval of the "
                               "mean). A student gains (loses) a place when the baseline leaves them unplaced "
                               "(places them) and the scenario places them (does not) in at least half of its "
                               "runs. Among students of equal priority the best match is not unique, so a "
                               "scenario can also swap who is placed: read gains beside losses."),
        "sim.col_scenario": "scenario",
        "sim.col_runs": "runs",
        "sim.col_placed": "placed (mean)",
        "sim.col_placed_interval": "placed, 95 % of runs",
        "sim.col_unplaced": "unplaced (mean)",
        "sim.col_change": "change in placed (mean)",
        "sim.col_change_interval": "change, 95 % of runs",
        "sim.col_gaining": "students gaining a place",
        "sim.col_losing": "students losing a place",
        "sim.changes_sheet": "Changes",
        "sim.changes_title": "What each scenario changes",
        "sim.changes_note": ("Places are per period (students at once in one period), summed over the periods "
                             "a change applies to."),
        "sim.col_moved": "students moved",
        "sim.col_added": "places added",
        "sim.col_removed": "places removed",
        "sim.col_duo": "vacancies made duo",
        "sim.col_dropped": "companies dropped (mean)",
        "sim.col_notes": "notes",
        "sim.cells_sheet": "By period and sector",
        "sim.cells_title": "Shortage per period and sector",
        "sim.cells_note": ("Students seeking: by their first-choice period and their qualification's sector; "
                           "unplaced: those of them left without a place (means over runs, rounded). The CSV "
                           "files of the simulation folder split this by region and add places offered and "
                           "left free."),
        "sim.col_period": "period",
        "sim.col_sector": "sector",
        "sim.col_cell_seeking": "{scenario}: seeking",
        "sim.col_cell_unplaced": "{scenario}: unplaced",
        "sim.heatmap_figure": "Chart: demand against capacity per period and sector",
        "sim.heatmap_bar": "places per student seeking (2 = 2 or more)",
        "sim.heatmap_caption": ("Each cell: students seeking a place in that period (their first-choice "
                                "period) / places offered in that period (summed over regions; means over runs "
                                "for scenarios with dropout). Red: fewer places than students; blue: more. "
                                "Places can still be out of reach, for other qualifications or without "
                                f"supervision. Counts of {_BELOW} students show as {SMALL_CELL}; "
                                "places are shown in full."),
        "sim.shortage_axis": "unplaced students",
        "sim.shortage_title": "Shortage per period: baseline and scenarios",
        "sim.shortage_figure": "Chart: shortage per period, before and after",
        "sim.shortage_caption": ("Unplaced students by their first-choice period: the baseline (grey) and each "
                                 "scenario (mean over runs; whiskers: the 95 % interval of runs for scenarios "
                                 "with dropout)."),
    },
    "nl": {
        "report.title": "stagematch-rapport — {instance}",
        "report.scope_region": "regio {region}",
        "report.scope_all": "alle regio's van de invoer",
        "report.lead": ("Match van {students} studenten en {vacancies} leerplaatsen ({scope}); {placed} "
                        "geplaatst, {unplaced} niet geplaatst."),
        "report.no_ids_page": "Er staan geen studentnummers in dit rapport.",
        "report.no_ids_workbook": "Er staan geen studentnummers in deze werkmap.",
        "report.footer": "Gemaakt met stagematch. Geografie: GeoNames (CC BY 4.0).",
        "section.summary": "Samenvatting",
        "section.shortages": "Tekorten",
        "section.unplaced": "Niet geplaatste studenten",
        "section.equity": "Gelijke kansen",
        "section.priority": "Prijs van voorrang",
        "section.more": "Meer",
        "section.scenarios": "Scenario's",
        "cell.yes": "ja",
        "cell.no": "nee",
        "table.protected": f"Kleine aantallen beschermd: {_SMALL} is {_ONDER}, {_WITHHELD} is weggelaten.",
        "privacy.note": ("Gegevens over studenten zijn persoonsgegevens. In tabellen per school en per crebo "
                         f"staat een aantal van {_ONDER} studenten als {_SMALL}, en {_WITHHELD} markeert een cel "
                         "die is weggelaten omdat zo'n aantal eruit af te leiden zou zijn (uit de andere cellen "
                         f"van de rij of uit de totalen). Gemiddelden over minder dan {SMALL} studenten zijn ook "
                         "weggelaten. Plaatsen zijn geen persoonsgegevens: die aantallen staan er volledig, "
                         "behalve vrije plaatsen waar die een verborgen aantal geplaatste studenten zouden "
                         "verraden."),
        "about.sheet": "Over dit rapport",
        "about.sheet_column": "blad",
        "about.table_column": "tabel",
        "about.note_column": "hoe het geteld is",
        "level.1": "Entree",
        "level.2": "basis",
        "level.3": "vak",
        "level.4": "middenkader/specialist",
        "col.item": "onderdeel",
        "col.value": "waarde",
        "col.sector": "sector",
        "col.region": "regio",
        "col.region_name": "naam regio",
        "col.level": "niveau",
        "col.level_name": "naam niveau",
        "col.crebo": "crebo",
        "col.qualification": "kwalificatie",
        "col.period": "periode",
        "col.school": "school",
        "col.reason": "reden",
        "col.meaning": "betekenis",
        "col.measure": "maat",
        "col.seeking": "studenten zoekend",
        "col.students": "studenten",
        "col.placed": "geplaatst",
        "col.unplaced": "niet geplaatst",
        "col.rate": "geplaatst (%)",
        "col.offered": "plaatsen aangeboden",
        "col.free": "plaatsen vrij gebleven",
        "col.offered_level": "plaatsen open voor dit niveau",
        "col.free_level": "waarvan vrij gebleven",
        "col.students_placed": "studenten geplaatst",
        "col.share_unplaced": "aandeel van niet geplaatst (%)",
        "col.travel": "gemiddelde reistijd geplaatsten (min)",
        "summary.sheet": "Samenvatting",
        "summary.title": "De match in één oogopslag",
        "summary.note": "Aantallen over alle studenten van het resultaat en alle leerplaatsen van de invoer.",
        "summary.instance": "invoer",
        "summary.region": "regio van de match",
        "summary.region_all": "alle (geen --region)",
        "summary.seeking": "studenten zoekend",
        "summary.withdrawn": "teruggetrokken uit de zoektocht (niet meegeteld)",
        "summary.placed": "geplaatst",
        "summary.unplaced": "niet geplaatst",
        "summary.rate": "geplaatst (%)",
        "summary.vacancies": "leerplaatsen",
        "summary.offered": "plaatsen aangeboden (opgeteld over de periodes)",
        "summary.free": "plaatsen vrij gebleven (opgeteld over de periodes)",
        "summary.periods": "periodes",
        "summary.proven": "bewezen de beste match",
        "summary.proven_yes": "ja",
        "summary.proven_no": "niet bewezen (--no-certify)",
        "summary.hash": "kenmerk van de invoer",
        "places.note": ("Plaatsen aangeboden: plaatsen per periode, opgeteld over de periodes waarin een "
                        "leerplaats ze aanbiedt. Plaatsen vrij gebleven: aangeboden plaatsen die geen student "
                        "kreeg (een duopartner deelt een bezette plaats en gebruikt geen vrije). Een vrije "
                        "plaats kan toch onbruikbaar zijn, omdat de praktijkopleider of het bedrijf vol zit."),
        "sector.sheet": "Per sector",
        "sector.title": "Tekorten per sector",
        "sector.note": ("Een student telt in de sector van de eigen crebo; een leerplaats telt één keer in elke "
                        "sector van de crebo's waarvoor ze erkend is."),
        "region.sheet": "Per regio",
        "region.title": "Tekorten per regio",
        "region.note": ("Studenten tellen in hun woonregio bij benadering (de arbeidsmarktregio van het "
                        "midden van hun postcodegebied (PC4), of van het PC4-midden het dichtst bij hun "
                        "coördinaten); leerplaatsen in de regio van de leerplaats (de regio van het bedrijf in "
                        "companies.csv, anders de regio van de werkplek bij benadering)."),
        "level.sheet": "Per niveau",
        "level.title": "Tekorten per niveau",
        "level.note": ("Plaatsen open voor een niveau: de plaatsen die studenten van dat niveau in deze match "
                       "zouden kunnen gebruiken, reistijd en periodes buiten beschouwing: de leerplaats is "
                       "erkend voor de crebo (of een gelijkwaardige crebo) en leerweg van zo'n student, en "
                       "neemt het niveau aan. Een plaats die voor meer niveaus openstaat telt bij elk daarvan "
                       "mee, dus de kolom telt niet op tot alle aangeboden plaatsen."),
        "crebo.sheet": "Per crebo",
        "crebo.title": "Tekorten per crebo",
        "crebo.note": ("Studenten tellen bij hun eigen crebo; een leerplaats bij elke crebo waarvoor ze erkend "
                       "is (niet bij gelijkwaardige crebo's van studenten die ze ook mag nemen). Vrij gebleven "
                       f"plaatsen zijn weggelaten ({_WITHHELD}) waar de geplaatste studenten dat zijn: "
                       "aangeboden min vrij gebleven zou ze verraden."),
        "period.sheet": "Per periode",
        "period.title": "Plaatsen per periode",
        "period.note": ("Per periode, in de volgorde van het schooljaar. Er kunnen meer studenten geplaatst "
                        "zijn dan plaatsen bezet, waar duopartners een plaats delen."),
        "reasons.sheet": "Niet geplaatst per reden",
        "reasons.title": "Niet geplaatste studenten per reden",
        "reasons.note": ("Elke niet geplaatste student heeft één reden: de eerste in deze volgorde die van "
                         "toepassing is. De codes zijn die van unplaced.csv."),
        "reason.no_recognised_vacancy": ("nergens is een leerplaats erkend voor de crebo en leerweg van de "
                                         "student"),
        "reason.out_of_reach": ("er zijn erkende leerplaatsen, maar geen binnen de maximale reistijd van de "
                                "student"),
        "reason.no_period": "erkende leerplaatsen binnen bereik bieden geen van de periodes van de student",
        "reason.level_or_guidance": ("leerplaatsen binnen bereik nemen het niveau van de student niet aan, "
                                     "hebben geen plaats met extra begeleiding of zijn niet toegankelijk, waar "
                                     "de student dat nodig heeft (unplaced.csv zegt welke)"),
        "reason.no_places_offered": "de leerplaatsen die bij de student passen bieden allemaal 0 plaatsen",
        "reason.capacity_taken": "alle passende plaatsen binnen bereik zijn bezet door andere studenten",
        "reason.supervision_full": "er is een plaats vrij, maar de praktijkopleider of het bedrijf zit vol",
        "reason.declined": "elke passende plaats is afgewezen, door de student of door het bedrijf",
        "reason.withdrawn": "de student zoekt niet meer",
        "equity_level.sheet": "Gelijke kansen per niveau",
        "equity_level.title": "Gelijke kansen per niveau",
        "equity_level.note": "Gemiddelde reistijd enkele reis van de geplaatste studenten, in minuten.",
        "equity_school.sheet": "Gelijke kansen per school",
        "equity_school.title": "Gelijke kansen per school",
        "equity_school.note": ("Gemiddelde reistijd enkele reis van de geplaatste studenten van de school, in "
                               "minuten."),
        "priority.sheet": "Prijs van voorrang",
        "priority.title": "Prijs van voorrang",
        "priority.note": ("Studenten met voorrang (Entree, niveau 2 en studenten die extra begeleiding nodig "
                          "hebben) krijgen als eerste een plaats. Daardoor worden er nooit minder studenten "
                          "geplaatst; wat verandert is wíe een plaats krijgt, en hoeveel reistijd dat kost."),
        "priority.not_run": "niet berekend: match met --compare-unweighted",
        "priority.placed": "studenten geplaatst (met voorrang)",
        "priority.placed_meaning": "de match zoals uitgevoerd",
        "priority.most": "meeste studenten die samen geplaatst kunnen worden",
        "priority.most_meaning": "wat een match zonder voorrang plaatst (een bewezen maximum)",
        "priority.extra": "studenten die een match zonder voorrang méér plaatst",
        "priority.extra_meaning": ("altijd 0: voorrang kost nooit plaatsingen, het bepaalt alleen wie de "
                                   "plaatsen krijgt"),
        "priority.tier_with": "studenten met voorrang geplaatst, met voorrang",
        "priority.tier_with_meaning": "Entree, niveau 2 en studenten die extra begeleiding nodig hebben",
        "priority.tier_without": "studenten met voorrang geplaatst, zonder voorrang",
        "priority.tier_without_meaning": ("in één beste match zonder voorrang; een andere, even goede, kan "
                                          "verschillen"),
        "priority.cost_with": "overige kosten met voorrang",
        "priority.cost_with_meaning": ("reisminuten plus de kosten van niet vervulde wensen, latere periodes "
                                       "en duoplaatsen"),
        "priority.cost_without": "overige kosten zonder voorrang",
        "priority.cost_without_meaning": "dezelfde kosten in een match zonder voorrang",
        "chart.rate_axis": "studenten geplaatst (%)",
        "chart.rate_label": "{rate}% van {n}",
        "chart.sector_title": "Geplaatst per sector",
        "chart.sector_figure": "Grafiek: geplaatst per sector",
        "chart.sector_caption": "Aandeel van de studenten van elke sector dat de match plaatst.",
        "chart.level_title": "Geplaatst per niveau",
        "chart.level_figure": "Grafiek: geplaatst per niveau",
        "chart.level_caption": ("Aandeel van de studenten van elk niveau dat de match plaatst (niveau 1 en 2 "
                                "hebben voorrang)."),
        "chart.reason_axis": "niet geplaatste studenten",
        "chart.reason_title": "Niet geplaatste studenten per reden",
        "chart.reason_figure": "Grafiek: niet geplaatste studenten per reden",
        "chart.reason_caption": ("Redenen in de volgorde waarin ze getoetst worden; elke student heeft de "
                                 "eerste die van toepassing is."),
        "map.title": "Niet geplaatste studenten en vrije plaatsen per postcodegebied",
        "map.figure": "Kaart: niet geplaatste studenten en vrije plaatsen",
        "map.longitude": "lengtegraad (°O)",
        "map.latitude": "breedtegraad (°N)",
        "map.legend_pc4": "{n} niet geplaatste studenten in een PC4",
        "map.legend_pc3": "{n} niet geplaatste studenten, samengenomen per PC3",
        "map.legend_free": "{n} vrije plaatsen in een PC4",
        "map.legend_borders": "arbeidsmarktregio's (grenzen bij benadering)",
        "map.caption": ("Niet geplaatste studenten per postcodegebied van hun woonadres (rood) en vrij "
                        "gebleven plaatsen per postcodegebied van de werkplek (blauw, opgeteld over de "
                        "periodes); de oppervlakte van een stip is evenredig met het aantal (elke kleur op een "
                        "eigen schaal, zie de legenda). Grijze stippen zijn de middens van alle PC4-gebieden "
                        "rond de invoer, ter oriëntatie. Grijze lijnen zijn grenzen bij benadering van de "
                        "arbeidsmarktregio's en van het land: elk PC4-gebied in de regio met de "
                        "dichtstbijzijnde centrumplaats en elk punt in het dichtstbijzijnde PC4-gebied, op een "
                        "raster van {cell} km (echte regio's volgen gemeentegrenzen). Voor de privacy wordt een "
                        "PC4 met minder dan {small} "
                        "niet geplaatste studenten niet apart getekend: zulke PC4's worden per PC3 (de eerste "
                        "drie cijfers) samengenomen, en zo'n groep wordt alleen als ring op het midden van de "
                        "PC3 getekend als ze minstens {small} studenten telt; {hidden} niet geplaatste "
                        "studenten in kleinere groepen zijn niet getekend. Studenten met coördinaten tellen in "
                        "de dichtstbijzijnde PC4. PC4-middens: GeoNames (CC BY 4.0)."),
        "sim.title": "stagematch-simulatie — {instance}",
        "sim.lead": "Scenario's van {file} naast de uitgangssituatie, seed {seed}",
        "sim.lead_runs": ", {runs} runs van elk scenario met uitval",
        "sim.lead_end": "; scenario's zonder uitval zijn exact en lopen één keer.",
        "sim.privacy": (f"Er staan geen studentnummers op deze pagina. Een aantal van {_ONDER} studenten staat "
                        f"als {_SMALL}, en {_WITHHELD} markeert een cel die is weggelaten omdat zo'n aantal "
                        "eruit af te leiden zou zijn. Aantallen plaatsen staan er volledig: dat zijn geen "
                        "persoonsgegevens."),
        "sim.baseline": "uitgangssituatie",
        "sim.scenarios_sheet": "Scenario's",
        "sim.scenarios_title": "Scenario's naast de uitgangssituatie",
        "sim.scenarios_note": ("De uitgangssituatie is de invoer zoals die is. Scenario's zonder uitval zijn "
                               "exact en lopen één keer; scenario's met uitval lopen vele keren, met het "
                               "interval waarin 95 % van de runs valt (2,5e tot 97,5e percentiel, geen "
                               "betrouwbaarheidsinterval van het gemiddelde). Een student wint (verliest) een "
                               "plaats als de uitgangssituatie de student niet plaatst (wel plaatst) en het "
                               "scenario wel (niet), in minstens de helft van de runs. Tussen studenten met "
                               "gelijke voorrang is de beste match niet uniek, dus een scenario kan ook wisselen wie "
                               "er geplaatst wordt: lees winst naast verlies."),
        "sim.col_scenario": "scenario",
        "sim.col_runs": "runs",
        "sim.col_placed": "geplaatst (gemiddeld)",
        "sim.col_placed_interval": "geplaatst, 95 % van de runs",
        "sim.col_unplaced": "niet geplaatst (gemiddeld)",
        "sim.col_change": "verschil in geplaatst (gemiddeld)",
        "sim.col_change_interval": "verschil, 95 % van de runs",
        "sim.col_gaining": "studenten die een plaats winnen",
        "sim.col_losing": "studenten die een plaats verliezen",
        "sim.changes_sheet": "Wijzigingen",
        "sim.changes_title": "Wat elk scenario verandert",
        "sim.changes_note": ("Plaatsen zijn per periode (studenten tegelijk in één periode), opgeteld over "
                             "de periodes waarop een wijziging van toepassing is."),
        "sim.col_moved": "studenten verschoven",
        "sim.col_added": "plaatsen erbij",
        "sim.col_removed": "plaatsen eraf",
        "sim.col_duo": "leerplaatsen duo gemaakt",
        "sim.col_dropped": "bedrijven uitgevallen (gemiddeld)",
        "sim.col_notes": "opmerkingen",
        "sim.cells_sheet": "Per periode en sector",
        "sim.cells_title": "Tekort per periode en sector",
        "sim.cells_note": ("Studenten zoekend: naar hun eerste keus van periode en de sector van hun "
                           "kwalificatie; niet geplaatst: wie daarvan geen plaats krijgt (gemiddelden over "
                           "runs, afgerond). De CSV-bestanden van de simulatiemap splitsen dit per regio en "
                           "geven ook de aangeboden en vrij gebleven plaatsen."),
        "sim.col_period": "periode",
        "sim.col_sector": "sector",
        "sim.col_cell_seeking": "{scenario}: zoekend",
        "sim.col_cell_unplaced": "{scenario}: niet geplaatst",
        "sim.heatmap_figure": "Grafiek: vraag naast aanbod per periode en sector",
        "sim.heatmap_bar": "plaatsen per zoekende student (2 = 2 of meer)",
        "sim.heatmap_caption": ("Elke cel: studenten die in die periode een plaats zoeken (hun eerste keus) / "
                                "plaatsen aangeboden in die periode (opgeteld over de regio's; gemiddelden over "
                                "runs voor scenario's met uitval). Rood: minder plaatsen dan studenten; blauw: "
                                "meer. Plaatsen kunnen toch buiten bereik liggen, voor andere kwalificaties zijn "
                                f"of geen begeleiding hebben. Aantallen van {_ONDER} studenten staan als {SMALL_CELL}; "
                                "plaatsen staan er volledig."),
        "sim.shortage_axis": "niet geplaatste studenten",
        "sim.shortage_title": "Tekort per periode: uitgangssituatie en scenario's",
        "sim.shortage_figure": "Grafiek: tekort per periode, voor en na",
        "sim.shortage_caption": ("Niet geplaatste studenten naar hun eerste keus van periode: de "
                                 "uitgangssituatie (grijs) en elk scenario (gemiddelde over runs; streepjes: het "
                                 "interval van 95 % van de runs voor scenario's met uitval)."),
    },
}


def checked_language(lang: str) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`.

    Raises
    ------
    InputError
        Naming the languages there are.
    """
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; use nl (Dutch, the default) or en (English)",
                         column="--lang")
    return lang


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a text is formatted with."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


class Words:
    """The texts of one language, and its way of writing numbers.

    Parameters
    ----------
    lang
        One of :data:`LANGUAGES`.

    Examples
    --------
    >>> Words("nl")("chart.rate_label", rate=Words("nl").number(83.5), n=Words("nl").number(1234))
    '83,5% van 1.234'
    """

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = checked_language(lang)
        self._texts = TEXTS[self.lang]

    def __call__(self, key: str, **values) -> str:
        """The text ``key``, formatted with ``values``."""
        text = self._texts[key]
        return text.format(**values) if values else text

    def number(self, value, decimals: int = 1) -> str:
        """An int with thousands separators, a float with ``decimals`` decimals, in this language."""
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.{decimals}f}"
        if self.lang == "nl":
            text = text.translate(str.maketrans({",": ".", ".": ","}))
        return text

    def level_name(self, level: int) -> str:
        """The mbo name of a level (1 Entree … 4 middenkader/specialist), or ``""``."""
        key = f"level.{int(level)}"
        return self._texts.get(key, "")
