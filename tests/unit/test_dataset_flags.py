"""domain/dataset/flags.py: the one table of CO flags that the model, profiles, validation and
printing read."""

from __future__ import annotations

from originlink.domain.dataset import CO_FLAGS, FLAG_NAMES
from originlink.domain.dataset.certificate import Flags
from originlink.domain.profiles import PROFILE_FLAGS
from originlink.domain.validation.rules import references


def test_every_boolean_member_of_the_flags_model_is_in_the_table_in_form_order() -> None:
    booleans = [name for name in Flags.model_fields if name != "true_copy_issue_date"]
    assert list(FLAG_NAMES) == booleans


def test_every_flag_has_a_label_and_what_an_agreement_must_provide_for() -> None:
    for flag in CO_FLAGS:
        assert flag.label and flag.provision
        assert flag.marking is None or flag.marking == flag.marking.upper()


def test_profiles_and_validation_name_the_same_flags() -> None:
    assert PROFILE_FLAGS == FLAG_NAMES
    assert references.FLAG_NAMES is FLAG_NAMES
