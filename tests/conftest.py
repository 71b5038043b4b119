"""Shared fixtures: small hand-written raw folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline: a property test asserts what is computed, not how fast, and a
# deadline turns a busy machine (a batch beside the suite, a loaded CI host) into a false
# failure. Speed is measured by the benchmarks in bench/.
settings.register_profile("outturn", deadline=None)
settings.load_profile("outturn")

#: Set (by scripts/test.sh when it cannot install the browser) to skip the browser tests.
ALLOW_NO_CHROMIUM = "OUTTURN_ALLOW_NO_CHROMIUM"


def require_chromium() -> str:
    """The browser the Chromium tests use. Without one they fail with what to install,
    or skip when ``OUTTURN_ALLOW_NO_CHROMIUM=1`` says that is acceptable on this machine
    (``scripts/test.sh`` sets it when it cannot install the Debian packages; CI never does)."""
    from outturn.report.chromium import BROWSER_NAMES, ENV_VAR, find_chromium

    found = find_chromium()
    if found is not None and shutil.which(found) is not None:
        return found
    where = (f"{ENV_VAR}={found!r} is not an executable" if found
             else f"none of {', '.join(BROWSER_NAMES)} is on PATH")
    message = (f"Chromium not found: {where}. Install it with `apt-get install chromium "
               f"fonts-noto-cjk` (scripts/system-packages.sh does this) or set {ENV_VAR}.")
    if os.environ.get(ALLOW_NO_CHROMIUM) == "1":
        pytest.skip(message)
    pytest.fail(f"{message} Set {ALLOW_NO_CHROMIUM}=1 to skip these tests instead.")

DEPARTMENTS_CSV = (
    "部门编码,部门名称,单位编码,单位名称,单位级次\n"
    "901,测试局,901001,局本级,本级\n"
    "901,测试局,901002,测试所,二级\n"
)

BUDGET_CSV = (
    "年度,部门编码,单位编码,预算类型,支出类型,项目编码,项目名称,功能分类科目编码,经济分类科目编码,"
    "年初预算数（元）,追加（元）,调减（元）\n"
    "2022,901,901001,一般公共预算,基本支出,,,2120101,30101,1000.00,0,0\n"
    "2022,901,901001,一般公共预算,项目支出,P1,道路维护,2120104,,500.00,300.00,0\n"
    "2022,901,901002,政府性基金预算,项目支出,P2,路灯建设,2120803,,200.00,0,50.00\n"
)

PAYMENTS_CSV = (
    "凭证号,支付日期,部门编码,单位编码,预算类型,支出类型,项目编码,功能分类科目编码,经济分类科目编码,"
    "金额（元）,摘要\n"
    "V1,2022-01-15,901,901001,一般公共预算,基本支出,,2120101,30101,400.00,工资\n"
    "V2,2022-02-15,901,901001,一般公共预算,基本支出,,2120101,30101,500.00,工资\n"
    "V3,2022-06-30,901,901001,一般公共预算,项目支出,P1,2120104,30213,\"1,200.50\",维修\n"
    "V4,2022-07-01,901,901001,一般公共预算,项目支出,P1,2120104,30213,(0.50),退款\n"
    "V5,2022-12-20,901,901002,政府性基金预算,项目支出,P2,2120803,31005,150.00,路灯\n"
)


def write_raw(root: Path, *, departments: str = DEPARTMENTS_CSV, budget: str = BUDGET_CSV,
              payments: str = PAYMENTS_CSV, encoding: str = "utf-8") -> Path:
    """Write a small raw folder and return it."""
    (root / "budget").mkdir(parents=True, exist_ok=True)
    (root / "payments").mkdir(parents=True, exist_ok=True)
    (root / "departments.csv").write_text(departments, encoding="utf-8")
    (root / "budget" / "b.csv").write_text(budget, encoding=encoding)
    (root / "payments" / "p.csv").write_text(payments, encoding=encoding)
    return root


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return write_raw(tmp_path / "raw")


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (data/raw) ingested once into a temporary folder."""
    import shutil

    from outturn.ingest.run import ingest

    raw = tmp_path_factory.mktemp("sample") / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    out = raw.parent / "processed"
    result = ingest(raw, out)
    assert result.collected.error_count == 0
    assert result.balanced
    return out


@pytest.fixture
def local_cluster():
    """A real Dask LocalCluster of two worker processes (one thread each, no dashboard,
    bound to 127.0.0.1) and a client of it: (cluster, client)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as lc, Client(lc) as client:
        yield lc, client
