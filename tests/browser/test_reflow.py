"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.support import assert_accessible, visit

pytestmark = pytest.mark.browser

WIDTH = 320

# Elements sticking out to the right, outside any scroll container of their own
# (a wide table may scroll inside its .table-scroll box; the page may not).
OVERFLOWING = """
width => {
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
    }
    return false;
  };
  return [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el))
    .slice(0, 10)
    .map(el => {
      const r = el.getBoundingClientRect();
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].map(c => "." + c).join("");
      return `${name} (left ${Math.round(r.left)}, right ${Math.round(r.right)})`;
    });
}
"""


def _via_link(list_path: str, link_name: str):
    """A page reached through a link on another (its address holds a database id)."""

    def reach(page: Page) -> None:
        visit(page, list_path)
        with page.expect_navigation():
            page.get_by_role("link", name=link_name, exact=True).click()
        assert_accessible(page)

    return reach


@pytest.mark.parametrize(
    ("username", "path"),
    [
        (None, "/logg-inn"),
        ("katrine", "/"),
        ("katrine", "/prosjekter/"),
        ("katrine", "/prosjekter/nytt"),
        ("katrine", "/prosjekter/EHANDEL-SOGN"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/milepaler"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/faser"),
        ("ingrid", "/prosjekter/EHANDEL-SOGN/vedtak"),
        ("ingrid", "/prosjekter/EHANDEL-SOGN/vedtak/nytt"),
        ("per", "/prosjekter/EHANDEL-SOGN/moter"),
        ("per", "/prosjekter/EHANDEL-SOGN/kalender"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/gevinster/"),
        ("admin", _via_link("/prosjekter/KODEKNEKK/gevinster/",
                            "Kjøp via e-handel (del av innkjøpa)")),
        ("per", "/prosjekter/EHANDEL-SOGN/gevinster/registrering"),
        ("per", "/prosjekter/EHANDEL-SOGN/gevinster/import"),
        ("ingrid", "/prosjekter/EHANDEL-SOGN/gevinster/plan"),
        ("ingrid", "/prosjekter/EHANDEL-SOGN/styringsgruppepakke"),
        ("ingrid", "/prosjekter/EHANDEL-SOGN/dashbord"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/status/"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/status/2013-08"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/status/2013-09/prosjekt"),
        ("ingrid", _via_link("/prosjekter/EHANDEL-SOGN/status/2013-08", "publisert")),
        ("katrine", "/prosjekter/EHANDEL-SOGN/risiko/"),
        ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/risiko/",
                              "For lite ressursar i kommunane til lokalt arbeid")),
        ("katrine", "/prosjekter/EHANDEL-SOGN/risiko/ny"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013"),
        ("katrine", _via_link("/prosjekter/EHANDEL-SOGN/okonomi/?ar=2013", "Diverse")),
        ("katrine", "/prosjekter/EHANDEL-SOGN/okonomi/linjer/ny"),
        ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/fordeling"),
        ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/nokler/ny"),
        ("admin", "/prosjekter/INNKJOP-KONGSBERG/okonomi/oppgjor?ar=2008"),
        ("admin", "/portefolje/"),
        ("admin", "/portefolje/sammenligning?indikator=1"),
        ("per", "/portefolje/organisasjoner/5"),
        ("katrine", "/prosjekter/EHANDEL-SOGN/papirkurv"),
        ("admin", "/admin/prosjekter/EHANDEL-SOGN/slett"),
    ],
    ids=["login", "start", "project-list", "project-form", "project-detail", "milestones",
         "phases", "decisions", "decision-form", "meetings", "calendar", "benefits",
         "indicator", "measurement-entry", "measurement-import", "benefits-plan",
         "steering-group-pack", "dashboard",
         "reporting-overview", "reporting-period", "report-write", "report-published",
         "risk-register", "risk-detail", "risk-form", "budget", "budget-line",
         "budget-line-form", "cost-sharing", "cost-key-form", "settlement",
         "portfolio", "portfolio-compare", "municipality", "papirkurv", "papirkurv-purge"],
)
def test_no_horizontal_scrolling_at_320_px(page: Page, sign_in, username, path):
    page.set_viewport_size({"width": WIDTH, "height": 640})
    if username:
        sign_in(username)
    if callable(path):
        path(page)
        path = page.url
    else:
        visit(page, path)
    # Charts are drawn after the page has loaded: measure them as drawn.
    page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                           ".every(plot => plot.dataset.drawn === 'true')")
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (
        f"{path} is {scroll_width} px wide at a {WIDTH} px viewport; sticking out: "
        f"{page.evaluate(OVERFLOWING, WIDTH)}"
    )
