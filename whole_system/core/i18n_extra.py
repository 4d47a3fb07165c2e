"""Interface strings that come from third-party packages, listed so they are translated too.

`makemessages` only reads our own code and templates, so it never sees the strings that
crispy-forms-gds puts on our pages (the error summary title, the day, month and year labels of
a date input, the back link, the character count). Django looks every msgid up in all catalogues,
so naming them here with `gettext_noop` puts them in our Welsh catalogue and the pages are
Welsh throughout. Nothing imports this module; it exists to be read by `makemessages`.

The character count strings are `{% blocktrans %}` blocks without `trimmed` in crispy-forms-gds's
gds/field.html, so their msgids keep the template's newlines and indentation exactly.
"""

from django.utils.translation import gettext_noop

CRISPY_FORMS_GDS_STRINGS = [
    # gds/layout/error_summary.html
    gettext_noop("There is a problem"),
    # crispy_forms_gds.fields.DateInputField and crispy_forms_gds.widgets.DateInputWidget
    gettext_noop("Day"),
    gettext_noop("Month"),
    gettext_noop("Year"),
    # crispy_forms_gds.templatetags.crispy_forms_gds.back_link
    gettext_noop("Back"),
    # gds/field.html (character count)
    gettext_noop(
        "\n              You can enter up to %(max_characters)s characters\n              "
    ),
    gettext_noop("\n              You can enter up to %(max_words)s words\n              "),
]
