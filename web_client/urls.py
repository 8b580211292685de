from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from web_client.signin import SignInForm
from web_client.views import account, actions, apply, booking, cases, evidence, public, workbench
from web_client.views.record_check import bundle_verifier, record_check

app_name = "web"
urlpatterns = [
    path("", public.home, name="home"),
    path("guide/", public.guide_list, name="guide"),
    path("guide/<slug:slug>/", public.guide, name="guide_page"),
    path("help/", public.faq, name="faq"),
    path("visit/", public.offices, name="offices"),
    path("progress/", public.progress, name="progress"),
    path("record/", record_check, name="record_check"),
    path("record/verify_bundle.py", bundle_verifier, name="bundle_verifier"),
    path("book/", booking.booking_new, name="booking_new"),
    path("book/<int:booking_id>/cancel/", booking.booking_cancel_view, name="booking_cancel"),
    path("workbench/slots/", booking.slots, name="booking_slots"),
    path("workbench/mail/", booking.mail_intake, name="mail_intake"),
    path(
        "signin/",
        auth_views.LoginView.as_view(
            template_name="web_client/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("signout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signin/code/", account.signin_code, name="signin_code"),
    path("signup/", account.signup, name="signup"),
    path("register/", RedirectView.as_view(pattern_name="web:signup"), name="register"),
    path("password/reset/", account.password_reset, name="password_reset"),
    path("account/", account.identity, name="identity"),
    path("account/phone/", account.phone_change, name="phone_change"),
    path("account/identities/", account.identities_pending, name="identities_pending"),
    path("claim/", account.claim, name="claim"),
    path("attorney/", account.attorney, name="attorney"),
    path("workbench/attorney/", account.attorney_pending, name="attorney_pending"),
    path("workbench/attorney/<int:request_id>/file/", account.attorney_file, name="attorney_file"),
    path("cases/", cases.my_cases, name="my_cases"),
    path("cases/new/", apply.new_application, name="apply"),
    path("cases/<int:case_id>/", cases.case_detail, name="case"),
    path("cases/<int:case_id>/do/<slug:action>/", actions.case_action, name="case_action"),
    path("cases/<int:case_id>/evidence/", evidence.upload, name="evidence_upload"),
    path("evidence/<int:evidence_id>/download/", evidence.download, name="evidence_download"),
    path("evidence/<int:evidence_id>/opinion/", evidence.opinion, name="evidence_opinion"),
    path("workbench/", workbench.workbench, name="workbench"),
]
