"""`mart docs`: the static site, read in a real browser (headless Chromium) from disk.

The browser tests open a site written from the founding sources plus one hostile source that
disputes the Q2 shipments (21 million) and puts `<script>` in its title, publisher, URL and
quote. They skip, saying why, where Chromium is not installed; under CI=true they fail.
"""

import json
import os
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from mart import operations
from mart.cli import app
from mart.config import DEFAULT_SEEDS_DIR
from mart.db import MartError, make_engine
from mart.docs import build
from mart.docs.text import file_name, segments, value
from tests.conftest import BACKENDS, FOUNDING_SEEDS, fresh_postgres_database

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

SHIPMENTS_QUOTE = "it has shipped 23.16 million smartphones in Q2 2017"
GLOBAL_TIMES_QUOTE = "Xiaomi shipped 23.16 million smartphones in Q2, 70 percent more than in Q1."
HOSTILE_TITLE = '<script>window.hostile = "title"</script> Rumour & "gossip"'
HOSTILE_QUOTE = (
    '<script>window.hostile = "body"</script> A rumour said Xiaomi shipped 21 million '
    "smartphones in Q2 2017"
)
HOSTILE_TEXT = f"date 2017-07-09\n{HOSTILE_QUOTE} <b>really</b>.\n"
HOSTILE_FACTS = f"""\
source:
  text: hostile-rumour.txt
  title: '{HOSTILE_TITLE}'
  publisher: '<img src=x onerror="window.hostile = 1">'
  url: 'javascript:window.hostile = "url"'
  published_on: 2017-07-09
companies:
  - {{key: xiaomi, name: Xiaomi}}
facts:
  - metric: smartphone_shipments
    company: xiaomi
    period: Q2 2017
    value: 21 million
    basis: reported
    quote: '{HOSTILE_QUOTE}'
"""


def hostile_seeds(directory: Path) -> Path:
    """The founding sources and the hostile one, in a seed directory of their own."""
    directory.mkdir()
    for fact_file in FOUNDING_SEEDS:
        shutil.copy(fact_file, directory)
        shutil.copy(fact_file.with_suffix(".txt"), directory)
    (directory / "hostile-rumour.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (directory / "hostile-rumour.yaml").write_text(HOSTILE_FACTS, encoding="utf-8")
    return directory


def site_files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
    }


# Without a browser -----------------------------------------------------------------------


def test_values_read_as_the_sources_word_them() -> None:
    assert value(23160000, None, "exact", "units") == "23,160,000 units"
    assert value(Decimal("13623529.41"), None, "exact", "units") == "13,623,529.41 units"
    assert value(22000, None, "at_least", "units") == "at least 22,000 units"
    assert value(49 * 10**9, 52 * 10**9, "range", "USD") == "49,000,000,000 to 52,000,000,000 USD"
    assert value(None, None, "exact", "people", "thousands") == "no figure (thousands)"


def test_file_names_stay_in_the_directory_and_never_collide() -> None:
    assert file_name("xiaomi") == "xiaomi.html"
    assert file_name("co-000017") == "co-000017.html"
    unsafe = [file_name(k) for k in ("Xiaomi", "../x", "a b", "a/b", "")]
    assert all("/" not in n and not n.startswith(".") for n in unsafe)
    assert len(set(unsafe)) == len(unsafe)
    assert file_name("Xiaomi") != file_name("xiaomi")


def test_overlapping_quotes_cut_into_segments_that_list_every_fact() -> None:
    body = "abcdefghij"
    cut = segments(body, [(1, 0, 4), (2, 2, 6), (3, 2, 4), (4, 20, 30)])
    assert [(s.text, s.facts, s.starts) for s in cut] == [
        ("ab", (1,), (1,)),
        ("cd", (1, 2, 3), (2, 3)),
        ("ef", (2,), ()),
        ("ghij", (), ()),
    ]
    assert "".join(s.text for s in cut if 2 in s.facts) == "cdef"


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_the_site_has_a_page_per_company_and_source(seeded: Engine, tmp_path: Path) -> None:
    report = build(seeded, tmp_path / "site")
    with seeded.connect() as connection:
        companies = connection.execute(text("select company_key from company")).scalars().all()
        sources = connection.execute(text("select source_key from source")).scalars().all()
        pages = {f"companies/{k}.html" for k in companies} | {f"sources/{k}.html" for k in sources}
    files = set(site_files(tmp_path / "site"))
    assert files == pages | {
        ".mart-docs",
        "index.html",
        "markets/index.html",
        "disputes.html",
        "catalogue.html",
        "search-index.js",
        "static/site.css",
        "static/site.js",
        "static/vega.js",
    }
    assert report.pages == {
        "home": 1,
        "company": 22,
        "source": 19,
        "disputes": 1,
        "catalogue": 1,
        "markets": 1,
    }
    assert report.sources_chosen == "all"


