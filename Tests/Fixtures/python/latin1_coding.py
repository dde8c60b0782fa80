# -*- coding: latin-1 -*-
"""Module docstring."""


def café(name="José"):
    """Résumé of the café."""
    return name.upper()
