from django.apps import AppConfig


class HearingServerConfig(AppConfig):
    name = "hearing_server"
