"""matland: a pre-implementation check of policies with the ambiguity-conflict model."""

__version__ = "0.1.0"
