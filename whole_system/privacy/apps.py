from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "whole_system.privacy"
    label = "privacy"
