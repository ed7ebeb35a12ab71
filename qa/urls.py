from django.urls import path

from . import views

app_name = "qa"

urlpatterns = [
    path("questions/", views.archive, name="archive"),
    path("questions/ask/", views.ask, name="ask"),
    path("questions/mine/", views.mine, name="mine"),
    path("questions/<int:pk>/", views.question, name="question"),
]
