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

  # Judgement that generalises: the same reasoning on kinds of decision no rule was written for.
  Scenario: A move measured by car only is questioned, whatever the service
    Given the assessment "examples/cases/red-eye-clinic-move-hourly-bus-car-journeys.yaml"
    When I check it
    Then the rating is red
    And "Journeys to the new site were measured by car only" is a high finding that does not block
    And "Stage 2 to complete for groups this kind of change is known to fall on" is a high finding that blocks

  Scenario: A workforce change screened for patients only is not ready
    Given the assessment "examples/cases/red-porters-24-7-rota-screened-for-patients.yaml"
    When I check it
    Then the rating is red
    And "A workforce change without the staff affected by protected characteristic" is a high finding that does not block

  Scenario: The author's own figures show whom a process selects
    Given the assessment "examples/cases/red-missed-appointments-discharge-audit-disproportion.yaml"
    When I check it
    Then "The assessment's own figures show a group affected far more than its share, yet it is rated neutral or positive" is a finding

  Scenario: A group rated negative whose engagement is only booked
    Given the assessment "examples/cases/amber-sexual-health-evening-walk-in-engagement-booked.yaml"
    When I check it
    Then the rating is amber
    And "A group rated negative was not engaged, or its engagement is only planned" is a high finding that does not block

  Scenario: An honest, complete assessment is not asked to do what it has already done
    Given the assessment "examples/cases/green-podiatry-clinic-relocation-bus-measured.yaml"
    When I check it
    Then the rating is green
