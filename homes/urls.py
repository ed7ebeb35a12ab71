from django.urls import path

from . import views

app_name = "homes"

urlpatterns = [
    path("homes/", views.index, name="index"),
    path("homes/mine/", views.mine, name="mine"),
    path("homes/<int:pk>/", views.home, name="home"),
    path("homes/<int:pk>/arrive/", views.arrive, name="arrive"),
    path("workbench/homes/", views.staff_homes, name="staff-homes"),
    path("workbench/homes/<int:pk>/", views.door, name="door"),
    path("workbench/homes/<int:pk>/setup/", views.setup, name="setup"),
    path("workbench/homes/<int:pk>/standard/", views.standard_page, name="standard"),
    path("workbench/homes/<int:pk>/referrals/", views.referrals_page, name="referrals"),
    path("workbench/offline/<str:subject>/<int:pk>/", views.refer, name="refer"),
    path("homes/referrals/<int:pk>/", views.referral, name="referral"),
]
