Feature: Trusting what the register and the board see
  A board relies on a reviewer's approval, and a register is only useful if
  one bad file does not blank it. An approval must be the reviewer's own,
  and a file nobody approved must never read as approved.

  Scenario: A reviewer's signed approval is verified by anyone with the trusted-reviewers file
    Given a reviewer with a signing key listed in the organisation's trusted-reviewers file
    And the green example assessment, submitted by its author
    When the reviewer approves it
    Then verifying it says the signature is verified

  Scenario: An approval typed into a file by hand is not verified
    Given a reviewer with a signing key listed in the organisation's trusted-reviewers file
    And a draft into which someone has typed an approval block and the status "approved"
    Then verifying it says "approval not verified"
    And the register shows "approval not verified" against it

  Scenario: One unreadable file does not hide the rest of the register
    Given a folder with the three example assessments and a file with an impossible date
    When I list the register
    Then every example is listed with its status
    And the bad file is listed as an error naming the line and the impossible date
