"""Stage 3: render. The Jinja templates and their environment (``templates``), the views
and source fragments the templates print (``pyexpr``, ``views``), example and invalid
payloads (``testdata``), the renderer mapping output paths to templates (``package``), and
``ocppgen scaffold`` (``scaffold``).
"""
