"""The project's vocabularies: one module per concept, declared once, from which the rest derives.

``control`` holds what an agency reports and the states of a control item; ``messages`` the
kinds of planned message and the slots of a reminder. Renderers, reports, exports and the
reminder engine read their names, rules, colours and catalog keys from here; the tests in
``tests/test_vocabulary.py`` fail when a declaration lacks one of them.
"""
