"""The form fields of an issued PDF: where the Office writes the number and the date after
the signer has signed. The signer certifies the PDF allowing form filling and signatures
only (DocMDP level 2), so the number and date must be filled in fields that exist when
the signer signs: ``fields_reserve`` adds them, empty, before the signature, and
``fields_fill`` writes them in an incremental update afterwards, which a PAdES validator
accepts as form filling (modification level FORM_FILLING) while the signer's signature
stays valid.

A filled field shows its value through an appearance stream drawn here with Liberation
Serif, embedded as a subset (Type0, Identity-H, with a ToUnicode map so that the number
can be searched and copied), so the page never depends on a viewer's fonts."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from .pdf import Box

# fontTools reports each table it prunes at INFO; a signature is no place for that noise.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

N = generic.NameObject
FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
REGULAR = FONT_DIR / "LiberationSerif-Regular.ttf"
ITALIC = FONT_DIR / "LiberationSerif-Italic.ttf"
PRINT_FLAG = 4


class FieldMissing(ValueError):
    """The PDF has no reserved field of that name: it was not made by fields_reserve."""


def _write(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rect(rect) -> generic.ArrayObject:
    return generic.ArrayObject(generic.FloatObject(round(v, 2)) for v in rect)


def fields_reserve(pdf: bytes, *, text: dict[str, Box], signatures: dict[str, Box]) -> bytes:
    """Add the empty text and signature fields, at the boxes the layout reserved."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    for name, (page, rect) in signatures.items():
        fields.append_signature_field(
            writer, fields.SigFieldSpec(sig_field_name=name, box=tuple(rect), on_page=page)
        )
    if text:
        acroform = writer.root["/AcroForm"]
        for name, (page, rect) in text.items():
            page_ref = writer.find_page_for_modification(page)[0]
            widget = generic.DictionaryObject(
                {
                    N("/Type"): N("/Annot"),
                    N("/Subtype"): N("/Widget"),
                    N("/FT"): N("/Tx"),
                    N("/T"): generic.TextStringObject(name),
                    N("/Rect"): _rect(rect),
                    N("/F"): generic.NumberObject(PRINT_FLAG),
                    N("/P"): page_ref,
                    N("/V"): generic.TextStringObject(""),
                    N("/DA"): generic.TextStringObject("0 g"),
                }
            )
            ref = writer.add_object(widget)
            acroform["/Fields"].append(ref)
            page_obj = page_ref.get_object()
            if "/Annots" in page_obj:
                annots = page_obj["/Annots"]
                annots.append(ref)
                if isinstance(page_obj.raw_get("/Annots"), generic.IndirectObject):
                    writer.update_container(annots)
            else:
                page_obj[N("/Annots")] = generic.ArrayObject([ref])
            writer.update_container(page_obj)
        writer.update_container(acroform)
    return _write(writer)


@dataclass(frozen=True)
class _Subset:
    """A font subset and what the PDF says of it; the same for the same characters."""

    data: bytes
    gids: dict[str, int]
    widths: tuple[tuple[int, int], ...]  # (glyph id, width in 1/1000 em)
    advances: tuple[tuple[str, float], ...]  # (character, unrounded width in 1/1000 em)
    bbox: tuple[int, int, int, int]
    italic_angle: int
    ascent: int
    descent: int


