"""The invitation and reminder e-mail: greeting, respondent-facing title, company name and logo.

Written in the survey's language. It greets the customer's contact person by name and otherwise neutrally
("Guten Tag," / "Hello,") — never by the company name. Respondents never see the internal survey title.
"""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from cxportal.branding import Brand
from surveys.models import Invitation


def invitation_subject(*, survey, brand: Brand, reminder: bool) -> str:
    """In the active language: the public title, else the company name, else a neutral subject."""
    about = survey.public_title or brand.company_name
    subject = _("Your opinion on %(title)s") % {"title": about} if about else _("We would like your opinion")
    if reminder:
        subject = _("Reminder: %(subject)s") % {"subject": subject}
    return subject.replace("\n", " ").replace("\r", " ")


def invitation_email(
    *, invitation: Invitation, survey_url: str, unsubscribe_url: str, brand: Brand
) -> EmailMultiAlternatives:
    survey = invitation.campaign.survey
    customer = invitation.customer
    with override(survey.language):
        reminder = invitation.last_sent_at is not None
        context = {
            "contact_name": customer.contact_name.strip(),
            "survey": survey,
            "public_title": survey.public_title,
            "survey_url": survey_url,
            "unsubscribe_url": unsubscribe_url,
            "reminder": reminder,
            "brand": brand,
            "language": survey.language,
        }
        body = render_to_string("surveys/email/invitation.txt", context)
        html = render_to_string("surveys/email/invitation.html", context)
        subject = invitation_subject(survey=survey, brand=brand, reminder=reminder)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[customer.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message
