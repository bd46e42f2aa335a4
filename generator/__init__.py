"""ocppgen: typed, validated Python bindings from the OCA's OCPP JSON schemas."""

__version__ = "0.1.0"
PACKAGE = "ocpp_bindings"
"""The generated package's name (its folder under the output folder)."""
TESTS_PACKAGE = "ocpp_bindings_tests"
"""The generated tests of the package (a sibling folder, so the package stays stdlib-only)."""
