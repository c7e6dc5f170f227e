"""Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.support import visit

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


@pytest.mark.parametrize(
    ("username", "path"),
    [
        (None, "/logg-inn"),
        ("katrine", "/"),
        ("katrine", "/prosjekter/"),
        ("katrine", "/prosjekter/nytt"),
        ("katrine", "/prosjekter/EHANDEL-SOGN"),
    ],
    ids=["login", "start", "project-list", "project-form", "project-detail"],
)
def test_no_horizontal_scrolling_at_320_px(page: Page, sign_in, username, path):
    page.set_viewport_size({"width": WIDTH, "height": 640})
    if username:
        sign_in(username)
    visit(page, path)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, (
        f"{path} is {scroll_width} px wide at a {WIDTH} px viewport; sticking out: "
        f"{page.evaluate(OVERFLOWING, WIDTH)}"
    )
