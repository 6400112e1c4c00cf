Feature: The EHIIRA report attached to the board paper
  The board reads the appendix, not the working file: a short report shaped
  like the EHIIRA form, with the risks that matter in plain words above it.
  The author gets the full working report with every finding.

  Scenario: Board member reads the rating, the readiness and the risks on the first page
    Given the red example assessment
    When I render its board report as HTML
    Then the summary shows the rating "RAG: RED" in words
    And the summary shows the overview of the proposal
    And the summary names what could go wrong and what is being done about it
    And the report shows no rule ids and no question ids

  Scenario: Board member sees the stage 1 form as they know it
    Given the red example assessment
    When I render its board report as Word
    Then the stage 1 table has the columns "No.", "Question", "Yes/No" and "Rationale"
    And the stage 1 form has the 28 numbered questions in four sections

  Scenario: Author still gets every finding and what to do about it
    Given the red example assessment
    When I render its author report as HTML
    Then the blocking findings are listed in the summary before any other finding
    And each finding says what to do

  Scenario: Reviewer can tell which rules produced the report
    Given the red example assessment
    When I render its author report as Markdown
    Then the report ends with the assessment id, its content hash and the rule-set version
    And the rule-set version matches the rule files on disk

  Scenario: Board PDF stays short and can be read by a screen reader
    Given the green example assessment
    When I render its board report as PDF
    Then the PDF has at most 6 pages
    And the PDF is tagged, in British English, with the assessment's title

  Scenario: A staff member's text cannot change the report
    Given an assessment whose overview says "<script>alert(1)</script> {{ 7*7 }}"
    When I render its board report as HTML
    Then the overview appears exactly as typed

  Scenario: Board member sees every blocking and every high finding first, the rest in the appendix
    Given the red example assessment
    When I render its board report as HTML
    Then the summary names every blocking and every high finding by the title idmf check gives it
    And the summary counts the other findings and the appendix lists them
    And nothing points to a document the board does not have

  Scenario: The author's words are printed as they wrote them
    Given an assessment whose question 5 rationale says "Yes, on reflection. Moving to the hub is the only option."
    When I render its board report as Word
    Then the rationale appears exactly as written
