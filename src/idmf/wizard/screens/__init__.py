"""The wizard's screens, one module each."""

from .assessment import AssessmentScreen
from .help import HelpScreen
from .review import ReviewScreen
from .start import StartScreen

__all__ = ["AssessmentScreen", "HelpScreen", "ReviewScreen", "StartScreen"]
