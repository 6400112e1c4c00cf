Feature: Findings that read as an equality reviewer would write them
  An Equality and Inclusion reviewer reads idmf's findings before a board paper goes out.
  The findings must weigh what the assessment says as a reviewer would: one gap read once,
  a bare "No" where nothing points to a concern accepted, a decision dated before any
  screening called out on its own, and clinical evidence not taken as evidence of fair access.

  Scenario: A reviewer reads one gap once, with what follows from it inside
    Given the assessment "examples/red-day-centre-consolidation.yaml"
    When I check it
    Then "No data by group or deprivation, in the evidence or the monitoring" is one finding of high severity
    And inside it are the findings that follow from it: EV-002, EV-003, EV-005, MON-002, MON-003
    And none of those is listed again on its own

  Scenario: A bare No to the human-rights articles is a note when nothing points to a concern
    Given the assessment "examples/cases/green-system-health-inequalities-strategy.yaml"
    When I check it
    Then the rating is green
    And "A bare No to a human-rights question" is a low finding that does not block

  Scenario: A decision dated before any screening is critical in its own right
    Given the assessment "examples/cases/red-community-hospital-ward-closure-unscreened.yaml"
    When I check it
    Then the rating is red
    And "A decision date with a blank screening" is a critical finding that blocks

  Scenario: Evidence that a treatment works is not evidence that access to it is fair
    Given the assessment "examples/cases/red-tirzepatide-weight-management-rollout.yaml"
    When I check it
    Then "A claim of fairer access rests on clinical-effectiveness evidence alone" is a finding
    And it cites question 9 and the evidence given

  Scenario: A question the steps already asked is answered on the form, and says where from
    Given a full assessment whose step 1 says Yes to "Does the decision reduce, restrict or withdraw a service?" because "Respite beds cut from 12 to 8"
    And question 4 on the form was never answered on its own
    When I check it
    Then no finding says question 4 is unanswered
    And question 4 counts as Yes, taken from step 1: a full (stage 2) assessment is needed
    When I write the board report
    Then question 4 on the form reads Yes, "Respite beds cut from 12 to 8 (from step 1: Does the decision reduce, restrict or withdraw a service?)"
