"""The answer card: sentences of the top passages composed into a short, cited answer.

Public API:
- `search.answers.compose.compose_card` -> `Card` of `CardItem`s (card.py: definition,
  sentences, list items), with the evidence and whether it is partial; candidates.py scores
  the sentences, extracts.py grows an extract around one;
- `search.answers.question.question_shape`: concept, list or extract question, and the kind of
  statement its wording expects (answer_type.py: a reason, a date, a number);
- `search.answers.roles`: what a sentence is (never an answer, lead-in, list item, teaser);
- `search.answers.best_sentence.best_sentence_per_passage`: the highlight of each hit;
- `search.answers.evaluation`: the facts each gold answer must state (`ilp eval --answers`).
"""
