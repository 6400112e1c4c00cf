Feature: Bringing completed EHIIRA forms into idmf and auditing the backlog
  An equality team already has hundreds of completed stage 1 forms in Word and PDF.
  They want them in the register without retyping, with nothing guessed, and then
  want to see at a glance which past decisions had weak or incomplete assessments.

  Scenario: Equality lead imports a completed Word form
    Given a completed stage 1 form in Word with every question answered
    When I import it into an empty assessments folder
    Then one screening assessment is saved with all 27 Yes/No answers and their reasons
    And I am told what was mapped and that nothing was left unanswered
    And the assessment records which file it came from

  Scenario: A form with unclear answers is imported without guessing
    Given a completed stage 1 form where question 7 has both boxes ticked and question 4 is blank
    When I import it into an empty assessments folder
    Then questions 4 and 7 are left unanswered
    And the reason written for question 7 is kept
    And I am told that questions 4 and 7 were left unanswered and why

  Scenario: Dates on a form are read day first, however they were written
    Given a completed stage 1 form whose screening was dated "12 Mar 24" and whose approval was dated "Wednesday 20 March 2024"
    When I import it into an empty assessments folder
    Then the screening is recorded as done on 12 March 2024
    And the approval outside idmf is recorded as given on 20 March 2024

  Scenario: Something that is not a form is refused
    Given a Word file that is really a zip bomb
    When I import it into an empty assessments folder
    Then idmf exits with code 2 and tells me what is wrong with the file, without a traceback
    And no assessment is saved

  Scenario: Equality lead audits a folder of imported forms
    Given a folder of completed forms, some with unanswered questions
    When I import the folder and audit it
    Then the audit counts, across all forms, each unanswered question by its number
    And it counts forms that needed stage 2 but have none

  Scenario: A PDF saved from a Word form is read row by row, with its header and sign-off
    Given a stage 1 form saved from Word as a PDF, with a header block, one Yes/No column and the business partner's sign-off table
    When I import it into an empty assessments folder with a review page
    Then every Yes or No written on the form is read, each with its own row's reason
    And the title, who drafted it and the business partner's approval on paper are recorded
    And the review page shows, question by question, what the form says beside the answer read
