from django.urls import path

from . import views

app_name = "helpcases"

urlpatterns = [
    path("help/", views.index, name="index"),
    path("help/new/", views.submit, name="submit"),
    path("help/mine/", views.mine, name="mine"),
    path("help/<int:pk>/", views.case, name="case"),
    path("workbench/help/", views.queue, name="queue"),
    path("workbench/help/<int:pk>/", views.handle, name="handle"),
    path("workbench/questions/<int:pk>/help-case/", views.from_question, name="from-question"),
]
