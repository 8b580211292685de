from django.urls import path

from signaling import views

app_name = "signaling"
urlpatterns = [
    path("<int:hearing_id>/", views.hearing_page, name="hearing"),
    path("<int:hearing_id>/join/<str:token>/", views.join_link, name="join_link"),
    path("<int:hearing_id>/credential/", views.credential, name="credential"),
]
