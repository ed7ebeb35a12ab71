from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("workbench/supervision/", views.supervision, name="supervision"),
    path("workbench/setup/", views.setup, name="setup"),
    path("workbench/truth-reviews/", views.truth_reviews, name="truth-reviews"),
]
