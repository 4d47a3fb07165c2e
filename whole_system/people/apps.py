from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "whole_system.people"
    label = "people"
