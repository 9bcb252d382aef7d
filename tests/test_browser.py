"""The page in a real browser: Debian's Chromium driven by Playwright against `python app.py`.

Screenshots go to artifacts/screenshots/ (git-ignored). Without Chromium the test fails under CI
(``CI`` or ``REQUIRE_BROWSER`` set, as `make test` does) and is skipped, saying why, elsewhere.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
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
    with _opened(browser, server) as p:
        yield p


@contextmanager
def _opened(browser, url: str):  # type: ignore[no-untyped-def]
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
    p.goto(url)
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


# ---------------------------------------------------------------- 文件库

ADMIN_TOKEN = "browser-admin-token-42"
# Markup in a received text (none of the punctuation the loader makes full-width): shown as text, never run.
HOSTILE = "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>"
NEW_LAW = f"""青岛市知识产权质押融资促进办法

2024年3月1日 青岛市人民代表大会常务委员会第十次会议通过

第一条 为了促进知识产权质押融资{HOSTILE}，根据《中华人民共和国科学技术进步法》，制定本办法。

第二条 市人民政府设立知识产权质押融资风险补偿资金，对合作银行发放的知识产权质押贷款本金损失给予补偿。

第三条 本办法自2024年5月1日起施行。
"""
NEW_ID = "qd-zscqzyrzcjbf-20240301"


def test_library_tab_lists_the_documents_and_opens_one(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="文件库").click()
    rows = page.locator("#library-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 12
    law = page.locator("#library-table tr[data-row='sd-cjkjcgzhtl-20171201']")
    cells = [c.inner_text() for c in law.locator("td").all()]
    assert cells[:5] == ["山东省促进科技成果转化条例", "—", "省", "山东省", "地方性法规"]
    assert "现行有效" in cells[5] and "自2018年1月1日起" in cells[5]
    assert "实施《中华人民共和国促进科技成果转化法》" in cells[6].replace(" ", "")
    policy = page.locator("#library-table tr[data-row='sd-2023-155'] td").nth(1)
    assert policy.inner_text() == "鲁政办字〔2023〕155号"
    # Read-only: the app was started without an admin token.
    assert (
        page.locator("#library-readonly").is_visible() and page.locator("#library-file, #library-upload").count() == 0
    )

    # A title opens the document: metadata, history, clauses; a relation opens the other document.
    law.locator("a[data-doc]").first.click()
    detail = page.locator("#library-detail")
    detail.get_by_text("sd-cjkjcgzhtl-20171201", exact=True).wait_for()
    assert "山东省人民代表大会常务委员会" in detail.inner_text() and "2017年12月1日修订" in detail.inner_text()
    clauses = page.locator("#library-clauses [data-clause]")
    assert clauses.count() == 45
    _shot(page, "library")
    detail.locator("a[data-doc='cn-cjkjcgzhf-20150829']").click()
    detail.get_by_text("cn-cjkjcgzhf-20150829", exact=True).wait_for()
    assert page.locator("#library-clauses [data-clause]").count() == 52
    # A clause opens in 条款查询.
    page.locator("#library-clauses [data-clause='cn-cjkjcgzhf-20150829#45']").click()
    page.wait_for_selector("#clause-header >> text=cn-cjkjcgzhf-20150829#45")
    assert "按照下列标准" in page.input_value("#clause-text textarea")


@pytest.fixture(scope="module")
def admin_server(chromium: str, built_cache: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """`python app.py` with an admin token, over copies of the corpus and of the built cache."""
    from web.process import running_app

    folder = tmp_path_factory.mktemp("admin-app")
    shutil.copytree(PROJECT_ROOT / "corpus", folder / "corpus")
    shutil.copytree(built_cache, folder / "cache")
    env = {
        "POLICY_ASSISTANT_CORPUS_DIR": str(folder / "corpus"),
        "POLICY_ASSISTANT_CACHE_DIR": str(folder / "cache"),
        "POLICY_ASSISTANT_ADMIN_TOKEN": ADMIN_TOKEN,
    }
    with running_app(env) as url:
        yield url, folder / "corpus"


def test_library_upload_refuses_other_types_large_files_and_a_duplicate(  # type: ignore[no-untyped-def]
    browser, admin_server, tmp_path: Path
) -> None:
    url, corpus = admin_server
    before = sorted((corpus / "documents").iterdir())
    other = tmp_path / "名单.csv"
    other.write_text("企业,金额\n甲,1\n", encoding="utf-8")
    large = tmp_path / "大文件.txt"
    large.write_bytes("第一条 ".encode() * (5 * 2**20 // 10 + 1))
    empty = tmp_path / "空白.txt"
    empty.write_bytes(b"")
    again = tmp_path / "山东省促进科技成果转化条例.txt"
    shutil.copy(PROJECT_ROOT / "corpus" / "documents" / "sd-cjkjcgzhtl-20171201.txt", again)
    with _opened(browser, url) as page:
        page.get_by_role("tab", name="文件库").click()
        page.locator("#library-table tbody tr").nth(11).wait_for()
        page.click("#library-upload")
        page.fill("#library-token input", ADMIN_TOKEN)
        preview = page.locator("#library-preview")
        # Another type, or over the limit: refused by the upload itself, with a message; nothing to preview.
        for path, words in ((other, "Invalid file type"), (large, "exceed the maximum allowed size")):
            page.set_input_files("#library-file input[type=file]", str(path))
            page.locator(".toast-body", has_text=words).wait_for()
            page.click("#library-preview-btn")
            preview.get_by_text("请先选择要上传的文件（支持 .txt", exact=False).wait_for()
            assert "不超过 5 MB" in preview.inner_text() and page.locator("#library-add-btn").is_hidden()
        # Files the upload takes, which the library refuses: said why, in Chinese; nothing written.
        for path, words in ((empty, "文件是空的"), (again, "文库中已有《山东省促进科技成果转化条例》")):
            clear = page.locator("#library-file .icon-button-wrapper button")  # 清除 (the page is in Chinese)
            if clear.count():  # a file taken: cleared to choose another
                clear.first.click()
            page.set_input_files("#library-file input[type=file]", str(path))
            page.locator("#library-file", has_text=path.name).wait_for()  # uploaded: else the preview races it
            _settle(page)
            page.click("#library-preview-btn")
            preview.get_by_text(words, exact=False).wait_for()
            assert page.locator("#library-add-btn").is_hidden()
        assert page.locator("#library-table tbody tr").count() == 12
    assert sorted((corpus / "documents").iterdir()) == before


def test_library_upload_previews_then_adds_a_law(browser, admin_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, corpus = admin_server
    repository = sorted((PROJECT_ROOT / "corpus" / "documents").iterdir())
    law = tmp_path / "青岛市知识产权质押融资促进办法.txt"
    law.write_text(NEW_LAW, encoding="utf-8")
    with _opened(browser, url) as page:
        page.get_by_role("tab", name="文件库").click()
        page.locator("#library-table tbody tr").nth(11).wait_for()
        page.click("#library-upload")
        page.set_input_files("#library-file input[type=file]", str(law))
        page.locator("#library-file", has_text=law.name).wait_for()  # uploaded: its change event clears a preview
        _settle(page)
        # A wrong token previews nothing.
        page.fill("#library-token input", "not-the-token-0000")
        page.click("#library-preview-btn")
        page.locator("#library-preview").get_by_text("管理令牌不正确", exact=False).wait_for()
        assert page.locator("#library-add-btn").is_hidden()

        page.fill("#library-token input", ADMIN_TOKEN)
        page.click("#library-preview-btn")
        preview = page.locator("#library-preview")
        preview.get_by_text("预览：尚未写入文件库", exact=False).wait_for()
        text = preview.inner_text()
        assert NEW_ID in text and "山东省青岛市" in text and "地方性法规" in text
        assert "【待确认】实施《中华人民共和国科学技术进步法》（从文中读出）" in text
        assert [r.inner_text().split("\t")[0] for r in preview.locator(".pa-clauses tr").all()[1:4]] == [
            f"{NEW_ID}#{n}" for n in (1, 2, 3)
        ]
        assert HOSTILE in text  # the text as text
        assert page.evaluate("window.__xss") is None and preview.locator("img[src='x'], script").count() == 0
        assert not (corpus / "documents" / f"{NEW_ID}.toml").exists()  # a preview writes nothing
        _shot(page, "library-preview")

        page.click("#library-add-btn")
        preview.get_by_text("已添加到文件库", exact=False).wait_for()
        _settle(page)
        assert page.locator("#library-table tbody tr").count() == 13
        page.locator("#library-detail").get_by_text(NEW_ID, exact=True).wait_for()  # the new one is shown
        assert (corpus / "documents" / f"{NEW_ID}.toml").exists()
        page.locator(f"#library-clauses [data-clause='{NEW_ID}#2']").click()
        page.wait_for_selector(f"#clause-header >> text={NEW_ID}#2")

        # A page opened now names it in its header and offers it in 条款查询's list of documents.
        with _opened(browser, url) as later:
            later.locator("#header").get_by_text("青岛市知识产权质押融资促进办法", exact=False).wait_for()
            later.get_by_role("tab", name="条款查询").click()
            later.click("#filter-doc input")
            later.get_by_role("option", name="青岛市知识产权质押融资促进办法", exact=False).wait_for()

        # Answered from at once.
        page.get_by_role("tab", name="智能问答").click()
        page.fill("#question textarea", "青岛知识产权质押贷款本金损失的补偿怎么规定？")
        page.click("#send")
        answer = page.locator("#chatbot [data-testid='bot']").last
        answer.get_by_text("知识产权质押融资风险补偿资金", exact=False).first.wait_for()
        assert "《青岛市知识产权质押融资促进办法》第二条" in answer.inner_text()
    assert sorted((PROJECT_ROOT / "corpus" / "documents").iterdir()) == repository  # the repository's corpus untouched
