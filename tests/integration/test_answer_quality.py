"""Answer quality on paraphrased questions: the right facts, cited from the right passage.

The questions paraphrase the corpus (they do not copy its sentences). Issue 2 asks for at least
90% right; each case is also reported on its own so a regression names its question.
"""

from __future__ import annotations

import re

import pytest

from assistant.answering.citing import NOT_COVERED_PREFIX
from assistant.answering.pipeline import Assistant

# (question, facts: each a regex one of whose spellings must appear, a span of the passage that
# must be cited)
PARAPHRASES: list[tuple[str, list[str], str]] = [
    (
        "What should be given first to treat immune-mediated necrotizing myopathy?",
        [r"corticosteroid", r"prednisone"],
        "should be treated with high-dose corticosteroids",
    ),
    ("How much prednisone per kilogram is recommended at the start?", [r"0\.5", r"mg/kg"], "mg/kg"),
    ("After how long is the steroid dose reduced?", [r"2 to 4 weeks"], "taper after 2 to 4 weeks"),
    (
        "Which medications can be combined with steroids to spare them?",
        [r"methotrexate", r"azathioprine", r"mycophenolate"],
        "methotrexate, azathioprine",
    ),
    (
        "Why add a steroid-sparing drug?",
        [r"reduce corticosteroid dosage|long-term side effects|morbidity"],
        "steroid-sparing agent",
    ),
    (
        "How is the response to therapy followed up?",
        [r"creatine kinase", r"muscle strength"],
        "Monitoring of muscle strength",
    ),
    (
        "What options exist for severe disease that does not respond?",
        [r"intravenous immunoglobulin|IVIG", r"rituximab"],
        "refractory",
    ),
    ("Does rehabilitation have a role?", [r"physical therapy"], "physical therapy"),
    (
        "What are the overall aims of therapy?",
        [r"reduce inflammation|quality of life"],
        "goal of treatment",
    ),
    (
        "What does a muscle biopsy show in this disease?",
        [r"necrosis", r"minimal inflammatory"],
        "myofiber necrosis",
    ),
    (
        "What are the serological subtypes?",
        [r"HMGCR", r"SRP", r"antibody negative"],
        "three subtypes",
    ),
    (
        "Does the antibody status tell anything about prognosis?",
        [r"prognosis"],
        "Autoantibody status",
    ),
    ("Which patients may do well on immunoglobulin alone?", [r"HMGCR"], "monotherapy"),
    (
        "What is preferred early on in patients with antibodies to signal recognition particle?",
        [r"rituximab"],
        "early rituximab",
    ),
    (
        "Why should immunosuppression be started without delay?",
        [r"fatty replacement|atrophy|debilitating weakness"],
        "Prompt initiation",
    ),
    ("What happens when immunosuppressants are tapered?", [r"relapse"], "high rate of relapse"),
    (
        "Is one drug usually enough to control the disease?",
        [r"combination therapy"],
        "combination therapy",
    ),
    (
        "Is there agreement on the best way to treat it?",
        [r"unknown|practice variation"],
        "optimal treatment strategy",
    ),
    ("Which factor predicts a worse outcome?", [r"[Yy]oung age"], "Young age of onset"),
    ("Which tests help with the diagnosis?", [r"MRI", r"HMGCR|SRP"], "muscle MRI"),
    (
        "What progress has research made recently?",
        [r"autoantibodies|classification criteria"],
        "Significant advances",
    ),
    (
        "Is the CK level raised in this myopathy?",
        [r"creatine kinase"],
        "highly elevated creatine kinase",
    ),
    (
        "How common is involvement of organs other than muscle?",
        [r"infrequent extra-muscular"],
        "infrequent extra-muscular",
    ),
    (
        "Do we need more studies on how to manage these patients?",
        [r"[Ff]urther studies"],
        "Further studies are needed",
    ),
    (
        "What is the purpose of immunosuppressive therapy in this disease?",
        [r"autoimmune response"],
        "autoimmune response",
    ),
    ("Can this myopathy be severely disabling?", [r"disabling"], "severely disabling"),
    ("Should treatment be individualised for each patient?", [r"tailored"], "tailored"),
    (
        "What is the initial approach for adults with idiopathic inflammatory myopathies?",
        [r"corticosteroids", r"steroid-sparing"],
        "idiopathic inflammatory myopathies",
    ),
    (
        "How much is still unknown about this condition?",
        [r"remains unknown"],
        "much remains unknown",
    ),
    (
        "What are the main symptoms that aggressive treatment tries to prevent?",
        [r"weakness|atrophy"],
        "debilitating weakness",
    ),
]