@lru_cache(maxsize=8)
def _mapped(path: str) -> frozenset[int]:
    """The code points the font has glyphs for."""
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=64)
def _subset(path: str, chars: tuple[str, ...]) -> _Subset:
    """Parsing and subsetting the TrueType file is most of the time of filling the
    fields, and the number and date use few and recurring characters."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    gids = {c: font.getGlyphID(cmap[ord(c)]) for c in chars}
    scale = 1000 / font["head"].unitsPerEm
    advances = tuple((c, font["hmtx"][cmap[ord(c)]][0] * scale) for c in chars)
    widths = tuple((gids[c], round(width)) for c, width in advances)
    options = subset.Options()
    options.retain_gids = True
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    data = io.BytesIO()
    font.save(data)
    hhea, head = font["hhea"], font["head"]
    return _Subset(
        data=data.getvalue(),
        gids=gids,
        widths=widths,
        advances=advances,
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        italic_angle=round(font["post"].italicAngle),
        ascent=round(hhea.ascent * scale),
        descent=round(hhea.descent * scale),
    )


def _font(writer, path: Path, text: str) -> tuple[generic.IndirectObject, dict]:
    """The font as a Type0 subset holding the glyphs of ``text``; returns its reference,
    each character's glyph id and its width in 1/1000 em."""
    mapped = _mapped(str(path))
    chars = tuple(sorted({c for c in text if ord(c) in mapped}))
    sub = _subset(str(path), chars)
    gids = sub.gids
    widths = generic.ArrayObject()
    for gid, width in sub.widths:
        widths.append(generic.NumberObject(gid))
        widths.append(generic.ArrayObject([generic.NumberObject(width)]))
    font_file = generic.StreamObject(
        {N("/Length1"): generic.NumberObject(len(sub.data))},
        stream_data=sub.data,
    )
    font_file.compress()
    name = N("/UBDTFN+" + path.stem.replace("LiberationSerif", "Liberation-Serif"))
    descriptor = generic.DictionaryObject(
        {
            N("/Type"): N("/FontDescriptor"),
            N("/FontName"): name,
            N("/Flags"): generic.NumberObject(34),
            N("/FontBBox"): generic.ArrayObject(generic.NumberObject(v) for v in sub.bbox),
            N("/ItalicAngle"): generic.NumberObject(sub.italic_angle),
            N("/Ascent"): generic.NumberObject(sub.ascent),
            N("/Descent"): generic.NumberObject(sub.descent),
            N("/CapHeight"): generic.NumberObject(sub.ascent),
            N("/StemV"): generic.NumberObject(80),
            N("/FontFile2"): writer.add_object(font_file),
        }
    )
    cid_font = generic.DictionaryObject(
        {
            N("/Type"): N("/Font"),
            N("/Subtype"): N("/CIDFontType2"),
            N("/BaseFont"): name,
            N("/CIDSystemInfo"): generic.DictionaryObject(
                {
                    N("/Registry"): generic.TextStringObject("Adobe"),
                    N("/Ordering"): generic.TextStringObject("Identity"),
                    N("/Supplement"): generic.NumberObject(0),
                }
            ),
            N("/FontDescriptor"): writer.add_object(descriptor),
            N("/W"): widths,
            N("/CIDToGIDMap"): N("/Identity"),
        }
    )
    mapping = "\n".join(f"<{gids[c]:04X}> <{ord(c):04X}>" for c in chars)
    to_unicode = generic.StreamObject(
        stream_data=(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{mapping}\nendbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end\n"
        ).encode()
    )
    type0 = generic.DictionaryObject(
        {
            N("/Type"): N("/Font"),
            N("/Subtype"): N("/Type0"),
            N("/BaseFont"): name,
            N("/Encoding"): N("/Identity-H"),
            N("/DescendantFonts"): generic.ArrayObject([writer.add_object(cid_font)]),
            N("/ToUnicode"): writer.add_object(to_unicode),
        }
    )
    return writer.add_object(type0), {"gids": gids, "widths": dict(sub.advances)}


def _appearance(writer, font_ref, metrics, value: str, rect, size: float, align: str):
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    shown = [c for c in value if c in metrics["gids"]]
    text_width = sum(metrics["widths"][c] for c in shown) * size / 1000
    x = {"left": 0.0, "center": (width - text_width) / 2}[align]
    baseline = max((height - size * 0.7) / 2, 0.5)
    glyphs = "".join(f"{metrics['gids'][c]:04X}" for c in shown)
    content = (
        f"/Tx BMC q BT /F1 {size:.2f} Tf 0 g {x:.2f} {baseline:.2f} Td <{glyphs}> Tj ET Q EMC"
    ).encode()
    stream = generic.StreamObject(
        {
            N("/Type"): N("/XObject"),
            N("/Subtype"): N("/Form"),
            N("/BBox"): _rect((0, 0, width, height)),
            N("/Resources"): generic.DictionaryObject(
                {N("/Font"): generic.DictionaryObject({N("/F1"): font_ref})}
            ),
        },
        stream_data=content,
    )
    return writer.add_object(stream)


def fields_fill(
    pdf: bytes,
    values: dict[str, str],
    *,
    size: float = 13.0,
    italic: tuple[str, ...] = (),
    centred: tuple[str, ...] = (),
) -> bytes:
    """Write ``values`` into the reserved text fields (an incremental update): each
    field's value and its appearance. Raises FieldMissing for a name the PDF lacks."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    by_name = {}
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        by_name[str(field.get("/T"))] = field
    fonts = {}
    for path, names in ((REGULAR, set(values) - set(italic)), (ITALIC, set(italic) & set(values))):
        if names:
            text = "".join(values[n] for n in names)
            fonts[path] = _font(writer, path, text)
    for name, value in values.items():
        field = by_name.get(name)
        if field is None or field.get("/FT") != "/Tx":
            raise FieldMissing(name)
        font_ref, metrics = fonts[ITALIC if name in italic else REGULAR]
        rect = [float(v) for v in field["/Rect"]]
        field[N("/V")] = generic.TextStringObject(value)
        field[N("/DA")] = generic.TextStringObject(f"/F1 {size:.2f} Tf 0 g")
        field[N("/AP")] = generic.DictionaryObject(
            {
                N("/N"): _appearance(
                    writer,
                    font_ref,
                    metrics,
                    value,
                    rect,
                    size,
                    "center" if name in centred else "left",
                )
            }
        )
        writer.update_container(field)
    return _write(writer)


def fields_read(pdf: bytes) -> dict[str, str]:
    """The text fields' values, by name."""
    reader = PdfFileReader(io.BytesIO(pdf))
    values = {}
    if "/AcroForm" not in reader.root:
        return values
    for ref in reader.root["/AcroForm"].get("/Fields", []):
        field = ref.get_object()
        if field.get("/FT") == "/Tx":
            values[str(field.get("/T"))] = str(field.get("/V", ""))
    return values
