"""`python manage.py import_skm FILE.csv`: paper questionnaires of the satisfaction survey.

The whole file is checked first (services.survey.skm_csv); any problem is printed with its line and
column and nothing is written. A clean file is written in one transaction as one import
(services.models.SurveyImport), recorded with the operator (the system user, or `--by`).
A file already imported (the same bytes) is refused, naming that import; rows identical to
answers already stored are refused, naming their lines, unless `--allow-duplicates --reason`
says why they are other respondents. `import_skm --rollback ID --reason "..."` undoes an
import whole: its responses are deleted, the import is kept, marked rolled back.
"""

import getpass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from services.models import SurveyImport
from services.survey import actions as survey_actions
from services.survey import skm_csv

MAX_BYTES = 20 * 1024 * 1024


def _operator(by: str | None) -> str:
    if by is not None:
        if not by.strip():
            raise CommandError(_("--by tidak boleh kosong."))
        return by.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError) as exc:
        raise CommandError(_("Pengguna sistem tidak diketahui; sebutkan dengan --by.")) from exc


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(
            f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
        )
    return " ".join(exc.messages)


class Command(BaseCommand):
    help = "Mengimpor kuesioner SKM kertas dari berkas CSV, atau membatalkan satu impor."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="berkas CSV (UTF-8)")
        parser.add_argument("--by", help="nama operator (tanpa: pengguna sistem)")
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="terima baris yang sama persis dengan jawaban tersimpan (wajib --reason)",
        )
        parser.add_argument("--reason", default="", help="alasan, dicatat pada impor")
        parser.add_argument("--rollback", type=int, metavar="ID", help="batalkan impor ini")

    def handle(self, *args, file, by, allow_duplicates, reason, rollback, **options):
        if rollback is not None:
            if file or allow_duplicates:
                raise CommandError(_("--rollback tidak dipakai bersama berkas CSV."))
            if not reason.strip():
                raise CommandError(_('--rollback wajib disertai --reason "alasan".'))
            return self._rollback(rollback, _operator(by), reason)
        if not file:
            raise CommandError(_("Sebutkan berkas CSV, atau --rollback ID."))
        if allow_duplicates and not reason.strip():
            raise CommandError(_('--allow-duplicates wajib disertai --reason "alasan".'))
        operator = _operator(by)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ada.")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"Berkas {file} lebih dari {MAX_BYTES // 1024 // 1024} MB.")
        data = path.read_bytes()
        digest = skm_csv.digest(data)
        earlier = survey_actions.standing_import_of(digest)
        if earlier is not None:
            raise CommandError(survey_actions.already_imported(earlier).messages[0])
        # The latest date anywhere in the country: a date is in the future when it is so in
        # the easternmost zone too.
        today = timezone.now().astimezone(timezone.get_fixed_timezone(9 * 60)).date()
        rows, errors = skm_csv.read(data, today=today)
        if errors:
            for error in errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(errors)} kesalahan; tidak ada yang diimpor.")
        try:
            batch = survey_actions.survey_import_file(
                rows=rows,
                file_name=path.name,
                digest=digest,
                operator=operator,
                now=timezone.now(),
                allow_duplicates=allow_duplicates,
                reason=reason,
            )
        except ValidationError as exc:
            if getattr(exc, "error_list", [exc])[0].code != "duplicate":
                raise CommandError(_messages(exc)) from exc
            for message in exc.messages:
                self.stderr.write(f"{file}: {message}")
            raise CommandError(
                _(
                    "%(count)s baris sama persis dengan jawaban yang sudah tersimpan; tidak ada "
                    "yang diimpor. Bila memang jawaban responden lain, ulangi dengan "
                    '--allow-duplicates --reason "alasan".'
                )
                % {"count": len(exc.messages)}
            ) from exc
        self.stdout.write(
            _("Impor #%(id)s: %(file)s oleh %(operator)s (batalkan: --rollback %(id)s).")
            % {"id": batch.pk, "file": batch.file_name, "operator": batch.operator}
        )
        if batch.duplicate_count:
            self.stdout.write(
                _("%(count)s baris sama dengan jawaban tersimpan, diizinkan: %(reason)s")
                % {"count": batch.duplicate_count, "reason": batch.reason}
            )
        self.stdout.write(f"{batch.row_count} kuesioner diimpor.")

    def _rollback(self, pk: int, operator: str, reason: str):
        batch = SurveyImport.objects.filter(pk=pk).first()
        if batch is None:
            raise CommandError(_("Impor #%(id)s tidak ada.") % {"id": pk})
        try:
            deleted = survey_actions.survey_import_rollback(
                survey_import=batch, by=operator, reason=reason, now=timezone.now()
            )
        except ValidationError as exc:
            raise CommandError(_messages(exc)) from exc
        self.stdout.write(
            _("Impor #%(id)s (%(file)s) dibatalkan: %(count)s kuesioner dihapus.")
            % {"id": batch.pk, "file": batch.file_name, "count": deleted}
        )
