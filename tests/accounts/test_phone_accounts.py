"""Accounts by phone: sign-up, code sign-in and password reset with texted codes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.models import CodePurpose, PhoneCode
from accounts.services.accounts import (
    account_code_send,
    account_code_signin,
    account_password_reset,
    account_signup,
)
from case_core.errors import DomainError
from case_core.models import AuditEntry, User
from tests.support.outbox import last_code, texts_to
from tests.support.personas import make_user

pytestmark = pytest.mark.django_db
PHONE = "+8613912345678"


@pytest.fixture(autouse=True)
def _no_resend_wait(settings):
    settings.TRIBUNAL_PHONE_CODE_RESEND_SECONDS = 0


def test_it_signs_up_with_a_phone_and_its_code():
    account_code_send(phone="139 1234 5678", purpose=CodePurpose.SIGNUP)
    user = account_signup(phone="13912345678", code=last_code(PHONE), name="Li Si")
    assert user.phone == PHONE and user.username == PHONE and not user.has_usable_password()
    assert AuditEntry.objects.filter(action="account.signed_up", case=None).count() == 1
    stored = PhoneCode.objects.get()
    assert last_code(PHONE) not in stored.code_hash and stored.used_at is not None


def test_it_refuses_a_wrong_code_and_counts_it_down_to_dead():
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNUP)
    right = last_code(PHONE)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError) as err:
            account_signup(phone=PHONE, code=wrong, name="Li Si")
        assert err.value.code == "wrong_code" and err.value.details["attempts_left"] == left
    with pytest.raises(DomainError) as err:
        account_signup(phone=PHONE, code=wrong, name="Li Si")
    assert err.value.code == "too_many_attempts"
    with pytest.raises(DomainError) as err:  # the right code is dead too
        account_signup(phone=PHONE, code=right, name="Li Si")
    assert err.value.code == "too_many_attempts"
    assert not User.objects.filter(phone=PHONE).exists()


def test_it_refuses_an_expired_code():
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNUP)
    PhoneCode.objects.update(expires_at=timezone.now())
    with pytest.raises(DomainError) as err:
        account_signup(phone=PHONE, code=last_code(PHONE), name="Li Si")
    assert err.value.code == "code_expired"


def test_it_stops_a_code_flood_per_number_and_per_address(settings):
    settings.TRIBUNAL_PHONE_CODE_PER_PHONE_HOUR = 2
    for _ in range(2):
        account_code_send(phone=PHONE, purpose=CodePurpose.SIGNUP)
    with pytest.raises(DomainError) as err:
        account_code_send(phone=PHONE, purpose=CodePurpose.SIGNUP)
    assert err.value.code == "code_flood" and err.value.status == 429
    settings.TRIBUNAL_PHONE_CODE_PER_ADDRESS_HOUR = 3
    for n in range(3):
        account_code_send(
            phone=f"+861391234560{n}", purpose=CodePurpose.SIGNIN, client_ip="203.0.113.9"
        )
    with pytest.raises(DomainError) as err:
        account_code_send(
            phone="+8613912345609", purpose=CodePurpose.SIGNIN, client_ip="203.0.113.9"
        )
    assert err.value.code == "code_flood"


def test_it_makes_you_wait_before_a_second_code(settings):
    settings.TRIBUNAL_PHONE_CODE_RESEND_SECONDS = 60
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNIN)
    with pytest.raises(DomainError) as err:
        account_code_send(phone=PHONE, purpose=CodePurpose.SIGNIN)
    assert err.value.code == "code_recently_sent" and 0 < err.value.details["retry_after"] <= 60


def test_it_answers_the_same_for_unknown_numbers_and_texts_nothing():
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNIN)  # no account: no error either
    assert texts_to(PHONE) == []
    with pytest.raises(DomainError) as err:  # and no code can sign in
        account_code_signin(phone=PHONE, code="123456")
    assert err.value.code == "wrong_code"


def test_it_signs_in_and_resets_the_password_with_codes():
    user = make_user("worker", phone=PHONE)
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNIN)
    assert account_code_signin(phone=PHONE, code=last_code(PHONE)) == user
    account_code_send(phone=PHONE, purpose=CodePurpose.RESET)
    with pytest.raises(DomainError) as err:  # a weak password is refused before the code is used
        account_password_reset(phone=PHONE, code=last_code(PHONE), password="123")
    assert err.value.details["field"] == "password"
    account_password_reset(phone=PHONE, code=last_code(PHONE), password="a-long-new-secret-9")
    user.refresh_from_db()
    assert user.check_password("a-long-new-secret-9")
    assert AuditEntry.objects.filter(action="account.password_reset").count() == 1


def test_it_does_not_sign_up_a_number_twice():
    make_user("worker", phone=PHONE)
    account_code_send(phone=PHONE, purpose=CodePurpose.SIGNUP)
    assert texts_to(PHONE) == []  # the owner is not sent a sign-up code
    with pytest.raises(DomainError) as err:
        account_signup(phone=PHONE, code="123456", name="Impostor")
    assert err.value.code == "wrong_code"
    assert User.objects.filter(phone=PHONE).count() == 1


@pytest.mark.parametrize("bad", ["", "12", "+1 202 555 01", "abc", "1" * 40])
def test_it_refuses_numbers_that_are_not_mobiles(bad):
    with pytest.raises(DomainError) as err:
        account_code_send(phone=bad, purpose=CodePurpose.SIGNUP)
    assert err.value.code == "invalid" and err.value.details["field"] == "phone"
    assert not PhoneCode.objects.exists()


def test_it_changes_the_signing_phone_only_after_the_new_number_proves_itself():
    from accounts.services.accounts import account_phone_change, account_phone_change_send

    user = make_user("worker", phone=PHONE)
    new = "+8613912340000"
    account_phone_change_send(actor=user, phone=new)
    with pytest.raises(DomainError):
        account_phone_change(
            actor=user, phone=new, code="000000" if last_code(new) != "000000" else "111111"
        )
    user.refresh_from_db()
    assert user.phone == PHONE
    account_phone_change(actor=user, phone=new, code=last_code(new))
    user.refresh_from_db()
    assert user.phone == new
    assert AuditEntry.objects.filter(action="account.phone_changed", actor=user).count() == 1
