"""Loading and validating questionnaire files; parsing answers against them."""

from .loader import default_questionnaire_path, load_questionnaire

__all__ = ["default_questionnaire_path", "load_questionnaire"]
