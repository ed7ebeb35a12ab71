from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("workbench/surveys/", views.staff, name="staff"),
    path("workbench/surveys/<int:pk>/", views.results, name="results"),
    path("workbench/surveys/<int:pk>/export.<str:fmt>", views.export, name="export"),
]
