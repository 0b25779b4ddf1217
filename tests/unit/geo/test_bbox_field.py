import pytest
from flask import Flask
from flask_babel import Babel
from marshmallow import ValidationError

from govgrid.geo.schemas import CellsQuery, LocateQuery
from govgrid.geo.services import BBox


@pytest.fixture(autouse=True)
def babel_context():
    # Error messages are lazy translations: they need an app context to be rendered.
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


def test_bbox_parses_four_numbers():
    data = CellsQuery().load({"bbox": "123.2,44.0,123.3,44.1"})
    assert data["bbox"] == BBox(123.2, 44.0, 123.3, 44.1)


@pytest.mark.parametrize(
    "raw",
    ["1,2,3", "a,b,c,d", "1,2,3,4,5", "nan,1,2,3", "0,0,inf,1", "200,0,201,1", "0,-91,1,0",
     "2,0,1,1", "0,1,1,1"],
)
def test_bad_bbox_is_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as error:
        CellsQuery().load({"bbox": raw})
    assert error.value.messages["bbox"]


def test_cells_need_a_bbox_or_a_village():
    with pytest.raises(ValidationError):
        CellsQuery().load({})
    assert CellsQuery().load({"village": "150521100201"})["village"] == "150521100201"


@pytest.mark.parametrize(
    "query",
    [{"lon": "x", "lat": "44"}, {"lon": "181", "lat": "44"}, {"lon": "123", "lat": "-90.5"},
     {"lon": "123"}, {"lon": "nan", "lat": "44"}],
)
def test_locate_refuses_malformed_coordinates(query):
    with pytest.raises(ValidationError):
        LocateQuery().load(query)
