import unicodedata

import pytest

from organisation.text import clean, fold, nfc, person_sort_key, vietnamese_sort_key


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_nfc_composes_decomposed_text():
    assert nfc(nfd("Kế hoạch ứng dụng")) == "Kế hoạch ứng dụng"
    assert nfc(None) == ""


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kế hoạch ứng dụng", "ke hoach ung dung"),
        (nfd("Kế hoạch ứng dụng"), "ke hoach ung dung"),
        ("ĐẮK  NÔNG\n", "dak nong"),
        ("đắk nông", "dak nong"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def vsorted(words):
    return sorted(words, key=vietnamese_sort_key)


def test_dao_before_dang_because_a_comes_before_a_breve():
    assert vsorted(["Đặng", "Đào"]) == ["Đào", "Đặng"]


def test_d_stroke_after_d_and_before_e():
    assert vsorted(["Em", "Đức", "Dung", "Đào", "Duy"]) == ["Dung", "Duy", "Đào", "Đức", "Em"]


def test_letters_with_breve_circumflex_and_horn_are_letters_of_their_own():
    assert vsorted(["âm", "ăn", "bé", "an", "ân"]) == ["an", "ăn", "âm", "ân", "bé"]
    assert vsorted(["ơn", "ôm", "oi", "ưa", "uy", "va"]) == ["oi", "ôm", "ơn", "uy", "ưa", "va"]


def test_tones_come_after_the_letters_in_dictionary_order():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vsorted(list(reversed(tones))) == tones
    # The letters decide first: a tone never puts "mạ" after "man".
    assert vsorted(["man", "mạ", "mà"]) == ["mà", "mạ", "man"]


def test_decomposed_and_upper_case_text_sorts_as_its_letters():
    assert vsorted(["Đặng", nfd("ĐÀO")]) == [nfd("ĐÀO"), "Đặng"]
    assert vietnamese_sort_key(nfd("Đặng")) == vietnamese_sort_key("Đặng")
    assert vsorted(["An", "an", "Anh"]) == ["an", "An", "Anh"]


def test_key_is_hexadecimal_so_every_collation_orders_it_alike():
    assert set(vietnamese_sort_key("Nguyễn Thị Ánh 2, #x")) <= set("0123456789abcdef")


def test_people_are_ordered_by_given_name_then_the_rest():
    names = ["Nguyễn Bình", "Trần Văn An", "Lê Thị Bình", "Đặng Văn Đức", "Đào Dũng"]
    assert sorted(names, key=person_sort_key) == [
        "Trần Văn An",
        "Lê Thị Bình",
        "Nguyễn Bình",
        "Đào Dũng",
        "Đặng Văn Đức",
    ]


@pytest.mark.parametrize(
    "given, stored",
    [
        (None, ""),
        ("", ""),
        ("  \x00 ", ""),
        ("a\x00b", "ab"),
        (" Nguye\u0302\u0303n\x00 ", "Nguyễn"),
        ("dòng 1\ndòng 2", "dòng 1\ndòng 2"),
    ],
)
def test_clean_gives_stored_text(given, stored):
    assert clean(given) == stored
    assert clean(clean(given)) == clean(given)
