"""The fixed vocabularies of the schema: kinds and modes. The models' check
constraints and the services' validation both use these (and importing
them costs nothing, unlike the models)."""

SPEAKER_KINDS = ("person", "organisation")
ALIAS_KINDS = ("name", "variant", "misspelling", "role")
SOURCE_KINDS = (
    "article",
    "interview",
    "broadcast",
    "transcript",
    "social_post",
    "press_release",
    "document",
)
QUOTE_MODES = ("direct", "indirect", "mixed")
CLAIM_KINDS = ("fact", "prediction", "promise", "opinion")
DATED_KINDS = ("prediction", "promise")  # the kinds of claim that can have a due date
