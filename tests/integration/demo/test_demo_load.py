"""`flask demo load` loads the county once and is a no-op afterwards."""


def test_second_load_is_a_no_op(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--cases", "0"])
    assert result.exit_code == 0, result.output
    assert "nothing to do" in result.output
