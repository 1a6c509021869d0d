"""Speaker names: lenient matching, since calling a quote misattributed is the expensive error."""

from __future__ import annotations

import pytest

from quotetrace.speakers import same_speaker


@pytest.mark.parametrize("claimed, actual", [
    ("Obama", "President Barack H. Obama"),
    ("FDR", "Franklin D. Roosevelt"),
    ("KING", "KING"),  # archives such as the UN debates store one upper-case name: not initials
    ("SEY", "Sey"),
    ("King", "Martin Luther King Jr."),  # a title word that is a surname
    ("António Guterres", "the Secretary-General, António Guterres"),
    ("Kerry", "Secretary of State John Kerry"),
    ("Bill Clinton", "William J. Clinton"),  # a short form of the given name
    ("Jimmy Carter", "James Earl Carter"),
    ("H. W. Bush", "George H. W. Bush"),  # initials
    ("Clinton", "Bill Clinton"),  # a surname alone tells no one apart
])
def test_same_person(claimed, actual):
    assert same_speaker(claimed, actual)


@pytest.mark.parametrize("claimed, actual", [
    ("Donald Trump", "Barack Obama"),
    ("KING", "Queen Elizabeth"),
    ("JFK", "Lyndon B. Johnson"),
    ("Hillary Clinton", "Bill Clinton"),  # one surname, two people
    ("Franklin D. Roosevelt", "Theodore Roosevelt"),
    ("John F. Kennedy", "Robert F. Kennedy"),
])
def test_different_person(claimed, actual):
    assert not same_speaker(claimed, actual)
