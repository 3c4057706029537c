"""Background work of the workflow (django-tasks)."""

from django_tasks import task

from workflow import emails


@task()
def send_notification_email(notification_id: int) -> str:
    return emails.send_email(notification_id)
