"""The front door's pages: sign up, sign in with a texted code, reset a password, the account
page (identity, phone), and claiming a case with its access code. Each posts to an
accounts service; a DomainError is shown on the field it names (or above the form)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuthorityStatus, CodePurpose, Identity, PowerOfAttorney
from accounts.services import case_claim
from accounts.services.accounts import (
    account_code_send,
    account_code_signin,
    account_password_reset,
    account_phone_change,
    account_phone_change_send,
    account_signup,
)
from accounts.services.attorney import attorney_decide, attorney_request
from accounts.services.identity import identity_confirm, identity_declare
from case_core.audit import audit_record
from case_core.errors import DomainError, forbidden, not_found
from web_client.account_forms import (
    AttorneyForm,
    ClaimForm,
    CodeForm,
    IdentityForm,
    PhoneForm,
    ResetForm,
    SignUpForm,
)

SENT = gettext_lazy(
    "If this number can receive our codes, a code is on its way. It is valid for 10 minutes."
)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _show(form, error: DomainError):
    field = (error.details or {}).get("field")
    if field in form.fields:
        form.add_error(field, error.message)
    else:
        form.add_error(None, error.message)


def _code_flow(request, *, form_class, template, finish, purpose=None, send=None):
    """Two steps on one page: ask for a code (`send`), then finish with it. The code is sent by
    `send(request, phone)`, or by default as an account code for `purpose`."""
    ctx = {"next": _next(request, ""), "sent": False}
    if request.method != "POST":
        form = form_class(initial={"phone": request.GET.get("phone", "")[:32]})
        ctx.update(form=form, phone_form=form)
        return render(request, template, ctx)
    if "send" in request.POST:
        phone_form = PhoneForm(request.POST)
        ctx.update(
            phone_form=phone_form,
            form=form_class(initial={"phone": request.POST.get("phone", "")[:32]}),
        )
        if not phone_form.is_valid():
            return render(request, template, ctx, status=400)
        try:
            if send is not None:
                send(request, phone_form.cleaned_data["phone"])
            else:
                account_code_send(
                    phone=phone_form.cleaned_data["phone"],
                    purpose=purpose,
                    client_ip=get_client_ip_address(request),
                )
        except DomainError as error:
            _show(phone_form, error)
            return render(request, template, ctx, status=error.status)
        ctx["sent"] = True
        ctx["sent_message"] = SENT
        return render(request, template, ctx)
    form = form_class(request.POST)
    ctx.update(form=form, phone_form=form, sent=True)
    if not form.is_valid():
        return render(request, template, ctx, status=400)
    try:
        response = finish(request, form.cleaned_data)
    except DomainError as error:
        _show(form, error)
        return render(request, template, ctx, status=error.status)
    return response


def signup(request):
    def finish(request, data):
        user = account_signup(
            phone=data["phone"], code=data["code"], name=data["name"], password=data["password"]
        )
        request.accounts_signin_method = "signup"
        login(request, user, backend=BACKEND)
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect(_next(request, "web:identity"))

    if request.user.is_authenticated:
        return redirect("web:my_cases")
    return _code_flow(
        request,
        purpose=CodePurpose.SIGNUP,
        form_class=SignUpForm,
        template="web_client/account/signup.html",
        finish=finish,
    )


def signin_code(request):
    def finish(request, data):
        user = account_code_signin(phone=data["phone"], code=data["code"])
        request.accounts_signin_method = "code"
        login(request, user, backend=BACKEND)
        return redirect(_next(request, "web:my_cases"))

    return _code_flow(
        request,
        purpose=CodePurpose.SIGNIN,
        form_class=CodeForm,
        template="web_client/account/signin_code.html",
        finish=finish,
    )


def password_reset(request):
    def finish(request, data):
        account_password_reset(phone=data["phone"], code=data["code"], password=data["password"])
        messages.success(request, _("Your password was changed. Sign in with it now."))
        return redirect("web:login")

    return _code_flow(
        request,
        purpose=CodePurpose.RESET,
        form_class=ResetForm,
        template="web_client/account/reset.html",
        finish=finish,
    )


@login_required
def claim(request):
    form = ClaimForm(
        request.POST or None, initial={"case_number": request.GET.get("case", "")[:64]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership = case_claim(
                actor=request.user,
                client_ip=get_client_ip_address(request),
                **form.cleaned_data,
            )
        except DomainError as error:
            _show(form, error)
            return render(
                request, "web_client/account/claim.html", {"form": form}, status=error.status
            )
        messages.success(request, _("The case is now in My cases."))
        return redirect("web:case", case_id=membership.case_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "web_client/account/claim.html", {"form": form}, status=status)


@login_required
def identity(request):
    """The account page: the real-name identity (declare it, see whether it is verified)."""
    current = Identity.objects.filter(user=request.user).first()
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not (current and current.verified):
        try:
            current = identity_declare(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _show(form, error)
            return render(
                request,
                "web_client/account/identity.html",
                {"form": form, "identity": current},
                status=error.status,
            )
        if current.verified:
            messages.success(request, _("Your identity is verified."))
        else:
            messages.info(
                request,
                _("Thank you. A clerk will check your document; you can already apply."),
            )
        return redirect(_next(request, "web:identity"))
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "web_client/account/identity.html",
        {"form": form, "identity": current},
        status=status,
    )


@login_required
def identities_pending(request):
    """Clerks: identities stated but not yet checked; confirm one after seeing the document."""
    if not request.user.is_clerk:
        raise forbidden()
    if request.method == "POST":
        target = Identity.objects.filter(pk=_int(request.POST.get("identity"))).first()
        if target is None:
            raise not_found()
        identity_confirm(actor=request.user, user=target.user)
        messages.success(request, _("Identity confirmed."))
        return redirect("web:identities_pending")
    pending = Identity.objects.filter(verified_at__isnull=True).select_related("user")[:200]
    return render(request, "web_client/account/identities_pending.html", {"pending": pending})


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def attorney(request):
    """An agent uploads the signed power of attorney for a party of a case."""
    form = AttorneyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            attorney_request(
                actor=request.user,
                case_number=d["case_number"],
                id_or_uscc=d["id_or_uscc"],
                kind=d["kind"],
                upload=d["file"],
                client_ip=get_client_ip_address(request),
            )
        except DomainError as error:
            _show(form, error)
            return render(
                request, "web_client/account/attorney.html", {"form": form}, status=error.status
            )
        messages.success(
            request,
            _("Sent to the clerk. The case appears in My cases once the clerk approves it."),
        )
        return redirect("web:my_cases")
    status = 400 if request.method == "POST" else 200
    return render(request, "web_client/account/attorney.html", {"form": form}, status=status)


@login_required
def attorney_pending(request):
    """Clerks: powers of attorney to check; approve, or refuse with reasons."""
    if not request.user.is_clerk:
        raise forbidden()
    if request.method == "POST":
        row = PowerOfAttorney.objects.filter(pk=_int(request.POST.get("request"))).first()
        if row is None:
            raise not_found()
        try:
            attorney_decide(
                actor=request.user,
                request=row,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", "")[:500],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("web:attorney_pending")
        messages.success(request, _("Decided."))
        return redirect("web:attorney_pending")
    pending = PowerOfAttorney.objects.filter(status=AuthorityStatus.PENDING).select_related(
        "case", "party", "user"
    )[:200]
    return render(request, "web_client/account/attorney_pending.html", {"pending": pending})


@login_required
def attorney_file(request, request_id: int):
    """The uploaded power of attorney, for clerks (reading it is audited)."""
    if not request.user.is_clerk:
        raise forbidden()
    row = PowerOfAttorney.objects.filter(pk=request_id).first()
    if row is None:
        raise not_found()
    audit_record(
        actor=request.user, case=row.case, action="case.attorney_viewed", data={"request": row.pk}
    )
    return FileResponse(row.file.open("rb"), content_type=row.content_type)


@login_required
def phone_change(request):
    """Change the mobile number (where sign-in and signing codes go): the new number must
    prove itself with a texted code first."""

    def send(request, phone):
        account_phone_change_send(
            actor=request.user, phone=phone, client_ip=get_client_ip_address(request)
        )

    def finish(request, data):
        account_phone_change(actor=request.user, phone=data["phone"], code=data["code"])
        messages.success(request, _("Your mobile number was changed."))
        return redirect("web:identity")

    return _code_flow(
        request,
        send=send,
        form_class=CodeForm,
        template="web_client/account/phone.html",
        finish=finish,
    )
