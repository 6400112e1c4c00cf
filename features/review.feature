Feature: Reviewing and signing off an assessment
  The Equality & Inclusion business partner checks a submitted assessment,
  approves it or sends it back with comments, and can trust that what they
  approved is what reaches the board.

  Scenario: Author cannot submit while blocking findings remain
    Given the red example assessment as a draft
    When the author submits it
    Then submission is refused and the blocking findings are listed

  Scenario: Reviewer approves a submitted assessment
    Given the green example assessment, submitted by its author
    When the reviewer "Alex Morgan", "Equality & Inclusion Business Partner", approves it with comment "Thorough and proportionate"
    Then the assessment is approved with the reviewer, role, date and comment recorded
    And a review date is set no more than 12 months after approval

  Scenario: Reviewer returns an assessment with comments
    Given the green example assessment, submitted by its author
    When the reviewer returns it with comment "Please add the engagement dates"
    Then the assessment is returned and the comment is in its history

  Scenario: Editing an approved assessment reopens it
    Given the green example assessment, approved by the reviewer
    When the author changes an answer in idmf
    Then the assessment is a draft again with a history entry naming the changed question

  Scenario: Editing an approved assessment by hand reopens it too
    Given the green example assessment, approved by the reviewer
    When someone changes an answer by hand in a text editor
    Then checking it says it changed since approval, naming the date and the reviewer
    And verifying it fails
    And the register lists it as a draft changed since approval
    When the author next submits it
    Then it is submitted again, and its history says it was changed outside idmf after approval

  Scenario: Tampering with the history is detected
    Given the green example assessment, approved by the reviewer
    When someone rewrites the approval entry in its history
    Then verifying it reports the broken history

  Scenario: Register shows overdue reviews
    Given a folder with an approved assessment whose review date has passed and one draft
    When I list the register with only overdue reviews
    Then only the overdue assessment is listed, marked overdue
    And in an 80-column terminal the register table names every file and marks the overdue one