@pytest.mark.postgres
def test_duckdb_and_postgresql_write_the_same_site(tmp_path: Path, postgres_admin: str) -> None:
    sites = []
    with fresh_postgres_database(postgres_admin) as postgres:
        for name, url in [("duckdb", f"duckdb:///{tmp_path / 'mart.duckdb'}"), ("pg", postgres)]:
            engine = make_engine(url)
            try:
                operations.build(engine, [DEFAULT_SEEDS_DIR])
                build(engine, tmp_path / name)
            finally:
                engine.dispose()
            sites.append(site_files(tmp_path / name))
    duckdb_site, postgres_site = sites
    assert sorted(duckdb_site) == sorted(postgres_site)
    # Column types are each database's own spelling (VARCHAR, character varying(64)).
    differ = [name for name in duckdb_site if duckdb_site[name] != postgres_site[name]]
    assert differ == ["catalogue.html"]


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_seed_text_is_escaped_everywhere(migrated: Engine, tmp_path: Path) -> None:
    operations.seed(migrated, [hostile_seeds(tmp_path / "seeds")])
    build(migrated, tmp_path / "site")
    for name, content in site_files(tmp_path / "site").items():
        if name.endswith((".html", "search-index.js")):
            page = content.decode("utf-8")
            assert "<script>window.hostile" not in page, name
            assert "<img src=x" not in page, name
            assert "javascript:" not in page, name
    source = (tmp_path / "site" / "sources" / "hostile-rumour.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.hostile = &#34;body&#34;&lt;/script&gt;" in source


def test_a_directory_holding_other_files_is_refused(founded: Engine, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("not a site", encoding="utf-8")
    with pytest.raises(MartError, match="holds other files"):
        build(founded, mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")] == []


def test_an_earlier_site_is_replaced_whole(founded: Engine, tmp_path: Path) -> None:
    build(founded, tmp_path / "site")
    (tmp_path / "site" / "companies" / "gone.html").write_text("stale", encoding="utf-8")
    build(founded, tmp_path / "site", sources="none")
    assert not (tmp_path / "site" / "companies" / "gone.html").exists()
    assert not (tmp_path / "site" / "sources").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("empty_url", BACKENDS, indirect=True)
def test_disputed_sources_only(migrated: Engine, tmp_path: Path) -> None:
    operations.seed(migrated, [hostile_seeds(tmp_path / "seeds")])
    report = build(migrated, tmp_path / "site", sources="disputed")
    pages = sorted(p.name for p in (tmp_path / "site" / "sources").iterdir())
    # Both founding sources state the 23.16 million the rumour disputes.
    assert pages == [
        "globaltimes-2017-07-07-summary.html",
        "hostile-rumour.html",
        "xiaomi-q2-2017-shipments.html",
    ]
    assert report.sources_chosen == "disputed"


def test_lineage_names_what_each_view_reads(founded: Engine) -> None:
    from mart.docs import read

    with founded.connect() as connection:
        relations = {r.name: r for r in read.catalogue(connection, {"smartphone_shipments"})}
    quarterly = relations["shipments_quarterly"]
    assert quarterly.reads == ["growth", "metric_values", "period_comparisons"]
    assert quarterly.metrics == ["smartphone_shipments"]
    assert relations["fact_agreement"].reads == [
        "attribution",
        "company",
        "metric",
        "period",
        "product",
        "region",
        "segment",
        "source",
        "statement",
    ]
    assert relations["statement"].comment.startswith("Figures as stated by a source")


def test_cli_writes_the_site_and_says_where(founded: Engine, tmp_path: Path) -> None:
    db = founded.url.database
    assert db is not None
    founded.dispose()
    result = CliRunner().invoke(app, ["docs", str(tmp_path / "site"), "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"wrote {len(site_files(tmp_path / 'site')):,} files "
        f"({sum(map(len, site_files(tmp_path / 'site').values())) / 1e6:,.1f} MB) to "
        f"{tmp_path / 'site'}: 1 home, 1 company, 2 source, 1 disputes, 1 catalogue; "
        "source pages: all",
        f"open {tmp_path / 'site' / 'index.html'}",
    ]


def test_cli_error_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("a file", encoding="utf-8")
    missing = CliRunner().invoke(app, ["docs", str(tmp_path / "x"), "--db", "nowhere.duckdb"])
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"error: {Path('nowhere.duckdb').resolve()} does not exist: run `mart build` first "
        "(or check --db)"
    ]


# In the browser ------------------------------------------------------------------------------

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Engine]]:
    """The site of the founding sources and the hostile one, with its mart (read-only)."""
    root = tmp_path_factory.mktemp("docs")
    engine = make_engine(f"duckdb:///{root / 'mart.duckdb'}")
    operations.build(engine, [hostile_seeds(root / "seeds")])
    build(engine, root / "site")
    yield root / "site", engine
    engine.dispose()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator["WebDriver"]:
    """Headless Chromium through chromedriver (Debian's packages), logging console and network."""
    if not (CHROMIUM and CHROMEDRIVER):
        message = (
            "headless Chromium is not installed: apt-get install chromium chromium-driver "
            "(.ci/run installs them where missing)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must really run the browser tests
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: "WebDriver", site: Path, page: str, shots: Path | None = None) -> None:
    """Open a page from disk, wait for its charts, and check what it did: no console error, no
    request outside the file system. A screenshot goes to `shots` when given."""
    from selenium.webdriver.support.ui import WebDriverWait

    d = driver
    d.get_log("browser")  # forget the pages before
    d.get_log("performance")
    d.get((site / page).as_uri())
    WebDriverWait(d, 20).until(
        lambda drv: drv.execute_script(
            "return [...document.querySelectorAll('[data-chart]')]"
            ".every(e => e.getAttribute('data-rendered') === 'true')"
        )
    )
    if shots is not None:
        d.save_screenshot(str(shots / (page.replace("/", "-") + ".png")))
    errors = [e["message"] for e in d.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], page
    requested = [
        message["params"]["request"]["url"]
        for entry in d.get_log("performance")
        for message in [json.loads(entry["message"])["message"]]
        if message["method"] == "Network.requestWillBeSent"
    ]
    assert requested, page
    assert [url for url in requested if not url.startswith("file://")] == [], page


def fact_id(engine: Engine, source: str, quote: str, metric: str = "smartphone_shipments") -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "select fact_id from fact_provenance "
                    "where source_key = :s and quote = :q and metric = :m"
                ),
                {"s": source, "q": quote, "m": metric},
            ).scalar_one()
        )


