"""The service does what its own ``/openapi.json`` says: schemathesis sends generated requests (valid and
invalid) to every operation, as an adviser office, on a service with a dataset and a finished match, and
each answer is no ``5xx``, has a status code, content type and body the document declares.

Half the generated requests name the ids that exist (the dataset, the match, its files, a student), so the
answers of found resources are checked too, not only the ``404`` of random ids. SQLite only: the document
does not depend on the database, and the other service tests run each database.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from matcher.app.service.app import create_app
from matcher.app.service.core import Settings
from tests.support.paths import TINY
from tests.support.service import fresh_database, world, zipped

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A service with the tiny dataset and a finished match on it; the values of each path parameter that exist."""
    folder = tmp_path_factory.mktemp("openapi")
    with fresh_database("sqlite", folder) as url, world(url, folder) as w:
        dataset = w.upload(TINY).json()
        match = w.run("match", dataset["id"], remedies=True)
        unplaced = w.client.get(f"/jobs/{match['id']}/files/unplaced.csv", headers=w.headers("adviser")).text
        students = ["t01", unplaced.splitlines()[1].split(",")[0]]  # one placed, one not
        yield w, {"dataset_id": [dataset["id"]], "job_id": [match["id"]], "student_id": students,
                  "dataset_file": dataset["files"], "job_file": match["files"]}


# The document of an application not started (it needs no database), from the same code as the served one's;
# a test compares the two. (``schemathesis.pytest.from_fixture`` fails under pytest 9: it sets Node._nodeid.)
DOCUMENT = create_app(Settings(database="sqlite://")).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schemathesis.serializer.alias("application/zip", "application/octet-stream")  # an upload: its bytes as they are


def test_the_served_document_is_the_one_tested(served):
    assert served[0].client.get("/openapi.json").json() == DOCUMENT


@schema.parametrize()
@schema.given(known=st.booleans(), pick=st.integers(0, 100))
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_the_service_matches_its_openapi_document(case, served, known, pick):
    w, existing = served
    if known:  # values that exist in place of the generated ones
        for parameter in case.path_parameters or {}:
            key = parameter
            if parameter == "name":  # a file of the job, or of the dataset
                key = "job_file" if "job_id" in case.path_parameters else "dataset_file"
            case.path_parameters[parameter] = existing[key][pick % len(existing[key])]
        if (case.method, case.path) == ("POST", "/datasets"):  # a real instance: a new version, or the same
            case.body, case.query = zipped(TINY), {**(case.query or {}), "region": "AM13"}
            if pick % 2:
                case.query["name"] = "tiny"  # the served dataset's name: the same version again (200)
    request = case.as_transport_kwargs(base_url="http://testserver", headers=w.headers("adviser"))
    body = {"json": request["json"]} if "json" in request else {"content": request.get("data")}
    response = w.client.request(request["method"], request["url"], headers=request["headers"],
                                params=request.get("params"), **body)
    case.validate_response(response, checks=CHECKS)
