"""``sayso serve``: the web app (analyse an article, browse a corpus, JSON API).

Build it with :func:`sayso.serve.app.create_app`; ``sayso serve`` runs it with uvicorn.
"""
