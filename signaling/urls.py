from django.urls import path

from signaling import views

app_name = "signaling"
urlpatterns = [
    path("<int:hearing_id>/", views.hearing_page, name="hearing"),
    path("<int:hearing_id>/join/<str:token>/", views.join_link, name="join_link"),
    path("<int:hearing_id>/join/<str:token>/code/", views.join_code, name="join_code"),
    path("<int:hearing_id>/join/<str:token>/verify/", views.join_verify, name="join_verify"),
    path("<int:hearing_id>/credential/", views.credential, name="credential"),
    path("<int:hearing_id>/links/<int:user_id>/", views.link_new, name="link_new"),
    path(
        "<int:hearing_id>/links/<int:user_id>/revoke/",
        views.link_withdraw,
        name="link_withdraw",
    ),
]
