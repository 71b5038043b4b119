"""End to end: the reference department's 2022 report, run through the notebook.

Runs ``notebooks/report.ipynb`` for 零陵区城市管理和综合执法局 2022 on the bundled sample and
checks the result against the published report (``figures.md``) as outturn prints it
(万元, two decimals, 四舍五入), and that the HTML is safe to hand to a leader: no code,
nothing from outside, every figure right.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from outturn.report.docx import docx_text
from outturn.report.runner import run_report

pytestmark = pytest.mark.slow

#: Every expenditure figure of figures.md as the report prints it, in the sentence that
#: carries it (the published report drops trailing zeros: 3.7, 25.7, 108).
FIGURES = [
    "局本级基本支出2909.79万元", "人员经费2691.67万元", "公用经费218.12万元",
    "公务接待费3.70万元", "公务用车运行维护费2.86万元",
    "项目支出1308.82万元", "局本级761.44万元", "零陵区路灯管理所547.38万元",
    "工具车维护运行专项资金25.70万元", "广告清洗保洁专项资金16.30万元", "数字化城市管理资金38.23万元",
    "文明劝导员工资专项资金158.79万元", "下水道疏通车养护资金7.09万元", "污水治理专项资金68.40万元",
    "城管制服专项45.01万元", "春节工程项目付款401.92万元", "智慧照明运行、维护项目418.02万元",
    "春节工程项目付款129.36万元",
    "政府性基金预算支出967.08万元", "基础设施项目108.00万元", "智慧照明项目859.08万元",
    "自评得分93.00分", "评价等级为“优”",
]
PERFORMANCE = ["7012", "99.79", "99.50", "7316", "8337.395"]


@pytest.fixture(scope="module")
def report_dir(sample_processed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = run_report("零陵区城市管理和综合执法局", 2022, processed_dir=sample_processed,
                        output_root=out, generated="2023-03-31", pdf=False)
    assert result.status == "done", result.error
    return Path(result.folder)


@pytest.fixture(scope="module")
def page(report_dir: Path) -> str:
    return (report_dir / "report.html").read_text(encoding="utf-8")


def test_every_reference_figure_is_in_the_html(page: str) -> None:
    text = re.sub(r"<[^>]+>", "", page)
    missing = [f for f in FIGURES + PERFORMANCE if f not in text]
    assert not missing


def test_empty_books_say_none(page: str) -> None:
    text = re.sub(r"<[^>]+>", "", page)
    assert re.search(r"四、国有资本经营预算支出情况\s*无。", text)
    assert re.search(r"五、社会保险基金预算支出情况\s*无。", text)


def test_sections_one_to_nine_in_order(page: str) -> None:
    headings = re.findall(r"<h2>([一二三四五六七八九])、", page)
    assert headings == list("一二三四五六七八九")


def test_header_names_department_year_version_and_date(page: str, sample_processed: Path) -> None:
    version = json.loads((sample_processed / "current" / "manifest.json").read_text())["data_version"]
    # the title in two unbreakable pieces, so a narrow page breaks it only between them
    assert ('<h1><span class="title-line">零陵区城市管理和综合执法局</span>'
            '<span class="title-line">2022年度整体支出绩效自评报告</span></h1>') in page
    assert version in page and "2023年03月31日" in page
    assert '<nav class="toc">' in page and 'href="#s九"' in page


def test_no_code_no_prompts_no_scripts(page: str) -> None:
    for marker in ("import outturn", "check_parameters", "report.section", "In&nbsp;[", "In [",
                   "jp-InputArea", "input_area", "<script", "<link"):
        assert marker not in page


def test_no_external_url_at_all(page: str) -> None:
    assert not re.search(r"(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page)
    assert not re.search(r"(?i)(src|href)\s*=\s*[\"'](?!data:|#)", page.replace('href="#', ""))
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()


def test_charts_are_inline(page: str) -> None:
    assert page.count('src="data:image/png;base64,') == 5


def test_word_file_holds_the_headline_figures(report_dir: Path) -> None:
    text = docx_text(report_dir / "report.docx")
    for figure in ("2909.79", "2691.67", "218.12", "1308.82", "967.08", "93.00", "一、基本情况",
                   "九、绩效自评结果拟应用和公开情况"):
        assert figure in text


def test_companions_beside_the_report(report_dir: Path) -> None:
    names = {p.name for p in report_dir.iterdir()}
    assert {"report.html", "report.docx", "report.ipynb", "自评表.xlsx", "summary.json", "data"} <= names
    csvs = sorted(p.name for p in (report_dir / "data").glob("*.csv"))
    assert len([c for c in csvs if c.startswith("表")]) >= 10
    assert len([c for c in csvs if c.startswith("图")]) == 5
    projects = next(p for p in (report_dir / "data").glob("表*一般公共预算项目支出*.csv"))
    text = projects.read_text(encoding="utf-8-sig")
    assert "智慧照明运行、维护项目" in text and "418.02" in text and "1308.82" in text
    summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["score"] == "93.00" and summary["grade"] == "优"
    assert summary["total_spending"] == "5185.69"


def test_execution_wrote_no_warnings(report_dir: Path) -> None:
    """No missing-glyph (or any other) warning reached the notebook's output."""
    nb = nbformat.read(report_dir / "report.ipynb", as_version=4)
    streams = [o.get("text", "") for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not [s for s in streams if "Glyph" in s or "missing from" in s]
    assert not [s for s in streams if "Warning" in s]


def test_rerun_is_skipped_until_forced(report_dir: Path, sample_processed: Path) -> None:
    root = report_dir.parents[1]
    again = run_report("115", 2022, processed_dir=sample_processed, output_root=root,
                       generated="2023-03-31", pdf=False)
    assert again.status == "skipped" and again.headline["score"] == "93.00"


def test_text_from_data_is_escaped(sample_processed: Path, tmp_path: Path) -> None:
    processed = tmp_path / "processed"
    shutil.copytree(sample_processed, processed, symlinks=True)
    current = (processed / "current").resolve()
    if not current.is_relative_to(processed):  # the copy's link must not point at the original
        (processed / "current").unlink()
        target = processed / current.name
        shutil.copytree(current, target)
        (processed / "current").symlink_to(target.name)
    profile_path = processed / "current" / "profiles" / "115" / "2022.json"
    profile = json.loads(profile_path.read_text(encoding="utf-8"))
    profile["narrative"]["problems"] = "<script>alert(1)</script> 与 <img src=x onerror=alert(2)>"
    profile["annual_targets"] = ["<b>加粗</b>目标"]
    profile_path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    result = run_report("115", 2022, processed_dir=processed, output_root=tmp_path / "out", pdf=False)
    assert result.status == "done", result.error
    page = (Path(result.folder) / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;加粗&lt;/b&gt;" in page
    assert "<script" not in page and "<img src=x" not in page


def test_chromium_renders_the_report_with_a_cjk_font(report_dir: Path, tmp_path: Path) -> None:
    """A real headless Chromium opens the leadership HTML offline and draws its Chinese
    with a CJK font (CI installs chromium and fonts-noto-cjk; see .ci/run)."""
    from browser_tools import fonts_used, html_to_png
    from conftest import require_chromium
    from outturn.report.chromium import html_to_pdf

    require_chromium()
    png = html_to_png(report_dir / "report.html", tmp_path / "page.png")
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.004 * grey.width * grey.height
    fonts = fonts_used(report_dir / "report.html", "h1, h2, p")
    assert fonts and "CJK" in fonts[0]
    pdf = html_to_pdf(report_dir / "report.html", tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_reused_kernel_gives_the_same_report(report_dir: Path, sample_processed: Path,
                                               tmp_path: Path) -> None:
    """Batch workers reuse one kernel: 115 built after 116 in the same kernel is byte for
    byte the report a fresh kernel built (HTML, CSV, summary)."""
    from outturn.report.batch import run_batch

    results = run_batch(2022, ["116", "115"], jobs=1, processed_dir=sample_processed,
                        output_root=tmp_path, generated="2023-03-31", pdf=False, progress=False)
    assert [r.status for r in results] == ["done", "done"]
    reused = tmp_path / "2022" / "115"
    assert (reused / "report.html").read_bytes() == (report_dir / "report.html").read_bytes()
    assert (reused / "summary.json").read_bytes() == (report_dir / "summary.json").read_bytes()
    for csv in (report_dir / "data").glob("*.csv"):
        assert (reused / "data" / csv.name).read_bytes() == csv.read_bytes(), csv.name
