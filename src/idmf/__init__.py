"""idmf: Inclusive Decision-Making Framework and EHIIRA tooling."""

__version__ = "0.1.0"
