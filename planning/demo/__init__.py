"""Demo plans: an issued five-year IT application plan for 2026–2030 and the annual plan
for 2027 waiting for the Planning Department's review.

Everything goes through the real services, as the demo people would have done it in the
browser, so the audit trail, the frozen revisions (with a diff between the returned and
the revised draft), the guidance comments and the register number are all genuine.
Loading is idempotent: a plan whose title already exists is left alone.

The content is data, not interface text: it is written in Vietnamese, as the Committee
would write it, and is not translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import yaml
from django.db import transaction
from django.test.utils import override_settings

from organisation.models import Person
from workflows import services as engine

from .. import services
from ..models import Category, FundingSource, Guidance, Kind, Plan
from ..services import ObjectiveRow, TaskRow, guidance_publish, guidance_save

FIVE_YEAR_TITLE = (
    "Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc giai đoạn 2026 - 2030"
)
ANNUAL_TITLE = "Kế hoạch ứng dụng công nghệ thông tin năm 2027 của Ủy ban Dân tộc"

DRAFTER = "soanthao.tttt"
REVIEWER = "thamdinh.kh"
SIGNER = "botruong"

# Units as written in the plans' task tables.
TTTT = "Trung tâm Thông tin"
VP = "Văn phòng Ủy ban"
KH = "Vụ Kế hoạch"
TCCB = "Vụ Tổ chức Cán bộ"
TDKT = "Hội đồng Thi đua - Khen thưởng"
ALL_UNITS = "các Vụ, đơn vị thuộc Ủy ban"

INVESTMENT = FundingSource.INVESTMENT
RECURRENT = FundingSource.RECURRENT


def _money(amount: int) -> str:
    """1500000000 → '1.500.000.000' (đồng, '.' groups thousands as in Vietnamese)."""
    return f"{amount:,}".replace(",", ".")


# --- The five-year plan ---------------------------------------------------------------

_BASIS = [
    "Luật Công nghệ thông tin số 67/2006/QH11 ngày 29/6/2006;",
    "Luật An toàn thông tin mạng số 86/2015/QH13 ngày 19/11/2015;",
    "Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ thông tin "
    "trong hoạt động của cơ quan nhà nước;",
    "Nghị định số 85/2016/NĐ-CP ngày 01/7/2016 của Chính phủ về bảo đảm an toàn hệ thống "
    "thông tin theo cấp độ;",
    "Nghị định số 73/2019/NĐ-CP ngày 05/9/2019 của Chính phủ quy định quản lý đầu tư ứng dụng "
    "công nghệ thông tin sử dụng nguồn vốn ngân sách nhà nước;",
    "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
    "Thông tư số 03/2014/TT-BTTTT ngày 11/3/2014 của Bộ Thông tin và Truyền thông quy định "
    "Chuẩn kỹ năng sử dụng công nghệ thông tin;",
    "Công văn số 1329/BTTTT-KHTC của Bộ Thông tin và Truyền thông hướng dẫn xây dựng kế hoạch "
    "ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước;",
]
# Added in the revision, as the Planning Department asked.
_BASIS_878 = (
    "Công văn số 878/UBDT-TTTT ngày 08/10/2012 của Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc về "
    "tăng cường ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc;"
)
_BASIS_END = (
    "Hướng dẫn của Vụ Kế hoạch về xây dựng kế hoạch ứng dụng công nghệ thông tin giai đoạn "
    "2026 - 2030 của Ủy ban Dân tộc.\n\n"
    "Ủy ban Dân tộc ban hành Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của Ủy ban "
    "Dân tộc giai đoạn 2026 - 2030 như sau:"
)


def _basis(revised: bool) -> str:
    items = [*_BASIS, _BASIS_878] if revised else list(_BASIS)
    return "Căn cứ:\n" + "\n".join(f"- {item}" for item in items) + "\n- " + _BASIS_END


_SITUATION = """\
1. Hạ tầng kỹ thuật: mạng nội bộ (LAN) của cơ quan Ủy ban Dân tộc được đầu tư từ giai đoạn \
2016 - 2020, kết nối Mạng truyền số liệu chuyên dùng của các cơ quan Đảng, Nhà nước; 100% \
công chức, viên chức được trang bị máy tính kết nối mạng. Một số thiết bị chuyển mạch, máy \
chủ đã hết thời gian khấu hao, thường xuyên quá tải.
2. Thư điện tử: từ ngày 15/10/2012, theo Công văn số 878/UBDT-TTTT, toàn bộ cán bộ, công \
chức, viên chức và người lao động sử dụng hệ thống thư điện tử của Ủy ban Dân tộc để trao \
đổi văn bản công vụ; hệ thống cần nâng cấp dung lượng và cơ chế chống thư rác.
3. Quản lý văn bản và điều hành: hệ thống đã triển khai tới các Vụ, đơn vị, kết nối Trục \
liên thông văn bản quốc gia; tỷ lệ văn bản đi, đến được xử lý trên môi trường mạng (trừ văn \
bản mật) khoảng 75%; chữ ký số chưa được tích hợp đầy đủ.
4. Cổng thông tin điện tử vận hành ổn định nhưng công nghệ đã lạc hậu, chưa cung cấp dịch vụ \
công trực tuyến toàn trình, chưa kết nối Cổng Dịch vụ công quốc gia.
5. Cơ sở dữ liệu: dữ liệu về công tác dân tộc còn phân tán ở các Vụ, đơn vị, chủ yếu ở dạng \
bảng tính; hồ sơ lưu trữ mới được số hóa khoảng 20%.
6. Nhân lực: khoảng 60% công chức, viên chức đạt chuẩn kỹ năng sử dụng công nghệ thông tin \
cơ bản theo Thông tư số 03/2014/TT-BTTTT; cán bộ chuyên trách công nghệ thông tin còn mỏng.
7. An toàn thông tin: mới có 2/7 hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ; \
chưa có giám sát an toàn thông tin tập trung.
Tồn tại, hạn chế chủ yếu do kinh phí đầu tư chưa tương xứng, việc ứng dụng công nghệ thông \
tin ở một số đơn vị chưa được quan tâm đúng mức."""

_GENERAL_OBJECTIVE = """\
Ứng dụng rộng rãi, có hiệu quả công nghệ thông tin trong hoạt động của Ủy ban Dân tộc nhằm \
nâng cao năng lực quản lý, điều hành, chất lượng tham mưu về công tác dân tộc; xây dựng cơ \
quan điện tử hướng tới cơ quan số, phù hợp với đặc điểm, tình hình thực tiễn công tác của Ủy \
ban Dân tộc; cung cấp thông tin, dịch vụ công trực tuyến thuận tiện cho người dân, doanh \
nghiệp, đặc biệt là đồng bào dân tộc thiểu số và miền núi; bảo đảm an toàn, an ninh thông \
tin."""

_TASKS_SOLUTIONS = """\
I. Nhiệm vụ
1. Hoàn thiện hạ tầng kỹ thuật, trung tâm dữ liệu và hệ thống thư điện tử công vụ.
2. Nâng cấp hệ thống quản lý văn bản và điều hành; số hóa hồ sơ, tài liệu lưu trữ.
3. Nâng cấp Cổng thông tin điện tử, cung cấp dịch vụ công trực tuyến toàn trình.
4. Xây dựng cơ sở dữ liệu về công tác dân tộc và các ứng dụng chuyên ngành.
5. Đào tạo, bồi dưỡng kỹ năng ứng dụng công nghệ thông tin cho công chức, viên chức.
6. Bảo đảm an toàn thông tin các hệ thống theo cấp độ.
(Chi tiết tại Bảng nhiệm vụ kèm theo.)
II. Giải pháp
1. Giải pháp về cơ chế, chính sách: ban hành quy chế quản lý, vận hành, khai thác các hệ \
thống thông tin; gắn kết quả ứng dụng công nghệ thông tin với bình xét thi đua, khen thưởng.
2. Giải pháp về tổ chức: Trung tâm Thông tin là đầu mối triển khai; Văn phòng Ủy ban chủ trì \
số hóa văn bản và theo dõi, đôn đốc các Vụ, đơn vị; Vụ Tổ chức Cán bộ chủ trì đào tạo.
3. Giải pháp về tài chính: bố trí kinh phí từ nguồn chi đầu tư phát triển và chi thường \
xuyên; ưu tiên thuê dịch vụ công nghệ thông tin khi phù hợp."""

_INVESTMENT = """\
1. Đầu tư nâng cấp hạ tầng mạng, trung tâm dữ liệu, thiết bị bảo đảm an toàn thông tin.
2. Nâng cấp hệ thống quản lý văn bản và điều hành, Cổng thông tin điện tử.
3. Xây dựng cơ sở dữ liệu về công tác dân tộc và hệ thống thông tin báo cáo.
Các dự án đầu tư được lập, thẩm định, phê duyệt theo Nghị định số 73/2019/NĐ-CP."""

_CONDITIONS = """\
1. Kinh phí: được bố trí trong dự toán ngân sách hằng năm của Ủy ban Dân tộc.
2. Nhân lực: bổ sung cán bộ chuyên trách công nghệ thông tin cho Trung tâm Thông tin; mỗi Vụ, \
đơn vị cử một đầu mối phối hợp.
3. Tổ chức thực hiện: Trung tâm Thông tin chủ trì, định kỳ cuối tháng, quý, năm báo cáo Lãnh \
đạo Ủy ban, các Vụ, đơn vị và Hội đồng Thi đua - Khen thưởng về tình hình ứng dụng công nghệ \
thông tin; Vụ Kế hoạch hướng dẫn xây dựng kế hoạch, dự toán hằng năm."""

_BENEFITS = """\
- Rút ngắn thời gian xử lý văn bản, tiết kiệm chi phí in ấn, gửi văn bản giấy.
- Thông tin, số liệu về công tác dân tộc được tổng hợp kịp thời, phục vụ tham mưu, hoạch \
định chính sách.
- Người dân, doanh nghiệp tiếp cận thông tin, dịch vụ công của Ủy ban Dân tộc thuận lợi hơn.
- Nâng cao năng lực, kỹ năng ứng dụng công nghệ thông tin của đội ngũ công chức, viên chức."""

_OBJECTIVES_FIVE = [
    (
        "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng (trừ văn bản mật)",
        "75% (năm 2025)",
        "100%",
        2027,
    ),
    (
        "Tỷ lệ công chức, viên chức đạt chuẩn kỹ năng sử dụng CNTT cơ bản theo Thông tư số "
        "03/2014/TT-BTTTT",
        "60% (năm 2025)",
        "100%",
        2028,
    ),
    (
        "Số hệ thống thông tin được phê duyệt hồ sơ đề xuất cấp độ và triển khai phương án bảo "
        "đảm an toàn thông tin theo cấp độ",
        "2/7 hệ thống",
        "7/7 hệ thống",
        2027,
    ),
    (
        "Tỷ lệ hồ sơ, tài liệu lưu trữ của cơ quan Ủy ban được số hóa, đưa vào cơ sở dữ liệu",
        "20%",
        "100%",
        2030,
    ),
    (
        "Tỷ lệ thủ tục hành chính thuộc thẩm quyền của Ủy ban Dân tộc được cung cấp dịch vụ "
        "công trực tuyến toàn trình",
        "0%",
        "100%",
        2028,
    ),
]


def _five_year_objectives(revised: bool) -> list[ObjectiveRow]:
    # The first draft left every baseline empty; the reviewer asked for them.
    return [
        ObjectiveRow(
            indicator=indicator,
            baseline=baseline if revised else "",
            target_value=target,
            target_year=year,
        )
        for indicator, baseline, target, year in _OBJECTIVES_FIVE
    ]


# key, name, category, lead, coordinating, start, end, cost, source
_TASKS_FIVE = [
    (
        "iso",
        "Xây dựng, áp dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 gắn với quy "
        "trình xử lý công việc trên môi trường mạng",
        Category.PROCESS,
        VP,
        f"{TTTT}; {ALL_UNITS}",
        2026,
        2027,
        800_000_000,
        RECURRENT,
    ),
    (
        "network",
        "Nâng cấp hạ tầng mạng LAN, trung tâm dữ liệu và đường truyền của cơ quan Ủy ban Dân tộc",
        Category.INFRASTRUCTURE,
        TTTT,
        VP,
        2026,
        2028,
        12_500_000_000,
        INVESTMENT,
    ),
    (
        "mail",
        "Duy trì, nâng cấp hệ thống thư điện tử công vụ; gia hạn bản quyền, chống thư rác",
        Category.EMAIL,
        TTTT,
        ALL_UNITS,
        2026,
        2030,
        1_500_000_000,
        RECURRENT,
    ),
    (
        "edoc",
        "Nâng cấp hệ thống quản lý văn bản và điều hành, tích hợp chữ ký số, kết nối Trục liên "
        "thông văn bản quốc gia",
        Category.DOCUMENT_SYSTEM,
        TTTT,
        VP,
        2026,
        2027,
        4_200_000_000,
        INVESTMENT,
    ),
    (
        "scan",
        "Số hóa hồ sơ, tài liệu lưu trữ và xây dựng cơ sở dữ liệu văn bản của Ủy ban Dân tộc",
        Category.DIGITISATION,
        VP,
        TTTT,
        2026,
        2030,
        6_000_000_000,
        RECURRENT,
    ),
    (
        "portal",
        "Nâng cấp Cổng thông tin điện tử Ủy ban Dân tộc, cung cấp dịch vụ công trực tuyến toàn "
        "trình, kết nối Cổng Dịch vụ công quốc gia",
        Category.PORTAL,
        TTTT,
        f"{VP}; {ALL_UNITS}",
        2027,
        2028,
        5_800_000_000,
        INVESTMENT,
    ),
    (
        "ethnic_db",
        "Xây dựng cơ sở dữ liệu về công tác dân tộc và hệ thống thông tin báo cáo thực hiện "
        "chính sách dân tộc",
        Category.APPLICATIONS,
        TTTT,
        f"{KH}; {ALL_UNITS}",
        2027,
        2030,
        15_000_000_000,
        INVESTMENT,
    ),
    (
        "training",
        "Đào tạo, bồi dưỡng kỹ năng sử dụng CNTT cho công chức, viên chức theo Chuẩn kỹ năng "
        "sử dụng CNTT (Thông tư số 03/2014/TT-BTTTT)",
        Category.TRAINING,
        TCCB,
        TTTT,
        2026,
        2030,
        1_200_000_000,
        RECURRENT,
    ),
    (
        "security",
        "Bảo đảm an toàn thông tin cho các hệ thống thông tin của Ủy ban Dân tộc",
        Category.SECURITY,
        TTTT,
        ALL_UNITS,
        2026,
        2030,
        3_500_000_000,
        RECURRENT,
    ),
]

# What the revision changes, as the Planning Department asked: the security task is split
# into equipment (investment, keeping the row) and a monitoring service (recurrent), and the
# ranking of units' IT application required by Công văn 878/UBDT-TTTT is added.
_SECURITY_REVISED = (
    "security",
    "Trang bị hệ thống tường lửa, phòng chống mã độc và giám sát an toàn thông tin tập trung; "
    "lập hồ sơ đề xuất cấp độ các hệ thống thông tin",
    Category.SECURITY,
    TTTT,
    ALL_UNITS,
    2026,
    2027,
    2_800_000_000,
    INVESTMENT,
)
_TASKS_ADDED = [
    (
        "soc",
        "Thuê dịch vụ giám sát, đánh giá, kiểm tra an toàn thông tin định kỳ theo cấp độ",
        Category.SECURITY,
        TTTT,
        ALL_UNITS,
        2026,
        2030,
        1_500_000_000,
        RECURRENT,
    ),
    (
        "ranking",
        "Xây dựng phần mềm theo dõi, đánh giá và xếp hạng mức độ ứng dụng CNTT của các Vụ, đơn "
        "vị, cá nhân làm căn cứ bình xét thi đua, khen thưởng",
        Category.APPLICATIONS,
        TTTT,
        f"{VP}; {TDKT}",
        2026,
        2027,
        650_000_000,
        RECURRENT,
    ),
]


def _five_year_task_specs(revised: bool) -> list[tuple]:
    if not revised:
        return list(_TASKS_FIVE)
    specs = [_SECURITY_REVISED if t[0] == "security" else t for t in _TASKS_FIVE]
    return specs + _TASKS_ADDED


def _task_row(spec: tuple, uids: dict[str, str]) -> TaskRow:
    key, name, category, lead, coordinating, start, end, cost, source = spec
    return TaskRow(
        name=name,
        category=category,
        lead_unit=lead,
        coordinating_units=coordinating,
        start_year=start,
        end_year=end,
        estimated_cost=cost,
        funding_source=source,
        uid=uids.get(key),
    )


def _funds(specs: list[tuple], *, detail: bool) -> str:
    total = sum(s[7] for s in specs)
    investment = sum(s[7] for s in specs if s[8] == INVESTMENT)
    recurrent = total - investment
    text = (
        f"Tổng kinh phí dự kiến giai đoạn 2026 - 2030: {_money(total)} đồng, trong đó:\n"
        f"- Chi đầu tư phát triển: {_money(investment)} đồng;\n"
        f"- Chi thường xuyên: {_money(recurrent)} đồng."
    )
    if detail:
        by_year = dict.fromkeys(range(2026, 2031), 0)
        for s in specs:
            years = range(s[5], s[6] + 1)
            share = s[7] // len(years) // 1_000_000 * 1_000_000  # whole millions
            for year in years:
                by_year[year] += share
            by_year[s[6]] += s[7] - share * len(years)  # the rest in the last year
        text += "\nPhân kỳ dự kiến (phân bổ đều theo thời gian thực hiện từng nhiệm vụ):\n"
        text += "\n".join(f"- Năm {y}: khoảng {_money(v)} đồng;" for y, v in by_year.items())
        text += (
            "\nKinh phí cụ thể được xác định trong kế hoạch và dự toán hằng năm, theo hướng dẫn "
            "của Vụ Kế hoạch."
        )
    return text


def _five_year_sections(revised: bool) -> dict[str, str]:
    specs = _five_year_task_specs(revised)
    return {
        "basis": _basis(revised),
        "situation": _SITUATION,
        "general_objective": _GENERAL_OBJECTIVE,
        "tasks_solutions": _TASKS_SOLUTIONS,
        "investment": _INVESTMENT,
        "funds": _funds(specs, detail=revised),
        "conditions": _CONDITIONS,
        "benefits": _BENEFITS,
    }


_SECTION_COMMENT = (
    "Mục Dự kiến kinh phí mới nêu tổng số, chưa phân kỳ theo năm; đề nghị bổ sung phân kỳ "
    "để làm căn cứ xây dựng kế hoạch, dự toán hằng năm."
)
_RETURN_COMMENT = (
    "Vụ Kế hoạch đề nghị Trung tâm Thông tin hoàn thiện dự thảo Kế hoạch trước khi trình "
    "Lãnh đạo Ủy ban:\n"
    "1. Bổ sung căn cứ Công văn số 878/UBDT-TTTT ngày 08/10/2012 của Bộ trưởng, Chủ nhiệm Ủy "
    "ban Dân tộc về tăng cường ứng dụng công nghệ thông tin.\n"
    "2. Bổ sung giá trị cơ sở (năm 2025) cho từng mục tiêu cụ thể để có căn cứ đánh giá.\n"
    "3. Nhiệm vụ bảo đảm an toàn thông tin gộp cả trang thiết bị và thuê dịch vụ: đề nghị tách "
    "riêng phần trang bị thiết bị (chi đầu tư phát triển) và phần thuê dịch vụ giám sát (chi "
    "thường xuyên).\n"
    "4. Bổ sung nhiệm vụ theo dõi, đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin của "
    "các Vụ, đơn vị theo Công văn số 878/UBDT-TTTT.\n"
    "5. Bổ sung phân kỳ kinh phí theo năm tại mục Dự kiến kinh phí."
)
_ENDORSE_COMMENT = (
    "Dự thảo đã tiếp thu đầy đủ ý kiến góp ý của Vụ Kế hoạch. Kính trình Bộ trưởng, Chủ nhiệm "
    "xem xét, ký ban hành."
)


def _create_five_year(drafter, reviewer, signer) -> Plan:
    plan = services.plan_create(
        user=drafter, kind=Kind.FIVE_YEAR, title=FIVE_YEAR_TITLE, period_start=2026
    )
    doc_id = plan.document_id

    # First draft, submitted.
    specs = _five_year_task_specs(revised=False)
    services.plan_update(
        user=drafter,
        document_id=doc_id,
        version=None,
        title=FIVE_YEAR_TITLE,
        sections=_five_year_sections(revised=False),
        objectives=_five_year_objectives(revised=False),
        tasks=[_task_row(s, {}) for s in specs],
    )
    engine.document_act(user=drafter, document_id=doc_id, action="submit")

    # The Planning Department reads revision 1, comments on the funds and returns it.
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=1)
    engine.comment_add(
        user=reviewer, document_id=doc_id, body=_SECTION_COMMENT, anchor="section:funds"
    )
    engine.document_act(user=reviewer, document_id=doc_id, action="return", comment=_RETURN_COMMENT)

    # The Centre revises, keeping the rows' identities so the diff shows what changed.
    keys = [s[0] for s in specs]
    task_uids = plan.tasks.values_list("uid", flat=True)
    uids = {key: str(uid) for key, uid in zip(keys, task_uids, strict=True)}
    objective_uids = [str(u) for u in plan.objectives.values_list("uid", flat=True)]
    objectives = [
        replace(row, uid=uid)
        for row, uid in zip(_five_year_objectives(revised=True), objective_uids, strict=True)
    ]
    services.plan_update(
        user=drafter,
        document_id=doc_id,
        version=None,
        title=FIVE_YEAR_TITLE,
        sections=_five_year_sections(revised=True),
        objectives=objectives,
        tasks=[_task_row(s, uids) for s in _five_year_task_specs(revised=True)],
    )
    engine.document_act(user=drafter, document_id=doc_id, action="submit")

    # Endorsed by the Planning Department, signed by the Minister: issued and numbered.
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=2)
    engine.document_act(
        user=reviewer, document_id=doc_id, action="endorse", comment=_ENDORSE_COMMENT
    )
    engine.revision_mark_seen(user=signer, document=plan.document, revision_number=2)
    engine.document_act(user=signer, document_id=doc_id, action="sign")
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- The annual plan 2027 -------------------------------------------------------------


def _annual_sections(five_year: Plan) -> dict[str, str]:
    doc = five_year.document
    if doc.number_text and doc.issued_on:
        reference = (
            f"Kế hoạch số {doc.number_text} ngày {doc.issued_on:%d/%m/%Y} của Ủy ban Dân tộc "
            "về ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc giai đoạn "
            "2026 - 2030;"
        )
    else:
        reference = f"{doc.title};"
    return {
        "basis": "Căn cứ:\n"
        "- Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ "
        "thông tin trong hoạt động của cơ quan nhà nước;\n"
        "- Công văn số 878/UBDT-TTTT ngày 08/10/2012 của Bộ trưởng, Chủ nhiệm Ủy ban Dân tộc "
        "về tăng cường ứng dụng công nghệ thông tin trong hoạt động của Ủy ban Dân tộc;\n"
        f"- {reference}\n"
        "- Hướng dẫn của Vụ Kế hoạch về xây dựng kế hoạch, dự toán ngân sách năm 2027.\n\n"
        "Trung tâm Thông tin xây dựng Kế hoạch ứng dụng công nghệ thông tin năm 2027 của Ủy "
        "ban Dân tộc như sau:",
        "situation": "Năm 2026, Ủy ban Dân tộc đã khởi động các nhiệm vụ năm đầu của Kế hoạch "
        "giai đoạn 2026 - 2030: nâng cấp hạ tầng mạng LAN giai đoạn 1; triển khai tích hợp "
        "chữ ký số vào hệ thống quản lý văn bản và điều hành (tỷ lệ văn bản xử lý trên môi "
        "trường mạng đạt khoảng 85%); số hóa hồ sơ lưu trữ giai đoạn 2015 - 2019; tổ chức 03 "
        "lớp bồi dưỡng kỹ năng sử dụng công nghệ thông tin cho 120 lượt công chức, viên chức.\n"
        "Tồn tại: Cổng thông tin điện tử chưa cung cấp dịch vụ công trực tuyến toàn trình; "
        "chưa có giám sát an toàn thông tin tập trung; dữ liệu báo cáo công tác dân tộc còn "
        "tổng hợp thủ công.",
        "general_objective": "Triển khai đúng tiến độ các nhiệm vụ năm 2027 của Kế hoạch giai "
        "đoạn 2026 - 2030; hoàn thành chuyển đổi xử lý văn bản hoàn toàn trên môi trường mạng; "
        "bảo đảm an toàn thông tin các hệ thống đang vận hành.",
        "tasks_solutions": "Các nhiệm vụ năm 2027 được nêu tại Bảng nhiệm vụ kèm theo, trong "
        "đó ưu tiên hoàn thành nâng cấp hệ thống quản lý văn bản và điều hành, khởi động nâng "
        "cấp Cổng thông tin điện tử và thuê dịch vụ giám sát an toàn thông tin.\n"
        "Giải pháp: Trung tâm Thông tin chủ trì, phối hợp Văn phòng Ủy ban và các Vụ, đơn vị; "
        "định kỳ hằng quý báo cáo tiến độ thực hiện Lãnh đạo Ủy ban.",
        "investment": "Tiếp tục thực hiện dự án nâng cấp hệ thống quản lý văn bản và điều "
        "hành; chuẩn bị đầu tư dự án nâng cấp Cổng thông tin điện tử theo Nghị định số "
        "73/2019/NĐ-CP.",
        "funds": "",  # filled from the task rows below
        "conditions": "Kinh phí được bố trí trong dự toán ngân sách năm 2027 của Ủy ban Dân "
        "tộc; Trung tâm Thông tin lập dự toán kinh phí ứng dụng công nghệ thông tin năm 2027 "
        "kèm theo Kế hoạch này.",
        "benefits": "100% văn bản (trừ văn bản mật) được xử lý trên môi trường mạng; công "
        "chức, viên chức được bồi dưỡng kỹ năng sử dụng công nghệ thông tin; các hệ thống "
        "thông tin được giám sát an toàn thông tin thường xuyên.",
    }


# name, category, lead, coordinating, deadline, cost, source, five-year task key
_TASKS_ANNUAL = [
    (
        "Nâng cấp hạ tầng mạng LAN, trung tâm dữ liệu của cơ quan Ủy ban Dân tộc (giai đoạn 2)",
        Category.INFRASTRUCTURE,
        TTTT,
        VP,
        dt.date(2027, 9, 30),
        4_000_000_000,
        INVESTMENT,
        "network",
    ),
    (
        "Hoàn thành nâng cấp hệ thống quản lý văn bản và điều hành, tích hợp chữ ký số cho "
        "100% lãnh đạo Vụ, đơn vị",
        Category.DOCUMENT_SYSTEM,
        TTTT,
        VP,
        dt.date(2027, 6, 30),
        2_200_000_000,
        INVESTMENT,
        "edoc",
    ),
    (
        "Triển khai giai đoạn 1 nâng cấp Cổng thông tin điện tử, xây dựng 03 dịch vụ công "
        "trực tuyến toàn trình",
        Category.PORTAL,
        TTTT,
        VP,
        dt.date(2027, 12, 15),
        2_500_000_000,
        INVESTMENT,
        "portal",
    ),
    (
        "Số hóa hồ sơ, tài liệu lưu trữ giai đoạn 2020 - 2024",
        Category.DIGITISATION,
        VP,
        TTTT,
        dt.date(2027, 11, 30),
        1_200_000_000,
        RECURRENT,
        "scan",
    ),
    (
        "Tổ chức 04 lớp bồi dưỡng kỹ năng sử dụng CNTT cơ bản (mô đun IU01 - IU06) cho công "
        "chức, viên chức",
        Category.TRAINING,
        TCCB,
        TTTT,
        dt.date(2027, 10, 31),
        240_000_000,
        RECURRENT,
        "training",
    ),
    (
        "Thuê dịch vụ giám sát an toàn thông tin tập trung năm 2027",
        Category.SECURITY,
        TTTT,
        ALL_UNITS,
        dt.date(2027, 12, 31),
        300_000_000,
        RECURRENT,
        "soc",
    ),
    (
        "Duy trì hệ thống thư điện tử công vụ, gia hạn bản quyền phần mềm chống thư rác",
        Category.EMAIL,
        TTTT,
        "",
        dt.date(2027, 12, 31),
        300_000_000,
        RECURRENT,
        "mail",
    ),
    (
        "Xây dựng Quy chế quản lý, vận hành, khai thác các hệ thống thông tin của Ủy ban Dân tộc",
        Category.PROCESS,
        TTTT,
        f"{VP}; Vụ Pháp chế",
        dt.date(2027, 6, 30),
        150_000_000,
        RECURRENT,
        None,
    ),
]

_OBJECTIVES_ANNUAL = [
    (
        "Tỷ lệ văn bản, hồ sơ công việc được xử lý trên môi trường mạng (trừ văn bản mật)",
        "85% (năm 2026)",
        "100%",
    ),
    ("Số lượt công chức, viên chức được bồi dưỡng kỹ năng sử dụng CNTT", "120 lượt", "160 lượt"),
    ("Số dịch vụ công trực tuyến toàn trình được cung cấp trên Cổng thông tin", "0", "03"),
    ("Tỷ lệ hồ sơ, tài liệu lưu trữ được số hóa", "45%", "65%"),
]


# Five-year task names by demo key, to find the rows an annual task carries out.
_FIVE_YEAR_NAMES = {s[0]: s[1] for s in _five_year_task_specs(revised=True)}


def _create_annual(drafter, five_year: Plan) -> Plan:
    plan = services.plan_create(
        user=drafter,
        kind=Kind.ANNUAL,
        title=ANNUAL_TITLE,
        period_start=2027,
        parent_id=five_year.pk,
    )
    parent_uids = {name: str(uid) for name, uid in five_year.tasks.values_list("name", "uid")}
    tasks = [
        TaskRow(
            name=name,
            category=category,
            lead_unit=lead,
            coordinating_units=coordinating,
            deadline=deadline,
            estimated_cost=cost,
            funding_source=source,
            parent_task_uid=parent_uids.get(_FIVE_YEAR_NAMES.get(parent, "")),
        )
        for name, category, lead, coordinating, deadline, cost, source, parent in _TASKS_ANNUAL
    ]
    total = sum(t.estimated_cost for t in tasks)
    investment = sum(t.estimated_cost for t in tasks if t.funding_source == INVESTMENT)
    sections = _annual_sections(five_year)
    sections["funds"] = (
        f"Tổng kinh phí dự kiến năm 2027: {_money(total)} đồng, trong đó chi đầu tư phát "
        f"triển {_money(investment)} đồng, chi thường xuyên {_money(total - investment)} "
        "đồng. Chi tiết tại Dự toán kinh phí ứng dụng công nghệ thông tin năm 2027."
    )
    services.plan_update(
        user=drafter,
        document_id=plan.document_id,
        version=None,
        title=ANNUAL_TITLE,
        sections=sections,
        objectives=[
            ObjectiveRow(indicator=i, baseline=b, target_value=t, target_year=2027)
            for i, b, t in _OBJECTIVES_ANNUAL
        ],
        tasks=tasks,
    )
    engine.document_act(user=drafter, document_id=plan.document_id, action="submit")
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- Plans read from YAML (planning/demo/*.yaml) -----------------------------------

HERE = Path(__file__).parent
PLAN_KEYS = {"title", "year", "endorse_comment", "sections", "objectives", "tasks"}
TASK_KEYS = {"name", "category", "lead", "coordinating", "deadline", "cost", "source"}


def read(name: str) -> dict:
    """An annual plan's data file, checked against the keys the loader reads."""
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    if set(data) != PLAN_KEYS:
        raise ValueError(f"{name}: needs exactly {sorted(PLAN_KEYS)}")
    for task in data["tasks"]:
        if not TASK_KEYS <= set(task) <= TASK_KEYS | {"parent"}:
            raise ValueError(f"{name}: task {task.get('name')} needs {sorted(TASK_KEYS)}")
    return data


