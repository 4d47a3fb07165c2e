from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "whole_system.accounts"
    label = "accounts"
