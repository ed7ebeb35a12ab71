from django.urls import path

from . import views

app_name = "shares"

urlpatterns = [path("s/<str:token>/", views.opened, name="opened")]
