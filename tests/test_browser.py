"""The page in a real browser: Debian's Chromium driven by Playwright against `python app.py`.

Screenshots go to artifacts/screenshots/ (git-ignored). Without Chromium the test fails under CI
(``CI`` or ``REQUIRE_BROWSER`` set, as `make test` does) and is skipped, saying why, elsewhere.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest

from index.settings import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
# Every gradio status tracker is idle (hidden) once the events a click started have finished.
IDLE = """() => [...document.querySelectorAll('[data-testid="status-tracker"]')]
    .every(e => e.classList.contains('hide') || e.offsetParent === null)"""


def _required() -> bool:
    return any(os.environ.get(name, "").lower() not in ("", "0", "false") for name in ("CI", "REQUIRE_BROWSER"))


def _missing(reason: str) -> None:
    if _required():
        pytest.fail(f"browser test cannot run: {reason} (install it: apt-get update && apt-get install -y chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        _missing(f"Chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("the playwright package is not installed")
    return CHROMIUM


@pytest.fixture(scope="module")
def server(chromium: str, live_app: str) -> str:
    """The session's `python app.py` (see conftest), once Chromium is known to be there."""
    return live_app


@pytest.fixture(scope="module")
def browser(chromium: str):  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server: str):  # type: ignore[no-untyped-def]
    """A fresh page on the app; requests to any other host are blocked and must not happen."""
    outside: list[str] = []
    dialogs: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")

    def route(r) -> None:  # type: ignore[no-untyped-def]
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.set_default_timeout(30_000)
    p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    p.goto(server)
    p.wait_for_selector("#question textarea")
    yield p
    context.close()
    assert outside == [], f"the page reached outside: {outside}"
    assert dialogs == [], f"a script ran: {dialogs}"