def _create_endorsed(name: str, drafter, reviewer, five_year: Plan) -> Plan:
    """An annual plan from a data file, submitted and endorsed: it waits for the signer."""
    data = read(name)
    plan = services.plan_create(
        user=drafter,
        kind=Kind.ANNUAL,
        title=data["title"],
        period_start=data["year"],
        parent_id=five_year.pk,
    )
    parent_uids = {name: str(uid) for name, uid in five_year.tasks.values_list("name", "uid")}
    services.plan_update(
        user=drafter,
        document_id=plan.document_id,
        version=None,
        title=data["title"],
        sections=data["sections"],
        objectives=[
            ObjectiveRow(
                indicator=o["indicator"],
                baseline=o["baseline"],
                target_value=o["target"],
                target_year=data["year"],
            )
            for o in data["objectives"]
        ],
        tasks=[
            TaskRow(
                name=t["name"],
                category=t["category"],
                lead_unit=t["lead"],
                coordinating_units=t["coordinating"],
                deadline=t["deadline"],
                estimated_cost=t["cost"],
                funding_source=t["source"],
                parent_task_uid=parent_uids.get(_FIVE_YEAR_NAMES.get(t.get("parent"), "")),
            )
            for t in data["tasks"]
        ],
    )
    engine.document_act(user=drafter, document_id=plan.document_id, action="submit")
    engine.revision_mark_seen(user=reviewer, document=plan.document, revision_number=1)
    engine.document_act(
        user=reviewer,
        document_id=plan.document_id,
        action="endorse",
        comment=data["endorse_comment"],
    )
    return Plan.objects.select_related("document").get(pk=plan.pk)


