"""ComfyUI: async client, backend pool, renderer, workflow builders and user workflow templates.

Layout: ``client`` (HTTP) + ``events`` (websocket hub) + ``waiting`` (follow a prompt to its end),
``requirements`` (check a workflow against a backend's ``/object_info``), ``workflows/`` (API-format
builders), ``templates`` (studio-uploaded workflows with markers), ``pool`` + ``render`` (several
backends, affinity, fail-over) and ``factory`` (one pool per process, built from settings).
"""
