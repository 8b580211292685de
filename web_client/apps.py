from django.apps import AppConfig


class WebClientConfig(AppConfig):
    name = "web_client"
