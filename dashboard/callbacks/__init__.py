"""The link chart's callbacks, one module per panel, every one a module-level function that a
test can call as Dash calls it (positional Input/State values, `settings` as a keyword).
`dashboard.callbacks.registry.register_callbacks` wires them into the app, in one place.

Every callback survives an unreachable database, an empty result and bad input: it answers with
a message on the page, never an exception (a Dash error would leave the page half-updated).
"""
