Feature: Starting and keeping an assessment
  Staff who are not equality specialists start an assessment for a decision,
  come back to it later, and are told plainly what is still missing.
  Rule maintainers are told exactly where a broken questionnaire is wrong.

  Scenario: Staff member starts a new assessment
    Given an empty assessments folder
    When I start a new assessment called "Community diabetes service redesign"
    Then a draft assessment file is created in that folder
    And showing it lists "Community diabetes service redesign" as a draft
    And it tells me which required questions are still to answer

  Scenario: Staff member's answers survive a crash
    Given an assessment with an answer to question "purpose.aims"
    When the program saving it is killed part-way through a save
    Then the assessment still opens with the answer to "purpose.aims"

  Scenario: Staff member opens a file that is not an assessment
    Given a file holding a photo instead of an assessment
    When I ask idmf to show it
    Then I am told the file is binary and where it is
    And idmf exits with code 2 without a traceback

  Scenario: Rule maintainer is told about a broken questionnaire
    Given a copy of the questionnaires where a show_if names question "ehiira.q99"
    When I validate that copy
    Then validation fails with exit code 1
    And the message names the file and line and "ehiira.q99"
