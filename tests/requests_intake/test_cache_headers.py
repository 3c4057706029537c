"""Proposal pages and their files stay out of shared caches and the browser's disk cache."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_intake.models import Attachment
from workflow import demo
from workflow.models import Comment
from workflow.states import State


def no_store(response) -> bool:
    tokens = {t.strip() for t in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= tokens


@pytest.mark.django_db
def test_proposal_pages_and_downloads_are_private_and_not_stored(clients, make_request):
    req = make_request(State.RECEIVE)
    draft = make_request("draft")
    attachment = Attachment.objects.filter(request=req).first()
    pemohon = clients["pemohon"]
    urls = [
        req.get_absolute_url(),
        reverse("requests_intake:edit", args=[draft.pk]),
        reverse("requests_intake:create"),
        reverse("requests_intake:list"),
        reverse("requests_intake:list_export") + "?format=xlsx",
        reverse("requests_intake:attachment", args=[req.pk, attachment.pk]),
    ]
    for url in urls:
        response = pemohon.get(url)
        assert response.status_code == 200, url
        assert no_store(response), (url, response.get("Cache-Control"))


@pytest.mark.django_db
def test_a_page_shown_again_after_a_refused_action_is_not_stored(clients, make_request):
    req = make_request(State.RECEIVE)
    url = reverse("workflow:act", args=[req.pk, "receive"])
    response = clients["kasi"].post(url, {"receive-revision": req.revision})
    assert response.status_code == 200  # the form with its errors
    assert no_store(response)


@pytest.mark.django_db
def test_a_comment_attachment_is_not_stored(clients, make_request):
    req = make_request(State.RECEIVE)
    clients["kasi"].post(
        reverse("workflow:comment_add", args=[req.pk]),
        {"body": "Lihat lampiran.", "file": SimpleUploadedFile("a.pdf", demo.sample_pdf("A"))},
    )
    comment = Comment.objects.get(request=req)
    response = clients["kasi"].get(reverse("workflow:comment_file", args=[req.pk, comment.pk]))
    assert response.status_code == 200
    assert no_store(response)
