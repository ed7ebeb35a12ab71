from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("homes/mine/", views.mine, name="mine"),
]
