"""scripts/audit: how the supply-chain check decides (the network is replaced by fakes)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit"


@pytest.fixture(scope="module")
def audit():
    loader = importlib.machinery.SourceFileLoader("supply_chain_audit", str(SCRIPT))
    spec = importlib.util.spec_from_loader("supply_chain_audit", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    try:
        loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def project_json(version, vulnerabilities=()):
    return {"info": {"version": version}, "vulnerabilities": list(vulnerabilities)}


def test_pip_audit_findings_are_reported_with_their_fix(audit):
    answer = {"dependencies": [
        {"name": "flask", "version": "3.1.3", "vulns": []},
        {"name": "jinja2", "version": "3.1.2", "vulns": [
            {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "description": "XSS"}]},
    ]}
    report = audit.python_findings(answer, {}, fetch=lambda url: pytest.fail("no fallback"))
    assert report.audited == ["flask 3.1.3", "jinja2 3.1.2"]
    assert [(f.package, f.advisory, f.fixed_in) for f in report.findings] == [
        ("jinja2", "GHSA-h5c8-rqwp-cp95", ["3.1.3"])]


def test_skipped_pin_that_is_the_newest_release_is_audited_from_the_project_json(audit):
    answer = {"dependencies": [
        {"name": "werkzeug", "skip_reason": "Dependency not found on PyPI"},
        {"name": "babel", "skip_reason": "Dependency not found on PyPI"},
    ]}
    answers = {
        "https://pypi.org/pypi/werkzeug/json": project_json("3.1.9", [
            {"id": "PYSEC-1", "summary": "debugger", "fixed_in": []},
            {"id": "PYSEC-2", "summary": "old", "withdrawn": "2026-01-01"}]),
        "https://pypi.org/pypi/babel/json": project_json("2.19.0"),
    }
    report = audit.python_findings(answer, {"werkzeug": "3.1.9", "babel": "2.18.0"},
                                   fetch=answers.get)
    assert report.audited == ["werkzeug 3.1.9"]
    assert [f.advisory for f in report.findings] == ["PYSEC-1"]  # the withdrawn one is not
    assert report.unaudited == ["babel 2.18.0 (newest is 2.19.0; the registry answers for the "
                                "newest release only)"]


def test_unexplained_findings_fail_and_explained_ones_pass(audit, tmp_path, capsys):
    exceptions_file = tmp_path / "exceptions.txt"
    exceptions_file.write_text("# comment\njinja2 GHSA-1 only the sandbox is affected; unused\n"
                               "htmx.org * checked by hand\n", encoding="utf-8")
    exceptions = audit.read_exceptions(exceptions_file)
    report = audit.Report(findings=[
        audit.Finding("PyPI", "Jinja2", "3.1.2", "GHSA-1"),
        audit.Finding("npm", "htmx.org", "2.0.11", "deprecated"),
        audit.Finding("PyPI", "jinja2", "3.1.2", "GHSA-2"),
    ])
    assert audit.print_report("Python", report, exceptions) == 1
    printed = capsys.readouterr().out
    assert "GHSA-1" in printed and "explained: only the sandbox is affected; unused" in printed
    assert "GHSA-2" in printed and "NOT EXPLAINED" in printed


def test_an_exception_line_without_a_reason_is_refused(audit, tmp_path):
    exceptions_file = tmp_path / "exceptions.txt"
    exceptions_file.write_text("jinja2 GHSA-1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="expected"):
        audit.read_exceptions(exceptions_file)


def test_npm_fallback_reports_deprecated_and_missing_versions(audit):
    locked = {"htmx.org": "2.0.11", "left-pad": "1.3.0", "ghost": "0.0.1"}
    registry = {
        "https://registry.npmjs.org/htmx.org": {"versions": {"2.0.11": {}},
                                                "dist-tags": {"latest": "4.0.1"}},
        "https://registry.npmjs.org/left-pad": {"versions": {"1.3.0": {"deprecated": "use "
                                                "String.prototype.padStart()"}}},
        "https://registry.npmjs.org/ghost": {"versions": {}},
    }
    report = audit.npm_findings(None, locked, fetch=registry.get)
    assert sorted((f.package, f.advisory) for f in report.findings) == [
        ("ghost", "not-in-registry"), ("left-pad", "deprecated")]
    assert report.unaudited == ["htmx.org 2.0.11 (not deprecated; newest is 4.0.1; advisories "
                                "not available)"]


def test_locked_pins_are_read_from_the_lock_file(audit):
    pins = audit.locked_pins(SCRIPT.parent.parent / "requirements.lock")
    assert pins["flask"].startswith("3.")
    assert "pip-audit" in pins
    npm = audit.npm_locked(SCRIPT.parent.parent / "package-lock.json")
    assert npm["htmx.org"].startswith("2.0.")
