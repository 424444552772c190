"""The module catalogue of Circular 03/2014/TT-BTTTT: IU01–IU06 basic, IU07–IU15
advanced. Loaded by migration 0002 and again after every migrate, since a test flush
empties every table."""

MODULES = [
    ("IU01", "Hiểu biết về CNTT cơ bản", "Basic IT knowledge", "basic"),
    ("IU02", "Sử dụng máy tính cơ bản", "Basic computer use", "basic"),
    ("IU03", "Xử lý văn bản cơ bản", "Basic word processing", "basic"),
    ("IU04", "Sử dụng bảng tính cơ bản", "Basic spreadsheets", "basic"),
    ("IU05", "Sử dụng trình chiếu cơ bản", "Basic presentations", "basic"),
    ("IU06", "Sử dụng Internet cơ bản", "Basic Internet use", "basic"),
    ("IU07", "Xử lý văn bản nâng cao", "Advanced word processing", "advanced"),
    ("IU08", "Sử dụng bảng tính nâng cao", "Advanced spreadsheets", "advanced"),
    ("IU09", "Sử dụng trình chiếu nâng cao", "Advanced presentations", "advanced"),
    ("IU10", "Sử dụng hệ quản trị cơ sở dữ liệu", "Database management systems", "advanced"),
    ("IU11", "Thiết kế đồ họa hai chiều", "2D graphic design", "advanced"),
    ("IU12", "Biên tập ảnh", "Photo editing", "advanced"),
    ("IU13", "Biên tập trang thông tin điện tử", "Website editing", "advanced"),
    ("IU14", "An toàn, bảo mật thông tin", "Information security", "advanced"),
    (
        "IU15",
        "Sử dụng phần mềm kế hoạch dự án",
        "Project planning software",
        "advanced",
    ),
]


def load(module_model) -> None:
    for code, name_vi, name_en, level in MODULES:
        module_model.objects.update_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "level": level}
        )
