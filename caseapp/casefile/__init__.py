"""The case file: the foundation every user action stands on — opening it (``core``), one transaction with its
history (``uow``), read models (``views``, ``loaders``), field forms (``fields``), the generic create / edit /
delete of records (``records``), the search index (``search``).

Nothing here is a user action: those are ``caseapp.services``, the one layer the window, the command line and
the tests call. ``caseapp.bundle`` and ``caseapp.reports`` build on this package, never on the services.
"""
