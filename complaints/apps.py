from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Pengaduan")

    def ready(self):
        from complaints import (
            actions,
            compliance,
            forms,
            notifications,
            performance,
            signals,
            views,
            workflow,
        )
        from complaints import retention as complaint_retention
        from complaints.models import Complaint, ComplaintStatus
        from portal import formlimits, uploads
        from portal.cases import mail, registry, retention
        from services.catalogue import hooks
        from services.catalogue.actions import register_decree_part
        from services.catalogue.pages import complaint_channels
        from services.performance.compliance import register_check
        from services.performance.figures import register_complaint_figures

        signals.connect_catalogue_signals()
        # A changed calendar moves the deadlines of the agency's running complaints.
        hooks.recompute_on_calendar_change(
            actions.complaints_recompute_deadlines,
            message="Batas waktu {n} pengaduan dihitung ulang.",
            uid="complaints.recompute_complaints",
        )
        uploads.register_upload_count(lambda: len(forms.EVIDENCE_FIELDS))
        # The complaint form's evidence, and one more file from the tracking page.
        formlimits.register("complaints:create", len(forms.EVIDENCE_FIELDS))
        formlimits.register("cases:track_detail", 1)
        register_decree_part(actions.tiers_load)
        register_check("complaints", compliance.complaints_answered_in_time)

        def receipt_context(case):
            return {"channels": complaint_channels(case.agency, case.standard)}

        registry.register(
            registry.CaseKind(
                name="complaint",
                model=Complaint,
                track_view=views.complaint_track,
                receipt_template="pdf/complaint_receipt.html",
                receipt_context=receipt_context,
                survey_open=lambda case: case.status == ComplaintStatus.CLOSED,
            )
        )
        register_complaint_figures(performance.complaint_figures)
        retention.register(
            retention.Retention(
                name="complaint",
                label="Pengaduan",
                model=Complaint,
                closed_statuses=workflow.CLOSED,
                anonymise=complaint_retention.complaint_anonymise,
            )
        )
        mail.register_composer(actions.MAIL, notifications.compose_complainant_email)
        mail.register_composer(actions.MAIL_STAFF, notifications.compose_staff_alert)
        mail.register_composer(
            actions.MAIL_STAFF_INFORMATION, notifications.compose_staff_information
        )
