"""Background work (django-tasks): rendering a document after its checkpoint committed."""

from django_tasks import task

from reports import rendering


@task()
def render_document(document_id: int) -> str:
    return rendering.document_render(document_id=document_id).status
