from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.index, name="index"),
    path("activities/mine/", views.mine, name="mine"),
    path("activities/scan/", views.scan, name="scan"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("activities/<int:pk>/poster.svg", views.poster, name="poster"),
    path("activities/teams/<str:token>/", views.team, name="team"),
    path("activities/ballots/<int:pk>/", views.ballot, name="ballot"),
    path("workbench/ballots/<int:pk>/", views.ballot_review, name="ballot-review"),
    path("workbench/activities/", views.staff_activities, name="staff"),
    path("workbench/cases/", views.library, name="library"),
    path("workbench/activities/<int:pk>/", views.manage, name="manage"),
    path("workbench/activities/<int:pk>/venue/", views.venue, name="venue"),
]
