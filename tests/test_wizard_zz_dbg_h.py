from . import test_wizard_end_to_end as e

orig = e._next_question
def nq(term, prev, deadline):
    p = orig(term, prev, deadline)
    print("PROMPT:", repr(p))
    if p and ("action" in p.lower() or "mitigat" in p.lower()):
        print(term.screen())
    return p
e._next_question = nq

def test_dbg(tmp_path, questionnaire):
    e.test_a_whole_assessment_typed_in_a_real_terminal_is_saved_exactly_as_typed(tmp_path, questionnaire)
