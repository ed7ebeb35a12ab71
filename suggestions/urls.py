from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("roast/", views.roast, name="roast"),
    path("workbench/suggestions/", views.workbench, name="workbench"),
]
