"""Position questions about parties the briefs report, beyond the parties we keep aliases for."""

from __future__ import annotations

from service.answer.intent import Intent, actor_matches, read_question

REPORTED = frozenset({"NMFS", "the EDPB", "the Center for Biological Diversity", "To", "Having"})


def test_a_reported_holder_named_in_the_question_is_the_party() -> None:
    read = read_question("What did NMFS argue about the Gulf oil and gas activities?", REPORTED)
    assert read.intent is Intent.position
    assert read.party is not None and read.party.name == "NMFS"
    assert actor_matches("NMFS", read.party) and not actor_matches("the EDPB", read.party)


def test_names_match_in_any_case_acronyms_only_as_written() -> None:
    read = read_question(
        "What does the center for biological diversity say about the meeting?", REPORTED
    )
    assert read.party is not None and read.party.name == "Center for Biological Diversity"
    # A reported acronym matches only as written; the wording still names the holder.
    typed = read_question("what did nmfs argue?", REPORTED).party
    assert typed is not None and typed.name == "nmfs"


def test_known_parties_come_first_and_sentence_openers_are_no_holders() -> None:
    read = read_question("What is China's position on the EDPB guidelines?", REPORTED)
    assert read.party is not None and read.party.name == "China"
    assert read_question("Having read it, to whom does it apply?", REPORTED).party is None
    # Without the reported holders, the wording ("did X argue") still names the party.
    unreported = read_question("What did NMFS argue about the Gulf?")
    assert unreported.intent is Intent.position and unreported.asked_by_verb
    assert unreported.party is not None and unreported.party.name == "NMFS"
    assert read_question("What happened in the Gulf?").party is None
