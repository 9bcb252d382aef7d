"""The library eval cases, written from the texts' topics as users ask them, split ~50/50 (seeded).

    python -m evals.library.cases [--corpus DIR]

writes ``evals/cases/dev/library.jsonl`` and ``evals/cases/test/library.jsonl`` after checking, against the
corpus (which holds the library), that every expected clause exists, that each case's key word is in its
first expected clause, and that every must-contain string is in one of them.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from index.corpus import load_corpus

HERE = Path(__file__).resolve().parent.parent
SEED = 13
CJ, KX, ZX = "cn-cjkjcgzhf-20150829", "cn-kxjsjbf-20211224", "cn-zxqycjf-20170901"
DB, SDCJ, SDJR = "cn-rzdbgsjdgltl-20170802", "sd-cjkjcgzhtl-20171201", "sd-dfjrtl-20160330"
QDKJ, QDJR, SH, ZJ = "qd-kjcxcjtl-20110729", "qd-jrfzcjtl-20120927", "sh-tjkjcxzxjstl-20200120", "zj-cjkjcgzhtl-20210929"

# (id, question, expected clauses, kind, key word in the first clause, must contain, all expected must be cited)
CASES: list[tuple[str, str, list[str], str, str, list[str], bool]] = [
    # Rewards for transferring job-related results: the same topic in four jurisdictions.
    ("lib-sd-reward-transfer", "山东的高校把职务科技成果转让出去，给完成人的奖励最少要提多少？", [f"{SDCJ}#34"], "lookup", "转让", ["百分之七十"], False),
    ("lib-zj-reward-licence", "浙江省的高校用许可方式转化职务科技成果，奖励不低于净收入的多少？", [f"{ZJ}#37"], "lookup", "许可", ["百分之七十"], False),
    ("lib-cn-reward-default", "单位没规定也没约定奖励的，按国家法律，成果转让后给科研人员的奖励不低于多少？", [f"{CJ}#45"], "lookup", "未规定", ["百分之五十"], False),
    ("lib-qd-reward-transfer", "青岛的科研机构技术转让后，能从净收入里提多少奖励完成人？", [f"{QDKJ}#41"], "lookup", "技术转让", ["百分之三十"], False),
    ("lib-sd-tto-bonus", "山东省高校能从科技成果转让净收入中提多少给技术转移机构做绩效奖励？", [f"{SDCJ}#36"], "lookup", "技术转移机构", ["百分之十"], False),
    ("lib-zj-tto-share", "浙江技术转移机构的工作人员分到的奖励份额最低是多少？", [f"{ZJ}#37"], "lookup", "技术转移机构", ["百分之五"], False),
    ("lib-zj-self-profit", "在浙江，高校自己实施职务科技成果，投产后每年从营业利润里提多少奖励？", [f"{ZJ}#37"], "lookup", "营业利润", ["百分之十"], False),
    ("lib-cn-self-years", "按促进科技成果转化法，自行实施转化成功投产后连续几年提取奖励？", [f"{CJ}#45"], "lookup", "投产后", ["三至五年"], False),
    ("lib-cmp-sd-zj", "山东和浙江对高校转让科技成果的奖励比例有什么不同？", [f"{SDCJ}#34", f"{ZJ}#37"], "lookup", "转让", [], True),
    ("lib-cmp-cn-sd", "职务科技成果转让的奖励比例，国家法律和山东条例分别是怎么规定的？", [f"{CJ}#45", f"{SDCJ}#34"], "lookup", "转让", [], True),
    ("lib-qd-equity-70", "青岛的科研人员用财政资金形成的成果，一年没转化，自己创业能占多少股权？", [f"{QDKJ}#41"], "lookup", "一年内未实施转化", ["百分之七十"], False),
    # 融资担保公司监督管理条例
    ("lib-db-capital", "设立融资担保公司注册资本最低要多少？", [f"{DB}#7"], "lookup", "注册资本", ["2000万元"], False),
    ("lib-db-leverage", "融资担保公司的担保责任余额最多能是净资产的几倍？", [f"{DB}#15"], "lookup", "净资产", ["10倍"], False),
    ("lib-db-leverage-small", "主要给小微企业和三农服务的担保公司，放大倍数上限可以提高到多少？", [f"{DB}#15"], "lookup", "小微企业", ["15倍"], False),
    ("lib-db-single", "融资担保公司对同一个被担保人的担保余额占净资产比例有什么限制？", [f"{DB}#16"], "lookup", "同一被担保人", ["10%"], False),
    ("lib-db-fee", "融资担保费率是怎么确定的？", [f"{DB}#19"], "lookup", "协商确定", [], False),
    ("lib-db-deposit", "融资担保公司可以吸收存款吗？", [f"{DB}#23"], "lookup", "吸收存款", [], False),
    ("lib-db-shareholder", "融资担保公司能不能给自己的控股股东提供融资担保？", [f"{DB}#17"], "lookup", "控股股东", [], False),
    ("lib-db-branch", "融资担保公司跨省设立分支机构需要满足什么条件？", [f"{DB}#10"], "lookup", "分支机构", [], False),
    ("lib-db-art49", "融资担保公司监督管理条例第四十九条", [f"{DB}#49"], "lookup", "施行", ["2017年10月1日"], False),
    ("lib-db-approval", "没经过批准能不能经营融资担保业务？", [f"{DB}#6"], "lookup", "未经监督管理部门批准", [], False),
    # 中小企业促进法
    ("lib-zx-definition", "中小企业是怎么界定的？划型标准由谁来定？", [f"{ZX}#2"], "lookup", "划分标准", [], False),
    ("lib-zx-inclusive", "国有大型商业银行要不要设立普惠金融机构？", [f"{ZX}#17"], "lookup", "普惠金融机构", [], False),
    ("lib-zx-collateral", "中小企业可以用应收账款、知识产权做担保去融资吗？", [f"{ZX}#19"], "lookup", "应收账款", [], False),
    ("lib-zx-arrears", "大企业拖欠我们中小企业的货款，法律上怎么说？", [f"{ZX}#53"], "lookup", "拖欠", [], False),
    ("lib-zx-art17", "中小企业促进法第十七条讲的是什么？", [f"{ZX}#17"], "lookup", "普惠金融", [], False),
    # 促进科技成果转化法
    ("lib-cj-subsidy", "科技成果转化的财政经费能用来贷款贴息吗？", [f"{CJ}#33"], "lookup", "贷款贴息", ["贷款贴息"], False),
    ("lib-cj-bank", "国家鼓励银行怎么支持科技成果转化？", [f"{CJ}#35"], "lookup", "银行业金融机构", [], False),
    ("lib-cj-insurance", "有没有针对科技成果转化的保险？", [f"{CJ}#36"], "lookup", "保险", [], False),
    ("lib-cj-income", "国家设立的研究开发机构转化科技成果的收入归谁？", [f"{CJ}#43"], "lookup", "留归本单位", ["留归本单位"], False),
    ("lib-cj-art16", "促进科技成果转化法第十六条规定了哪些转化方式？", [f"{CJ}#16"], "lookup", "作价投资", [], False),
    ("lib-cj-secret", "职工擅自转让职务科技成果、泄露技术秘密，要承担什么责任？", [f"{CJ}#51"], "lookup", "技术秘密", [], False),
    ("lib-cj-venture", "国家鼓励创业投资机构投资科技成果转化项目吗？", [f"{CJ}#38"], "lookup", "创业投资", [], False),
    # 科学技术进步法
    ("lib-kx-day", "全国科技工作者日是哪一天？", [f"{KX}#18"], "lookup", "科技工作者日", ["5月30日"], False),
    ("lib-kx-ip-pledge", "科学技术进步法对知识产权质押融资有什么规定？", [f"{KX}#92"], "lookup", "知识产权质押", [], False),
    ("lib-kx-sme-fund", "国家有没有基金资助中小企业开展技术创新？", [f"{KX}#89"], "lookup", "中小企业", [], False),
    ("lib-kx-art103", "科学技术进步法第一百零三条讲什么？", [f"{KX}#103"], "lookup", "科技伦理", [], False),
    ("lib-kx-tax", "从事技术开发、技术转让可以享受税收优惠吗？", [f"{KX}#90"], "lookup", "税收优惠", [], False),
    # 山东省促进科技成果转化条例, 山东省地方金融条例
    ("lib-sdcj-art36", "山东省促进科技成果转化条例第三十六条", [f"{SDCJ}#36"], "lookup", "技术转移机构", [], False),
    ("lib-sdcj-funds", "山东县级以上政府对科技成果转化资金投入有什么要求？", [f"{SDCJ}#5"], "lookup", "资金投入", [], False),
    ("lib-sdjr-microloan", "山东的小额贷款公司开展业务要遵循什么原则？", [f"{SDJR}#9"], "lookup", "小额、分散", ["小额、分散"], False),
    ("lib-sdjr-private", "在山东开展民间资本管理业务需要具备哪些条件？", [f"{SDJR}#33"], "lookup", "民间资本管理", [], False),
    ("lib-sdjr-coop", "山东农民专业合作社搞信用互助需要谁批准？", [f"{SDJR}#35"], "lookup", "信用互助", [], False),
    ("lib-sdjr-scope", "山东地方金融条例里的地方金融组织包括哪些？", [f"{SDJR}#2"], "lookup", "小额贷款公司", [], False),
    # 青岛
    ("lib-qdkj-vc-fund", "青岛有没有创业投资引导基金？", [f"{QDKJ}#48"], "lookup", "创业投资引导基金", [], False),
    ("lib-qdkj-sme-fund", "青岛对科技型中小企业有创新资金资助吗？", [f"{QDKJ}#49"], "lookup", "创新资金", [], False),
    ("lib-qdkj-guarantee", "青岛鼓励担保机构怎么为科技型企业做融资担保？", [f"{QDKJ}#26"], "lookup", "担保", [], False),
    ("lib-qdjr-microloan", "青岛对小额贷款公司和融资性担保公司有什么支持？", [f"{QDJR}#10"], "lookup", "小额贷款公司", [], False),
    ("lib-qdjr-guarantee-fund", "青岛有没有中小微企业融资担保专项资金？", [f"{QDJR}#16"], "lookup", "融资担保专项资金", [], False),
    ("lib-qdjr-fund", "青岛设立金融发展专项资金了吗？", [f"{QDJR}#23"], "lookup", "金融发展专项资金", [], False),
    ("lib-qdjr-talent", "青岛在金融人才培养和引进上有什么规定？", [f"{QDJR}#31"], "lookup", "金融人才", [], False),
    ("lib-qdjr-art35", "青岛市金融发展促进条例第三十五条", [f"{QDJR}#35"], "lookup", "施行", ["2012年11月1日"], False),
    # 上海, 浙江
    ("lib-sh-tech-branch", "上海鼓励银行设立科技支行、开展知识产权质押贷款吗？", [f"{SH}#41"], "lookup", "科技支行", [], False),
    ("lib-sh-guarantee-fund", "上海的中小微企业政策性融资担保基金是怎么回事？", [f"{SH}#44"], "lookup", "政策性融资担保基金", [], False),
    ("lib-sh-tolerance", "上海推进科技创新决策没达到预期，会被追责吗？", [f"{SH}#58"], "lookup", "未能实现预期目标", [], False),
    ("lib-sh-zhangjiang", "张江国家自主创新示范区有专项资金吗？", [f"{SH}#31"], "lookup", "专项资金", [], False),
    ("lib-zj-voucher", "浙江的科技创新券可以用来买什么？", [f"{ZJ}#22"], "lookup", "科技创新券", [], False),
    ("lib-zj-report", "浙江的高校每年什么时候前要报科技成果转化年度报告？", [f"{ZJ}#28"], "lookup", "年度报告", ["三月三十日"], False),
    ("lib-zj-treasury", "浙江高校的科技成果转化收益要上缴国库吗？", [f"{ZJ}#18"], "lookup", "不上缴国库", ["不上缴国库"], False),
    ("lib-zj-take-over", "浙江企业承接高校的科技成果，政府给补助吗？", [f"{ZJ}#10"], "lookup", "承接", [], False),
    # Dates in force, versions
    ("lib-va-zx-start", "修订后的中小企业促进法从什么时候开始施行？", [f"{ZX}#61"], "validity", "施行", ["2018年1月1日"], False),
    ("lib-va-zx-2017", "2017年12月的时候，修订后的中小企业促进法已经生效了吗？", [f"{ZX}#61"], "validity", "施行", ["2018年1月1日"], False),
    ("lib-va-kx-start", "新的科学技术进步法什么时候施行？", [f"{KX}#117"], "validity", "施行", ["2022年1月1日"], False),
    ("lib-va-sdjr-2016", "2016年6月山东地方金融条例已经施行了吗？", [f"{SDJR}#58"], "validity", "施行", ["2016年7月1日"], False),
    ("lib-va-sdcj-start", "山东省促进科技成果转化条例哪天起施行？", [f"{SDCJ}#45"], "validity", "施行", ["2018年1月1日"], False),
    ("lib-va-qdkj-start", "青岛市科技创新促进条例是哪天开始施行的？", [f"{QDKJ}#59"], "validity", "施行", ["2011年10月1日"], False),
    ("lib-va-sh-start", "上海推进科技创新中心建设条例什么时候生效？", [f"{SH}#59"], "validity", "施行", ["2020年5月1日"], False),
    ("lib-va-cj-amended", "促进科技成果转化法是哪一年修正的？", [f"{CJ}#preamble"], "validity", "修正", ["2015年8月29日"], False),
    ("lib-va-zj-amended", "浙江省促进科技成果转化条例最近一次修改是什么时候？", [f"{ZJ}#preamble"], "validity", "修正", ["2021年9月29日"], False),
    ("lib-va-qdkj-approved", "青岛市科技创新促进条例是经过谁批准的？", [f"{QDKJ}#preamble"], "validity", "批准", ["山东省"], False),
    # Regions the library does not hold
    ("lib-oos-bj-reward", "北京中关村的科技成果转化奖励比例是多少？", [], "out_of_scope", "", [], False),
    ("lib-oos-gd-microloan", "广东省地方金融条例对小额贷款公司有什么规定？", [], "out_of_scope", "", [], False),
    ("lib-oos-sz-vc", "深圳对天使投资有什么风险补偿？", [], "out_of_scope", "", [], False),
]


def check(corpus_dir: Path) -> None:
    corpus = load_corpus(corpus_dir)
    for case_id, _, clauses, _, key, must, _ in CASES:
        texts = [corpus.clause(c).text for c in clauses]  # an unknown id raises
        assert not clauses or key in texts[0], f"{case_id}: '{key}' is not in {clauses[0]}"
        for word in must:
            assert any(word in t for t in texts), f"{case_id}: '{word}' is in none of {clauses}"


def write() -> tuple[int, int]:
    rows = [
        {
            "id": case_id,
            "question": question,
            "expected_clauses": clauses,
            "kind": kind,
            "expected_amount_yuan": None,
            "expect_refusal": kind == "out_of_scope",
            "answer_must_contain": must,
        }
        | ({"expected_clauses_all": clauses} if all_cited else {})
        for case_id, question, clauses, kind, _, must, all_cited in CASES
    ]
    random.Random(SEED).shuffle(rows)
    half = len(rows) // 2
    for split, part in (("dev", rows[:half]), ("test", rows[half:])):
        lines = [json.dumps(r, ensure_ascii=False) for r in sorted(part, key=lambda r: r["id"])]
        (HERE / "cases" / split / "library.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return half, len(rows) - half


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=HERE.parent / "corpus")
    args = parser.parse_args()
    check(args.corpus)
    dev, test = write()
    print(f"dev {dev}, test {test} cases")


if __name__ == "__main__":
    main()
