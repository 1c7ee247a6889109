"""Citations a citizen can follow: anchors in the full text and basis links pointing to them."""

from __future__ import annotations

from portal.core.outline import cn_number, find_clause, number_blocks
from tests.pages import check_page, parse

BODY = """<h2>一、总体要求</h2><p>引言。</p><h3>（一）指导思想</h3><h3>（二）主要任务</h3>
<h4>1.设立创新券</h4><p>第二段。</p><h2>二、保障措施</h2><h3>(一)组织保障</h3><p>举措3:推进商事登记。</p>
<p>第十三条 对认定的众创空间给予补贴。</p>"""


def test_outline_numbers_give_stable_anchors_and_labels():
    html, blocks = number_blocks(BODY)
    by_id = {b.id: b.label for b in blocks}
    assert by_id["s1"] == "一" and by_id["s1-2"] == "一（二）" and by_id["s1-2-1"] == "一（二）1"
    assert by_id["s2-1"] == "二（一）" and by_id["m3"] == "举措3" and by_id["a13"] == "第十三条"
    assert 'id="s1-2-1"' in html and 'id="p2"' in html
    assert cn_number("二十一") == 21 and cn_number("十三") == 13
    assert find_clause(blocks, "举措3 推进商事登记").id == "m3"
    assert find_clause(blocks, "第十三条").id == "a13"
    assert find_clause(blocks, "（二）主要任务").id == "s1-2"
    assert find_clause(blocks, "对认定的众创空间给予补贴").id == "a13"
    assert find_clause(blocks, "没有这样的段落文字") is None


def test_basis_links_point_into_the_full_text(client):
    page = client.get("/benefits/chengguan-guaranteed-startup-loan").get_data(as_text=True)
    doc = check_page(page)
    hrefs = [
        a.attrs["href"]
        for a in doc.find_all("a")
        if "/policies/chengguan-base-work-plan#" in a.attrs.get("href", "")
    ]
    assert "/policies/chengguan-base-work-plan#s4-2-6" in hrefs
    link = next(a for a in doc.find_all("a") if a.attrs.get("href", "").endswith("#s4-2-6"))
    assert link.text.startswith("《") and "四（二）6" in link.text
    policy = parse(client.get("/policies/chengguan-base-work-plan").get_data(as_text=True))
    target = policy.find(id="s4-2-6")
    assert target is not None and "继续实施小额担保贷款各项政策" in target.text