# --- Entry point ----------------------------------------------------------------------


def _existing(kind: str, title: str) -> Plan | None:
    return (
        Plan.objects.select_related("document")
        .filter(document__kind=kind, document__title=title)
        .order_by("pk")
        .first()
    )


def load_demo() -> str:
    people = {
        p.username: p for p in Person.objects.filter(username__in=[DRAFTER, REVIEWER, SIGNER])
    }
    missing = {DRAFTER, REVIEWER, SIGNER} - set(people)
    if missing:
        return "Demo plans skipped: missing demo account(s) " + ", ".join(sorted(missing))
    drafter, reviewer, signer = people[DRAFTER], people[REVIEWER], people[SIGNER]

    done = []
    # The demo's history is not news: its notifications go nowhere instead of mailing (or
    # printing to the console) a dozen messages about things that "happened" just now.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        transaction.atomic(),
    ):
        five_year = _existing(Kind.FIVE_YEAR, FIVE_YEAR_TITLE)
        if five_year is None:
            five_year = _create_five_year(drafter, reviewer, signer)
            done.append(
                f"created the five-year plan 2026-2030 ({five_year.document.state}, "
                f"{five_year.document.number_text or 'not numbered'})"
            )
        else:
            done.append(
                f"five-year plan 2026-2030 already existed ({five_year.document.state}"
                + (f", {five_year.document.number_text}" if five_year.document.number_text else "")
                + ")"
            )
        if not Guidance.objects.filter(year=2027).exists():
            guidance_save(
                user=reviewer,
                year=2027,
                deadline=dt.date(2026, 7, 31),
                total_ceiling=12_000_000_000,
                investment_ceiling=9_000_000_000,
                recurrent_ceiling=4_000_000_000,
                instructions=(
                    "Trung tâm Thông tin xây dựng kế hoạch ứng dụng CNTT và dự toán kinh phí năm "
                    "2027 bám sát Kế hoạch giai đoạn 2026 - 2030; ưu tiên các nhiệm vụ chuyển "
                    "tiếp, bảo đảm an toàn thông tin; tổng dự toán không vượt hạn mức."
                ),
            )
            guidance_publish(user=reviewer, year=2027)
            done.append("published the planning guidance for 2027")
        annual = _existing(Kind.ANNUAL, ANNUAL_TITLE)
        if annual is None:
            annual = _create_annual(drafter, five_year)
            done.append(f"created the annual plan 2027 ({annual.document.state})")
        else:
            done.append(f"annual plan 2027 already existed ({annual.document.state})")
        title = read("annual_2026.yaml")["title"]
        if _existing(Kind.ANNUAL, title) is None:
            endorsed = _create_endorsed("annual_2026.yaml", drafter, reviewer, five_year)
            done.append(f"created the annual plan 2026 ({endorsed.document.state})")
        else:
            done.append("annual plan 2026 already existed")
    return "Demo plans: " + "; ".join(done) + "."
