from django.urls import path

from . import views, workbench

app_name = "qa"

urlpatterns = [
    path("questions/", views.archive, name="archive"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/mine/", views.mine, name="mine"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("questions/<int:pk>/attachments/<int:attachment>/", views.attachment, name="attachment"),
    path("workbench/questions/", workbench.queues, name="queues"),
    path("workbench/questions/<int:pk>/", workbench.handle, name="handle"),
]
