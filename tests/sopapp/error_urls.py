"""The project's URLs plus one view that fails, to see the server-error page."""

from django.urls import path

from sopapp.urls import handler400, handler403, handler404, handler500, urlpatterns


def broken(request):
    raise RuntimeError("a failure inside a view")


urlpatterns = [*urlpatterns, path("rusak/", broken)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
