Feature: Completing an assessment in the wizard
  Staff who are not equality specialists answer one question at a time,
  see straight away what their answers mean, and never lose their work.

  Scenario: I start an assessment and my first answer is saved straight away
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I answer the first question with "Sam Jones"
    Then the assessment file already holds "Sam Jones" as the person responsible
    And the next question is "Which organisation is making the decision?"

  Scenario: A Yes to question 7 tells me a full stage 2 assessment is needed
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "ehiira.q07" and answer Yes because "Older people may struggle with the new site"
    Then the wizard tells me a full stage 2 assessment is needed
    And the findings panel lists "CMP-003"

  Scenario: I cannot submit while something blocks submission
    Given I open the wizard on the red example
    When I check my answers and try to submit
    Then I am told it was not submitted because of blocking findings

  Scenario: A single choice is never made for me
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "meta.decision_type" and press "enter" without choosing anything
    Then no answer is saved to "meta.decision_type"
    And the next question is "What kind of decision is it?"

  Scenario: The cursor in a single-choice list stops at the last choice
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "meta.decision_type" and press "down" 12 times, then Enter
    Then the assessment file holds "other" for "meta.decision_type"

  Scenario: I type a date the way I write it and see it back in words
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "review.review_date" and type "15/3/27", then Enter
    Then the assessment file holds "2027-03-15" for "review.review_date"
    And my reply shows as "15 March 2027"

  Scenario: A date that does not exist is refused in plain English
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "review.review_date" and type "31/02/2027", then Enter
    Then no answer is saved to "review.review_date"
    And I am told "'31/02/2027' is not a real date — type it like 15/03/2027"

  Scenario: I change an earlier answer with the keyboard only
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I type "Sam Jones", then Enter
    And I type "NHS Somewhere ICB", then Enter
    And I press "shift+tab", "up" and "enter"
    And I clear the box and type "Alex Morgan", then Enter
    Then the assessment file holds "Alex Morgan" for "meta.person_responsible"
    And the assessment file holds "NHS Somewhere ICB" for "meta.organisation"

  Scenario: I go to a question by its number
    Given I open the wizard on the red example
    When I choose "Go to question…" in the command palette and type "Q7", then Enter
    Then the question on screen is "ehiira.q07"

  Scenario: Selecting a finding about a missing reason opens the question without one
    Given I open the wizard on the red example
    When I select the finding "CMP-002" in the findings panel
    Then the question on screen is one that "CMP-002" cites

  Scenario: Choosing to continue with a justification asks for the justification, not for that choice again
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "decide.outcome" and press "down" 3 times, then Enter
    Then the question on screen is "decide.justification"
    And the findings panel does not list "EQ-004"

  Scenario: A paste holding a terminal escape sequence is saved in order, inert
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And my terminal pastes "<ESC>[1mPriya Shah<ESC>[0m<ESC><BEL>, service lead<ESC>]2;PWNED<BEL>" and I type " (podiatry)", then Enter
    Then the assessment file holds "Priya Shah, service lead (podiatry)" for "meta.person_responsible"
    And nothing pasted acted as a key: the wizard did not say "Why we ask"

  Scenario: An answer I gave just before the wizard was killed is back in the box when I return
    Given I gave "Open later on Tuesdays" for "purpose.aims" in the green example and the wizard was killed before it was saved
    When I open the wizard on it again
    Then the question on screen is "purpose.aims"
    And the box holds "Open later on Tuesdays"
    And I am told "kept as a draft"

  Scenario: Answers I type ahead go to their own questions
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I type "Sam Jones<ENTER>Northfield ICB<ENTER>" all at once, faster than the screen keeps up
    Then the assessment file holds "Sam Jones" for "meta.person_responsible"
    And the assessment file holds "Northfield ICB" for "meta.organisation"

  Scenario: What I type straight after reopening one of my replies goes into its box
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I type "Sam Jones<ENTER>Northfield ICB<ENTER>" all at once, faster than the screen keeps up
    And I go back with Shift+Tab and Up to my reply "Sam Jones"
    And I type "<ENTER> Jr<CTRL+S>" all at once, faster than the screen keeps up
    Then the assessment file holds "Sam Jones Jr" for "meta.person_responsible"
    And the assessment file holds "Northfield ICB" for "meta.organisation"

  Scenario: In an 80-column terminal the keys for help and for quitting are in sight
    Given I open the wizard on an empty folder in a 80x24 terminal
    When I start a new assessment called "Podiatry clinic move"
    Then the bottom line starts with "f1 Help" then "^q Quit"

  Scenario: In an 80x24 terminal the question just asked shows whole in the conversation
    Given I open the wizard on an empty folder in a 80x24 terminal
    When I start a new assessment called "Bus stop move"
    And I type "Sam Jones<ENTER>Northfield ICB<ENTER>" all at once, faster than the screen keeps up
    Then the last message in the conversation is in sight to its last line

  Scenario: With an assessment already in the folder, the title I type starts a new one
    Given I open the wizard on a folder that already holds the green example
    When I type "Bus pass review", then Enter
    Then the assessment on screen is called "Bus pass review"

  Scenario: On a Yes/No question I answered before, n changes my answer to No
    Given I open the wizard on the red example
    When I go to question "ehiira.q20" and type "n", then Enter
    Then the answer saved to "ehiira.q20" is "no"

  Scenario: The command palette goes to a question by its bare number
    Given I open the wizard on the red example
    When I type "14" in the command palette, then Enter
    Then the question on screen is "ehiira.q14"

  Scenario: A stage 2 still to come is listed as to come, not as blocking
    Given I open the wizard on an empty folder
    When I start a new assessment called "Podiatry clinic move"
    And I go to question "ehiira.q07" and answer Yes because "Older people may struggle with the new site"
    Then the wizard tells me a full stage 2 assessment is needed
    And the findings panel lists "CMP-003" as to come