def _settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(IDLE)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _settle(page)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_chat_answers_a_calculation_with_amount_and_quote(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#question textarea", "鲁科贷实际支付利息80万元，能贴息多少？")
    page.click("#send")
    answer = page.locator("#chatbot [data-testid='bot']").last
    answer.get_by_text("32万元", exact=False).first.wait_for()
    text = answer.inner_text()
    assert "最高可获 32万元" in text
    quote = answer.locator("blockquote")
    assert "按实际支付利息的40%给予一次性贴息支持" in quote.inner_text()
    assert "第（一）条" in text  # the quote's label
    steps = answer.locator("details", has_text="测算过程")
    assert steps.get_attribute("open") is not None
    assert "80万元 × 40% = 32万元" in steps.inner_text()
    assert "条件核对" in answer.locator("details").nth(1).inner_text()
    _shot(page, "chat")

    # The citation opens the clause in 条款查询, in the same page.
    answer.locator("a[href*='clause=']").first.click()
    page.wait_for_selector("#clause-header >> text=sd-2023-155#1")
    assert "按实际支付利息的40%" in page.input_value("#clause-text textarea")
    assert len(page.context.pages) == 1


def test_chat_follow_up_example_and_clear(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("#examples").get_by_text("鲁科贷能贴息多少？", exact=True).click()
    page.locator("#chatbot").get_by_text("还需要", exact=False).first.wait_for()
    page.fill("#question textarea", "利息是80万元")
    page.press("#question textarea", "Enter")
    page.locator("#chatbot [data-testid='bot']").nth(1).get_by_text("32万元", exact=False).first.wait_for()
    page.click("#clear")
    page.wait_for_function("() => !document.querySelector('#chatbot [data-testid=\"bot\"]')")


def test_html_in_a_question_is_shown_as_text(page) -> None:  # type: ignore[no-untyped-def]
    question = '<img src=x onerror="window.__xss=1;alert(1)"><script>alert(2)</script>鲁科贷能贴息多少？'
    page.fill("#question textarea", question)
    page.click("#send")
    page.locator("#chatbot").get_by_text("还需要", exact=False).first.wait_for()
    assert question in page.locator("#chatbot [data-testid='user']").last.inner_text()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#chatbot img[src='x'], #chatbot script").count() == 0


def test_clause_lookup_by_words_and_by_number(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="条款查询").click()
    page.fill("#lookup-query textarea", "鲁科担")
    page.click("#lookup-search")
    first = page.locator("#lookup-results .pa-hit").first
    first.locator("mark").first.wait_for()
    assert first.get_attribute("data-clause") == "sd-2023-155#3"
    assert first.locator("mark").first.inner_text() == "鲁科担"
    page.wait_for_selector("#clause-header >> text=sd-2023-155#3")
    assert "创设“鲁科担”品牌服务体系" in page.input_value("#clause-text textarea")
    assert page.locator("#clause-text button[aria-label*='opy'], #clause-text button[title*='opy']").count() >= 1
    _shot(page, "lookup")

    # Another result opens on click; a clause number finds its clause directly.
    page.locator(".pa-hit[data-clause='sd-2023-155#15']").click()
    page.wait_for_selector("#clause-header >> text=sd-2023-155#15")
    page.fill("#lookup-query textarea", "第三条")
    page.click("#lookup-search")
    page.wait_for_selector("#lookup-results >> text=编号匹配")
    exact = page.locator("#lookup-results .pa-hit", has_text="编号匹配")
    assert exact.count() == 2


def test_calculator_form(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="补贴测算").click()
    form = page.locator("#form-sd-lukedai-interest")
    assert "所选贷款实际支付利息（元）" in form.inner_text()
    page.fill("#in-sd-lukedai-interest-interest input", "800000")
    page.locator("#in-sd-lukedai-interest-tech_sme").get_by_label("是", exact=True).check()
    page.click("#calc-btn-sd-lukedai-interest")
    result = page.locator("#calc-result-sd-lukedai-interest")
    result.get_by_text("32万元", exact=False).first.wait_for()
    text = result.inner_text()
    assert "最高可获 32万元" in text
    assert "80万元 × 40% = 32万元" in text
    assert "【已满足】科技型中小企业" in text and "【待确认】按时还本付息" in text
    assert "按实际支付利息的40%给予一次性贴息支持" in result.locator("blockquote").inner_text()
    _shot(page, "calculator")

    # Another rule's form, chosen from the list; a bad input is explained, not crashed on.
    page.click("#calc-rule input")
    page.get_by_role("option").filter(has_text="贷款本金损失风险分担").click()
    page.locator("#form-sd-lukedai-loss").wait_for()
    page.fill("#in-sd-lukedai-loss-loss input", "1000000")
    page.locator("#party-sd-lukedai-loss").get_by_label("市财政", exact=True).check()
    page.click("#calc-btn-sd-lukedai-loss")
    page.locator("#calc-result-sd-lukedai-loss").get_by_text("市财政承担 35万元", exact=False).wait_for()
    page.fill("#on-sd-lukedai-loss input, #on-sd-lukedai-loss textarea", "明天")
    page.click("#calc-btn-sd-lukedai-loss")
    page.locator("#calc-result-sd-lukedai-loss").get_by_text("格式不正确", exact=False).wait_for()


def test_policy_matching_tab(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="政策匹配").click()
    # The amount fields follow the subject: 鲁科贷 interest for a 科技型中小企业 (the first subject), not a VC's.
    page.locator("#match-in-interest").wait_for()
    assert page.locator("#match-in-invested").is_hidden()
    page.click("#match-region input")
    page.get_by_role("option", name="山东省", exact=True).click()
    page.fill("#match-on input, #match-on textarea", "2025-06-30")
    hostile = '<img src=x onerror="window.__xss=1;alert(1)"><script>alert(2)</script>'
    facts = "我们是科技型中小企业，科技成果转化贷款，按时还本付息，首次申请贴息"
    page.fill("#match-description textarea", hostile + facts)
    page.fill("#match-in-interest input", "800000")
    page.click("#match-btn")
    result = page.locator("#match-result")
    result.get_by_text("最高 32万元", exact=False).first.wait_for()
    groups = [h.inner_text() for h in result.locator(".pa-group h4").all()]
    assert groups[0] == "符合条件（1项）" and groups[-1].startswith("相关支持（金额文件未明确）")
    eligible = result.locator(".pa-group-eligible .pa-item")
    assert "“鲁科贷”一次性贴息" in eligible.inner_text() and "最高 32万元" in eligible.inner_text()
    assert "按实际支付利息的40%给予一次性贴息支持" in eligible.locator("blockquote").inner_text()
    assert "第（一）条" in eligible.locator(".pa-cite").inner_text()
    assert "合计（符合条件各项）：32万元" in result.locator(".pa-total").inner_text()
    # The profile as filled in: the description as typed, as text; the amount left alone is no fact.
    profile = result.locator(".pa-match-profile").inner_text()
    assert hostile in profile and "所选贷款实际支付利息：80万元" in profile
    assert "当年实际支出保费" not in profile
    assert page.evaluate("window.__xss") is None
    assert result.locator("img[src='x'], script").count() == 0
    _shot(page, "match")

    # The printable page downloads, self-contained.
    with page.expect_download() as info:
        page.click("#match-download")
    download = info.value
    assert download.suggested_filename.endswith(".html")
    with open(download.path(), encoding="utf-8") as f:
        printable = f.read()
    assert "最高 32万元" in printable and "&lt;script&gt;" in printable and "<script" not in printable

    # The citation opens the clause in 条款查询.
    eligible.locator(".pa-cite a").click()
    page.wait_for_selector("#clause-header >> text=sd-2023-155#1")

    # Another subject asks for its own amounts; a bad date is explained, not crashed on.
    page.get_by_role("tab", name="政策匹配").click()
    page.click("#match-subject input")
    page.get_by_role("option", name="创业投资机构", exact=True).click()
    page.locator("#match-in-invested").wait_for()
    assert page.locator("#match-in-interest").is_hidden()
    page.fill("#match-on input, #match-on textarea", "明天")
    page.click("#match-btn")
    result.get_by_text("2025-06-30 这样的日期", exact=False).wait_for()