def highlight(driver: "WebDriver", fact: int) -> str:
    from selenium.webdriver.common.by import By

    marks = driver.find_elements(By.CSS_SELECTOR, f'mark[data-facts~="{fact}"]')
    return "".join(m.text for m in marks)


def test_every_page_kind_opens_from_disk_without_errors_or_network(
    browser: "WebDriver", hostile_site: tuple[Path, Engine], tmp_path: Path
) -> None:
    site, _ = hostile_site
    pages = [
        "index.html",
        "companies/xiaomi.html",
        "sources/xiaomi-q2-2017-shipments.html",
        "disputes.html",
        "catalogue.html",
    ]
    for page in pages:
        open_page(browser, site, page, shots=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        p.replace("/", "-") + ".png" for p in pages
    )


def test_the_shipments_quote_is_highlighted_and_states_its_fact(
    browser: "WebDriver", hostile_site: tuple[Path, Engine]
) -> None:
    from selenium.webdriver.common.by import By

    site, engine = hostile_site
    fact = fact_id(engine, "xiaomi-q2-2017-shipments", SHIPMENTS_QUOTE)
    open_page(browser, site, "sources/xiaomi-q2-2017-shipments.html")
    assert highlight(browser, fact) == SHIPMENTS_QUOTE
    mark = browser.find_element(By.CSS_SELECTOR, f'mark[data-facts~="{fact}"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    popover = browser.find_element(By.ID, "fact-popover")
    assert popover.is_displayed()
    assert popover.find_element(By.CLASS_NAME, "card-value").text == "23,160,000 units"
    shown = popover.text.splitlines()
    assert shown[:6] == [
        "23,160,000 units",
        "metric",
        "Smartphone shipments smartphone_shipments",
        "company",
        "Xiaomi · Global",
        "period",
    ]
    # The table row links back to the highlight.
    row = browser.find_element(By.ID, f"fact-{fact}")
    link = row.find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href").endswith(f"#f{fact}")
    assert link.text == SHIPMENTS_QUOTE


def test_the_xiaomi_shipments_chart_draws_implied_and_reported_quarters(
    browser: "WebDriver", hostile_site: tuple[Path, Engine]
) -> None:
    from selenium.webdriver.common.by import By

    site, engine = hostile_site
    open_page(browser, site, "companies/xiaomi.html")
    chart = browser.find_element(
        By.CSS_SELECTOR, '[data-metric="smartphone_shipments"][data-unit="units"]'
    )
    labels = [
        e.get_attribute("aria-label")
        for e in chart.find_elements(By.CSS_SELECTOR, "[aria-roledescription='point']")
    ]
    assert sorted(labels) == [
        "2017-Q1 implied: 13,623,529.41 units",
        "2017-Q2 reported: 23,160,000 units (disputed)",
    ]
    # In the table, each figure links to the highlight of every statement behind it.
    row = browser.find_element(By.CSS_SELECTOR, "tr.reported.disputed")
    links = row.find_elements(By.TAG_NAME, "a")
    assert [a.text for a in links] == [
        "disputed",
        "Global Times, 2017-07-07",
        "Gizbot, 2017-07-08",
        '<img src=x onerror="window.hostile = 1">, 2017-07-09',
    ]
    quotes = [GLOBAL_TIMES_QUOTE, SHIPMENTS_QUOTE, HOSTILE_QUOTE]
    sources = ["globaltimes-2017-07-07-summary", "xiaomi-q2-2017-shipments", "hostile-rumour"]
    assert [a.get_attribute("href") for a in links[1:]] == [
        (site / "sources" / f"{key}.html").as_uri() + f"#f{fact_id(engine, key, quote)}"
        for key, quote in zip(sources, quotes, strict=True)
    ]


def test_the_dispute_shows_both_values_and_quotes(
    browser: "WebDriver", hostile_site: tuple[Path, Engine]
) -> None:
    from selenium.webdriver.common.by import By

    site, _ = hostile_site
    open_page(browser, site, "disputes.html")
    disputes = browser.find_elements(By.CSS_SELECTOR, "section.dispute")
    assert [d.find_element(By.TAG_NAME, "h2").text for d in disputes] == [
        "Xiaomi · Smartphone shipments smartphone_shipments · 2017-Q2 · Global"
    ]
    statements = disputes[0].find_elements(By.CSS_SELECTOR, ".statement")
    assert [
        (
            s.find_element(By.CLASS_NAME, "card-value").text,
            s.find_element(By.TAG_NAME, "blockquote").text,
        )
        for s in statements
    ] == [
        ("21,000,000 units", HOSTILE_QUOTE),
        ("23,160,000 units", GLOBAL_TIMES_QUOTE),
        ("23,160,000 units", SHIPMENTS_QUOTE),
    ]


def test_the_search_box_finds_redmi_note_4(
    browser: "WebDriver", hostile_site: tuple[Path, Engine]
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    site, engine = hostile_site
    with engine.connect() as connection:
        quotes = connection.execute(
            text("select quote from fact_provenance where quote like '%Redmi Note 4%'")
        ).scalars()
        expected = sorted(set(quotes))
    open_page(browser, site, "index.html")
    browser.find_element(By.ID, "search").send_keys("redmi note 4")
    results = browser.find_element(By.ID, "search-results")
    WebDriverWait(browser, 10).until(lambda _: results.is_displayed())
    found = [li.find_element(By.TAG_NAME, "a") for li in results.find_elements(By.TAG_NAME, "li")]
    assert sorted({a.text for a in found}) == expected
    assert len(expected) == 2
    found[0].click()
    assert browser.current_url.startswith((site / "sources").as_uri())


def test_a_hostile_seed_renders_as_text(
    browser: "WebDriver", hostile_site: tuple[Path, Engine]
) -> None:
    from selenium.webdriver.common.by import By

    site, engine = hostile_site
    fact = fact_id(engine, "hostile-rumour", HOSTILE_QUOTE)
    for page in ("index.html", "disputes.html", "sources/hostile-rumour.html"):
        open_page(browser, site, page)
        assert browser.execute_script("return window.hostile === undefined"), page
    assert browser.find_element(By.TAG_NAME, "h1").text == HOSTILE_TITLE
    assert highlight(browser, fact) == HOSTILE_QUOTE
    assert browser.title == f"{HOSTILE_TITLE} · mart"
    links = [a.get_attribute("href") or "" for a in browser.find_elements(By.TAG_NAME, "a")]
    assert [h for h in links if h.startswith("javascript")] == []
    open_page(browser, site, "index.html")
    browser.find_element(By.ID, "search").send_keys("rumour said")
    results = browser.find_element(By.ID, "search-results")
    assert [a.text for a in results.find_elements(By.TAG_NAME, "a")] == [HOSTILE_QUOTE]
    assert browser.execute_script("return window.hostile === undefined")
