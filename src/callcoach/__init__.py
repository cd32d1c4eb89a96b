"""callcoach: framework-specific coaching from sales-call transcripts."""

__version__ = "0.1.0"
