"""The wizard's screens, one module each."""

from .assessment import AssessmentScreen
from .pick import QuestionPicker
from .review import ReviewScreen
from .start import StartScreen

__all__ = ["AssessmentScreen", "HelpScreen", "QuestionPicker", "ReviewScreen", "StartScreen"]


def __getattr__(name: str):
    # The help screen renders Markdown, whose parser is slow to import; it is
    # imported when F1 is first pressed, not before the first question is shown.
    if name == "HelpScreen":
        from .help import HelpScreen

        return HelpScreen
    raise AttributeError(name)
