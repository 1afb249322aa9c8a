"""The fixture timeline (tests/fixtures/site), which the tests of whole sites build, stays clean."""


def test_the_fixture_site_passes_check_strict(fixture_site, run_cli):
    code, _, err = run_cli("check", "--strict", "--site", fixture_site)
    assert code == 0, err
    assert "0 errors, 0 warnings" in err
