from django.urls import path

from . import views

app_name = "reactions"

urlpatterns = [path("reactions/", views.react, name="react")]
