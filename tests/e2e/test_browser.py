"""``sayso serve`` used as a person would, in Debian's headless Chromium.

Paste an article and read the highlights, open a statement and a claim, go from the claims
list to a claim page and back to the sentence in its article, upload a file, and make sure
an article full of scripts and event handlers shows as text and runs nothing.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from conftest import Tab

pytestmark = pytest.mark.e2e

# The marked-up article text of the article view.
TEXT = "#article"

# Invented people and places. Three voices on one event (asserts, denies, cannot confirm),
# a quote, and a closing paragraph of the writer's own opinion with loaded language.
ARTICLE = """\
The interior minister of Corvia, Lenka Marsh, said on Tuesday that saboteurs from \
neighbouring Ostrand had blown up the Peltra railway bridge. "We have clear evidence that \
the explosives came across the border," she told reporters in the capital, Sarnow.

Ostrand's foreign ministry denied that its agents had any role in the blast. Its spokesman, \
Pavel Dorin, said the charge was a reckless lie meant to distract from Corvia's own failures.

The regional monitoring mission could not confirm who was responsible for the explosion. \
Its chief, Amara Quist, said investigators had not yet reached the site.

This is a shameful and cowardly attack on ordinary travellers. Both governments should stop \
playing games with the lives of their citizens and let the investigators work.
"""

# Every way an HTML article could try to run script in the page that shows it. Each payload
# sets window.__sayso_pwned and opens a dialog if it ever runs. Real tags are stripped when
# the HTML is read; the escaped ones (&lt;script&gt;) become article text the page must show
# as text, in the text itself and in the statement and claim panels built from it.
HOSTILE = """\
<html><head><title>Convoy &lt;script&gt;alert('title')&lt;/script&gt; reaches border</title>
<script>window.__sayso_pwned = 'head'; alert('head')</script></head>
<body onload="window.__sayso_pwned = 'body'; alert('body')"><article>
<p>Officials in Tarvel said on Monday that the aid convoy had reached the northern border
crossing. <script>window.__sayso_pwned = 'script'; alert('script')</script></p>
<p>A spokesman for the border guard, Ivo Brand, denied that any shells had landed near the
<a href="javascript:window.__sayso_pwned = 'link'; alert('link')">field clinic</a>.
<img src="x" onerror="window.__sayso_pwned = 'img'; alert('img')"></p>
<p>The monitoring mission could not confirm that a leaflet reading
&lt;script&gt;window.__sayso_pwned = "text"; alert("text")&lt;/script&gt; had been dropped
on the town. Its head, Rena Holt, said the leaflet also showed
&lt;img src=x onerror="window.__sayso_pwned = 'text-img'"&gt; in print.</p>
<svg onload="window.__sayso_pwned = 'svg'"></svg>
<iframe srcdoc="<script>parent.__sayso_pwned = 'iframe'</script>"></iframe>
<style>#article { display: none }</style>
<div onmouseover="alert('hover')">Details of the crossing were not released.</div>
</article></body></html>
"""
# Elements and attributes none of which may come from an article.
HOSTILE_DOM = (
    f"{TEXT} script, {TEXT} img, {TEXT} svg, {TEXT} iframe, {TEXT} style, iframe, "
    "[onerror], [onload], [onmouseover], a[href^='javascript:' i]"
)

UPLOAD = """\
General Tomas Ferrow said on Friday that the garrison at Lindcastle had held its positions. \
The defence ministry of Harvany denied that any soldiers had surrendered.
"""


def analyse(tab: Tab, text: str, published: str = "2026-05-12") -> Any:
    """Paste ``text`` into the analyse form and submit it; the response of the result page."""
    tab.goto("/")
    tab.page.fill("#article-text", text)
    tab.page.fill("#article-published", published)
    with tab.page.expect_navigation() as nav:
        tab.page.click("#analyse-button")
    tab.page.wait_for_selector(TEXT)
    return nav.value


def marks(tab: Tab, stance: str) -> Any:
    """The statement marks in the text drawn with ``stance``."""
    return tab.page.locator(f"{TEXT} .stance-{stance}")


def no_errors(tab: Tab) -> None:
    assert tab.errors == [], "script errors in the page:\n" + "\n".join(tab.errors)
    assert tab.dialogs == [], f"dialogs opened: {tab.dialogs}"


def test_pasted_article_shows_stances_opinion_and_rhetoric(tab: Tab) -> None:
    response = analyse(tab, ARTICLE)
    assert response.ok
    text = tab.page.inner_text(TEXT)
    assert "Pavel Dorin" in text and "Peltra railway bridge" in text
    # Who asserts, who denies, who cannot confirm: each drawn in its own stance class.
    for stance in ("asserts", "denies", "cannot_confirm"):
        assert marks(tab, stance).count() > 0, f"no {stance} mark in the text"
    assert "Pavel Dorin" in " ".join(marks(tab, "denies").all_inner_texts())
    # The writer's own opinion is shaded; its loaded language is underlined and says why.
    shaded = tab.page.locator(f"{TEXT} .op-sent, {TEXT} .op-para").first
    assert "cowardly" in shaded.inner_text()
    background = shaded.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    rhetoric = tab.page.locator(f"{TEXT} .rhet", has_text="cowardly").first
    decoration = rhetoric.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert "underline" in decoration
    rhetoric.hover()
    assert "Loaded" in (rhetoric.get_attribute("title") or "")
    tab.shot("analyse")
    no_errors(tab)


def test_clicking_a_statement_and_a_claim_opens_their_panels(tab: Tab) -> None:
    analyse(tab, ARTICLE)
    tab.page.locator(f"{TEXT} .stance-denies", has_text="Pavel Dorin").last.click()
    panel = tab.page.locator("#statement-panel")
    panel.wait_for(state="visible")
    said = panel.inner_text()
    assert "Pavel Dorin" in said and "spokesman" in said.lower()
    assert "denies" in said and "reckless lie" in said
    assert panel.locator("dt", has_text="Claim").count() == 1

    tab.page.locator("#claims", has_text="Peltra railway bridge").locator(
        "text=Peltra railway bridge"
    ).first.click()
    claim = tab.page.locator("#claim-panel")
    claim.wait_for(state="visible")
    holders = claim.inner_text()
    assert "Lenka Marsh" in holders and "monitoring mission" in holders
    assert "asserts" in holders and re.search(r"cannot.confirm", holders)
    # Side by side: the holders' boxes share a row.
    tops = [
        box["y"]
        for box in claim.locator("ol.holders > li").evaluate_all(
            "items => items.map(li => li.getBoundingClientRect().toJSON())"
        )
    ]
    assert len(tops) >= 2 and len(set(tops)) < len(tops), tops
    no_errors(tab)


def test_claims_list_to_claim_page_and_back_to_the_sentence(tab: Tab) -> None:
    tab.goto("/claims")
    table = tab.page.locator("table#claims-table")
    assert table.locator("a.claim-link").count() > 3
    tab.shot("claims")

    # Filter to contested claims about the dam, as the filter form does.
    everything = table.locator("tbody tr").count()
    tab.page.fill("#claim-filters [name=q]", "dam")
    tab.page.select_option("#claim-filters [name=contested]", "yes")
    with tab.page.expect_navigation():
        tab.page.locator("#claim-filters [type=submit]").click()
    assert "q=dam" in tab.page.url and "contested=yes" in tab.page.url
    listed = table.locator("a.claim-link")
    assert 0 < listed.count() < everything
    assert table.locator("tbody tr .contested").count() == listed.count()

    chosen = listed.first.inner_text().strip().rstrip("…")
    with tab.page.expect_navigation():
        listed.first.click()
    claim_path = urlsplit(tab.page.url).path
    assert re.fullmatch(r"/claims/[^/?#]+", claim_path)
    assert tab.page.inner_text("h1#claim-text").startswith(chosen)
    assert tab.page.locator("table#stance-matrix a.stance-cell").count() > 0
    chart = tab.page.locator("img#timeline-chart")
    chart.scroll_into_view_if_needed()
    # A loaded image has a natural width; a broken one (404, blocked by the CSP) has 0.
    tab.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    assert tab.page.locator("section#credibility").is_visible()
    tab.page.evaluate("window.scrollTo(0, 0)")
    tab.shot("claim")

    cell = tab.page.locator("table#stance-matrix a.stance-cell").first
    href = cell.get_attribute("href") or ""
    assert re.fullmatch(r"/articles/[^/#]+#[\w-]+", urlsplit(href).path + "#" + href.split("#")[-1])
    with tab.page.expect_navigation():
        cell.click()
    anchor = unquote(urlsplit(tab.page.url).fragment)
    assert urlsplit(tab.page.url).path == urlsplit(href).path and anchor
    target = tab.page.locator(f"[id='{anchor}']")
    assert target.count() == 1, f"no element with id {anchor!r} on the article page"
    assert target.evaluate("el => el.matches(':target')")
    assert target.evaluate(f"el => !!el.closest('{TEXT}')"), "the target is not in the text"
    assert target.inner_text().strip()
    tab.shot("article")
    # And from the article back to the corpus claim its sentence belongs to.
    # (Several of the article's own claims may belong to the same corpus claim.)
    assert tab.page.locator(f"a.corpus-claim-link[href='{claim_path}']").count() >= 1
    no_errors(tab)


def test_sources_list_to_one_source(tab: Tab) -> None:
    tab.goto("/sources")
    links = tab.page.locator("table#sources-table a.source-link")
    assert links.count() > 3
    name = links.first.inner_text().strip()
    with tab.page.expect_navigation():
        links.first.click()
    assert "/sources/" in tab.page.url
    rows = tab.page.locator("table#source-statements tbody tr")
    assert rows.count() > 0
    assert name.split()[0].lower() in tab.page.inner_text("body").lower()
    tab.shot("source")
    no_errors(tab)


def test_uploaded_file_is_analysed(tab: Tab, tmp_path: Any) -> None:
    upload = tmp_path / "garrison.txt"
    upload.write_text(UPLOAD, encoding="utf-8")
    tab.goto("/")
    tab.page.set_input_files("#article-file", str(upload))
    with tab.page.expect_navigation() as nav:
        tab.page.click("#analyse-button")
    assert nav.value.ok
    tab.page.wait_for_selector(TEXT)
    assert "Lindcastle" in tab.page.inner_text(TEXT)
    assert marks(tab, "denies").count() > 0
    no_errors(tab)


@pytest.mark.parametrize("how", ["paste", "upload"])
def test_hostile_article_is_shown_as_text_and_runs_nothing(
    tab: Tab, how: str, tmp_path: Any
) -> None:
    if how == "paste":
        response = analyse(tab, HOSTILE)
    else:
        upload = tmp_path / "hostile.html"
        upload.write_text(HOSTILE, encoding="utf-8")
        tab.goto("/")
        tab.page.set_input_files("#article-file", str(upload))
        with tab.page.expect_navigation() as nav:
            tab.page.click("#analyse-button")
        response = nav.value
    assert response.ok
    csp = response.headers.get("content-security-policy", "")
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    assert script_src, f"no script-src in the Content-Security-Policy header: {csp!r}"
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src

    page = tab.page
    text = page.locator(TEXT)
    assert text.is_visible(), "the article's <style> reached the page"
    shown = text.inner_text()
    assert "Ivo Brand" in shown and "field clinic" in shown
    assert '<script>window.__sayso_pwned = "text"; alert("text")</script>' in shown
    assert "<script>alert('title')</script>" in page.inner_text("h1")
    assert page.locator(HOSTILE_DOM).count() == 0
    # Hover and click every highlight and claim: the panels copy article text too.
    for mark in page.locator(f"{TEXT} [class*='stance-']").all():
        mark.hover()
        mark.click()
    page.locator(f"{TEXT} .stance-cannot_confirm", has_text="leaflet").last.click()
    panel = page.locator("#statement-panel")
    assert panel.is_visible()
    assert '<script>window.__sayso_pwned = "text"' in panel.inner_text()
    for claim in page.locator("#claims details.claim > summary").all():
        claim.click()
    page.wait_for_timeout(200)
    assert page.locator(HOSTILE_DOM).count() == 0
    assert page.evaluate("typeof window.__sayso_pwned") == "undefined"
    assert tab.dialogs == [], f"the article opened dialogs: {tab.dialogs}"
    # Blocked inline script would be reported on the console; nothing may even try.
    assert tab.errors == [], "\n".join(tab.errors)


def test_javascript_url_is_refused_with_a_message(tab: Tab) -> None:
    tab.goto("/")
    tab.page.fill("#article-url", "javascript:alert(document.domain)")
    with tab.page.expect_navigation() as nav:
        tab.page.click("#analyse-button")
    assert 400 <= nav.value.status < 500
    assert "javascript" in tab.page.inner_text("body").lower()
    assert tab.dialogs == []
