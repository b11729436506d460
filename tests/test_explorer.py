"""The incident explorer: works offline in a real headless browser, filters and sorts, runs no text from the data.

Needs Debian's Chromium and its driver (`apt-get install chromium chromium-driver`; `.ci/run` installs
them). Where they are missing the browser tests are skipped with that instruction; the page's escaping
is still checked without a browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from syria_incidents.explorer import render_explorer, write_explorer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PAYLOAD = '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script>'


def payload_data(valid_data: Path) -> Path:
    """The fixture with script and attribute payloads in every text column of incidents, claims, sources
    and episodes (the validator would refuse them; the page must stay inert all the same)."""
    for name, key in (("incidents", "incident_id"), ("claims", "claim_id"), ("sources", "source_id"),
                      ("episodes", "episode_id")):
        path = valid_data / f"{name}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in ("description", "location_name", "note", "name", "summary", "figure_as_written"):
            if col in frame:
                frame[col] = frame[col] + " " + PAYLOAD
        frame.to_csv(path, index=False, lineterminator="\n")
    return valid_data


def test_page_embeds_the_data_inertly(valid_data: Path) -> None:
    from syria_incidents.explorer import incident_records

    page = render_explorer(incident_records(payload_data(valid_data)))
    assert "<img src=x" not in page and "<script>window.__pwned" not in page
    assert page.count("<script") == 2  # the JSON block and the page's own script, nothing else
    assert "\\u003cimg src=x" in page
    assert "innerHTML" not in page


@pytest.fixture
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = "needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver"
        if os.environ.get("SYRIA_INCIDENTS_REQUIRE_BROWSER"):
            pytest.fail(message)  # in CI the browser must be there: never a silent skip
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def rows(driver) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "#rows tr")]


def test_explorer_filters_and_sorts_offline(valid_data: Path, tmp_path: Path, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = write_explorer(tmp_path / "explorer.html", valid_data)
    browser.get(page.as_uri())
    assert len(rows(browser)) == 7  # the fixture's counted records
    assert browser.find_element(By.ID, "count").text == "7 of 7 incidents"
    Select(browser.find_element(By.ID, "filter-governorate")).select_by_visible_text("Daraa")
    shown = rows(browser)
    assert {r[0] for r in shown} == {"SYI-00004", "SYI-00007"}
    Select(browser.find_element(By.ID, "filter-governorate")).select_by_index(0)
    best = browser.find_element(By.CSS_SELECTOR, "th[data-key='deaths_best']")
    best.click()
    values = [int(r[7]) for r in rows(browser)]
    assert values == sorted(values)
    best.click()
    assert [int(r[7]) for r in rows(browser)] == sorted(values, reverse=True)
    Select(browser.find_element(By.ID, "filter-episode")).select_by_visible_text("Test coastal episode")
    assert {r[0] for r in rows(browser)} == {"SYI-00001", "SYI-00002", "SYI-00003"}
    links = browser.find_elements(By.CSS_SELECTOR, "#rows a")
    assert links and all(a.get_attribute("href").startswith("https://") for a in links)


def test_no_text_from_the_data_runs_in_the_browser(valid_data: Path, tmp_path: Path, browser) -> None:
    page = write_explorer(tmp_path / "explorer.html", payload_data(valid_data))
    browser.get(page.as_uri())
    assert browser.execute_script("return window.__pwned === undefined")
    assert len(rows(browser)) == 7
    assert PAYLOAD.split(">")[0] in " ".join(" ".join(r) for r in rows(browser))  # shown as text
