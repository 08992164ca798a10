"""OriginLink: a gateway for exchanging electronic certificates of origin (e-COs).

The package is layered (see ``architecture.md``): ``domain`` is pure, ``trust``, ``formats``,
``store`` and ``exchange`` are adapters, ``services`` holds one function per use case and the
entry points (``cli``, ``api``, ``web``) only call services.
"""

__version__ = "0.1.0"
