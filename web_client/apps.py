from django.apps import AppConfig


class WebClientConfig(AppConfig):
    name = "web_client"

    def ready(self):
        from web_client import signin  # noqa: F401  (sign-in lockout: audit and reset receivers)
