"""Answer lists for the woman's record. Equality monitoring follows the ONS 2021 Census
questions for England and Wales; every question can be answered "Prefer not to say"."""

from django.db import models
from django.utils.translation import gettext_lazy as _

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class YesNoPreferNot(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Ethnicity(models.TextChoices):
    # ONS 2021, England and Wales: 19 categories in five groups.
    ASIAN_BANGLADESHI = "asian_bangladeshi", _("Asian or Asian British: Bangladeshi")
    ASIAN_CHINESE = "asian_chinese", _("Asian or Asian British: Chinese")
    ASIAN_INDIAN = "asian_indian", _("Asian or Asian British: Indian")
    ASIAN_PAKISTANI = "asian_pakistani", _("Asian or Asian British: Pakistani")
    ASIAN_OTHER = "asian_other", _("Asian or Asian British: any other Asian background")
    BLACK_AFRICAN = "black_african", _("Black, Black British, Caribbean or African: African")
    BLACK_CARIBBEAN = "black_caribbean", _("Black, Black British, Caribbean or African: Caribbean")
    BLACK_OTHER = (
        "black_other",
        _(
            "Black, Black British, Caribbean or African: any other Black, Black British "
            "or Caribbean background"
        ),
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", _("Mixed or multiple ethnic groups: White and Asian")
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        _("Mixed or multiple ethnic groups: White and Black African"),
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        _("Mixed or multiple ethnic groups: White and Black Caribbean"),
    )
    MIXED_OTHER = (
        "mixed_other",
        _("Mixed or multiple ethnic groups: any other Mixed or multiple ethnic background"),
    )
    WHITE_BRITISH = "white_british", _("White: English, Welsh, Scottish, Northern Irish or British")
    WHITE_IRISH = "white_irish", _("White: Irish")
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", _("White: Gypsy or Irish Traveller")
    WHITE_ROMA = "white_roma", _("White: Roma")
    WHITE_OTHER = "white_other", _("White: any other White background")
    OTHER_ARAB = "other_arab", _("Other ethnic group: Arab")
    OTHER_ANY = "other_any", _("Other ethnic group: any other ethnic group")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Religion(models.TextChoices):
    NONE = "none", _("No religion")
    CHRISTIAN = "christian", _("Christian")
    BUDDHIST = "buddhist", _("Buddhist")
    HINDU = "hindu", _("Hindu")
    JEWISH = "jewish", _("Jewish")
    MUSLIM = "muslim", _("Muslim")
    SIKH = "sikh", _("Sikh")
    OTHER = "other", _("Any other religion")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", _("Straight or heterosexual")
    GAY_LESBIAN = "gay_lesbian", _("Gay or lesbian")
    BISEXUAL = "bisexual", _("Bisexual")
    OTHER = "other", _("Other sexual orientation")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Nationality(models.TextChoices):
    BRITISH = "british", _("British")
    IRISH = "irish", _("Irish")
    EU = "eu", _("A European Union country")
    OTHER = "other", _("Another country")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class ImmigrationStatus(models.TextChoices):
    CITIZEN = "citizen", _("British or Irish citizen")
    SETTLED = "settled", _("Settled status or indefinite leave to remain")
    PRE_SETTLED = "pre_settled", _("Pre-settled status")
    LEAVE_TO_REMAIN = "leave_to_remain", _("Limited leave to remain")
    ASYLUM_SEEKER = "asylum_seeker", _("Seeking asylum")
    REFUGEE = "refugee", _("Refugee or humanitarian protection")
    NO_LEAVE = "no_leave", _("No current leave")
    UNKNOWN = "unknown", _("Not known")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")


class Pregnancy(models.TextChoices):
    NO = "no", _("No")
    PREGNANT = "pregnant", _("Yes, pregnant")
    RECENTLY = "recently", _("Gave birth in the last 12 months")
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, _("Prefer not to say")
