from django.urls import path

from case_core.api.app import api

urlpatterns = [path("", api.urls)]
