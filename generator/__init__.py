"""ocppgen: typed, validated Python bindings from the OCA's OCPP JSON schemas."""

__version__ = "0.1.0"
