"""The planner's scenario form: what is typed into a field stays that field's text in the scenario file (quotes,
newlines, ``]]`` and control characters escaped, never a key or a table of its own), and a bad value is refused
with the field's label and what is wrong, on the form again with what was typed, before any job is queued."""

from __future__ import annotations

import tomllib

import pytest

from matcher.app.service.core import Refused, _check_scenarios
from matcher.app.service.web.scenario_form import scenario_data, scenario_toml
from matcher.app.service.web.texts import words
from tests.support.paths import TINY
from tests.support.service import fresh_database, world

W = words("nl")
HOSTILE = 'evil" ]]\n[[scenario]]\nname = "second"\n[season]\nrounds = 3 # \\ \x7f \u00e9 \'\'\' """'


def test_hostile_text_stays_the_text_of_its_field():
    form = {"name": HOSTILE, "seed": "7", "move_school": 'S"]]\n[x]\ny = 1', "move_crebo": "25498",
            "move_year": "2", "move_shift": "-1", "places_sector": "Zorg\\welzijn\t\"sport\"", "places_change": "10",
            "duo_sector": "]]\n[[scenario.move]]", "dropout_percent": "5"}
    text = scenario_toml(form, W)
    parsed = tomllib.loads(text)
    assert parsed == scenario_data(form, W)
    assert set(parsed) == {"seed", "scenario"}  # no [season], no [x]: the text did not become a table
    assert len(parsed["scenario"]) == 1
    scenario = parsed["scenario"][0]
    assert scenario["name"] == HOSTILE
    assert scenario["move"] == [{"school": 'S"]]\n[x]\ny = 1', "crebo": "25498", "year": 2, "shift": -1}]
    assert scenario["places"] == [{"sector": "Zorg\\welzijn\t\"sport\"", "change": 10}]
    assert scenario["duo"] == [{"sector": "]]\n[[scenario.move]]"}]
    assert scenario["dropout"] == {"rate": 0.05}
    assert parsed["seed"] == 7
    _check_scenarios(text)  # and the service's own check reads it as it is


def test_a_field_left_empty_changes_nothing():
    parsed = tomllib.loads(scenario_toml({"name": "only a move", "move_school": "S-AM13-01", "move_crebo": "25500",
                                          "move_year": "2", "move_any": "true", "places_sector": " ",
                                          "dropout_percent": ""}, W))
    assert parsed == {"seed": 0, "scenario": [{"name": "only a move", "move": [
        {"school": "S-AM13-01", "crebo": "25500", "year": 2, "any": True}]}]}


@pytest.mark.parametrize(("changed", "field", "words_in_message"), [
    ({"move_year": "9"}, "move_year", ("Cohort verplaatsen · leerjaar", "4")),
    ({"move_year": "twee"}, "move_year", ("leerjaar", "is geen geheel getal")),
    ({"move_shift": "1", "move_any": "true"}, "move", ("Cohort verplaatsen", "give either shift = N or any = true")),
    ({"move_crebo": "2550"}, "move_crebo", ("crebo",)),
    ({"dropout_percent": "150"}, "dropout_percent", ("Uitval van bedrijven", "ligt niet tussen 0 en 100")),
    ({"dropout_percent": "vijf"}, "dropout_percent", ("is geen getal",)),
    ({"places_change": "0"}, "places_change", ("plaatsen per periode", "change 0 does nothing")),
    ({"name": ""}, "name", ("Naam van het scenario", "is required")),
    ({"name": "baseline"}, "name", ("'baseline' is the name of the unchanged instance",)),
])
def test_a_bad_value_is_refused_with_the_fields_label(changed, field, words_in_message):
    form = {"name": "crowded cohort to P1", "move_school": "S-AM13-01", "move_crebo": "25500", "move_year": "2",
            "move_shift": "-2", **changed}
    if "places_change" in changed:
        form["places_sector"] = "Zorg/welzijn/sport"
    with pytest.raises(Refused) as refused:
        scenario_toml(form, W)
    assert refused.value.status == 422
    assert refused.value.where["column"] == field
    assert all(part in refused.value.detail for part in words_in_message), refused.value.detail


def test_a_refused_form_comes_back_with_its_message_and_starts_nothing(tmp_path):
    with fresh_database("sqlite", tmp_path) as url, world(url, tmp_path) as w:
        dataset = w.upload(TINY).json()["id"]
        granted = w.client.post(f"/datasets/{dataset}/grants", json={"organisation": "Planbureau"},
                                headers=w.headers("adviser"))
        assert granted.status_code == 204, granted.text
        w.client.cookies.set("stagematch_token", w.tokens["planner"])
        home = w.client.get("/web")
        assert home.status_code == 200 and 'id="scenario-form"' in home.text

        bad = w.client.post("/web/simulate", data={"dataset": str(dataset), "runs": "3", "name": "x</p><b>",
                                                   "move_school": "school-utrecht", "move_crebo": "25498",
                                                   "move_year": "9", "move_shift": "1"})
        assert bad.status_code == 422
        assert "Cohort verplaatsen · leerjaar: Input should be less than or equal to 4" in bad.text
        assert 'value="x&lt;/p&gt;&lt;b&gt;"' in bad.text  # what was typed is back, escaped
        assert "Traceback" not in bad.text

        broken = "[[scenario]]\nname = \"a\"\n[[scenario.move]]\nschool = \"x\"\nshift = 1\n"
        pasted = w.client.post("/web/simulate", data={"dataset": str(dataset), "runs": "3", "scenarios": broken})
        assert pasted.status_code == 422
        assert "options.scenarios: &#39;crebo&#39; is required (rij 3)" in pasted.text  # the line of [[scenario.move]]
        assert "shift = 1\n</textarea>" in pasted.text

        runs = w.client.post("/web/simulate", data={"dataset": str(dataset), "runs": "many", "name": "a"})
        assert runs.status_code == 422 and "runs (van scenario&#39;s met uitval): is geen geheel getal" in runs.text
        moves = w.client.post("/web/calendar", data={"dataset": str(dataset), "max_moves": "-1"})
        assert moves.status_code == 422 and "options.max_moves" in moves.text
        elsewhere = w.client.post("/web/calendar", data={"dataset": str(dataset + 1), "max_moves": "3"})
        assert elsewhere.status_code == 404

        shown = w.client.post("/web/simulate", data={"dataset": str(dataset), "runs": "3", "name": 'a "b"',
                                                     "dropout_percent": "20", "show": "toml"})
        assert shown.status_code == 200
        assert 'name = &#34;a \\&#34;b\\&#34;&#34;' in shown.text and "rate = 0.2" in shown.text
        assert w.client.get("/jobs", headers=w.headers("planner")).json() == []  # nothing was queued
