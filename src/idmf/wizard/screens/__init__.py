"""The wizard's screens, one module each."""

from .assessment import AssessmentScreen
from .help import HelpScreen
from .pick import QuestionPicker
from .review import ReviewScreen
from .start import StartScreen

__all__ = ["AssessmentScreen", "HelpScreen", "QuestionPicker", "ReviewScreen", "StartScreen"]
