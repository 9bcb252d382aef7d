"""The Gradio page: 智能问答, 条款查询, 补贴测算, 政策匹配 and 文件库 tabs over one shared ``PolicyService``."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant import InputError, PolicyAssistantError
from assistant.understand import MAX_QUESTION_CHARS
from web import render
from web.service import PolicyService
from web.ui_api import PAGE_ONLY, add_api
from web.ui_calc import build_calc_tab
from web.ui_library import build_library_tab
from web.ui_lookup import LookupTab, build_lookup_tab
from web.ui_match import build_match_tab

TITLE = "科技金融政策问答助手"
EXAMPLES = (
    "鲁科贷实际支付利息80万元，能贴息多少？",
    "“鲁科担”担保金额1000万元，保费补贴最多多少？",
    "首年度购买鲁科保，保费60万元，省财政能补贴多少？",
    "内蒙古科技创新专板优选层挂牌有什么奖补？",
    "创投机构落户山东的奖励由哪个部门牵头？",
    "山东这份文件的有效期到什么时候？",
    "鲁科贷能贴息多少？",
)
# System fonts only: the page must not fetch any font from a CDN.
THEME = gr.themes.Default(
    font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "system-ui", "sans-serif"],
    font_mono=["ui-monospace", "Consolas", "monospace"],
)
CSS = """
.pa-results { display: flex; flex-direction: column; gap: 8px; }
.pa-hit { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; }
.pa-hit-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.pa-rank { background: var(--color-accent-soft); border-radius: 4px; padding: 0 6px; font-size: 0.85em; }
.pa-cid, .pa-score { color: var(--body-text-color-subdued); font-size: 0.85em; }
.pa-hit-text { margin-top: 4px; line-height: 1.7; }
.pa-hit mark { background: #fde68a; padding: 0 1px; border-radius: 2px; }
.pa-clause h3 { margin: 0 0 8px; font-size: 1.05em; }
.pa-clause th { white-space: nowrap; text-align: left; padding-right: 12px; vertical-align: top; }
.pa-empty { color: var(--body-text-color-subdued); padding: 8px 0; }
.pa-outline ul { margin: 0 0 8px 1.2em; }
.pa-link { cursor: pointer; }
.pa-link:hover { color: var(--color-accent); text-decoration: underline; }
.pa-hit[data-clause] { cursor: pointer; }
.pa-hit[data-clause]:hover { border-color: var(--color-accent); background: var(--background-fill-secondary); }
.pa-hint { color: var(--body-text-color-subdued); font-size: 0.85em; }
#chatbot details summary { cursor: pointer; font-weight: 600; }
.pa-match { display: flex; flex-direction: column; gap: 8px; }
.pa-match-profile { color: var(--body-text-color-subdued); }
.pa-group h4 { margin: 8px 0 4px; padding-bottom: 2px; border-bottom: 2px solid var(--border-color-primary); }
.pa-group-eligible h4 { border-color: #1b7f3b; }
.pa-group-to_confirm h4 { border-color: #b26a00; }
.pa-group-not_eligible h4 { border-color: #a3262a; }
.pa-item { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
.pa-item blockquote { margin: 4px 0; padding: 2px 10px; border-left: 3px solid var(--border-color-accent); }
.pa-item ul { margin: 4px 0 0 1.2em; }
.pa-amount { font-weight: 600; color: var(--color-accent); }
.pa-cite { font-size: 0.9em; display: flex; gap: 8px; flex-wrap: wrap; }
.pa-total { font-size: 1.05em; padding: 8px 0; }
.pa-library table, .pa-doc table { border-collapse: collapse; width: 100%; }
.pa-library th, .pa-library td, .pa-clauses th, .pa-clauses td {
  border-bottom: 1px solid var(--border-color-primary); padding: 4px 8px; text-align: left; vertical-align: top;
}
.pa-library td:nth-child(n+2):nth-child(-n+6) { white-space: nowrap; }
.pa-doc th { white-space: nowrap; text-align: left; padding-right: 12px; vertical-align: top; }
#library-clauses { max-height: 80vh; overflow-y: auto; }
.pa-relations { margin: 0 0 0 1.1em; padding: 0; font-size: 0.92em; }
.pa-status { border-radius: 4px; padding: 0 6px; white-space: nowrap; background: var(--background-fill-secondary); }
.pa-status-in_force { background: #dcfce7; color: #14532d; }
.pa-status-expired, .pa-status-replaced { background: #fee2e2; color: #7f1d1d; }
.pa-status-not_yet_in_force { background: #fef3c7; color: #78350f; }
.pa-since { color: var(--body-text-color-subdued); font-size: 0.85em; }
.pa-mark, .pa-confirm li { color: #b26a00; }
.pa-state { font-weight: 600; margin-bottom: 6px; }
"""
# A click on a citation link in the chat or on a lookup result puts the clause id into the hidden
# #open-clause box; its input event opens the clause in 条款查询 without leaving the page. A document
# named in the 文件库 tab (data-doc) goes the same way into #open-doc, and opens there.
JS = """
() => {
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const doc = target.closest("[data-doc]");
    const docBox = document.querySelector("#open-doc textarea, #open-doc input");
    if (doc && docBox) {  // a document of the 文件库: shown in its tab
      event.preventDefault();
      docBox.value = doc.dataset.doc;
      docBox.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    const link = target.closest("a[href*='?clause=']");
    const card = target.closest(".pa-results [data-clause], .pa-outline [data-clause]");
    const id = link ? new URL(link.href, location.href).searchParams.get("clause") : card?.dataset.clause;
    const box = document.querySelector("#open-clause textarea, #open-clause input");
    if (!id || !box) return;
    event.preventDefault();
    event.stopPropagation();
    box.value = id;
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }, true);
}
"""


def build_ui(service: PolicyService) -> gr.Blocks:
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        header = gr.Markdown(_header(service), elem_id="header")
        open_box = gr.Textbox(visible="hidden", elem_id="open-clause")
        with gr.Tabs(selected="chat", elem_id="tabs") as tabs:
            with gr.Tab("智能问答", id="chat", elem_id="tab-chat"):
                _build_chat_tab(service)
            with gr.Tab("条款查询", id="lookup", elem_id="tab-lookup"):
                lookup = build_lookup_tab(service)
            with gr.Tab("补贴测算", id="calc", elem_id="tab-calc"):
                build_calc_tab(service)
            with gr.Tab("政策匹配", id="match", elem_id="tab-match"):
                build_match_tab(service)
            with gr.Tab("文件库", id="library", elem_id="tab-library"):
                build_library_tab(service, demo, lookup)
        _wire_clause_links(service, demo, tabs, open_box, lookup)
        # A page opened after a document was added names it too: the header and the 条款查询 lists.
        demo.load(lambda: _header(service), None, header, api_visibility=PAGE_ONLY)
        demo.load(lookup.refreshed, None, lookup.choices, api_visibility=PAGE_ONLY)
        add_api(service)
    return demo


def _header(service: PolicyService) -> str:
    docs = "；".join(f"{d.region}{d.cited_as}" for d in service.documents)
    return (
        f"## {TITLE}\n"
        f"依据{render.text_md(docs)}原文作答：引用条款、逐步测算、列明条件。"
        "结果仅供参考，以责任部门解释为准。"
    )


def _build_chat_tab(service: PolicyService) -> None:
    chatbot = gr.Chatbot(
        label="对话",
        elem_id="chatbot",
        height=620,
        sanitize_html=True,
        render_markdown=True,
        latex_delimiters=[],
        feedback_options=None,
        buttons=["copy"],
        placeholder="请在下方输入问题，或点击示例问题。可以连续追问，例如先问“鲁科贷能贴息多少？”再补充“利息是80万元”。",
    )
    with gr.Row():
        question = gr.Textbox(
            show_label=False,
            placeholder=f"请输入问题（{MAX_QUESTION_CHARS}字以内），例如：鲁科贷实际支付利息80万元，能贴息多少？",
            max_length=MAX_QUESTION_CHARS,
            lines=1,
            scale=8,
            elem_id="question",
            autofocus=True,
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="send")
        clear = gr.Button("清空对话", scale=1, min_width=80, elem_id="clear")
    examples = gr.Dataset(
        components=[question],
        samples=[[q] for q in EXAMPLES],
        label="示例问题（点击即问）",
        elem_id="examples",
    )
    conversation = gr.State(None)

    def respond(text: str, history: list[dict[str, Any]], cid: str | None) -> tuple[Any, ...]:
        text = (text or "").strip()
        if not text:
            return gr.skip(), gr.skip(), gr.skip()
        try:
            cid, answer = service.ask(text, cid, restart_expired=True)
        except InputError as err:
            raise gr.Error(str(err)) from None
        except PolicyAssistantError as err:
            raise gr.Error(f"系统出错：{err}") from None
        data = answer.to_dict()
        history = [
            *history,
            {"role": "user", "content": render.question_markdown(text)},
            {"role": "assistant", "content": render.answer_markdown(data)},
        ]
        return history, "", cid

    def ask_example(sample: list[str], history: list[dict[str, Any]], cid: str | None) -> tuple[Any, ...]:
        return respond(sample[0], history, cid)

    def reset(cid: str | None) -> tuple[Any, ...]:
        if cid:
            service.conversations.drop(cid)
        return [], "", None

    outputs = [chatbot, question, conversation]
    question.submit(respond, [question, chatbot, conversation], outputs, api_visibility=PAGE_ONLY)
    send.click(respond, [question, chatbot, conversation], outputs, api_visibility=PAGE_ONLY)
    examples.click(ask_example, [examples, chatbot, conversation], outputs, api_visibility=PAGE_ONLY)
    clear.click(reset, conversation, outputs, api_visibility=PAGE_ONLY)
    # The chat's own trash button forgets the conversation too.
    chatbot.clear(reset, conversation, outputs, api_visibility=PAGE_ONLY)


def _wire_clause_links(
    service: PolicyService, demo: gr.Blocks, tabs: gr.Tabs, open_box: gr.Textbox, lookup: LookupTab
) -> None:
    """A citation or a result clicked (via ``JS`` and ``open_box``), or ``?clause=<id>`` in the address,
    opens the clause in 条款查询."""
    view = [lookup.header, lookup.text]

    def open_clause(clause_id: str | None) -> tuple[Any, ...]:
        if not clause_id or not service.assistant.index.corpus.has_clause(clause_id):
            return gr.skip(), gr.skip(), gr.skip(), ""
        return gr.Tabs(selected="lookup"), *lookup.show(clause_id), ""

    def open_from_url(request: gr.Request) -> tuple[Any, ...]:
        clause_id = request.query_params.get("clause") if request else None
        return open_clause(clause_id)[:3]

    open_box.change(open_clause, open_box, [tabs, *view, open_box], api_visibility=PAGE_ONLY)
    demo.load(open_from_url, None, [tabs, *view], api_visibility=PAGE_ONLY)
