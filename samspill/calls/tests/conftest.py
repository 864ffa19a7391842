import io
import uuid
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samspill.calls.tests.factories import CallFactory
from samspill.taxonomy.models import Theme

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="rapport.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes(extra_size: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>" + " " * extra_size)
    return buffer.getvalue()


@pytest.fixture
def call(organisation):
    return CallFactory(organisations=[organisation])


def complete_data(call, **overrides):
    data = {
        "form_token": str(uuid.uuid4()),
        "title": "Besøksvenner i Bergen",
        "summary": "Frivillige besøker eldre hjemme.",
        "what": "Vi rekrutterte 40 besøksvenner.",
        "why": "For å redusere ensomhet.",
        "themes": [Theme.objects.first().pk],
        "municipality": "",
        "contact_name": "Kari Nordmann",
        "contact_email": "kari@example.no",
        "consent": "yes",
        "action": "review",
    }
    from samspill.places.models import Municipality

    data["municipality"] = Municipality.objects.get(number="4601").pk
    data.update(overrides)
    return data
