"""Stage 4: output. Where files go (``layout``), black (``formatting``), the atomic write and
the drift check (``writer``), and ``manifest.json`` (``manifest``).
"""
