"""oqhttp: the engine server of oqcore (the OpenQuake REST API on Bottle + waitress).

Build the WSGI application with :func:`oqhttp.app.create_app`; serve it with
``oq server`` (:func:`oqhttp.server.main`). Nothing is created at import time.
"""