OFF_TOPIC = [
    "What is the capital of France?",
    "How do I bake sourdough bread?",
    "What is the recommended insulin regimen for type 1 diabetes?",
    "Who won the football World Cup in 2018?",
    "What is the treatment of migraine?",
]

# On-topic, but the detail asked for is not in the sources: what they say, and what they do not.
PARTIAL = [
    ("What is the dose of rituximab?", r"rituximab", "state a dose"),
    ("How often should creatine kinase be checked?", r"creatine kinase", "say how often"),
    ("What IVIG dose is used?", r"immunoglobulin|IVIG", "state a dose"),
    # The only dose in the text is prednisone's: it must not pass for methotrexate's.
    ("What is the dose of methotrexate?", r"methotrexate", "state a dose for methotrexate"),
    ("What is the mortality rate of IMNM?", r"\[1\]", "give a mortality rate"),
]


def is_right(assistant: Assistant, question: str, facts: list[str], span: str) -> str | None:
    """None when the answer is right, else what is wrong."""
    answer = assistant.ask(question)
    if answer.abstained:
        return "declined"
    for fact in facts:
        if not re.search(fact, answer.answer):
            return f"missing {fact!r} in {answer.answer!r}"
    if not any(span in c.text for c in answer.citations):
        return f"passage with {span!r} not cited: {[c.chunk_id for c in answer.citations]}"
    for marker in re.findall(r"\[(\d+)\]", answer.answer):
        if int(marker) not in {c.marker for c in answer.citations}:
            return f"marker [{marker}] has no citation"
    return None


def test_paraphrased_questions_at_least_90_percent_right(assistant: Assistant) -> None:
    wrong = {q: why for q, f, s in PARAPHRASES if (why := is_right(assistant, q, f, s))}
    rate = 1 - len(wrong) / len(PARAPHRASES)
    assert rate >= 0.9, f"{rate:.0%} right; wrong: {wrong}"


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_is_declined(assistant: Assistant, question: str) -> None:
    answer = assistant.ask(question)
    assert answer.abstained, answer.answer
    assert answer.answer.startswith(NOT_COVERED_PREFIX) and not answer.citations


@pytest.mark.parametrize(("question", "missing"), [
    ("Should statins be stopped in anti-HMGCR myopathy?", "statins"),
    ("Can patients with IMNM drink alcohol?", "alcohol"),
    ("Is pregnancy safe during IVIG treatment?", "pregnancy"),
])
def test_what_the_sources_never_mention_is_named(
    assistant: Assistant, question: str, missing: str
) -> None:
    """On topic, but asking about something the text never mentions: whatever is said, the
    answer names what is not there (it used to quote related sentences and say nothing)."""
    answer = assistant.ask(question)
    assert f"{NOT_COVERED_PREFIX} mention" in answer.answer and missing in answer.answer


def test_a_misspelt_detail_is_named_in_the_word_meant(assistant: Assistant) -> None:
    # "sucess" is no corpus word: read as the English word it misspells, the missing detail is
    # named as the clinician meant it, not echoed as typed.
    answer = assistant.ask("sucess rate of IVIG in IMNM?")
    assert f"{NOT_COVERED_PREFIX} give a success rate" in answer.answer, answer.answer
    assert "sucess" not in answer.answer


@pytest.mark.parametrize(("question", "said", "missing"), PARTIAL)
def test_partial_coverage_says_what_is_missing(
    assistant: Assistant, question: str, said: str, missing: str
) -> None:
    answer = assistant.ask(question)
    # What the sources say is quoted when the evidence is strong enough; what they do not
    # give is named either way.
    assert answer.abstained or re.search(said, answer.answer), answer.answer
    assert f"{NOT_COVERED_PREFIX} {missing}" in answer.answer


def test_every_sentence_carries_a_marker(assistant: Assistant) -> None:
    for question, _, _ in PARAPHRASES[:10]:
        answer = assistant.ask(question)
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", answer.answer):
            if not sentence.startswith(NOT_COVERED_PREFIX):
                assert re.search(r"\[\d+\][.!?]?$", sentence), sentence


def test_factual_answers_are_short(assistant: Assistant) -> None:
    long = [q for q, _, _ in PARAPHRASES if len(assistant.ask(q).answer.split()) > 75]
    assert len(long) <= 3, long
