"""The discussion on a proposal: isolation, attachments, edit history, admin deletion."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from workflow import demo
from workflow.models import Comment, Notification
from workflow.states import State


def add(client, req, body, file=None):
    data = {"body": body}
    if file is not None:
        data["file"] = file
    return client.post(reverse("workflow:comment_add", args=[req.pk]), data)


def test_everyone_who_sees_the_proposal_can_discuss_it(clients, make_request):
    req = make_request(State.DESIGN)
    for role in ("pemohon", "kasi", "kabid", "kadis", "prakom"):
        assert add(clients[role], req, f"Catatan dari {role}").status_code == 302
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    for role in ("pemohon", "kasi", "kabid", "kadis", "prakom"):
        assert f"Catatan dari {role}" in page
    signed = dict(Comment.objects.values_list("author__username", "author_role"))
    assert signed == {
        "pemohon": "pemohon",
        "kasi": "kasi",
        "kabid": "kabid",
        "kadis": "kadis",
        "prakom": "prakom",
    }


def test_the_other_unit_gets_404_for_everything(clients, make_request):
    req = make_request(State.DESIGN)
    add(clients["pemohon"], req, "Rahasia unit", SimpleUploadedFile("a.pdf", demo.sample_pdf()))
    comment = Comment.objects.get()
    outsider = clients["pemohon2"]
    assert add(outsider, req, "Halo").status_code == 404
    for name in ("comment_edit", "comment_delete", "comment_file"):
        url = reverse(f"workflow:{name}", args=[req.pk, comment.pk])
        response = (
            outsider.get(url) if name == "comment_file" else outsider.post(url, {"body": "x"})
        )
        assert response.status_code == 404, name
    assert Comment.objects.count() == 1
    # officials cannot see a draft's discussion either
    draft = make_request(State.DRAFT)
    assert add(clients["kasi"], draft, "x").status_code == 404


def test_attachments_are_validated_like_documents(clients, make_request):
    req = make_request(State.DESIGN)
    response = add(
        clients["prakom"],
        req,
        "Lihat lampiran",
        SimpleUploadedFile("program.pdf", b"MZ\x90\x00" + b"\x00" * 200),
    )
    assert response.status_code == 200
    assert "bukan jenis yang diizinkan" in response.content.decode()
    assert "Lihat lampiran" in response.content.decode()  # the text is kept
    assert not Comment.objects.exists()
    add(clients["prakom"], req, "Lampiran benar", SimpleUploadedFile("r.pdf", demo.sample_pdf()))
    comment = Comment.objects.get()
    download = clients["pemohon"].get(reverse("workflow:comment_file", args=[req.pk, comment.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == demo.sample_pdf()


def test_an_empty_comment_is_refused_with_a_message(clients, make_request):
    req = make_request(State.DESIGN)
    response = add(clients["kasi"], req, "   ")
    assert response.status_code == 200 and not Comment.objects.exists()


def test_edits_keep_the_previous_text_visible(clients, make_request):
    req = make_request(State.DESIGN)
    add(clients["kasi"], req, "Versi pertama")
    comment = Comment.objects.get()
    url = reverse("workflow:comment_edit", args=[req.pk, comment.pk])
    assert clients["kabid"].post(url, {"body": "Bukan milik saya"}).status_code == 403
    assert clients["kasi"].post(url, {"body": "Versi kedua"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Versi kedua" and comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["Versi pertama"]
    page = clients["pemohon"].get(req.get_absolute_url()).content.decode()
    assert "Versi kedua" in page and "Versi pertama" in page and "disunting" in page


def test_only_an_admin_deletes_and_it_is_recorded(clients, users, make_request):
    req = make_request(State.DESIGN)
    add(clients["pemohon"], req, "Salah kirim")
    comment = Comment.objects.get()
    url = reverse("workflow:comment_delete", args=[req.pk, comment.pk])
    for role in ("pemohon", "kasi", "kadis"):
        assert clients[role].post(url).status_code == 403
    assert clients["admin"].post(url).status_code == 302
    comment.refresh_from_db()
    assert comment.deleted_by == users["admin"] and comment.deleted_at is not None
    assert comment.body == "Salah kirim"  # kept for the record, hidden from the page
    page = clients["kasi"].get(req.get_absolute_url()).content.decode()
    assert "Salah kirim" not in page and "dihapus oleh administrator" in page


def test_mentions_notify_people_who_can_see_the_proposal(clients, users, make_request):
    req = make_request(State.DESIGN)
    add(clients["pemohon"], req, "Mohon arahan @kasi dan @prakom, cc @pemohon2 dan @kadis")
    notified = set(
        Notification.objects.filter(kind="mention").values_list("recipient__username", flat=True)
    )
    assert notified == {"kasi", "prakom", "kadis"}  # pemohon2 cannot see it
    add(clients["kasi"], req, "Sudah dibaca @pemohon")
    assert Notification.objects.filter(kind="mention", recipient=users["pemohon"]).exists()
