"""What the similarity service knows of a committee's texts: how many of them hold each word
(in each committee's schema, refreshed by ``similarity.statistics``)."""

from django.db import models


class WordCount(models.Model):
    """In how many texts of ``source`` a word is found (document frequency), or in how many
    titles a character is written."""

    class Kind(models.TextChoices):
        WORD = "word"
        CHARACTER = "character"

    source = models.CharField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WORD)
    word = models.CharField(max_length=50)
    texts = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "word"], name="similarity_word_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.word}: {self.texts}"


class SourceCount(models.Model):
    """How many texts of ``source`` there were when its word counts were last taken."""

    source = models.CharField(max_length=40, primary_key=True)
    texts = models.PositiveIntegerField()
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.source}: {self.texts}"
