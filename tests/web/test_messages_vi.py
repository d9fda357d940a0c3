"""Messages that reach officers come in Vietnamese, even where Django's catalog lacks them."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.django_db
def test_a_short_password_is_refused_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password("hl123456")

    assert refused.value.messages == ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự."]
