"""The CI skip rule of tests/conftest.py, run on a small inner pytest session: with CI=true a required
test that skips fails, a test marked `optional_coref` may skip and is listed in the summary."""

from __future__ import annotations

import pytest

from tests.factories.paths import REPO

pytest_plugins = ["pytester"]

SAMPLE = '''
import pytest

def test_runs():
    pass

def test_required_skip():
    pytest.skip("no data here")

@pytest.mark.optional_coref
def test_optional_skip():
    pytest.skip("fastcoref not installed")

@pytest.mark.xfail(reason="a known bug", strict=True)
def test_known_bug():
    assert False
'''


def _run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str | None,
         **files: str) -> pytest.RunResult:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makeconftest((REPO / "tests" / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(**files)
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "-o", "markers=optional_coref: optional")


def test_in_ci_a_required_skip_fails_and_an_optional_one_is_listed(pytester: pytest.Pytester,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, "true", test_sample=SAMPLE)
    result.assert_outcomes(passed=1, failed=1, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines(["*a required test skipped in CI (CI=true): no data here*",
                                 "*optional skips (optional_coref): 1*",
                                 "*test_sample.py::test_optional_skip: fastcoref not installed*"])
    assert result.ret != 0


def test_outside_ci_skips_stay_skips(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(pytester, monkeypatch, None, test_sample=SAMPLE)
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*optional skips (optional_coref): 1*"])
    assert result.ret == 0


def test_in_ci_a_module_that_skips_at_import_fails(pytester: pytest.Pytester,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    module = 'import pytest\npytest.skip("Chromium is not installed", allow_module_level=True)\n'
    result = _run(pytester, monkeypatch, "true", test_gone=module)
    result.assert_outcomes(errors=1)  # a collection error: the run stops there, and fails
    result.stdout.fnmatch_lines(["*a required test module skipped in CI (CI=true): Chromium is not installed*"])
    assert result.ret != 0
