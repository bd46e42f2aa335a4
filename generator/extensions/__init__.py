"""Vendor extensions, a pipeline of their own: read the extension folder (``load``, with
``fields`` for typed manifest values and ``schema_files`` for its schemas), build its IR through
the standard builder (``build``), render its package in the bindings' flavour (``render``);
``ocppgen extension init`` (``starter``) and the diff of two extension folders (``diff``).
"""
