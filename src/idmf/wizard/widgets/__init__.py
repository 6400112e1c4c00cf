"""Widgets of the wizard, by feature: the conversation, the steps, the findings, the answer editors."""
