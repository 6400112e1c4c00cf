Feature: The EHIIRA report attached to the board paper
  Reviewers read the generated report to check the assessment is complete
  and honest before it goes to the board.

  Scenario: Reviewer sees blocking findings first
    Given the red example assessment
    When I render its report as HTML
    Then the summary shows the rating "RAG: RED" in words
    And the blocking findings are listed in the summary before any other finding

  Scenario: Reviewer can tell which rules produced the report
    Given the red example assessment
    When I render its report as Markdown
    Then the report ends with the assessment id, its content hash and the rule-set version
    And the rule-set version matches the rule files on disk

  Scenario: Reviewer gets the same report in Word
    Given the red example assessment
    When I render its report as Word
    Then the document's headings use Word heading styles in the order of the report
    And the stage 1 table has the columns "No.", "Question", "Yes/No" and "Rationale"

  Scenario: A staff member's text cannot change the report
    Given an assessment whose aims say "<script>alert(1)</script> {{ 7*7 }}"
    When I render its report as HTML
    Then the aims appear exactly as typed
