"""Stage 1: the inputs. Read one version's schema files and our metadata (``loader``,
``metadata``, ``versions``); the side tools that work on schema sets: reading a release
(``schemaset``), ``ocppgen schemas import`` (``importer``) and ``ocppgen diff`` (``diff``).
"""
