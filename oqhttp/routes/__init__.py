"""The route modules of the engine server; each has ``install(app, ctx)``."""
