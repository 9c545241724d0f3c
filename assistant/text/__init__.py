"""Text skills shared by every stage: sentences, numbers and units, negation and antonyms."""
