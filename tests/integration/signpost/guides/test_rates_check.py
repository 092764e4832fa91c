"""`flask --app wsgi rates check`: what a reviewer runs before a new tax year's figures go live."""

from __future__ import annotations

from signpost.guides.rates import FIGURE_KEYS, RULE_KEYS
from tests.support.guide_answers import shipped_rates, use_rates


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["rates", "check", *args])


def test_a_fully_confirmed_year_passes_and_lists_every_figure_with_status_and_source(app, monkeypatch, tmp_path):
    data = shipped_rates()
    year = next(y for y in data["tax_years"] if y["tax_year"] == "2025-26")
    year["figures"]["savings_credit_disregard_single"] = {"amount": "7.00", "status": "S", "source": "test"}
    use_rates(app, monkeypatch, tmp_path, data)
    result = run(app, "--year", "2025-26")
    assert result.exit_code == 0, result.output
    total = len(FIGURE_KEYS) + len(RULE_KEYS)
    assert f"2025-26: {total} of {total} figures confirmed" in result.output
    assert "mig_single_pension_age = 232.60 (2025-26, secondary, quoting the official figure)" in result.output
    assert "personal_expenses_allowance = 30.65 (2025-26, primary)" in result.output
    assert "Every figure is confirmed." in result.output


def test_the_shipped_2025_26_figures_lack_only_the_savings_credit_disregard(app):
    result = run(app, "--year", "2025-26")
    assert result.exit_code == 1
    flagged = {line.split()[1] for line in result.output.splitlines() if line.startswith("  !! ")}
    assert flagged == {"savings_credit_disregard_single"}


def test_2026_27_fails_and_names_exactly_what_is_not_confirmed(app):
    result = run(app, "--year", "2026-27")
    assert result.exit_code == 1
    flagged = {line.split()[1] for line in result.output.splitlines() if line.startswith("  !! ")}
    assert flagged == {
        "upper_capital_limit",
        "lower_capital_limit",
        "tariff_income_step",
        "tariff_income_per_step",
        "personal_expenses_allowance",
        "mig_single_25_to_pension_age",
        "mig_disability_premium_single",
        "mig_enhanced_disability_premium_single",
        "savings_credit_disregard_single",
    }
    assert "not confirmed for 2026-27: 2025-26 amount would be used" in result.output


def test_by_default_it_checks_this_tax_year_and_the_next(app, monkeypatch):
    monkeypatch.setitem(app.config, "GUIDES_DATE", "2026-12-03")
    result = run(app)
    assert "2026-27:" in result.output and "2027-28:" in result.output
    assert result.exit_code == 1


def test_a_figure_no_year_holds_is_named_missing(app, monkeypatch, tmp_path):
    data = shipped_rates()
    for year in data["tax_years"]:
        year["figures"].pop("carers_allowance_weekly", None)
    use_rates(app, monkeypatch, tmp_path, data)
    result = run(app, "--year", "2024-25")
    assert result.exit_code == 1
    assert "!! carers_allowance_weekly: missing: no year holds it" in result.output


def test_a_badly_written_year_is_a_usage_error_not_a_traceback(app):
    result = run(app, "--year", "2025")
    assert result.exit_code == 2
    assert "Invalid value for --year" in result.output
