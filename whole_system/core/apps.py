from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "whole_system.core"
    label = "core"
