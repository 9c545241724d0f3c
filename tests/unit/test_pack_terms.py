"""Words of the general pack that say one thing in several ways (domain/packs/general.toml)."""

from __future__ import annotations

import pytest

from assistant.domain.vocabulary import general_vocabulary


@pytest.mark.parametrize("said", ["does a normal ESR rule it out?", "it rules out the disease",
                                  "a normal result does not exclude it", "excluded"])
def test_ruling_out_is_excluding(said: str) -> None:
    assert "exclude" in general_vocabulary().terms(said)
