"""What a newcomer met trying the wizard at 80x24 (issue 11): each test is a thing seen on screen."""

from __future__ import annotations

import asyncio

from textual.widgets import Label

from idmf.wizard.app import StartScreen, WizardApp

SMALL = (80, 24)


def test_enter_with_no_title_on_the_start_screen_says_to_give_one(tmp_path, questionnaire):
    async def scenario():
        app = WizardApp(tmp_path, questionnaire=questionnaire)
        async with app.run_test(size=SMALL) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            await pilot.press("enter")
            await pilot.pause()
            label = app.screen.query_one("#start-message", Label)
            # Was: the words were set on a label that stayed hidden, so Enter seemed to do nothing.
            return label.display, str(label.render()), app.screen.get_widget_at(*label.region.offset)[0] is label

    shown, text, on_screen = asyncio.run(scenario())
    assert shown and on_screen
    assert "Give the decision a title first" in text
