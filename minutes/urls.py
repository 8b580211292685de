from django.urls import path

from minutes import views

app_name = "minutes"
urlpatterns = [
    path("hearings/<int:hearing_id>/generate/", views.generate, name="generate"),
]
