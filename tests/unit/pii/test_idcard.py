import datetime as dt

import pytest

from govgrid.pii.idcard import InvalidIdNumber, birth_date, check_char, sex, validate

# Built with the standard's algorithm; 11010519491231002X is the standard's own example.
GOOD = ["11010519491231002X", "150521199001011231", "150521200002290012"]


def test_check_char_matches_the_standard_example():
    assert check_char("11010519491231002") == "X"


@pytest.mark.parametrize("number", GOOD)
def test_valid_numbers_pass(number):
    assert validate(number) == number


def test_lower_case_x_and_spaces_are_normalised():
    assert validate(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    "number,reason",
    [
        ("1101051949123100", "shape"),
        ("11010519491231002Y", "shape"),
        ("99010519491231002X", "region"),
        ("110105194913310020", "birth_date"),
        ("110105189912310020", "birth_date"),
        ("110105194912310021", "check_digit"),
    ],
)
def test_invalid_numbers_say_why(number, reason):
    with pytest.raises(InvalidIdNumber) as error:
        validate(number)
    assert error.value.reason == reason


def test_future_birth_date_is_refused():
    with pytest.raises(InvalidIdNumber):
        validate("150521203001011230", today=dt.date(2026, 1, 1))


def test_birth_date_and_sex():
    assert birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert sex("11010519491231002X") == "female"
