"""The self-assessment interview (filled in below)."""


def routes(signed_in, checked_form, page, visible_unit, database_of):
    return []
