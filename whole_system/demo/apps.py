from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo world and the national-scale data generator. No models."""

    name = "whole_system.demo"
    label = "demo"
    verbose_name = "Synthetic demo data"
